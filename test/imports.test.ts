import { performance } from 'node:perf_hooks';
import t from 'tap';
import { build } from './helpers/app.ts';
import { matchExactly } from './helpers/match.ts';

// Bulk import of the inmate and officer registers (CSV or JSON) into Rutan Banjarnegara.
const h = await build(t);
const fac = h.world.facilities;
const banjarnegara = fac.banjarnegara as string;
const inmatesUrl = `/v1/facilities/${banjarnegara}/inmates/import`;
const officersUrl = `/v1/facilities/${banjarnegara}/officers/import`;
const [staffUser] = await h.rows<{ id: string }>(`SELECT id FROM users WHERE username = 'staff.banjarnegara'`);
const staffId = staffUser?.id as string;

/** Sends a CSV file (text or bytes) to an import route. */
async function sendCsv(
  url: string,
  csv: string | Buffer,
  options: { query?: string; username?: string; headers?: Record<string, string> } = {},
) {
  return h.call('POST', `${url}${options.query ? `?${options.query}` : ''}`, {
    token: await h.login(options.username ?? 'staff.banjarnegara'),
    payload: csv,
    headers: { 'content-type': 'text/csv', ...options.headers },
  });
}

const lines = (...rows: string[]) => `${rows.join('\n')}\n`;
const lastSeq = async () =>
  (await h.rows<{ s: number }>('SELECT coalesce(max(seq), 0)::int AS s FROM audit_events'))[0]?.s ?? 0;
const eventsSince = (seq: number, action: string) =>
  h.rows<{ actor_id: string; facility_id: string; entity_id: string; after: Record<string, number> }>(
    'SELECT actor_id, facility_id, entity_id, after FROM audit_events WHERE seq > $1 AND action = $2 ORDER BY seq',
    [seq, action],
  );
const stored = (prefix: string) =>
  h.rows(
    `SELECT registration_number, name, sex, birth_date::text, case_type, admission_date::text,
            expected_release_date::text, block, cell, status, released_on::text, version, facility_id
       FROM inmates WHERE registration_number LIKE $1 ORDER BY registration_number`,
    [`${prefix}%`],
  );

const HEADER =
  'registration_number;name;sex;birth_date;case_type;admission_date;expected_release_date;block;cell;status';
const semicolonFile = lines(
  HEADER,
  'SC-001/2024;Budi Santoso;male;1990-04-17;narcotics_user;2024-03-02;2027-03-01;A;A-12;sentenced',
  'SC-002/2024;"Aminah; Siti";female;1988-11-02;narcotics_courier;2023-07-15;;B;;detained',
);

t.test('a good CSV, with ; or with , and a BOM and CRLF, creates the rows', async (t) => {
  const seq = await lastSeq();
  const res = await sendCsv(inmatesUrl, semicolonFile);
  t.equal(res.statusCode, 200);
  t.same(res.json(), { dry_run: false, total: 2, created: 2, updated: 0, unchanged: 0, rejected: [] });
  t.same(await stored('SC-'), [
    {
      registration_number: 'SC-001/2024',
      name: 'Budi Santoso',
      sex: 'male',
      birth_date: '1990-04-17',
      case_type: 'narcotics_user',
      admission_date: '2024-03-02',
      expected_release_date: '2027-03-01',
      block: 'A',
      cell: 'A-12',
      status: 'sentenced',
      released_on: null,
      version: 1,
      facility_id: banjarnegara,
    },
    {
      registration_number: 'SC-002/2024',
      name: 'Aminah; Siti',
      sex: 'female',
      birth_date: '1988-11-02',
      case_type: 'narcotics_courier',
      admission_date: '2023-07-15',
      expected_release_date: null,
      block: 'B',
      cell: null,
      status: 'detained',
      released_on: null,
      version: 1,
      facility_id: banjarnegara,
    },
  ]);

  const commaFile = `\uFEFF${[
    'Registration_Number,name,sex,birth_date,case_type,admission_date,block',
    'CO-001/2024,"Santoso, Budi",male,1990-04-17,narcotics_dealer,2024-03-02,C',
    'CO-002/2024, Ahmad Fauzi ,male,1995-01-01,non_narcotics,2025-01-10,C',
  ].join('\r\n')}\r\n`;
  const comma = await sendCsv(inmatesUrl, Buffer.from(commaFile, 'utf8'));
  t.equal(comma.statusCode, 200);
  t.same(comma.json(), { dry_run: false, total: 2, created: 2, updated: 0, unchanged: 0, rejected: [] });
  matchExactly(t, await stored('CO-'), [
    {
      registration_number: 'CO-001/2024',
      name: 'Santoso, Budi',
      case_type: 'narcotics_dealer',
      block: 'C',
      status: 'detained',
    },
    { registration_number: 'CO-002/2024', name: 'Ahmad Fauzi', expected_release_date: null, cell: null },
  ]);

  const placements = await h.rows(
    `SELECT i.registration_number, p.facility_id, p.registration_number AS placed_as, p.from_date::text,
            p.until_date::text
       FROM inmate_placements p JOIN inmates i ON i.id = p.inmate_id
      WHERE i.registration_number LIKE 'SC-%' OR i.registration_number LIKE 'CO-%'
      ORDER BY i.registration_number`,
  );
  t.same(
    placements,
    [
      ['CO-001/2024', '2024-03-02'],
      ['CO-002/2024', '2025-01-10'],
      ['SC-001/2024', '2024-03-02'],
      ['SC-002/2024', '2023-07-15'],
    ].map(([number, from]) => ({
      registration_number: number,
      facility_id: banjarnegara,
      placed_as: number,
      from_date: from,
      until_date: null,
    })),
    'one open stay per new inmate, from the admission date',
  );

  const events = await eventsSince(seq, 'inmate.imported');
  t.same(
    events,
    [1, 2].map(() => ({
      actor_id: staffId,
      facility_id: banjarnegara,
      entity_id: banjarnegara,
      after: { total: 2, created: 2, updated: 0, unchanged: 0, rejected: 0 },
    })),
    'one audit event per import, with the counts',
  );
  t.equal(await h.count('audit_events', `seq > ${seq} AND action = 'inmate.created'`), 0, 'not one event per row');
});

t.test('re-importing the same file changes nothing; a changed block updates one row', async (t) => {
  // The file once (the first subtest imports it too), then again.
  t.equal((await sendCsv(inmatesUrl, semicolonFile)).statusCode, 200);
  const again = await sendCsv(inmatesUrl, semicolonFile);
  t.equal(again.statusCode, 200);
  t.same(again.json(), { dry_run: false, total: 2, created: 0, updated: 0, unchanged: 2, rejected: [] });
  t.same(
    (await stored('SC-')).map((r) => r.version),
    [1, 1],
    'versions stay 1',
  );

  const moved = semicolonFile.replace(';A;A-12;', ';D;A-12;');
  const res = await sendCsv(inmatesUrl, moved);
  t.same(res.json(), { dry_run: false, total: 2, created: 0, updated: 1, unchanged: 1, rejected: [] });
  matchExactly(t, await stored('SC-'), [
    { registration_number: 'SC-001/2024', block: 'D', cell: 'A-12', version: 2 },
    { registration_number: 'SC-002/2024', block: 'B', version: 1 },
  ]);
  t.equal(
    await h.count('inmate_placements p JOIN inmates i ON i.id = p.inmate_id', `i.registration_number LIKE 'SC-%'`),
    2,
  );

  const released = lines(
    `${HEADER};released_on`,
    'SC-002/2024;"Aminah; Siti";female;1988-11-02;narcotics_courier;2023-07-15;;B;;released;2025-01-31',
  );
  const release = await sendCsv(inmatesUrl, released);
  t.same(
    release.json(),
    { dry_run: false, total: 1, created: 0, updated: 1, unchanged: 0, rejected: [] },
    'SDP says released',
  );
  matchExactly(t, await stored('SC-002'), [{ status: 'released', released_on: '2025-01-31', version: 2 }]);
  const [stay] = await h.rows(
    `SELECT p.until_date::text, p.end_reason FROM inmate_placements p JOIN inmates i ON i.id = p.inmate_id
      WHERE i.registration_number = 'SC-002/2024'`,
  );
  t.same(stay, { until_date: '2025-01-31', end_reason: 'released' }, 'the stay is closed');
});

// Line 1 is the header.
const mixedFile = lines(
  HEADER,
  'MX-001/2025;Good One;male;1990-01-01;narcotics_user;2025-01-02;;A;;detained', // 2 good
  'MX-002/2025;Not Yet Born;male;2099-01-01;narcotics_user;2025-01-02;;A;;detained', // 3 future birth
  'MX-003/2025;Case Unknown;male;1990-01-01;smuggling;2025-01-02;;A;;detained', // 4 unknown case type
  'MX-004/2025;;female;1990-01-01;narcotics_user;2025-01-02;;A;;detained', // 5 no name
  'MX-005/2025;Good Two;female;1991-02-03;narcotics_courier;2025-01-02;;B;;sentenced', // 6 good
  'MX-006/2025;Too Early;male;1990-01-01;narcotics_user;1985-06-01;;A;;detained', // 7 admitted before birth
  'MX-001/2025;Good One Again;male;1990-01-01;narcotics_user;2025-01-02;;A;;detained', // 8 repeats line 2
  'MX-007/2025;Moved Away;male;1990-01-01;narcotics_user;2025-01-02;;A;;transferred', // 9 status transferred
  'MX-008/2025;Good Three;male;1980-05-05;non_narcotics;2024-12-31;;C;C-1;sentenced', // 10 good
);
const mixedReport = (dryRun: boolean) => ({
  dry_run: dryRun,
  total: 9,
  created: 3,
  updated: 0,
  unchanged: 0,
  rejected: [
    { line: 3, key: 'MX-002/2025', errors: [/^birth_date.*future/, /admission_date is before birth_date/] },
    { line: 4, key: 'MX-003/2025', errors: [/^case_type:/] },
    { line: 5, key: 'MX-004/2025', errors: [/^name:/] },
    { line: 7, key: 'MX-006/2025', errors: [/admission_date is before birth_date/] },
    { line: 8, key: 'MX-001/2025', errors: [/^registration_number: repeats line 2$/] },
    { line: 9, key: 'MX-007/2025', errors: [/^status:/] },
  ],
});

t.test('a mixed file: atomic refuses it whole, a dry run reports, a plain run writes the good rows', async (t) => {
  const inmates = await h.count('inmates');
  const placements = await h.count('inmate_placements');
  const seq = await lastSeq();

  const atomic = await sendCsv(inmatesUrl, mixedFile, { query: 'atomic=true' });
  t.equal(atomic.statusCode, 422);
  t.match(atomic.headers['content-type'], /^application\/problem\+json/);
  const problem = atomic.json();
  t.equal(problem.code, 'import_rejected');
  t.match(problem.detail, /^6 row\(s\) were rejected/);
  t.same(
    problem.errors.map((e: { pointer: string }) => e.pointer),
    ['/3', '/4', '/5', '/7', '/8', '/9'],
  );
  matchExactly(t, problem.errors, [
    { in: 'body', detail: /^line 3: birth_date/ },
    { detail: /^line 4: case_type/ },
    { detail: /^line 5: name/ },
    { detail: /^line 7: admission_date is before birth_date/ },
    { detail: /^line 8: registration_number: repeats line 2/ },
    { detail: /^line 9: status/ },
  ]);
  t.equal(await h.count('inmates'), inmates, 'atomic: nothing written');

  const dry = await sendCsv(inmatesUrl, mixedFile, { query: 'dry_run=true' });
  t.equal(dry.statusCode, 200);
  matchExactly(t, dry.json(), mixedReport(true));
  t.equal(await h.count('inmates'), inmates, 'dry run: nothing written');
  t.equal(await h.count('inmate_placements'), placements);
  t.equal(await h.count('audit_events', `seq > ${seq}`), 0, 'neither refused nor dry runs are audited');

  const res = await sendCsv(inmatesUrl, mixedFile);
  t.equal(res.statusCode, 200);
  matchExactly(t, res.json(), mixedReport(false));
  t.same(
    res.json().rejected.map((r: { line: number }) => r.line),
    [3, 4, 5, 7, 8, 9],
  );
  t.same(
    (await stored('MX-')).map((r) => [r.registration_number, r.name]),
    [
      ['MX-001/2025', 'Good One'],
      ['MX-005/2025', 'Good Two'],
      ['MX-008/2025', 'Good Three'],
    ],
    'the good rows are written; the repeat did not overwrite the first',
  );
  t.equal(await h.count('inmates'), inmates + 3);
  t.equal(await h.count('inmate_placements'), placements + 3);
  const [event] = await eventsSince(seq, 'inmate.imported');
  t.same(event?.after, { total: 9, created: 3, updated: 0, unchanged: 0, rejected: 6 });

  const goodOnly = lines(HEADER, 'MX-009/2025;Good Four;male;1990-01-01;narcotics_user;2025-01-02;;A;;detained');
  const atomicGood = await sendCsv(inmatesUrl, goodOnly, { query: 'atomic=true' });
  t.equal(atomicGood.statusCode, 200, 'atomic with only good rows writes them');
  t.same(atomicGood.json(), { dry_run: false, total: 1, created: 1, updated: 0, unchanged: 0, rejected: [] });
  t.equal(await h.count('inmates'), inmates + 4);

  const gaps = lines(
    HEADER,
    'MX-010/2025;Good Five;male;1990-01-01;narcotics_user;2025-01-02;;A;;detained',
    '',
    'MX-011/2025;Not Yet Born;male;2099-01-01;narcotics_user;2025-01-02;;A;;detained',
  );
  const skipped = await sendCsv(inmatesUrl, gaps, { query: 'dry_run=true' });
  matchExactly(
    t,
    skipped.json(),
    { total: 2, created: 1, rejected: [{ line: 4, key: 'MX-011/2025' }] },
    'blank lines count',
  );
});

t.test('a malformed CSV is a 400 invalid_csv and writes nothing; too large a file is a 413', async (t) => {
  const before = await h.count('inmates');
  const seq = await lastSeq();
  const row = 'LT-001/2025;Jos%;male;1990-01-01;narcotics_user;2025-01-02;;A;;detained';
  const cases: [string, string | Buffer, RegExp][] = [
    [
      'not UTF-8 (a latin1 byte)',
      Buffer.concat([
        Buffer.from(`${HEADER}\nLT-001/2025;Jos`),
        Buffer.from([0xff]),
        Buffer.from(';male;1990-01-01;narcotics_user;2025-01-02;;A;;detained\n'),
      ]),
      /not UTF-8/,
    ],
    ['latin1 text', Buffer.from(lines(HEADER, row.replace('%', 'é')), 'latin1'), /not UTF-8/],
    ['an empty body', '', /no header/],
    ['only a newline', '\n', /no header/],
    ['only CRLF', '\r\n', /no header/],
    [
      'a quoted field that never closes',
      lines(HEADER, 'UQ-001/2025;"Budi Santoso;male;1990-01-01;narcotics_user;2025-01-02;;A;;detained'),
      /quoted field never closes/,
    ],
    [
      'a header without birth_date',
      lines(
        'registration_number;name;sex;case_type;admission_date',
        'NB-001/2025;Budi Santoso;male;narcotics_user;2025-01-02',
      ),
      /missing columns: birth_date/,
    ],
    [
      'a header alone, without birth_date',
      'registration_number;name;sex;case_type;admission_date\n',
      /missing columns: birth_date/,
    ],
  ];
  for (const [what, body, reason] of cases) {
    const res = await sendCsv(inmatesUrl, body);
    t.equal(res.statusCode, 400, what);
    t.match(res.headers['content-type'], /^application\/problem\+json/, what);
    t.equal(res.json().code, 'invalid_csv', what);
    t.match(res.json().detail, reason, what);
  }
  const officers = await sendCsv(officersUrl, lines('nip;name;sex', '198504172010121002;Agus;male'));
  t.equal(officers.statusCode, 400);
  t.match(officers.json(), { code: 'invalid_csv', detail: /missing columns: position, unit, status, joined_on/ });
  const id = await sendCsv(inmatesUrl, '\n', { headers: { 'accept-language': 'id' } });
  t.match(id.json().detail, /^Berkas CSV tidak dapat diimpor/);
  const xml = await sendCsv(inmatesUrl, '<rows/>', { headers: { 'content-type': 'application/xml' } });
  t.equal(xml.statusCode, 415);
  t.equal(await h.count('inmates'), before, 'nothing written');
  t.equal(await h.count('audit_events', `seq > ${seq}`), 0, 'nothing audited');

  t.test('a file above IMPORT_BODY_LIMIT_BYTES', async (t) => {
    const small = await build(t, { IMPORT_BODY_LIMIT_BYTES: '4096' });
    const token = await small.login('staff.banjarnegara');
    const url = `/v1/facilities/${small.world.facilities.banjarnegara}/inmates/import`;
    const rows = Array.from(
      { length: 100 },
      (_, i) => `BIG-${i}/2025;Warga Binaan ${i};male;1990-01-01;narcotics_user;2025-01-02;;A;;detained`,
    );
    const big = lines(HEADER, ...rows);
    t.ok(big.length > 4096);
    const res = await small.call('POST', url, { token, payload: big, headers: { 'content-type': 'text/csv' } });
    t.equal(res.statusCode, 413);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.equal(res.json().code, 'body_too_large');
    t.match(res.json().detail, /limit of 4096 bytes/, 'the detail names the import limit');
    const json = await small.call('POST', url, {
      token,
      body: rows.map((r) => Object.fromEntries(HEADER.split(';').map((c, i) => [c, r.split(';')[i]]))),
    });
    t.equal(json.statusCode, 413, 'a JSON body too');
    const fits = await small.call('POST', url, {
      token,
      payload: lines(HEADER, ...rows.slice(0, 10)),
      headers: { 'content-type': 'text/csv' },
    });
    t.equal(fits.statusCode, 200, 'a file within the limit is read');
    t.equal(await small.count('inmates'), 10);
  });
});

t.test('a JSON array imports the same way; lines count rows from 1', async (t) => {
  const person = (over: Record<string, unknown> = {}) => ({
    registration_number: 'JS-001/2025',
    name: 'Joko Susilo',
    sex: 'male',
    birth_date: '1985-06-30',
    case_type: 'narcotics_user',
    admission_date: '2025-02-01',
    expected_release_date: '2026-08-01',
    block: 'E',
    cell: 'E-4',
    status: 'sentenced',
    ...over,
  });
  const rows = [
    person(),
    person({ registration_number: 'JS-002/2025', birth_date: '2099-12-31' }),
    person({ registration_number: 'JS-003/2025', name: 'Yohanes Bria', sex: 'male', block: undefined, cell: '' }),
    person({ registration_number: 'JS-004/2025', case_type: 'gambling' }),
    person({ registration_number: 'JS-005/2025', nickname: 'Jo' }),
    person({ registration_number: 'JS-006/2025', status: 'released', released_on: '2025-06-01' }),
  ];
  const token = await h.login('staff.banjarnegara');
  const res = await h.call('POST', inmatesUrl, { token, body: rows });
  t.equal(res.statusCode, 200);
  matchExactly(t, res.json(), {
    dry_run: false,
    total: 6,
    created: 3,
    updated: 0,
    unchanged: 0,
    rejected: [
      { line: 2, key: 'JS-002/2025', errors: [/birth_date.*future/, /admission_date is before birth_date/] },
      { line: 4, key: 'JS-004/2025', errors: [/^case_type:/] },
      { line: 5, key: 'JS-005/2025', errors: [/nickname/] },
    ],
  });
  matchExactly(t, await stored('JS-'), [
    { registration_number: 'JS-001/2025', name: 'Joko Susilo', block: 'E', cell: 'E-4', status: 'sentenced' },
    { registration_number: 'JS-003/2025', name: 'Yohanes Bria', block: null, cell: null },
    { registration_number: 'JS-006/2025', status: 'released', released_on: '2025-06-01' },
  ]);
  const [stay] = await h.rows(
    `SELECT p.until_date::text, p.end_reason FROM inmate_placements p JOIN inmates i ON i.id = p.inmate_id
      WHERE i.registration_number = 'JS-006/2025'`,
  );
  t.same(stay, { until_date: '2025-06-01', end_reason: 'released' }, 'a released row has a closed stay');

  const again = await h.call('POST', inmatesUrl, { token, body: [person(), person({ block: 'F' })] });
  matchExactly(t, again.json(), {
    total: 2,
    unchanged: 1,
    rejected: [{ line: 2, errors: ['registration_number: repeats line 1'] }],
  });
  const notArray = await h.call('POST', inmatesUrl, { token, body: person() });
  t.equal(notArray.statusCode, 400);
  t.equal(notArray.json().code, 'validation_failed');
});

t.test('5,000 inmates in one request', async (t) => {
  const cases = ['narcotics_user', 'narcotics_dealer', 'narcotics_courier', 'non_narcotics'];
  const pad = (n: number) => String(n).padStart(2, '0');
  const rows = Array.from({ length: 5000 }, (_, i) =>
    [
      `BULK-${String(i).padStart(5, '0')}/2025`,
      `Warga Binaan ${i}`,
      i % 2 ? 'male' : 'female',
      `19${60 + (i % 40)}-${pad(1 + (i % 12))}-${pad(1 + (i % 28))}`,
      cases[i % 4],
      `2024-${pad(1 + (i % 12))}-${pad(1 + (i % 28))}`,
      i % 3 ? `2027-${pad(1 + (i % 12))}-01` : '',
      `Blok ${String.fromCharCode(65 + (i % 6))}`,
      `${i % 40}`,
      i % 5 ? 'sentenced' : 'detained',
    ].join(';'),
  );
  const file = lines(HEADER, ...rows);
  const token = await h.login('staff.banjarnegara');
  const send = () => h.call('POST', inmatesUrl, { token, payload: file, headers: { 'content-type': 'text/csv' } });

  const started = performance.now();
  const res = await send();
  const elapsed = performance.now() - started;
  t.comment(`imported 5,000 inmates (${(file.length / 1024).toFixed(0)} KiB CSV) in ${elapsed.toFixed(0)} ms`);
  t.equal(res.statusCode, 200);
  t.same(res.json(), { dry_run: false, total: 5000, created: 5000, updated: 0, unchanged: 0, rejected: [] });
  t.equal(await h.count('inmates', `registration_number LIKE 'BULK-%'`), 5000);
  t.equal(await h.count('inmate_placements', `registration_number LIKE 'BULK-%' AND until_date IS NULL`), 5000);
  matchExactly(t, await stored('BULK-04999'), [
    { name: 'Warga Binaan 4999', sex: 'male', case_type: 'non_narcotics', block: 'Blok B', cell: '39', version: 1 },
  ]);

  const startedAgain = performance.now();
  const again = await send();
  t.comment(`re-imported the same 5,000 rows in ${(performance.now() - startedAgain).toFixed(0)} ms`);
  t.same(again.json(), { dry_run: false, total: 5000, created: 0, updated: 0, unchanged: 5000, rejected: [] });
  t.equal(await h.count('inmates', `registration_number LIKE 'BULK-%'`), 5000);
  t.equal(await h.count('inmates', `registration_number LIKE 'BULK-%' AND version <> 1`), 0);
});

t.test('only the keepers of the register import into it', async (t) => {
  const file = lines(HEADER, 'RC-001/2025;Budi Santoso;male;1990-01-01;narcotics_user;2025-01-02;;A;;detained');
  const officerFile = lines(
    'nip;name;sex;position;unit;joined_on;status',
    '198001012005011009;Agus Prasetyo;male;Staf;KPR;2005-01-01;active',
  );
  const before = { inmates: await h.count('inmates'), officers: await h.count('officers') };
  const cases: [string, number][] = [
    ['staff.kupang', 404],
    ['kanwil.ntt', 404],
    ['bnnk.purbalingga', 403],
  ];
  for (const [username, status] of cases) {
    const res = await sendCsv(inmatesUrl, file, { username });
    t.equal(res.statusCode, status, `${username} inmates`);
    t.equal(res.json().code, status === 404 ? 'not_found' : 'forbidden');
    const officers = await sendCsv(officersUrl, officerFile, { username });
    t.equal(officers.statusCode, status, `${username} officers`);
  }
  const bnnkReads = await h.call('GET', `/v1/facilities/${banjarnegara}`, { token: await h.login('bnnk.purbalingga') });
  t.equal(bnnkReads.statusCode, 200, 'the BNNK reads the facility, but does not keep its register');
  t.equal(await h.count('inmates'), before.inmates);
  t.equal(await h.count('officers'), before.officers);
  const head = await sendCsv(inmatesUrl, file, { username: 'head.banjarnegara' });
  t.equal(head.statusCode, 200, 'the head of the facility may');
  const admin = await sendCsv(inmatesUrl, file, { username: 'admin' });
  t.match(admin.json(), { unchanged: 1 }, 'and an administrator');
});

t.test('dry_run and atomic take exactly true or false, and are false when absent', async (t) => {
  const file = lines(HEADER, 'QF-001/2025;Budi Santoso;male;1990-01-01;narcotics_user;2025-01-02;;A;;detained');
  const before = await h.count('inmates');
  for (const query of ['dry_run=yes', 'dry_run=1', 'dry_run=TRUE', 'atomic=on', 'atomic=']) {
    const res = await sendCsv(inmatesUrl, file, { query });
    t.equal(res.statusCode, 400, query);
    t.equal(res.json().code, 'validation_failed', query);
    t.same(
      res.json().errors.map((e: { in: string; pointer: string }) => [e.in, e.pointer]),
      [['querystring', `/${query.split('=')[0]}`]],
      query,
    );
  }
  t.equal(await h.count('inmates'), before, 'a refused flag writes nothing');
  const dry = await sendCsv(inmatesUrl, file, { query: 'dry_run=true&atomic=false' });
  t.same(dry.json(), { dry_run: true, total: 1, created: 1, updated: 0, unchanged: 0, rejected: [] });
  t.equal(await h.count('inmates'), before, 'a dry run writes nothing');
  const plain = await sendCsv(inmatesUrl, file);
  t.same(plain.json(), { dry_run: false, total: 1, created: 1, updated: 0, unchanged: 0, rejected: [] });
  t.equal(await h.count('inmates'), before + 1, 'without the flags the file is written');
});

t.test('an Idempotency-Key makes a retried import safe', async (t) => {
  const file = lines(
    HEADER,
    'ID-001/2025;Budi Santoso;male;1990-01-01;narcotics_user;2025-01-02;;A;;detained',
    'ID-002/2025;Siti Aminah;female;1992-01-01;narcotics_user;2025-01-02;;B;;detained',
  );
  const headers = { 'idempotency-key': 'sdp-sync-2025-01-03' };
  const seq = await lastSeq();
  const first = await sendCsv(inmatesUrl, file, { headers });
  t.equal(first.statusCode, 200);
  t.match(first.json(), { created: 2 });
  t.notOk(first.headers['idempotent-replayed']);
  const inmates = await h.count('inmates');

  const retry = await sendCsv(inmatesUrl, file, { headers });
  t.equal(retry.statusCode, 200);
  t.equal(retry.headers['idempotent-replayed'], 'true');
  t.same(retry.json(), first.json(), 'the first report, not "unchanged 2"');
  t.equal(await h.count('inmates'), inmates, 'nothing more written');
  t.equal((await eventsSince(seq, 'inmate.imported')).length, 1, 'audited once');

  const other = await sendCsv(inmatesUrl, file.replace('ID-002', 'ID-003'), { headers });
  t.equal(other.statusCode, 422);
  t.equal(other.json().code, 'idempotency_key_reused');
  t.equal(await h.count('inmates'), inmates);
});

t.test('officers import: NIP of 18 digits, national, upserted', async (t) => {
  const kupang = await h.call('POST', `/v1/facilities/${fac.kupang}/officers`, {
    token: await h.login('staff.kupang'),
    body: {
      nip: '197001012000011001',
      name: 'Yakobus Lado',
      sex: 'male',
      position: 'Kepala KPLP',
      unit: 'KPLP',
      joined_on: '2000-01-01',
    },
  });
  t.equal(kupang.statusCode, 201);

  const OFFICER_HEADER = 'nip;name;sex;position;unit;joined_on;status;left_on';
  const file = (agusPosition: string) =>
    lines(
      OFFICER_HEADER,
      `198504172010121002;Agus Prasetyo;male;${agusPosition};KPR;2010-12-01;active;`, // 2 good
      '19850417201012100;Nip Pendek;male;Staf;KPR;2010-12-01;active;', // 3 17 digits
      '197001012000011001;Yakobus Lado;male;Staf;KPLP;2000-01-01;active;', // 4 kept by Kupang
      '199001012015032001;Rina Wulandari;female;Staf Pembinaan;Pembinaan;2015-03-01;retired;2024-06-30', // 5 good
      '199201012016041002;Dedi Kurniawan;male;Staf;KPR;2016-04-01;retired;', // 6 retired without left_on
      '198504172010121002;Agus Lagi;male;Staf;KPR;2010-12-01;active;', // 7 repeats line 2
    );
  const seq = await lastSeq();
  const res = await sendCsv(officersUrl, file('Kepala Pengamanan Rutan'));
  t.equal(res.statusCode, 200);
  matchExactly(t, res.json(), {
    dry_run: false,
    total: 6,
    created: 2,
    updated: 0,
    unchanged: 0,
    rejected: [
      { line: 3, key: '19850417201012100', errors: [/^nip: NIP must be 18 digits/] },
      { line: 4, key: '197001012000011001', errors: ['nip: belongs to an officer of another facility'] },
      { line: 6, key: '199201012016041002', errors: [/left_on is required when status is retired/] },
      { line: 7, key: '198504172010121002', errors: [/repeats line 2/] },
    ],
  });
  const officers = () =>
    h.rows(
      `SELECT nip, name, position, unit, status, joined_on::text, left_on::text, version, facility_id
         FROM officers ORDER BY nip`,
    );
  t.same(await officers(), [
    {
      nip: '197001012000011001',
      name: 'Yakobus Lado',
      position: 'Kepala KPLP',
      unit: 'KPLP',
      status: 'active',
      joined_on: '2000-01-01',
      left_on: null,
      version: 1,
      facility_id: fac.kupang,
    },
    {
      nip: '198504172010121002',
      name: 'Agus Prasetyo',
      position: 'Kepala Pengamanan Rutan',
      unit: 'KPR',
      status: 'active',
      joined_on: '2010-12-01',
      left_on: null,
      version: 1,
      facility_id: banjarnegara,
    },
    {
      nip: '199001012015032001',
      name: 'Rina Wulandari',
      position: 'Staf Pembinaan',
      unit: 'Pembinaan',
      status: 'retired',
      joined_on: '2015-03-01',
      left_on: '2024-06-30',
      version: 1,
      facility_id: banjarnegara,
    },
  ]);
  const pseudonyms = await h.rows<{ pseudonym: string }>('SELECT pseudonym FROM officers');
  t.ok(pseudonyms.every((p) => /^PTG-/.test(p.pseudonym)));

  const upsert = await sendCsv(officersUrl, file('Kepala Rutan'));
  t.match(upsert.json(), { created: 0, updated: 1, unchanged: 1 });
  matchExactly(t, await officers(), [
    { nip: '197001012000011001', position: 'Kepala KPLP', facility_id: fac.kupang, version: 1 },
    { nip: '198504172010121002', position: 'Kepala Rutan', version: 2 },
    { nip: '199001012015032001', position: 'Staf Pembinaan', version: 1 },
  ]);

  const events = await eventsSince(seq, 'officer.imported');
  t.same(
    events.map((e) => [e.actor_id, e.facility_id, e.after]),
    [
      [staffId, banjarnegara, { total: 6, created: 2, updated: 0, unchanged: 0, rejected: 4 }],
      [staffId, banjarnegara, { total: 6, created: 0, updated: 1, unchanged: 1, rejected: 4 }],
    ],
  );

  const before = await h.count('officers');
  const atomic = await sendCsv(officersUrl, file('Karutan'), { query: 'atomic=true' });
  t.equal(atomic.statusCode, 422);
  t.same(
    atomic.json().errors.map((e: { pointer: string }) => e.pointer),
    ['/3', '/4', '/6', '/7'],
  );
  const json = await h.call('POST', `${officersUrl}?dry_run=true`, {
    token: await h.login('staff.banjarnegara'),
    body: [
      {
        nip: '200001012022011003',
        name: 'Putu Ayu',
        sex: 'female',
        position: 'Staf',
        unit: 'KPR',
        joined_on: '2022-01-01',
        status: 'active',
      },
      {
        nip: 198504172010,
        name: 'Angka',
        sex: 'male',
        position: 'Staf',
        unit: 'KPR',
        joined_on: '2010-12-01',
        status: 'active',
      },
    ],
  });
  matchExactly(t, json.json(), {
    dry_run: true,
    created: 1,
    rejected: [{ line: 2, key: null, errors: [/^nip:/] }],
  });
  t.equal(await h.count('officers'), before, 'atomic and dry runs write nothing');
  matchExactly(t, await officers(), [{}, { position: 'Kepala Rutan' }, {}]);
});
