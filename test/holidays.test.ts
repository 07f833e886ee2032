import { Writable } from 'node:stream';
import pino from 'pino';
import t from 'tap';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { addWorkingDays, holidayCalendar } from '../src/core/calendar/holidays.ts';
import { INDONESIA_HOLIDAYS } from '../src/core/calendar/holidays-id.ts';
import { loadSigningKey } from '../src/http/keys.ts';
import { openUnconfirmedCases, recountProvisionalDueDates } from '../src/modules/urine/cases.ts';
import { build, type Harness } from './helpers/app.ts';
import { matchExactly } from './helpers/match.ts';

// The holiday calendar: the decrees shipped for 2025 and 2026 (national holidays and cuti bersama),
// NATIONAL_HOLIDAYS laid over them year by year, due dates past the calendar marked provisional
// (never refused) and counted again once covered, and the warning when the calendar runs out.
// No 2027 decree is shipped, so every count into 2027 is provisional unless a test names 2027.
let now = new Date('2026-12-02T02:00:00Z');
const h = await build(t, { ASSESSMENT_WORKING_DAYS: '14' }, { clock: () => now });
// The same service with NATIONAL_HOLIDAYS naming 2026 (without the decree's 24 December cuti
// bersama) and 2027 (this test's own list, not a decree).
const OVERRIDE = '2026-12-25,2027-01-01';
let now2 = now;
const h2 = await build(t, { ASSESSMENT_WORKING_DAYS: '14', NATIONAL_HOLIDAYS: OVERRIDE }, { clock: () => now2 });

/** 01:30 WIB on a local day: still the day before in UTC. */
const at = (day: string) => new Date(`${day}T01:30:00+07:00`);

let serial = 0;
async function ok(s: Harness, method: string, url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await s.call(method, url, { token: await s.login('staff.banjarnegara'), body, headers });
  if (res.statusCode !== 201) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** A test recorded on `day` (collected 00:15 WIB) for a new inmate of Banjarnegara. */
async function recordOn(s: Harness, day: string, over: Record<string, unknown>) {
  const facility = s.world.facilities.banjarnegara as string;
  const inmate = await ok(s, 'POST', `/v1/facilities/${facility}/inmates`, {
    registration_number: `HL.${++serial}/2026`,
    name: `Warga Binaan Libur ${serial}`,
    sex: 'male',
    birth_date: '1990-01-01',
    case_type: 'narcotics_user',
    admission_date: '2025-02-03',
    block: 'B',
    status: 'sentenced',
  });
  const round = await ok(s, 'POST', `/v1/facilities/${facility}/urine-test-rounds`, {
    tested_on: day,
    reason: 'random',
    subjects: 'inmates',
    kit: { brand: 'Rapid 3 Panel', lot: `L-${serial}`, expiry: '2028-12-31', panel: ['AMP', 'MET', 'THC'] },
  });
  const results = ['AMP', 'MET', 'THC'].map((c) => ({ class: c, result: 'negative' }));
  const recorded = await ok(
    s,
    'POST',
    `/v1/urine-test-rounds/${round.id}/results`,
    {
      subject_type: 'inmate',
      subject_id: inmate.id,
      specimen_id: `SPC-HL-${serial}`,
      collected_at: `${day}T00:15:00`,
      temperature_c: 34.2,
      results,
      ...over,
    },
    { 'idempotency-key': `holidays-${serial}` },
  );
  return recorded.data[0].id as string;
}

/** A refusal on `day` opens its case at once; the case as the API answers it. */
async function refusalCase(s: Harness, day: string) {
  const testId = await recordOn(s, day, { refused: true, results: [], temperature_c: undefined });
  const [row] = await s.rows<{ id: string }>('SELECT id FROM follow_up_cases WHERE test_id = $1', [testId]);
  const res = await s.call('GET', `/v1/follow-up-cases/${row?.id}`, { token: await s.login('staff.banjarnegara') });
  if (res.statusCode !== 200) throw new Error(`case: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; opened_on: string; assessment_due: string; assessment_due_provisional: boolean };
}

t.test('the shipped decrees: 2025 and 2026, national holidays and cuti bersama', async (t) => {
  t.same(
    INDONESIA_HOLIDAYS.map((y) => [y.year, y.nationalHolidays.length, y.collectiveLeave.length]),
    [
      [2025, 17, 11],
      [2026, 17, 8],
    ],
    '2025: 17 + 10 + 18 August (amendment); 2026: 17 + 8',
  );
  for (const y of INDONESIA_HOLIDAYS) {
    const days = [...y.nationalHolidays, ...y.collectiveLeave].map((d) => d.date);
    t.equal(new Set(days).size, days.length, `${y.year}: no day twice`);
    t.ok(
      days.every((d) => d.startsWith(`${y.year}-`) && !Number.isNaN(Date.parse(d))),
      `${y.year}: real dates of its year`,
    );
    t.match(y.decree, /^SKB No\. \d+ Tahun \d{4}/, `${y.year} names its decree`);
  }
  const calendar = holidayCalendar();
  t.same(calendar.years, [2025, 2026]);
  t.notOk(calendar.covers(2027), 'no 2027 decree shipped');
  // Collective leave is a day off like a holiday.
  t.ok(calendar.isDayOff('2026-03-18'), 'cuti bersama Nyepi 2026');
  t.ok(calendar.isDayOff('2026-01-16'), 'Isra Mikraj 2026 (missing from the old setting)');
  t.ok(calendar.isDayOff('2025-08-18'), 'the amendment’s cuti bersama of 18 August 2025');
  t.notOk(calendar.isDayOff('2026-03-25'), 'an ordinary Wednesday');
  t.same(addWorkingDays('2025-08-15', 1, calendar), { date: '2025-08-19', provisional: false }, 'Fri + 1 over 18 Aug');
});

t.test('a due date skips the national holidays and cuti bersama of Idulfitri 2026', async (t) => {
  now = at('2026-03-17');
  const c = await refusalCase(h, '2026-03-17');
  // Wed 18 cuti, Thu 19 Nyepi, Fri 20 cuti, weekend (Idulfitri), Mon 23 and Tue 24 cuti; then
  // 25, 26, 27, 30, 31 March, 1, 2 April; Fri 3 April Wafat Yesus Kristus; 6-10 April, 13, 14 April.
  t.equal(c.opened_on, '2026-03-17');
  t.equal(c.assessment_due, '2026-04-14');
  t.equal(c.assessment_due_provisional, false);
});

t.test('past the calendar: a due date across New Year 2027 is provisional, never refused', async (t) => {
  now = at('2026-12-21');
  const c = await refusalCase(h, '2026-12-21');
  // 22, 23 Dec; 24 cuti bersama, 25 Natal; 28-31 Dec; 1 Jan 2027 counted (no decree known), 4-8, 11, 12 Jan.
  t.same([c.opened_on, c.assessment_due, c.assessment_due_provisional], ['2026-12-21', '2027-01-12', true]);
  const [stored] = await h.rows<{ due: string; provisional: boolean }>(
    'SELECT assessment_due::text AS due, assessment_due_provisional AS provisional FROM follow_up_cases WHERE id = $1',
    [c.id],
  );
  t.same(stored, { due: '2027-01-12', provisional: true }, 'stored as provisional');
  const listed = await h.call('GET', '/v1/follow-up-cases?limit=200', { token: await h.login('staff.banjarnegara') });
  t.equal(
    listed.json().data.find((x: { id: string }) => x.id === c.id)?.assessment_due_provisional,
    true,
    'in the list too',
  );

  // A count that ends before the calendar does is not provisional.
  now = at('2026-12-02');
  const inYear = await refusalCase(h, '2026-12-02');
  t.same([inYear.assessment_due, inYear.assessment_due_provisional], ['2026-12-22', false]);

  // The hourly sweep: a presumptive positive of Friday 4 December, unconfirmed, opens on Saturday the 19th.
  now = at('2026-12-04');
  const positive = await recordOn(h, '2026-12-04', {
    results: [
      { class: 'AMP', result: 'negative' },
      { class: 'MET', result: 'positive' },
      { class: 'THC', result: 'negative' },
    ],
  });
  const rules = { workingDays: 14, calendar: holidayCalendar() };
  t.equal(await openUnconfirmedCases(h.test.database.db, new Date('2026-12-18T17:16:00Z'), 14, rules), 1);
  const [swept] = await h.rows(
    `SELECT opened_on::text, assessment_due::text, assessment_due_provisional FROM follow_up_cases WHERE test_id = $1`,
    [positive],
  );
  // 21-23 Dec; 24, 25 off; 28-31 Dec; 1 Jan counted; 4-8, 11 Jan.
  t.same(swept, { opened_on: '2026-12-19', assessment_due: '2027-01-11', assessment_due_provisional: true });

  t.test('counted again once the year is covered', async (t) => {
    const db = h.test.database.db;
    t.equal(await recountProvisionalDueDates(db, now, rules), 0, 'still no 2027: left as it is');
    const covered = { workingDays: 14, calendar: holidayCalendar(['2027-01-01']) };
    t.equal(await recountProvisionalDueDates(db, now, covered), 2, 'both provisional cases');
    const [row] = await h.rows(
      `SELECT assessment_due::text, assessment_due_provisional, version FROM follow_up_cases WHERE id = $1`,
      [c.id],
    );
    t.same(row, { assessment_due: '2027-01-13', assessment_due_provisional: false, version: 2 }, '1 January skipped');
    const audits = await h.rows(
      `SELECT actor_type, before->>'assessmentDue' AS before, after->>'assessmentDue' AS after FROM audit_events
        WHERE action = 'follow_up.due_recounted' AND entity_id = $1`,
      [c.id],
    );
    t.same(audits, [{ actor_type: 'system', before: '2027-01-12', after: '2027-01-13' }], 'audited');
    t.equal(await recountProvisionalDueDates(db, now, covered), 0, 'nothing left to count');
  });
});

t.test('NATIONAL_HOLIDAYS replaces the years it names and keeps the others', async (t) => {
  const calendar = holidayCalendar(OVERRIDE.split(','));
  t.same(calendar.years, [2025, 2026, 2027]);
  t.notOk(calendar.isDayOff('2026-12-24'), 'the decree’s 24 December 2026 is gone with its year');
  t.notOk(calendar.isDayOff('2026-03-18'), 'as is the rest of the decree’s 2026');
  t.ok(calendar.isDayOff('2026-12-25'));
  t.ok(calendar.isDayOff('2025-08-18'), '2025 is not named: the decree stays');
  t.ok(calendar.isDayOff('2027-01-01'), '2027 comes from the setting');

  now2 = at('2026-12-21');
  const c = await refusalCase(h2, '2026-12-21');
  // 22-24 Dec; 25 off; 28-31 Dec; 1 Jan off; 4-8, 11, 12 Jan.
  t.same([c.assessment_due, c.assessment_due_provisional], ['2027-01-12', false]);
});

t.test('/health/ready warns, still 200, when the calendar ends within 90 days', async (t) => {
  const ready = async (s: Harness) => {
    const res = await s.call('GET', '/health/ready');
    t.equal(res.statusCode, 200);
    return res.json();
  };
  now = new Date('2026-10-15T03:00:00Z');
  t.same(await ready(h), {
    status: 'ok',
    warnings: [
      {
        code: 'holiday_calendar_ending',
        covered_until: '2026-12-31',
        days_left: 77,
        detail:
          "The holiday calendar ends on 2026-12-31 (77 days): due dates after it are provisional. Add 2027's national holidays and collective leave to NATIONAL_HOLIDAYS once its decree is out.",
      },
    ],
  });
  now = new Date('2026-10-02T03:00:00Z');
  matchExactly(t, (await ready(h)).warnings, [{ days_left: 90 }], '90 days: warned');
  now = new Date('2026-10-01T03:00:00Z');
  t.same(await ready(h), { status: 'ok' }, '91 days: quiet');
  now = new Date('2026-09-01T03:00:00Z');
  t.same(await ready(h), { status: 'ok' });
  now = new Date('2027-02-01T03:00:00Z');
  matchExactly(t, (await ready(h)).warnings, [{ covered_until: null, days_left: 0 }], 'today itself not covered');
  now2 = new Date('2026-12-02T03:00:00Z');
  t.same(await ready(h2), { status: 'ok' }, 'with 2027 named, quiet on 2 December 2026');
  now = new Date('2026-12-02T03:00:00Z');
  matchExactly(
    t,
    (await ready(h)).warnings,
    [{ covered_until: '2026-12-31', days_left: 29 }],
    'without it, 29 days left',
  );
});

t.test('start-up logs the warning once', async (t) => {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const start = async (env: Record<string, string>) => {
    const app = await buildApp({
      config: loadConfig({ NODE_ENV: 'test', MAX_EVENT_LOOP_DELAY_MS: '0', ...env }),
      database: h.test.database,
      signingKey: loadSigningKey({ log: () => undefined }),
      clock: () => new Date('2026-12-02T03:00:00Z'),
      logger: pino({ level: 'warn' }, sink),
    });
    await app.ready();
    await app.close();
  };
  await start({});
  const warned = lines.filter((l) => l.msg.startsWith('The holiday calendar ends'));
  t.same(
    warned.map((l) => [l.level, l.msg]),
    [
      [
        40,
        "The holiday calendar ends on 2026-12-31 (29 days): due dates after it are provisional. Add 2027's national holidays and collective leave to NATIONAL_HOLIDAYS once its decree is out.",
      ],
    ],
  );
  lines.length = 0;
  await start({ NATIONAL_HOLIDAYS: OVERRIDE });
  t.same(
    lines.filter((l) => l.msg.startsWith('The holiday calendar')),
    [],
    'quiet when the next year is known',
  );
});
