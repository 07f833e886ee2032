import t from 'tap';
import { z } from 'zod';
import { issueText } from '../src/http/errors.ts';
import {
  ENTITIES,
  fieldTexts,
  type Locale,
  type Localized,
  messages,
  reasonOf,
  reasons,
  rules,
  zodIssuesId,
} from '../src/http/messages.ts';
import { build } from './helpers/app.ts';
import { multipart } from './helpers/multipart.ts';
import { surpriseReport } from './helpers/reports.ts';

// Issue 16: Accept-Language: id gives Indonesian throughout (titles, details, field errors), from
// one catalogue, with the glossary's words; English answers stay as they were.
const h = await build(t);
const banjarnegara = h.world.facilities.banjarnegara as string;
const staff = () => h.login('staff.banjarnegara');
const ID = { 'accept-language': 'id' };
const MISSING = '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d';

t.test('every code of the catalogue has an Indonesian title and detail', async (t) => {
  for (const [code, message] of Object.entries(messages)) {
    t.ok(message.title.id.trim(), `${code} has an Indonesian title`);
    t.not(message.title.id, message.title.en, `${code}'s Indonesian title is not the English one`);
    const p = { limit: 1, entity: 'inspection', en: 'x', id: 'y', reason: 'r', field: 'f', method: 'GET', path: '/' };
    t.ok(message.id(p).trim(), `${code} has an Indonesian detail`);
  }
  for (const [name, sentence] of Object.entries({ ...rules, ...fieldTexts })) {
    t.ok(sentence.id({}).trim(), `${name} has an Indonesian sentence`);
    t.not(sentence.id({}), sentence.en({}), `${name}'s Indonesian is not the English`);
  }
  for (const [name, reason] of Object.entries(reasons)) {
    t.ok(reason.id.trim(), `${name} has an Indonesian reason`);
    t.not(reason.id, reason.en, `${name}'s Indonesian reason is not the English`);
  }
  for (const [entity, indonesian] of Object.entries(ENTITIES)) t.ok(indonesian.trim(), `${entity} has a name`);
});

t.test('a missing inspection: title and detail in Indonesian with the glossary word', async (t) => {
  const res = await h.call('GET', `/v1/inspections/${MISSING}`, { token: await staff(), headers: ID });
  t.equal(res.statusCode, 404);
  t.equal(res.json().title, 'Tidak ditemukan');
  t.equal(
    res.json().detail,
    'Tidak ada sidak (inspeksi mendadak) dengan id ini, atau berada di luar cakupan akses Anda.',
  );
  t.equal(res.json().code, 'not_found');
});

t.test('a missing inmate is a WBP in Indonesian, and stays an inmate in English', async (t) => {
  const url = `/v1/inmates/${MISSING}`;
  const id = await h.call('GET', url, { token: await staff(), headers: ID });
  t.equal(id.json().detail, 'Tidak ada WBP dengan id ini, atau berada di luar cakupan akses Anda.');
  const en = await h.call('GET', url, { token: await staff() });
  t.equal(en.json().title, 'Not found');
  t.equal(en.json().detail, 'No inmate with this id exists, or it is outside what you may see.');
});

t.test('a 400 with Accept-Language: id has Indonesian detail in every field error', async (t) => {
  const res = await h.call('POST', `/v1/facilities/${banjarnegara}/inmates`, {
    token: await staff(),
    headers: ID,
    body: {
      registration_number: 'LANG-1/2024',
      name: 'Budi \u202EotnaS',
      sex: 'laki-laki',
      birth_date: '1990-04-17',
      block: 'B'.repeat(200),
    },
  });
  t.equal(res.statusCode, 400);
  t.equal(res.json().title, 'Permintaan tidak sah');
  t.equal(res.json().detail, 'Permintaan tidak sesuai dengan yang diterima endpoint ini; lihat errors.');
  const byPointer = Object.fromEntries(
    (res.json().errors as { pointer: string; detail: string }[]).map((e) => [e.pointer, e.detail]),
  );
  t.equal(byPointer['/name'], 'tidak boleh berisi U+202E, karakter kendali arah teks (bidirectional)');
  t.equal(byPointer['/sex'], 'Pilihan tidak sah: harus salah satu dari "male"|"female"');
  t.equal(byPointer['/case_type'], 'Wajib diisi');
  t.equal(byPointer['/admission_date'], 'Wajib diisi');
  t.equal(byPointer['/block'], 'Terlalu panjang: maksimal 50 karakter');
  t.equal(Object.keys(byPointer).length, 5);
});

t.test('the same 400 in English keeps the English field errors', async (t) => {
  const res = await h.call('POST', `/v1/facilities/${banjarnegara}/inmates`, {
    token: await staff(),
    body: {
      registration_number: 'LANG-2/2024',
      name: 'Budi \u202EotnaS',
      sex: 'male',
      birth_date: '1990-04-17',
      case_type: 'narcotics_user',
      admission_date: '2024-03-02',
      cell: 7,
    },
  });
  t.equal(res.statusCode, 400);
  t.equal(res.json().title, 'Invalid request');
  t.same(res.json().errors, [
    { in: 'body', pointer: '/name', detail: 'must not contain U+202E, a bidirectional control character' },
    { in: 'body', pointer: '/cell', detail: 'Invalid input: expected string, received number' },
  ]);
});

t.test('a wrongly typed field is worded from its type in Indonesian', async (t) => {
  const res = await h.call('POST', `/v1/facilities/${banjarnegara}/inmates`, {
    token: await staff(),
    headers: ID,
    body: {
      registration_number: 'LANG-3/2024',
      name: 'Budi',
      sex: 'male',
      birth_date: '1850-04-17',
      case_type: 'narcotics_user',
      admission_date: '2024-03-02',
      cell: 7,
    },
  });
  t.equal(res.statusCode, 400);
  t.same(res.json().errors, [
    { in: 'body', pointer: '/birth_date', detail: 'tanggal antara 1900 dan 2199' },
    { in: 'body', pointer: '/cell', detail: 'Harus berupa teks, bukan angka' },
  ]);
});

const report = (over: Record<string, unknown> = {}) =>
  surpriseReport({ inmates_searched: 12, officers_searched: 3, ...over });

t.test('a rule refusal of a sidak is Indonesian in detail and field error, English unchanged', async (t) => {
  const url = `/v1/facilities/${banjarnegara}/inspections`;
  const body = report({ started_at: '2026-03-02T11:00:00', ended_at: '2026-03-02T09:00:00' });
  const id = await h.call('POST', url, { token: await staff(), headers: ID, body });
  t.equal(id.statusCode, 422);
  t.equal(id.json().code, 'rule_violated');
  t.equal(id.json().title, 'Aturan dilanggar');
  t.equal(id.json().detail, 'ended_at harus setelah started_at.');
  t.same(id.json().errors, [{ in: 'body', pointer: '/ended_at', detail: 'ended_at harus setelah started_at.' }]);
  const en = await h.call('POST', url, { token: await staff(), body });
  t.equal(en.json().title, 'Rule violated');
  t.equal(en.json().detail, 'ended_at must be after started_at.');
  t.same(en.json().errors, [{ in: 'body', pointer: '/ended_at', detail: 'ended_at must be after started_at.' }]);
});

t.test('a person named in a finding is a WBP, not an inmate, in Indonesian', async (t) => {
  const created = await h.call('POST', `/v1/facilities/${banjarnegara}/inspections`, {
    token: await staff(),
    body: report(),
  });
  t.equal(created.statusCode, 201);
  const res = await h.call('POST', `/v1/inspections/${created.json().id}/findings`, {
    token: await staff(),
    headers: ID,
    body: {
      category: 'mobile_phone',
      description: 'Satu telepon genggam dalam bantal',
      quantity: 1,
      unit: 'pieces',
      location: 'Blok A kamar 12',
      people: [{ type: 'inmate' }],
    },
  });
  t.equal(res.statusCode, 422);
  t.equal(res.json().detail, 'WBP memerlukan id.');
  t.same(res.json().errors, [{ in: 'body', pointer: '/people/0/id', detail: 'WBP memerlukan id.' }]);
});

t.test('a conflict names its reason in Indonesian', async (t) => {
  const created = await h.call('POST', `/v1/facilities/${banjarnegara}/inspections`, {
    token: await staff(),
    body: report(),
  });
  const url = `/v1/inspections/${created.json().id}/sign-off`;
  const head = await h.login('head.banjarnegara');
  const id = await h.call('POST', url, { token: head, headers: ID });
  t.equal(id.statusCode, 409);
  t.equal(id.json().title, 'Konflik');
  t.equal(
    id.json().detail,
    'Permintaan bertentangan dengan keadaan saat ini: laporan sidak harus diajukan terlebih dahulu.',
  );
  const en = await h.call('POST', url, { token: head });
  t.equal(en.json().detail, 'The request conflicts with the current state: the report must be submitted first.');
});

t.test('the scorecard page follows Accept-Language, indicator names and status included', async (t) => {
  const url = `/v1/facilities/${banjarnegara}/scorecard?period=2026-Q3`;
  const token = await h.login('head.banjarnegara');
  const card = (await h.call('GET', url, { token })).json();
  const status = card.status as 'bersinar' | 'menuju_bersinar' | 'belum_bersinar';
  const id = await h.call('GET', url, { token, headers: { accept: 'text/html', 'accept-language': 'id' } });
  t.equal(id.statusCode, 200);
  t.equal(id.headers['content-language'], 'id');
  t.match(id.body, '<html lang="id">');
  t.match(
    id.body,
    '<thead><tr><th>Indikator</th><th>Nilai</th><th>Target</th><th>Tercapai</th><th>Poin</th></tr></thead>',
  );
  t.match(id.body, '<h2>Skor delapan periode terakhir</h2>');
  t.match(id.body, '<td>Cakupan tes urine WBP</td>');
  t.match(id.body, '<td>Sidak per bulan');
  t.notMatch(id.body, 'Urine-test coverage');
  const idStatus = { bersinar: 'Bersinar', menuju_bersinar: 'Menuju Bersinar', belum_bersinar: 'Belum Bersinar' };
  t.match(id.body, `<span class="status ${status}">${idStatus[status]}</span>`);

  const en = await h.call('GET', url, { token, headers: { accept: 'text/html', 'accept-language': 'en' } });
  t.equal(en.headers['content-language'], 'en');
  t.match(en.body, '<html lang="en">');
  t.match(
    en.body,
    '<thead><tr><th>Indicator</th><th>Value</th><th>Target</th><th>Met</th><th>Points</th></tr></thead>',
  );
  t.match(en.body, '<h2>Score over the last eight periods</h2>');
  t.match(en.body, '<td>Urine-test coverage of inmates</td>');
  t.notMatch(en.body, 'Cakupan tes urine');
  const enStatus = { bersinar: 'Bersinar', menuju_bersinar: 'Towards Bersinar', belum_bersinar: 'Not yet Bersinar' };
  t.match(en.body, `<span class="status ${status}">${enStatus[status]}</span>`);
});

t.test('the scorecard CSV keeps its machine column names in either language', async (t) => {
  const token = await h.login('admin');
  const url = '/v1/scorecards?period=2026-Q3';
  const id = await h.call('GET', url, { token, headers: { accept: 'text/csv', 'accept-language': 'id' } });
  const en = await h.call('GET', url, { token, headers: { accept: 'text/csv', 'accept-language': 'en' } });
  const header =
    'period,rank,facility_id,facility_name,province_code,score,status,capped_by,closed_score,previous_score,previous_status,change';
  t.equal(id.body.split('\n')[0], header);
  t.equal(en.body.split('\n')[0], header);
  t.equal(id.body, en.body);
});

t.test('rule refusals of other modules come from the catalogue in both languages', async (t) => {
  const token = await h.login('admin');
  const cases: [Record<string, unknown>, string, string, string][] = [
    [
      { type: 'bnn', name: 'BNNK Tanpa Level', province_code: '33' },
      '/bnn_level',
      'A BNN unit needs bnn_level.',
      'Unit BNN memerlukan bnn_level.',
    ],
    [
      { type: 'bnn', bnn_level: 'district', name: 'BNNK Cilacap', province_code: '33' },
      '/regency',
      'A BNNK needs its regency or city.',
      'BNNK memerlukan kabupaten/kotanya.',
    ],
  ];
  for (const [body, pointer, en, id] of cases) {
    const inId = await h.call('POST', '/v1/organisations', { token, body, headers: ID });
    t.equal(inId.statusCode, 422);
    t.equal(inId.json().code, 'rule_violated');
    t.equal(inId.json().detail, id);
    t.same(inId.json().errors, [{ in: 'body', pointer, detail: id }]);
    const inEn = await h.call('POST', '/v1/organisations', { token, body });
    t.equal(inEn.json().detail, en);
    t.same(inEn.json().errors, [{ in: 'body', pointer, detail: en }]);
  }
});

t.test('a conflict of another module names its reason in Indonesian', async (t) => {
  const token = await h.login('admin');
  const body = { type: 'kanwil', name: 'Kanwil Kedua NTT', province_code: '53' };
  const id = await h.call('POST', '/v1/organisations', { token, body, headers: ID });
  t.equal(id.statusCode, 409);
  t.equal(id.json().detail, 'Permintaan bertentangan dengan keadaan saat ini: provinsi ini sudah memiliki Kanwil.');
  const en = await h.call('POST', '/v1/organisations', { token, body });
  t.equal(en.json().detail, 'The request conflicts with the current state: this province already has a Kanwil.');
});

t.test('a rehabilitation refusal is worded from the catalogue in both languages', async (t) => {
  const token = await h.login('bnnk.purbalingga');
  const [mou] = await h.rows<{ id: string }>(`SELECT id FROM mous WHERE number = 'PKS/01/XII/2024/BNNK-PBG'`);
  const [lead] = await h.rows<{ id: string }>(`SELECT id FROM users WHERE username = 'bnnk.purbalingga'`);
  const body = {
    facility_id: h.world.facilities.banjarnegara,
    mou_id: mou?.id,
    title: 'Konseling kelompok WBP pengguna',
    modality: 'group_counselling',
    curriculum: [{ number: 1, title: 'Sesi 1', duration_minutes: 90 }],
    starts_on: '2027-01-04',
    ends_on: '2029-12-31',
    capacity: 10,
    rooms: ['Aula Bimker'],
    facilitators: [{ user_id: lead?.id, role: 'lead' }],
  };
  const inId = await h.call('POST', '/v1/rehab-programmes', { token, body, headers: ID });
  t.equal(inId.statusCode, 422);
  t.equal(inId.json().detail, 'Program berjalan dalam masa MoU-nya (2024-12-13 sampai 2029-12-12).');
  t.same(inId.json().errors, [
    { in: 'body', pointer: '/ends_on', detail: 'Program berjalan dalam masa MoU-nya (2024-12-13 sampai 2029-12-12).' },
  ]);
  const inEn = await h.call('POST', '/v1/rehab-programmes', { token, body });
  t.equal(inEn.json().detail, 'A programme runs within its MoU (2024-12-13 to 2029-12-12).');
  // A facility out of reach is a Lapas/Rutan in Indonesian, not a "fasilitas".
  const elsewhere = { ...body, facility_id: h.world.facilities.kupang, ends_on: '2027-02-26' };
  const uncovered = await h.call('POST', '/v1/rehab-programmes', { token, body: elsewhere, headers: ID });
  t.equal(uncovered.statusCode, 422);
  t.equal(uncovered.json().detail, 'Lapas/Rutan tidak ditemukan dalam cakupan Anda.');
});

t.test('a conflict built from a WBP status is Indonesian, English unchanged', async (t) => {
  const token = await staff();
  const created = await h.call('POST', `/v1/facilities/${banjarnegara}/inmates`, {
    token,
    body: {
      registration_number: 'LANG-REL/2024',
      name: 'Budi Santoso',
      sex: 'male',
      birth_date: '1990-04-17',
      case_type: 'narcotics_user',
      admission_date: '2024-03-02',
      status: 'sentenced',
    },
  });
  t.equal(created.statusCode, 201);
  const url = `/v1/inmates/${created.json().id}`;
  const released = await h.call('POST', `${url}/release`, { token, body: { released_on: '2026-01-15' } });
  t.equal(released.statusCode, 200);
  const again = { token, body: { released_on: '2026-01-16' } };
  const id = await h.call('POST', `${url}/release`, { ...again, headers: ID });
  t.equal(id.statusCode, 409);
  t.equal(id.json().detail, 'Permintaan bertentangan dengan keadaan saat ini: WBP sudah bebas.');
  const en = await h.call('POST', `${url}/release`, again);
  t.equal(en.json().detail, 'The request conflicts with the current state: the person is already released.');
  const version = released.json().version as number;
  const patch = { token, body: { block: 'C' }, headers: { 'if-match': `"${version}"` } };
  const closedId = await h.call('PATCH', url, { ...patch, headers: { ...patch.headers, ...ID } });
  t.equal(closedId.statusCode, 409);
  t.equal(
    closedId.json().detail,
    'Permintaan bertentangan dengan keadaan saat ini: WBP sudah bebas; datanya sudah ditutup.',
  );
  const closedEn = await h.call('PATCH', url, patch);
  t.equal(
    closedEn.json().detail,
    'The request conflicts with the current state: the person is released; their record is closed.',
  );
});

t.test('conflict reasons naming record values read the same in English and glossary Indonesian', async (t) => {
  const cases: [Localized, string, string][] = [
    [reasonOf.case_status('decided'), 'the case is decided', 'kasus tindak lanjut sudah diputuskan'],
    [
      reasonOf.round_has_draw('inmate'),
      'this round already has a draw of inmates',
      'putaran tes urine ini sudah memiliki undian WBP',
    ],
    [
      reasonOf.draw_status('tested'),
      'this person is tested in the draw',
      'orang ini berstatus sudah dites dalam undian',
    ],
    [
      reasonOf.class_confirmed('MET'),
      'MET of this test is already confirmed',
      'MET pada tes urine ini sudah dikonfirmasi',
    ],
    [
      reasonOf.enrolment_move('completed', 'active'),
      'an enrolment completed cannot become active',
      'peserta rehabilitasi sosial berstatus selesai tidak dapat menjadi aktif',
    ],
    [
      reasonOf.booked('room Aula', 'S1', '2027-01-06T09:00:00+07:00'),
      'the room Aula is booked by session S1 at 2027-01-06T09:00:00+07:00',
      'ruang Aula sudah terpakai oleh sesi S1 pada 2027-01-06T09:00:00+07:00',
    ],
    [
      reasonOf.training_full(20, 18, 3),
      'the training has 20 places, 18 taken; 3 more do not fit',
      'pelatihan petugas berkapasitas 20 tempat, 18 terisi; 3 peserta lagi tidak muat',
    ],
  ];
  for (const [pair, en, id] of cases) t.same(pair, { en, id });
});

t.test('refused credentials and tokens give their reason in Indonesian, English unchanged', async (t) => {
  const wrong = { body: { grant_type: 'password', username: 'admin', password: 'nope' } };
  const grantId = await h.call('POST', '/v1/auth/token', { ...wrong, headers: ID });
  t.equal(grantId.statusCode, 400);
  t.equal(grantId.json().code, 'invalid_grant');
  t.equal(
    grantId.json().detail,
    'Kredensial atau token tidak diterima (nama pengguna atau kata sandi salah, atau akun dinonaktifkan).',
  );
  const grantEn = await h.call('POST', '/v1/auth/token', wrong);
  t.equal(
    grantEn.json().detail,
    'The credentials or token were not accepted (wrong username or password, or the account is disabled).',
  );
  const refresh = { body: { grant_type: 'refresh_token', refresh_token: 'not-a-token' } };
  const refreshId = await h.call('POST', '/v1/auth/token', { ...refresh, headers: ID });
  t.equal(refreshId.json().detail, 'Kredensial atau token tidak diterima (refresh token rusak).');
  const refreshEn = await h.call('POST', '/v1/auth/token', refresh);
  t.equal(refreshEn.json().detail, 'The credentials or token were not accepted (malformed refresh token).');
  const url = `/v1/inmates/${MISSING}`;
  const bareId = await h.call('GET', url, { headers: ID });
  t.equal(bareId.statusCode, 401);
  t.equal(bareId.json().detail, 'Token bearer yang sah diperlukan (tidak ada token bearer).');
  const bareEn = await h.call('GET', url);
  t.equal(bareEn.json().detail, 'A valid bearer token is required (no bearer token).');
  const forged = { authorization: 'Bearer not.a.jwt' };
  const forgedId = await h.call('GET', url, { headers: { ...forged, ...ID } });
  t.equal(forgedId.json().detail, 'Token bearer yang sah diperlukan (token tidak sah).');
  const forgedEn = await h.call('GET', url, { headers: forged });
  t.equal(forgedEn.json().detail, 'A valid bearer token is required (token not valid).');
});

t.test('our refinements of a body are worded from the catalogue in both languages', async (t) => {
  const token = await h.login('bnnk.purbalingga');
  const [mou] = await h.rows<{ id: string }>(`SELECT id FROM mous WHERE number = 'PKS/01/XII/2024/BNNK-PBG'`);
  const [lead] = await h.rows<{ id: string }>(`SELECT id FROM users WHERE username = 'bnnk.purbalingga'`);
  const body = {
    facility_id: h.world.facilities.banjarnegara,
    mou_id: mou?.id,
    title: 'Konseling kelompok WBP pengguna',
    modality: 'group_counselling',
    curriculum: [{ number: 2, title: 'Sesi 2', duration_minutes: 90 }],
    starts_on: '2027-01-04',
    ends_on: '2027-02-26',
    capacity: 10,
    rooms: ['Aula Bimker', 'Aula Bimker'],
    facilitators: [
      { user_id: lead?.id, role: 'lead' },
      { user_id: lead?.id, role: 'regular' },
    ],
  };
  const details = (res: { json: () => { errors: { pointer: string; detail: string }[] } }) =>
    Object.fromEntries(res.json().errors.map((e) => [e.pointer, e.detail]));
  const inId = await h.call('POST', '/v1/rehab-programmes', { token, body, headers: ID });
  t.equal(inId.statusCode, 400);
  t.same(details(inId), {
    '/curriculum': 'sesi diberi nomor 1, 2, 3, … secara berurutan',
    '/rooms': 'rooms tidak boleh berisi nilai yang sama dua kali',
    '/facilitators': 'setiap fasilitator hanya sekali',
  });
  const inEn = await h.call('POST', '/v1/rehab-programmes', { token, body });
  t.same(details(inEn), {
    '/curriculum': 'sessions are numbered 1, 2, 3, … in order',
    '/rooms': 'rooms must not repeat',
    '/facilitators': 'a facilitator once',
  });
});

t.test('an unreadable CSV and a bad period are refused in Indonesian, English unchanged', async (t) => {
  const token = await staff();
  const url = `/v1/facilities/${banjarnegara}/inmates/import`;
  const csv = 'registration_number;name;sex;case_type;admission_date\n';
  const send = (headers: Record<string, string>) =>
    h.call('POST', url, { token, payload: csv, headers: { 'content-type': 'text/csv', ...headers } });
  const csvId = await send(ID);
  t.equal(csvId.statusCode, 400);
  t.equal(csvId.json().code, 'invalid_csv');
  t.equal(csvId.json().detail, 'Berkas CSV tidak dapat diimpor: kolom yang tidak ada: birth_date.');
  const csvEn = await send({});
  t.equal(csvEn.json().detail, 'The CSV file cannot be imported: missing columns: birth_date.');

  const head = await h.login('head.banjarnegara');
  const card = (period: string, headers: Record<string, string> = {}) =>
    h.call('GET', `/v1/facilities/${banjarnegara}/scorecard?period=${period}`, { token: head, headers });
  const early = await card('1999', ID);
  t.equal(early.statusCode, 400);
  t.same(early.json().errors, [
    {
      in: 'querystring',
      pointer: '/period',
      detail: 'tahun (2026), triwulan (2026-Q3) atau bulan (2026-07), mulai 2000',
    },
  ]);
  const future = await card('2099', ID);
  t.same(future.json().errors, [{ in: 'querystring', pointer: '/period', detail: 'periode 2099 belum dimulai' }]);
  const futureEn = await card('2099');
  t.same(futureEn.json().errors, [{ in: 'querystring', pointer: '/period', detail: 'the period 2099 has not begun' }]);
});

t.test('Basic client credentials that disagree with the body are refused in Indonesian', async (t) => {
  const authorization = `Basic ${Buffer.from('dashboard.demo:secret').toString('base64')}`;
  const send = (headers: Record<string, string>) =>
    h.call('POST', '/v1/auth/token', {
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'other' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization, ...headers },
    });
  const inId = await send(ID);
  t.equal(inId.statusCode, 400);
  t.same(inId.json().errors, [
    {
      in: 'headers',
      pointer: '/authorization',
      detail: 'Kredensial klien Basic: client_id berbeda dengan yang ada di isi permintaan',
    },
  ]);
  const inEn = await send({});
  t.same(inEn.json().errors, [
    { in: 'headers', pointer: '/authorization', detail: "Basic client credentials: client_id differs from the body's" },
  ]);
});

t.test('an atomic import names refused rows in Indonesian, English unchanged', async (t) => {
  const token = await staff();
  const csv =
    'registration_number;name;sex;birth_date;case_type;admission_date;expected_release_date;block;cell;status\n' +
    'LANG-IMP/2025;Budi Santoso;laki-laki;1990-01-01;narcotics_user;2025-01-02;;A;;detained\n';
  const send = (headers: Record<string, string>) =>
    h.call('POST', `/v1/facilities/${banjarnegara}/inmates/import?atomic=true`, {
      token,
      payload: csv,
      headers: { 'content-type': 'text/csv', ...headers },
    });
  const inId = await send(ID);
  t.equal(inId.statusCode, 422);
  t.same(inId.json().errors, [
    {
      in: 'body',
      pointer: '/2',
      detail: 'baris 2: sex: Pilihan tidak sah: harus salah satu dari "male"|"female"',
    },
  ]);
  const inEn = await send({});
  t.same(inEn.json().errors, [
    { in: 'body', pointer: '/2', detail: 'line 2: sex: Invalid option: expected one of "male"|"female"' },
  ]);
});

t.test('a missing field reads "Wajib diisi" in Indonesian and "Required" in English', async (t) => {
  const body = { registration_number: 'LANG-M/2024', name: 'Budi', sex: 'male', birth_date: '1990-04-17' };
  const url = `/v1/facilities/${banjarnegara}/inmates`;
  const inId = await h.call('POST', url, { token: await staff(), headers: ID, body });
  t.equal(inId.statusCode, 400);
  t.same(inId.json().errors, [
    { in: 'body', pointer: '/case_type', detail: 'Wajib diisi' },
    { in: 'body', pointer: '/admission_date', detail: 'Wajib diisi' },
  ]);
  const inEn = await h.call('POST', url, { token: await staff(), body });
  t.same(inEn.json().errors, [
    { in: 'body', pointer: '/case_type', detail: 'Required' },
    { in: 'body', pointer: '/admission_date', detail: 'Required' },
  ]);
});

t.test("zod's common refusals read as Indonesian of our own, English as zod words them", async (t) => {
  const token = await staff();
  const inmate = {
    registration_number: 'LANG-Z/2024',
    name: 'B',
    sex: 'male',
    birth_date: '1990-02-30',
    case_type: 'narcotics_user',
    admission_date: '2024-03-02',
    nickname: 'Budi',
  };
  const url = `/v1/facilities/${banjarnegara}/inmates`;
  const inId = await h.call('POST', url, { token, headers: ID, body: inmate });
  t.equal(inId.statusCode, 400);
  t.same(inId.json().errors, [
    { in: 'body', pointer: '/name', detail: 'Terlalu pendek: minimal 2 karakter' },
    { in: 'body', pointer: '/birth_date', detail: 'Bukan tanggal ISO (YYYY-MM-DD) yang sah' },
    { in: 'body', pointer: '/', detail: 'Field tidak dikenal: "nickname"' },
  ]);
  const inEn = await h.call('POST', url, { token, body: inmate });
  t.same(inEn.json().errors, [
    { in: 'body', pointer: '/name', detail: 'Too small: expected string to have >=2 characters' },
    { in: 'body', pointer: '/birth_date', detail: 'Invalid ISO date' },
    { in: 'body', pointer: '/', detail: 'Unrecognized key: "nickname"' },
  ]);

  const notAnId = await h.call('GET', '/v1/inmates/budi', { token, headers: ID });
  t.same(notAnId.json().errors, [{ in: 'params', pointer: '/inmateId', detail: 'Bukan UUID yang sah' }]);

  const noTeam = await h.call('POST', `/v1/facilities/${banjarnegara}/inspections`, {
    token,
    headers: ID,
    body: report({ team: [], kind: 'rutin' }),
  });
  t.same(noTeam.json().errors, [
    { in: 'body', pointer: '/kind', detail: 'Pilihan tidak sah: harus salah satu dari "surprise"|"scheduled"|"joint"' },
    { in: 'body', pointer: '/team', detail: 'Terlalu sedikit: minimal 1 item' },
  ]);

  const period = await h.call('GET', `/v1/facilities/${banjarnegara}/scorecard?period=2026-13`, {
    token: await h.login('head.banjarnegara'),
    headers: ID,
  });
  t.same(period.json().errors, [
    { in: 'querystring', pointer: '/period', detail: 'tahun (2026), triwulan (2026-Q3) atau bulan (2026-07)' },
  ]);
});

t.test('every zod issue code has Indonesian wording in the catalogue', async (t) => {
  const samples: [string, z.ZodType, unknown][] = [
    ['invalid_type', z.strictObject({ a: z.string() }), { a: 1 }],
    ['too_big', z.string().max(1), 'ab'],
    ['too_small', z.array(z.string()).min(1), []],
    ['invalid_format', z.uuid(), 'x'],
    ['not_multiple_of', z.number().multipleOf(2), 3],
    ['unrecognized_keys', z.strictObject({}), { a: 1 }],
    ['invalid_key', z.record(z.string().max(1), z.string()), { ab: 'x' }],
    ['invalid_element', z.map(z.object({}), z.string()), new Map([[{}, 1]])],
    ['invalid_value', z.enum(['a', 'b']), 'c'],
    ['invalid_union', z.union([z.string(), z.number()]), true],
    ['custom', z.string().refine(() => false, 'not this'), 'x'],
  ];
  for (const [code, schema, input] of samples) {
    const issue = schema.safeParse(input).error?.issues[0] as z.core.$ZodIssue;
    t.equal(issue.code, code);
    const text = issueText(issue as unknown as Parameters<typeof issueText>[0]) as (l: Locale) => string;
    t.ok(text('id').trim(), `${code} has Indonesian`);
    t.not(text('id'), text('en'), `${code}'s Indonesian is not the English`);
  }
  t.same(Object.keys(zodIssuesId).sort(), samples.map(([code]) => code).sort(), 'a wording for every code zod raises');
});

t.test("an inmate import's rejected rows read in the caller's language, English unchanged", async (t) => {
  const token = await staff();
  const admit = async (registration_number: string) => {
    const res = await h.call('POST', `/v1/facilities/${banjarnegara}/inmates`, {
      token,
      body: {
        registration_number,
        name: 'Slamet Riyadi',
        sex: 'male',
        birth_date: '1985-05-05',
        case_type: 'narcotics_user',
        admission_date: '2024-01-10',
      },
    });
    t.equal(res.statusCode, 201);
    return `/v1/inmates/${res.json().id}`;
  };
  const released = await h.call('POST', `${await admit('LI-REL/2024')}/release`, {
    token,
    body: { released_on: '2025-06-30' },
  });
  t.equal(released.statusCode, 200);
  const moved = await h.call('POST', `${await admit('LI-TRF/2024')}/transfer`, {
    token: await h.login('admin'),
    body: { to_facility_id: h.world.facilities.purwokerto, transferred_on: '2025-02-01' },
  });
  t.equal(moved.statusCode, 200);

  const csv = [
    'registration_number;name;sex;birth_date;case_type;admission_date;expected_release_date;block;cell;status;released_on',
    'LI-001/2025;Budi Santoso;male;1990-01-01;narcotics_user;2025-01-02;;A;;detained;', // 2 good
    'LI-002/2025;;laki-laki;1990-01-01;narcotics_user;2025-01-02;;A;;detained;', // 3 no name, sex in Indonesian
    'LI-003/2025;Belum Lahir;male;2099-01-01;narcotics_user;1985-06-01;;A;;detained;', // 4 future birth
    'LI-004/2025;Sudah Bebas;female;1990-01-01;narcotics_user;2025-01-02;;B;;released;', // 5 no released_on
    'LI-005/2025;Masih Ditahan;female;1990-01-01;narcotics_user;2025-01-02;;B;;detained;2025-06-30', // 6
    'LI-001/2025;Budi Lagi;male;1990-01-01;narcotics_user;2025-01-02;;A;;detained;', // 7 repeats line 2
    'LI-REL/2024;Slamet Riyadi;male;1985-05-05;narcotics_user;2024-01-10;;A;;detained;', // 8 released here
    'LI-TRF/2024;Slamet Riyadi;male;1985-05-05;narcotics_user;2024-01-10;;A;;detained;', // 9 moved away
    'LI-006/2025;Tanggal Salah;male;1990-02-30;narcotics_user;2025-01-02;;A;;detained;', // 10 not a date
    '',
  ].join('\n');
  const send = (headers: Record<string, string>) =>
    h.call('POST', `/v1/facilities/${banjarnegara}/inmates/import?dry_run=true`, {
      token,
      payload: csv,
      headers: { 'content-type': 'text/csv', ...headers },
    });
  const report = (rejected: [number, string, string[]][]) => ({
    dry_run: true,
    total: 9,
    created: 1,
    updated: 0,
    unchanged: 0,
    rejected: rejected.map(([line, key, errors]) => ({ line, key, errors })),
  });
  const inId = await send(ID);
  t.equal(inId.statusCode, 200);
  t.same(
    inId.json(),
    report([
      [3, 'LI-002/2025', ['name: Wajib diisi', 'sex: Pilihan tidak sah: harus salah satu dari "male"|"female"']],
      [4, 'LI-003/2025', ['birth_date berada di masa depan', 'admission_date sebelum birth_date']],
      [5, 'LI-004/2025', ['released_on: wajib diisi untuk status released']],
      [6, 'LI-005/2025', ['released_on: hanya untuk status released']],
      [7, 'LI-001/2025', ['registration_number: sudah ada di baris 2']],
      [8, 'LI-REL/2024', ['status: WBP ini sudah bebas; bila kembali, dicatat sebagai penerimaan baru']],
      [9, 'LI-TRF/2024', ['registration_number: WBP ini sudah dipindahkan dari Lapas/Rutan ini']],
      [10, 'LI-006/2025', ['birth_date: Bukan tanggal ISO (YYYY-MM-DD) yang sah']],
    ]),
  );
  const inEn = await send({});
  t.same(
    inEn.json(),
    report([
      [3, 'LI-002/2025', ['name: Required', 'sex: Invalid option: expected one of "male"|"female"']],
      [4, 'LI-003/2025', ['birth_date lies in the future', 'admission_date is before birth_date']],
      [5, 'LI-004/2025', ['released_on: required when status is released']],
      [6, 'LI-005/2025', ['released_on: only for status released']],
      [7, 'LI-001/2025', ['registration_number: repeats line 2']],
      [8, 'LI-REL/2024', ['status: the person is released here; a return is a new admission']],
      [9, 'LI-TRF/2024', ['registration_number: this person was transferred out of this facility']],
      [10, 'LI-006/2025', ['birth_date: Invalid ISO date']],
    ]),
  );

  // atomic=true names the same rows in the problem, in the caller's language.
  const atomic = await h.call('POST', `/v1/facilities/${banjarnegara}/inmates/import?atomic=true`, {
    token,
    payload: csv,
    headers: { 'content-type': 'text/csv', ...ID },
  });
  t.equal(atomic.statusCode, 422);
  t.same(atomic.json().errors.slice(4, 6), [
    { in: 'body', pointer: '/7', detail: 'baris 7: registration_number: sudah ada di baris 2' },
    {
      in: 'body',
      pointer: '/8',
      detail: 'baris 8: status: WBP ini sudah bebas; bila kembali, dicatat sebagai penerimaan baru',
    },
  ]);
});

t.test("an officer import's rejected rows read in the caller's language, English unchanged", async (t) => {
  const elsewhere = await h.call('POST', `/v1/facilities/${h.world.facilities.kupang}/officers`, {
    token: await h.login('staff.kupang'),
    body: {
      nip: '197203032001121003',
      name: 'Yohanes Bria',
      sex: 'male',
      position: 'Staf KPLP',
      unit: 'KPLP',
      joined_on: '2001-12-01',
    },
  });
  t.equal(elsewhere.statusCode, 201);
  const csv = [
    'nip;name;sex;position;unit;joined_on;status;left_on',
    '19850417201012100;Nip Pendek;male;Staf;KPR;2010-12-01;active;', // 2 17 digits
    '197203032001121003;Yohanes Bria;male;Staf;KPLP;2001-12-01;active;', // 3 kept by Kupang
    '199501012020121001;Belum Masuk;male;Staf;KPR;2099-01-01;active;', // 4 joins in the future
    '199201012016041002;Dedi Kurniawan;male;Staf;KPR;2016-04-01;retired;', // 5 retired without left_on
    '199301012017051003;Rudi Hartono;male;Staf;KPR;2017-05-01;active;2016-01-01', // 6 active, left before joining
    '199401012018061004;Tanpa Status;female;Staf;KPR;2018-06-01;;', // 7 no status
    '',
  ].join('\n');
  const token = await staff();
  const send = (headers: Record<string, string>) =>
    h.call('POST', `/v1/facilities/${banjarnegara}/officers/import?dry_run=true`, {
      token,
      payload: csv,
      headers: { 'content-type': 'text/csv', ...headers },
    });
  const report = (rejected: [number, string, string[]][]) => ({
    dry_run: true,
    total: 6,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: rejected.map(([line, key, errors]) => ({ line, key, errors })),
  });
  const inId = await send(ID);
  t.equal(inId.statusCode, 200);
  t.same(
    inId.json(),
    report([
      [2, '19850417201012100', ['nip: NIP harus 18 digit angka']],
      [3, '197203032001121003', ['nip: milik petugas Lapas/Rutan lain']],
      [4, '199501012020121001', ['joined_on berada di masa depan']],
      [5, '199201012016041002', ['left_on wajib diisi untuk status retired']],
      [6, '199301012017051003', ['left_on sebelum joined_on', 'petugas aktif tidak memiliki left_on']],
      [7, '199401012018061004', ['status: Wajib diisi']],
    ]),
  );
  const inEn = await send({});
  t.same(
    inEn.json(),
    report([
      [2, '19850417201012100', ['nip: NIP must be 18 digits']],
      [3, '197203032001121003', ['nip: belongs to an officer of another facility']],
      [4, '199501012020121001', ['joined_on lies in the future']],
      [5, '199201012016041002', ['left_on is required when status is retired']],
      [6, '199301012017051003', ['left_on is before joined_on', 'an active officer has no left_on']],
      [7, '199401012018061004', ['status: Required']],
    ]),
  );
});

t.test('what the framework refuses reads in Indonesian too: a missing file, a prototype field name', async (t) => {
  const token = await staff();
  const created = await h.call('POST', `/v1/facilities/${banjarnegara}/inspections`, { token, body: report() });
  const finding = await h.call('POST', `/v1/inspections/${created.json().id}/findings`, {
    token,
    body: {
      category: 'mobile_phone',
      description: 'Satu telepon genggam dalam bantal',
      quantity: 1,
      unit: 'pieces',
      location: 'Blok A kamar 12',
    },
  });
  t.equal(finding.statusCode, 201);
  const evidenceUrl = `/v1/inspections/${created.json().id}/findings/${finding.json().id}/evidence`;
  const seized = await h.call('POST', evidenceUrl, {
    token,
    body: { kind: 'seized_item', description: 'Telepon genggam', seal_number: 'SEGEL-LANG-1' },
  });
  t.equal(seized.statusCode, 201);
  const file = (headers: Record<string, string>) =>
    h.call('GET', `/v1/evidence/${seized.json().id}/file`, { token, headers });
  t.equal((await file(ID)).json().detail, 'Tidak ada berkas dengan id ini, atau berada di luar cakupan akses Anda.');
  t.equal((await file({})).json().detail, 'No file with this id exists, or it is outside what you may see.');

  const upload = multipart({ kind: 'photo', constructor: 'x' });
  const send = (headers: Record<string, string>) =>
    h.call('POST', evidenceUrl, { token, payload: upload.payload, headers: { ...upload.headers, ...headers } });
  const inId = await send(ID);
  t.equal(inId.statusCode, 400);
  t.same(inId.json().errors, [
    { in: 'body', pointer: '/', detail: 'nama field __proto__, constructor atau prototype tidak diizinkan' },
  ]);
  const inEn = await send({});
  t.same(inEn.json().errors, [{ in: 'body', pointer: '/', detail: 'prototype property is not allowed as field name' }]);
});

t.test('too many requests: the wait in seconds in Indonesian, as the limiter words it in English', async (t) => {
  const limited = await build(t, { API_RATE_LIMIT_MAX: '1', API_RATE_LIMIT_WINDOW: '1 hour' }, { seed: false });
  const from = (headers: Record<string, string>) => limited.call('GET', '/v1/no-such-thing', { headers });
  t.equal((await from({})).statusCode, 404);
  const inId = await from(ID);
  t.equal(inId.statusCode, 429);
  t.equal(inId.json().title, 'Terlalu banyak permintaan');
  t.equal(inId.json().detail, `Terlalu banyak permintaan; coba lagi setelah ${inId.headers['retry-after']} detik.`);
  const inEn = await from({});
  t.equal(inEn.json().detail, 'Too many requests; retry after 1 hour.');
});
