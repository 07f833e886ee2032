import { deflateSync } from 'node:zlib';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { SeedResult } from '../db/seed.ts';
import type { SigningKey } from '../http/keys.ts';

/**
 * The living demo: a small Rutan/Lapas world on top of the minimal seed, made through the public API
 * as the demo users would, so every rule of the service holds in it. The service's clock is moved to
 * the day each thing happened; every date is counted back from today, so the demo looks alive
 * whenever it is loaded. The content is the same on every load (a seeded generator).
 */

export interface LivingDemo {
  ms: number;
  inmates: number;
  officers: number;
  urineTests: number;
  followUpCases: number;
  inspections: number;
  certificates: number;
  rehabSessions: number;
  attendanceRecorded: number;
}

// Indonesia keeps no daylight saving time: each zone is a fixed offset.
const OFFSET_HOURS: Record<string, number> = { 'Asia/Jakarta': 7, 'Asia/Makassar': 8, 'Asia/Jayapura': 9 };

/** How many inmates and officers each facility of the seed holds in the demo. */
const PEOPLE: Record<string, { inmates: number; officers: number; prefix: string }> = {
  banjarnegara: { inmates: 24, officers: 8, prefix: 'BNJ' },
  purwokerto: { inmates: 20, officers: 6, prefix: 'PWT' },
  kupang: { inmates: 20, officers: 8, prefix: 'KPG' },
  'lpp.kupang': { inmates: 12, officers: 6, prefix: 'LPK' },
  mataram: { inmates: 16, officers: 5, prefix: 'MTR' },
  pontianak: { inmates: 16, officers: 5, prefix: 'PTK' },
  abepura: { inmates: 12, officers: 4, prefix: 'ABP' },
};

const GIVEN_MALE = [
  'Agus',
  'Budi',
  'Dedi',
  'Eko',
  'Fajar',
  'Hendra',
  'Joko',
  'Rudi',
  'Slamet',
  'Wahyu',
  'Yosef',
  'Imam',
];
const GIVEN_FEMALE = ['Ani', 'Dewi', 'Fitri', 'Maria', 'Rina', 'Sari', 'Wati', 'Yuni', 'Lestari', 'Maya'];
const FAMILY = ['Santoso', 'Prasetyo', 'Wibowo', 'Nenobais', 'Bria', 'Saputra', 'Hidayat', 'Lubis', 'Siregar', 'Ndun'];
const CASE_TYPES = ['narcotics_user', 'narcotics_user', 'narcotics_courier', 'narcotics_dealer', 'non_narcotics'];
const PANEL = ['AMP', 'MET', 'MDMA', 'THC', 'COC', 'MOP'];

/** A 1x1 PNG, built here so that the evidence upload sees a real image. */
export function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 0x2e, 0x7d, 0x32]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** YYYY-MM-DD of an instant in a zone. */
function localDate(at: Date, zone: string): string {
  return new Date(at.getTime() + (OFFSET_HOURS[zone] ?? 7) * 3_600_000).toISOString().slice(0, 10);
}

/** A date `days` from `from` (YYYY-MM-DD). */
function addDays(from: string, days: number): string {
  return new Date(Date.parse(`${from}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The instant of a local date and time in a zone. */
function instant(date: string, time: string, zone: string): Date {
  return new Date(Date.parse(`${date}T${time}:00Z`) - (OFFSET_HOURS[zone] ?? 7) * 3_600_000);
}

export async function loadLivingDemo(deps: {
  config: Config;
  database: Database;
  signingKey: SigningKey;
  password: string;
  world: SeedResult;
  /** The real now; the demo's dates count back from it. */
  today?: Date;
}): Promise<LivingDemo> {
  const startedAt = performance.now();
  const realNow = deps.today ?? new Date();
  let now = realNow;
  const app = await buildApp({
    // The loader is one busy caller: no limits of a shared service, no logs of its own.
    config: {
      ...deps.config,
      LOG_LEVEL: 'silent',
      AUTH_RATE_LIMIT_MAX: 1_000_000,
      API_RATE_LIMIT_MAX: 1_000_000,
      MAX_EVENT_LOOP_DELAY_MS: 0,
    },
    database: deps.database,
    signingKey: deps.signingKey,
    clock: () => now,
  });
  try {
    await app.ready();
    const rng = xoroshiro128plus(20241213);
    const pick = <T>(items: readonly T[]): T => items[uniformInt(rng, 0, items.length - 1)] as T;
    const between = (min: number, max: number) => uniformInt(rng, min, max);
    const fac = deps.world.facilities;
    const org = deps.world.organisations;
    let keys = 0;

    // One sign-in per user (scrypt is slow on purpose); when the clock moves, a refresh gives a token of that
    // day. Refresh tokens expire by the same clock: after a jump past their life, the password again.
    const tokens = new Map<string, { access: string; refresh: string; at: number }>();
    const grant = (payload: Record<string, string>) => app.inject({ method: 'POST', url: '/v1/auth/token', payload });
    async function token(username: string): Promise<string> {
      const held = tokens.get(username);
      if (held?.at === now.getTime()) return held.access;
      const refreshed = held ? await grant({ grant_type: 'refresh_token', refresh_token: held.refresh }) : undefined;
      const res =
        refreshed?.statusCode === 200
          ? refreshed
          : await grant({ grant_type: 'password', username, password: deps.password });
      if (res.statusCode !== 200) throw new Error(`demo login ${username}: ${res.statusCode} ${res.body}`);
      const got = res.json() as { access_token: string; refresh_token: string };
      tokens.set(username, { access: got.access_token, refresh: got.refresh_token, at: now.getTime() });
      return got.access_token;
    }
    // biome-ignore lint/suspicious/noExplicitAny: answers of the API, read by field
    async function call(method: string, url: string, username: string, body?: unknown, headers = {}): Promise<any> {
      const res = await app.inject({
        method: method as 'POST',
        url,
        headers: {
          authorization: `Bearer ${await token(username)}`,
          ...(method === 'GET' ? {} : { 'idempotency-key': `demo-${++keys}` }),
          ...headers,
        },
        ...(body === undefined ? {} : Buffer.isBuffer(body) ? { payload: body } : { payload: body as object }),
      });
      if (res.statusCode >= 300) throw new Error(`demo ${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.body ? res.json() : null;
    }
    const at = (date: string, time: string, zone = 'Asia/Jakarta') => {
      now = instant(date, time, zone);
    };

    const WIB = 'Asia/Jakarta';
    const WITA = 'Asia/Makassar';
    const today = localDate(realNow, WIB);
    const todayWita = localDate(realNow, WITA);
    const summary: LivingDemo = {
      ms: 0,
      inmates: 0,
      officers: 0,
      urineTests: 0,
      followUpCases: 0,
      inspections: 0,
      certificates: 0,
      rehabSessions: 0,
      attendanceRecorded: 0,
    };

    // People, a year back: the registers of every facility, imported as its keepers would.
    at(addDays(today, -1), '08:00');
    const inmates: Record<string, { id: string; case_type: string; registration_number: string | null }[]> = {};
    const officers: Record<string, { id: string }[]> = {};
    let nipSerial = 0;
    for (const [key, people] of Object.entries(PEOPLE)) {
      const facilityId = fac[key] as string;
      const female = key === 'lpp.kupang';
      const year = Number(today.slice(0, 4));
      const register = Array.from({ length: people.inmates }, (_, i) => ({
        registration_number: `${people.prefix}.${String(i + 1).padStart(3, '0')}/${year - 1}`,
        name: `${pick(female ? GIVEN_FEMALE : GIVEN_MALE)} ${pick(FAMILY)}`,
        sex: female ? 'female' : 'male',
        birth_date: `${between(1970, 2003)}-${String(between(1, 12)).padStart(2, '0')}-${String(between(1, 28)).padStart(2, '0')}`,
        // The first four of every facility use drugs: the rehab and urine stories need them.
        case_type: i < 4 ? 'narcotics_user' : pick(CASE_TYPES),
        admission_date: addDays(today, -between(60, 700)),
        expected_release_date: addDays(today, between(120, 1500)),
        block: pick(['A', 'B', 'C']),
        status: pick(['detained', 'sentenced', 'sentenced']),
      }));
      await call('POST', `/v1/facilities/${facilityId}/inmates/import`, 'admin', register);
      const staff = Array.from({ length: people.officers }, (_, i) => {
        const born = `${between(1970, 1998)}${String(between(1, 12)).padStart(2, '0')}${String(between(1, 28)).padStart(2, '0')}`;
        const joined = Number(born.slice(0, 4)) + between(22, 26);
        const sex = female || i % 3 === 2 ? 'female' : 'male';
        return {
          nip: `${born}${joined}${String(between(1, 12)).padStart(2, '0')}${sex === 'male' ? 1 : 2}${String(++nipSerial).padStart(3, '0')}`,
          name: `${pick(sex === 'female' ? GIVEN_FEMALE : GIVEN_MALE)} ${pick(FAMILY)}`,
          sex,
          position: pick(['Petugas Pengamanan', 'Staf Pembinaan', 'Staf Registrasi', 'Petugas Klinik']),
          unit: pick(['KPR', 'Bimker', 'Registrasi', 'Klinik']),
          status: 'active',
          joined_on: `${Math.min(joined, year - 2)}-0${between(1, 9)}-01`,
        };
      });
      await call('POST', `/v1/facilities/${facilityId}/officers/import`, 'admin', staff);
      const listed = await call('GET', `/v1/facilities/${facilityId}/inmates?limit=200`, 'admin');
      inmates[key] = listed.data;
      officers[key] = (await call('GET', `/v1/facilities/${facilityId}/officers?limit=200`, 'admin')).data;
      summary.inmates += people.inmates;
      summary.officers += people.officers;
    }
    const banjarnegara = fac.banjarnegara as string;
    const facilitator = (await call('GET', '/v1/me', 'bnnk.purbalingga')).id as string;
    // The register's order (by id) is not the import's: sort by registration number for a stable cast.
    const held = [...(inmates.banjarnegara ?? [])].sort((a, b) =>
      String(a.registration_number).localeCompare(String(b.registration_number)),
    );

    // A rehab programme under the Banjarnegara MoU: begun five weeks ago, weekly on Tuesday and Thursday.
    const mous = await call('GET', `/v1/mous?facility_id=${banjarnegara}&limit=50`, 'admin');
    const mou = (mous.data as { id: string; number: string }[]).find((m) => m.number === 'PKS/01/XII/2024/BNNK-PBG');
    const programmeStart = addDays(today, -35);
    at(programmeStart, '07:00');
    const programme = await call('POST', '/v1/rehab-programmes', 'bnnk.purbalingga', {
      facility_id: banjarnegara,
      mou_id: mou?.id,
      title: 'Konseling kelompok WBP pengguna',
      modality: 'group_counselling',
      // Two sessions a week for ten weeks: each topic in two parts, so the slots fill the curriculum.
      curriculum: [
        'Pengenalan dan motivasi',
        'Mengenali pemicu',
        'Mengelola keinginan',
        'Keluarga dan dukungan',
        'Keterampilan menolak',
        'Mengelola emosi',
        'Mencegah kambuh',
        'Pekerjaan dan keterampilan',
        'Rencana hidup bersih',
        'Penutupan dan evaluasi',
      ]
        .flatMap((topic) => [`${topic} (1)`, `${topic} (2)`])
        .map((title, i) => ({ number: i + 1, title, duration_minutes: 90 })),
      starts_on: programmeStart,
      ends_on: addDays(today, 35),
      capacity: 12,
      rooms: ['Aula Bimker'],
      facilitators: [{ user_id: facilitator, role: 'lead' }],
    });
    for (const weekday of [2, 4]) {
      await call('POST', `/v1/rehab-programmes/${programme.id}/slots`, 'bnnk.purbalingga', {
        weekday,
        start_time: '09:00',
        duration_minutes: 90,
        room: 'Aula Bimker',
        facilitator_id: facilitator,
      });
    }
    const inRehab = held.filter((i) => i.case_type === 'narcotics_user').slice(0, 6);
    const enrolments: string[] = [];
    for (const inmate of inRehab) {
      const e = await call('POST', `/v1/rehab-programmes/${programme.id}/enrolments`, 'bnnk.purbalingga', {
        inmate_id: inmate.id,
      });
      enrolments.push(e.id);
    }

    // A surprise inspection three weeks ago, signed off; its CCTV action is overdue.
    const sidak = addDays(today, -21);
    at(sidak, '12:00');
    const inspection = await call('POST', `/v1/facilities/${banjarnegara}/inspections`, 'staff.banjarnegara', {
      kind: 'surprise',
      team: [
        { name: 'Karutan Banjarnegara', agency: 'facility', role: 'ketua' },
        { name: 'Tim BNNK Purbalingga', agency: 'bnn' },
      ],
      started_at: `${sidak}T09:00:00`,
      ended_at: `${sidak}T11:30:00`,
      areas: [{ kind: 'block', name: 'A' }, { kind: 'block', name: 'B' }, { kind: 'kitchen' }],
      inmates_searched: 96,
      officers_searched: 8,
      summary: 'Penggeledahan blok hunian A dan B serta dapur bersama tim BNNK Purbalingga.',
    });
    const phone = await call('POST', `/v1/inspections/${inspection.id}/findings`, 'staff.banjarnegara', {
      category: 'mobile_phone',
      description: 'Dua telepon genggam di dalam bantal',
      quantity: 2,
      unit: 'pieces',
      location: 'Blok A kamar 3',
      people: [{ type: 'inmate', id: held[10]?.id }],
    });
    await call('POST', `/v1/inspections/${inspection.id}/findings`, 'staff.banjarnegara', {
      category: 'sharp_object',
      description: 'Sendok yang diasah',
      quantity: 1,
      unit: 'pieces',
      location: 'Blok B kamar 1',
    });
    const boundary = 'bersinar-demo-boundary';
    const part = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    await call(
      'POST',
      `/v1/inspections/${inspection.id}/findings/${phone.id}/evidence`,
      'staff.banjarnegara',
      Buffer.concat([
        Buffer.from(part('kind', 'photo') + part('description', 'Foto telepon genggam di lokasi temuan')),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="temuan.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        tinyPng(),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
      { 'content-type': `multipart/form-data; boundary=${boundary}` },
    );
    await call('POST', `/v1/inspections/${inspection.id}/actions`, 'staff.banjarnegara', {
      description: 'Pasang kamera CCTV di blok A',
      due_date: addDays(today, -7),
    });
    await call('POST', `/v1/inspections/${inspection.id}/actions`, 'staff.banjarnegara', {
      description: 'Ganti kunci kamar blok B',
      due_date: addDays(today, 30),
    });
    await call('POST', `/v1/inspections/${inspection.id}/submit`, 'staff.banjarnegara');
    at(addDays(sidak, 1), '10:00');
    await call('POST', `/v1/inspections/${inspection.id}/sign-off`, 'head.banjarnegara');

    // A urine round six days ago: negatives, a positive left presumptive, one confirmed, and a refusal.
    const tested = addDays(today, -6);
    at(tested, '13:00');
    const round = await call('POST', `/v1/facilities/${banjarnegara}/urine-test-rounds`, 'staff.banjarnegara', {
      tested_on: tested,
      reason: 'random',
      subjects: 'inmates',
      kit: { brand: 'Rapid 6 Panel', lot: 'L-DEMO-01', expiry: addDays(today, 400), panel: PANEL },
    });
    const negatives = PANEL.map((c) => ({ class: c, result: 'negative' }));
    const withPositive = (cls: string, value: number) =>
      negatives.map((r) => (r.class === cls ? { class: cls, result: 'positive', value_ng_ml: value } : r));
    const testedInmates = held.slice(0, 10);
    const results = testedInmates.map((inmate, i) => ({
      subject_type: 'inmate',
      subject_id: inmate.id,
      specimen_id: `BNJ-${tested.replaceAll('-', '')}-${String(i + 1).padStart(2, '0')}`,
      collected_at: `${tested}T09:${String(10 + i * 3).padStart(2, '0')}:00`,
      ...(i === 9
        ? { refused: true, results: [] }
        : {
            temperature_c: (330 + between(0, 40)) / 10,
            results: i === 7 ? withPositive('MET', 900) : i === 8 ? withPositive('THC', 80) : negatives,
          }),
    }));
    const recorded = await call('POST', `/v1/urine-test-rounds/${round.id}/results`, 'staff.banjarnegara', {
      results,
    });
    summary.urineTests = recorded.data.length;
    at(addDays(tested, 3), '10:00');
    await call('POST', `/v1/urine-tests/${recorded.data[7].id}/confirmation`, 'staff.banjarnegara', {
      class: 'MET',
      value_ng_ml: 640,
      method: 'GC-MS',
      lab: 'Laboratorium Uji Narkoba BNN',
    });

    // Rehab attendance for every session held so far; the one confirmed positive is enrolled too.
    // At the real now, whatever the hour: a session counts as held once it has ended.
    now = realNow;
    const confirmedInmate = testedInmates[7]?.id as string;
    if (!inRehab.some((i) => i.id === confirmedInmate)) {
      await call('POST', `/v1/rehab-programmes/${programme.id}/enrolments`, 'bnnk.purbalingga', {
        inmate_id: confirmedInmate,
        status: 'awaiting',
      });
    }
    const sessions = await call('GET', `/v1/rehab-programmes/${programme.id}/sessions?limit=200`, 'admin');
    summary.rehabSessions = sessions.data.length;
    for (const session of sessions.data as { id: string; starts_at: string; status: string }[]) {
      if (Date.parse(session.starts_at) + 90 * 60_000 > realNow.getTime() || session.status !== 'scheduled') continue;
      const records = enrolments.map((enrolment_id, i) => {
        const roll = between(0, 9);
        if (roll < 7 || i === 0) return { enrolment_id, status: 'attended' };
        if (roll === 7) return { enrolment_id, status: 'late' };
        if (roll === 8) return { enrolment_id, status: 'absent', reason: 'sick' };
        return { enrolment_id, status: 'absent', reason: 'court' };
      });
      await call(
        'PUT',
        `/v1/rehab-sessions/${session.id}/attendance`,
        'bnnk.purbalingga',
        { records },
        {
          'if-match': '"0"',
        },
      );
      summary.attendanceRecorded++;
    }

    // A draft inspection begun yesterday, still being written.
    at(addDays(today, -1), '14:00');
    await call('POST', `/v1/facilities/${banjarnegara}/inspections`, 'staff.banjarnegara', {
      kind: 'scheduled',
      team: [{ name: 'Regu Pengamanan II', agency: 'facility', role: 'ketua' }],
      started_at: `${addDays(today, -1)}T08:00:00`,
      ended_at: `${addDays(today, -1)}T09:30:00`,
      areas: [{ kind: 'block', name: 'C' }],
      inmates_searched: 40,
      officers_searched: 0,
      summary: 'Pemeriksaan rutin blok C.',
    });
    summary.inspections = 2;

    // Kupang (WITA): officer training a month ago with certificates, a campaign, a rakor, KOTAN.
    const kupang = fac.kupang as string;
    const lppKupang = fac['lpp.kupang'] as string;
    const trainingStart = addDays(todayWita, -30);
    at(addDays(trainingStart, -10), '09:00', WITA);
    const training = await call('POST', '/v1/trainings', 'bnnp.ntt', {
      title: 'Deteksi dini peredaran narkoba bagi petugas pemasyarakatan',
      topic: 'early_detection',
      organiser_type: 'bnn_unit',
      organiser_id: org['bnnp.ntt'],
      starts_on: trainingStart,
      ends_on: addDays(trainingStart, 2),
      hours: 24,
      venue: 'Aula Lapas Kelas IIA Kupang',
      mode: 'in_person',
      facility_ids: [kupang, lppKupang],
      trainers: ['dr. Maria Nenobais'],
      capacity: 30,
      pass_mark: 70,
    });
    const trainees = [...(officers.kupang ?? []).slice(0, 5), ...(officers['lpp.kupang'] ?? []).slice(0, 3)];
    const enrolled = await call('POST', `/v1/trainings/${training.id}/participants`, 'bnnp.ntt', {
      officer_ids: trainees.map((o) => o.id),
    });
    at(addDays(trainingStart, 3), '10:00', WITA);
    const days = [trainingStart, addDays(trainingStart, 1), addDays(trainingStart, 2)];
    for (const [i, p] of (enrolled.data as { id: string; version: number }[]).entries()) {
      const post = i % 4 === 3 ? between(50, 69) : between(72, 95);
      const updated = await call(
        'PATCH',
        `/v1/trainings/${training.id}/participants/${p.id}`,
        'bnnp.ntt',
        {
          attended_days: i % 4 === 3 ? days.slice(0, 2) : days,
          pre_test_score: between(35, 60),
          post_test_score: post,
        },
        { 'if-match': `"${p.version}"` },
      );
      if (updated.passed) {
        await call('POST', `/v1/trainings/${training.id}/participants/${p.id}/certificate`, 'bnnp.ntt');
        summary.certificates++;
      }
    }

    at(addDays(todayWita, -14), '15:00', WITA);
    await call('POST', '/v1/campaigns', 'bnnp.ntt', {
      kind: 'joint_campaign',
      topic: 'Bahaya narkoba bagi warga binaan',
      held_on: addDays(todayWita, -14),
      province_code: '53',
      regency: 'Kota Kupang',
      venue: 'Aula Lapas Kelas IIA Kupang',
      facility_id: kupang,
      audience_kind: 'inmates',
      audience_count: 180,
      organiser_ids: [org['bnnp.ntt']],
      notes: 'Bersama Kanwil NTT',
    });

    // Lapas Kupang tests its officers: a round two weeks ago, every one negative.
    const officersTested = addDays(todayWita, -15);
    at(officersTested, '14:00', WITA);
    const kupangRound = await call('POST', `/v1/facilities/${kupang}/urine-test-rounds`, 'staff.kupang', {
      tested_on: officersTested,
      reason: 'random',
      subjects: 'officers',
      kit: { brand: 'Rapid 6 Panel', lot: 'L-DEMO-02', expiry: addDays(todayWita, 400), panel: PANEL },
    });
    const kupangResults = await call('POST', `/v1/urine-test-rounds/${kupangRound.id}/results`, 'staff.kupang', {
      results: (officers.kupang ?? []).map((o, i) => ({
        subject_type: 'officer',
        subject_id: o.id,
        specimen_id: `KPG-${officersTested.replaceAll('-', '')}-${String(i + 1).padStart(2, '0')}`,
        collected_at: `${officersTested}T08:${String(5 + i * 4).padStart(2, '0')}:00`,
        temperature_c: (330 + between(0, 40)) / 10,
        results: negatives,
      })),
    });
    summary.urineTests += kupangResults.data.length;

    const rakorOn = addDays(todayWita, -20);
    at(rakorOn, '16:00', WITA);
    const meeting = await call('POST', '/v1/coordination-meetings', 'bnnp.ntt', {
      organiser_id: org['bnnp.ntt'],
      title: 'Rakor P4GN Provinsi NTT',
      held_on: rakorOn,
      province_code: '53',
      venue: 'Kantor BNNP NTT, Kupang',
      agenda: 'Hasil tes urine dan sidak di lapas; rencana aksi per instansi',
      minutes: 'Disepakati rencana aksi per instansi; tindak lanjut dipantau BNNP.',
      participant_ids: [org['kanwil.ntt'], org['bnnk.kupang']],
    });
    await call('POST', `/v1/coordination-meetings/${meeting.id}/action-items`, 'bnnp.ntt', {
      owner_id: org['kanwil.ntt'],
      description: 'Menjadwalkan tes urine acak di setiap lapas dan rutan NTT',
      due_on: addDays(todayWita, 25),
    });
    await call('POST', `/v1/coordination-meetings/${meeting.id}/action-items`, 'bnnp.ntt', {
      owner_id: org['bnnk.kupang'],
      description: 'Menyusun peta kawasan rawan narkoba Kota Kupang',
      due_on: addDays(todayWita, -5),
    });

    const assessedOn = addDays(todayWita, -10);
    at(assessedOn, '11:00', WITA);
    const indicator = () => between(40, 85);
    await call('POST', '/v1/kotan-assessments', 'bnnp.ntt', {
      province_code: '53',
      regency: 'Kota Kupang',
      year: Number(assessedOn.slice(0, 4)),
      assessor_name: 'Yohanes Bria',
      assessed_on: assessedOn,
      scores: {
        family_resilience: {
          family_drug_awareness: indicator(),
          parenting_programmes: indicator(),
          family_early_detection: indicator(),
        },
        community_resilience: {
          anti_drug_volunteers: indicator(),
          community_prevention_activities: indicator(),
          drug_free_villages: indicator(),
        },
        territory: {
          vulnerable_areas_mapped: indicator(),
          vulnerable_areas_intervened: indicator(),
          prevalence_trend: indicator(),
        },
        institutions: {
          p4gn_regulation: indicator(),
          p4gn_budget: indicator(),
          p4gn_team: indicator(),
          rehabilitation_services: indicator(),
        },
        law: { case_handling: indicator(), integrated_assessment: indicator(), enforcement_cooperation: indicator() },
      },
      evidence_notes: 'Perwali P4GN Kota Kupang',
    });

    summary.followUpCases = (
      await call('GET', `/v1/follow-up-cases?facility_id=${banjarnegara}&limit=50`, 'admin')
    ).data.length;
    summary.ms = Math.round(performance.now() - startedAt);
    return summary;
  } finally {
    await app.close();
  }
}
