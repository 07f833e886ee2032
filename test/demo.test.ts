import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig } from '../src/config.ts';
import { loadLivingDemo } from '../src/demo/living.ts';
import { loadSigningKey } from '../src/http/keys.ts';
import { build, PASSWORD as PASSWORD_OF_HARNESS } from './helpers/app.ts';
import { matchExactly } from './helpers/match.ts';

// The living demo (issue 16): `npm start` on an empty data folder, then what a newcomer finds there,
// read through HTTP with the demo logins. The embedded database's start is slow: a long timeout.
t.setTimeout(300_000);
const dataDir = mkdtempSync(join(tmpdir(), 'bersinar-demo-'));
const PASSWORD = 'demo-test-pass';
const root = new URL('..', import.meta.url).pathname;

const lines: Record<string, unknown>[] = [];
const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  cwd: root,
  env: {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO_PASSWORD: PASSWORD,
    DATABASE_URL: '',
    SEED_DEMO: '',
    LOG_LEVEL: 'info',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
t.teardown(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const base = await new Promise<string>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`not ready in 240 s: ${JSON.stringify(lines)}`)), 240_000);
  let address = '';
  let buffer = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(String(entry.msg));
        if (m?.[1]) address = m[1];
        if (entry.msg === 'ready') {
          clearTimeout(timer);
          resolve(address);
        }
      } catch {
        // not a log line
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.on('exit', (code) => {
    clearTimeout(timer);
    reject(new Error(`exited ${code} before ready: ${stderr} ${JSON.stringify(lines)}`));
  });
});

const tokens = new Map<string, string>();
async function login(username: string): Promise<string> {
  const cached = tokens.get(username);
  if (cached) return cached;
  const res = await fetch(`${base}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  const token = ((await res.json()) as { access_token: string }).access_token;
  tokens.set(username, token);
  return token;
}
// biome-ignore lint/suspicious/noExplicitAny: answers read by field
async function get(path: string, username = 'admin'): Promise<any> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${await login(username)}` } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}
const count = <T>(items: T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>((acc, item) => {
    acc[key(item)] = (acc[key(item)] ?? 0) + 1;
    return acc;
  }, {});

const facilities = Object.fromEntries(
  ((await get('/v1/facilities?limit=50')).data as { id: string; name: string }[]).map((f) => [f.name, f.id]),
);
const banjarnegara = facilities['Rutan Kelas IIB Banjarnegara'] as string;
const kupang = facilities['Lapas Kelas IIA Kupang'] as string;

t.test('the load is logged with what it made and how long it took', async (t) => {
  const loaded = lines.find((l) => l.msg === 'living demo loaded');
  t.ok(loaded, 'logged once the demo is in');
  t.match(loaded, {
    inmates: 120,
    officers: 42,
    urineTests: 18,
    followUpCases: 2,
    inspections: 2,
    certificates: 6,
  });
  t.type(loaded?.ms, 'number');
  t.ok((loaded?.ms as number) > 0, 'the load time');
  t.comment(`living demo loaded in ${loaded?.ms} ms; ready ${lines.find((l) => l.msg === 'ready')?.ms} ms`);
  t.ok(
    lines.findIndex((l) => l.msg === 'demo data loaded; demo logins') <
      lines.indexOf(loaded as Record<string, unknown>),
    'after the minimal seed',
  );
});

t.test('every facility has inmates and officers', async (t) => {
  const expected: Record<string, [number, number]> = {
    'Rutan Kelas IIB Banjarnegara': [24, 8],
    'Lapas Kelas IIA Purwokerto': [20, 6],
    'Lapas Kelas IIA Kupang': [20, 8],
    'Lapas Perempuan Kelas III Kupang': [12, 6],
    'Lapas Kelas IIA Mataram': [16, 5],
    'Lapas Kelas IIA Pontianak': [16, 5],
    'Lapas Kelas IIA Abepura': [12, 4],
  };
  const found: Record<string, [number, number]> = {};
  for (const [name, id] of Object.entries(facilities)) {
    const inmates = (await get(`/v1/facilities/${id}/inmates?limit=200`)).data.length;
    const officers = (await get(`/v1/facilities/${id}/officers?limit=200`)).data.length;
    found[name] = [inmates, officers];
  }
  t.same(found, expected);
  const women = (await get(`/v1/facilities/${facilities['Lapas Perempuan Kelas III Kupang']}/inmates?limit=200`)).data;
  t.same(
    count(women, (i: { sex: string }) => i.sex),
    { female: 12 },
    'the women’s prison holds women',
  );
  const own = await get(`/v1/facilities/${banjarnegara}/inmates?limit=200`, 'staff.banjarnegara');
  t.equal(own.data.length, 24, 'the facility staff see their register');
});

t.test('a past urine round: negatives, a presumptive, a confirmed positive, a refusal, and its cases', async (t) => {
  const rounds = (await get(`/v1/facilities/${banjarnegara}/urine-test-rounds`, 'staff.banjarnegara')).data;
  t.equal(rounds.length, 1);
  const round = rounds[0];
  const tests = (await get(`/v1/urine-tests?round_id=${round.id}&limit=50`, 'staff.banjarnegara')).data as {
    id: string;
    outcome: string;
    confirmation: string | null;
    subject_id: string;
  }[];
  t.same(
    count(tests, (x) => x.outcome),
    { negative: 7, presumptive_positive: 2, refused: 1 },
  );
  const positives = tests.filter((x) => x.outcome === 'presumptive_positive');
  t.same(positives.map((x) => x.confirmation).sort(), ['confirmed_positive', 'pending']);
  t.ok(round.tested_on < new Date().toISOString().slice(0, 10), 'in the past');
  const officers = (await get(`/v1/urine-tests?facility_id=${kupang}&limit=50`, 'staff.kupang')).data;
  t.same(
    count(officers, (x: { subject_type: string; outcome: string }) => `${x.subject_type} ${x.outcome}`),
    { 'officer negative': 8 },
    'Lapas Kupang tested its officers',
  );

  const cases = (await get(`/v1/follow-up-cases?facility_id=${banjarnegara}`, 'staff.banjarnegara')).data as {
    test_id: string;
    trigger: string;
    status: string;
    kind: string;
  }[];
  const confirmed = positives.find((x) => x.confirmation === 'confirmed_positive');
  const refused = tests.find((x) => x.outcome === 'refused');
  t.same(
    cases.map((c) => [c.test_id, c.trigger, c.kind, c.status]).sort(),
    [
      [confirmed?.id, 'confirmed_positive', 'assessment', 'awaiting_assessment'],
      [refused?.id, 'refused', 'assessment', 'awaiting_assessment'],
    ].sort(),
    'the confirmed positive and the refusal opened cases; the pending one has none yet',
  );
});

t.test('a signed-off sidak with findings, a photo and an overdue action; a draft', async (t) => {
  const list = (await get(`/v1/facilities/${banjarnegara}/inspections`, 'head.banjarnegara')).data as {
    id: string;
    kind: string;
    status: string;
  }[];
  t.same(list.map((i) => [i.kind, i.status]).sort(), [
    ['scheduled', 'draft'],
    ['surprise', 'signed_off'],
  ]);
  const signed = await get(`/v1/inspections/${list.find((i) => i.status === 'signed_off')?.id}`, 'head.banjarnegara');
  t.same(signed.findings.map((f: { category: string }) => f.category).sort(), ['mobile_phone', 'sharp_object']);
  const evidence = signed.findings.flatMap((f: { evidence: unknown[] }) => f.evidence);
  t.equal(evidence.length, 1);
  t.match(evidence[0], { kind: 'photo', file: { media_type: 'image/png', name: 'temuan.png' } });
  const photo = await fetch(`${base}${evidence[0].file.url}`, {
    headers: { authorization: `Bearer ${await login('head.banjarnegara')}` },
  });
  t.equal(photo.status, 200, 'the photo is served');
  const bytes = Buffer.from(await photo.arrayBuffer());
  t.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'a PNG');
  t.equal(signed.actions.length, 2);
  const overdue = (await get(`/v1/corrective-actions?facility_id=${banjarnegara}&overdue=true`)).data;
  t.same(
    overdue.map((a: { description: string; status: string }) => [a.description, a.status]),
    [['Pasang kamera CCTV di blok A', 'overdue']],
  );
});

t.test('a training with participants and certificates', async (t) => {
  const trainings = (await get('/v1/trainings', 'bnnp.ntt')).data;
  t.equal(trainings.length, 1);
  const participants = (await get(`/v1/trainings/${trainings[0].id}/participants?limit=50`, 'bnnp.ntt')).data as {
    passed: boolean;
    certificate_number: string | null;
  }[];
  t.equal(participants.length, 8);
  const certified = participants.filter((p) => p.certificate_number);
  t.equal(certified.length, 6);
  t.ok(
    certified.every((p) => p.passed && /^BERSINAR\/PLT\/\d{4}\/\d+$/.test(p.certificate_number as string)),
    'numbered certificates, to those who passed',
  );
  t.equal(participants.filter((p) => !p.passed).length, 2, 'two did not pass');
});

t.test('a rehab programme under the Banjarnegara MoU with sessions, enrolments and attendance', async (t) => {
  const programmes = (await get('/v1/rehab-programmes', 'bnnk.purbalingga')).data;
  t.equal(programmes.length, 1);
  const p = programmes[0];
  t.equal(p.facility_id, banjarnegara);
  const enrolments = (await get(`/v1/rehab-programmes/${p.id}/enrolments`, 'bnnk.purbalingga')).data;
  t.same(
    count(enrolments, (e: { status: string }) => e.status),
    { active: 6, awaiting: 1 },
  );
  const sessions = (await get(`/v1/rehab-programmes/${p.id}/sessions?limit=200`, 'bnnk.purbalingga')).data as {
    id: string;
    ends_at: string;
  }[];
  const past = sessions.filter((s) => Date.parse(s.ends_at) < Date.now());
  const coming = sessions.filter((s) => Date.parse(s.ends_at) >= Date.now());
  // Two a week for five weeks either side of today, fewer when holidays fall on them.
  t.ok(past.length >= 5, `sessions held (${past.length})`);
  t.ok(coming.length >= 5, `sessions to come (${coming.length})`);
  for (const s of past) {
    const attendance = await get(`/v1/rehab-sessions/${s.id}/attendance`, 'bnnk.purbalingga');
    t.equal(attendance.records.filter((r: { status: string | null }) => r.status !== null).length, 6, s.ends_at);
  }
});

t.test('beyond the walls: a campaign, a rakor with action items, a KOTAN assessment', async (t) => {
  const campaigns = (await get(`/v1/campaigns?facility_id=${kupang}`, 'kanwil.ntt')).data;
  matchExactly(t, campaigns, [{ kind: 'joint_campaign', audience_kind: 'inmates', audience_count: 180 }]);
  const meetings = (await get('/v1/coordination-meetings?province_code=53', 'bnnp.ntt')).data;
  t.equal(meetings.length, 1);
  const items = (await get(`/v1/action-items?meeting_id=${meetings[0].id}`, 'bnnp.ntt')).data;
  t.same(items.map((i: { overdue: boolean }) => i.overdue).sort(), [false, true], 'one of them overdue');
  const kotan = (await get('/v1/kotan-assessments?province_code=53', 'bnnp.ntt')).data;
  t.equal(kotan.length, 1);
  t.match(kotan[0], { regency: 'Kota Kupang', band: /responsive/ });
});

t.test('scorecards differ across facilities', async (t) => {
  const cards = (await get('/v1/scorecards')).data as { facility_id: string; score: number }[];
  t.equal(cards.length, 7);
  const of = (id: string) => cards.find((c) => c.facility_id === id)?.score;
  t.not(of(banjarnegara), of(kupang), `Banjarnegara ${of(banjarnegara)}, Kupang ${of(kupang)}`);
  t.ok(new Set(cards.map((c) => c.score)).size >= 3, 'at least three different scores');
});

t.test('the same world on every load: content comes from a seeded generator, dates from today', async (t) => {
  // In process, on the PostgreSQL test server: two empty databases, the same day, the same demo.
  const today = new Date('2026-06-16T04:00:00Z');
  const snapshot = async () => {
    const h = await build(t);
    const config = loadConfig({ LOG_LEVEL: 'silent', EVIDENCE_DIR: h.app.config.EVIDENCE_DIR });
    await loadLivingDemo({
      config,
      database: h.test.database,
      signingKey: loadSigningKey({ log: () => undefined }),
      password: PASSWORD_OF_HARNESS,
      world: h.world,
      today,
    });
    const lines = (query: string) => h.rows<{ line: string }>(query).then((rows) => rows.map((r) => r.line));
    return {
      inmates: await lines(
        `SELECT concat_ws(' ', registration_number, name, sex, birth_date, case_type, admission_date, status) AS line
           FROM inmates ORDER BY registration_number`,
      ),
      officers: await lines(`SELECT concat_ws(' ', nip, name, position, joined_on) AS line FROM officers ORDER BY nip`),
      urine: await lines(
        `SELECT concat_ws(' ', specimen_id, outcome, temperature_c, collected_at) AS line FROM urine_tests ORDER BY specimen_id`,
      ),
      attendance: await lines(
        `SELECT concat_ws(' ', s.starts_at, i.registration_number, a.status, a.reason) AS line
           FROM rehab_attendance a JOIN rehab_sessions s ON s.id = a.session_id JOIN inmates i ON i.id = a.inmate_id
          ORDER BY s.starts_at, i.registration_number`,
      ),
      training: await lines(
        `SELECT concat_ws(' ', o.nip, p.pre_test_score, p.post_test_score, p.certificate_number) AS line
           FROM training_participants p JOIN officers o ON o.id = p.officer_id ORDER BY o.nip`,
      ),
      kotan: await lines(`SELECT concat_ws(' ', regency, year, index) AS line FROM kotan_assessments`),
    };
  };
  const first = await snapshot();
  const second = await snapshot();
  t.same(second, first, 'the same content on a second load');
  t.equal(first.inmates.length, 120);
  t.equal(first.urine.length, 18);
  t.equal(first.training.length, 8);
  t.equal(first.kotan.length, 1);
  t.ok(first.attendance.length >= 6 * 5, `attendance rows (${first.attendance.length})`);
  t.match(first.urine[0], /^BNJ-20260610-01 negative /, 'the round six days before the given day');
});
