// How many SQL statements one request runs, counted at the client: every query a pooled
// connection sends (BEGIN and COMMIT included) while the app answers it. Usage:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench_statements npx tsx bench/statements.ts
// (the database is dropped and made anew with the demo data; VERBOSE=1 lists each statement).
// It prints; it never fails on a count.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type SeedResult, seedDemo } from '../src/db/seed.ts';
import { loadSigningKey } from '../src/http/keys.ts';
import { freshDatabase } from './national.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to a scratch database (its name starting with bersinar_bench)');
const verbose = Boolean(process.env.VERBOSE);
const password = 'bersinar-bench-statements';

// Every statement goes through a pg.Client, the pool's and a transaction's alike.
let seen: string[] | undefined;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string };
  seen?.push(typeof first === 'string' ? first : (first?.text ?? '?'));
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

const database = await freshDatabase(url);
const world = (await seedDemo(database.db, password)) as SeedResult;
const evidenceDir = mkdtempSync(join(tmpdir(), 'bersinar-bench-evidence-'));
const app = await buildApp({
  config: loadConfig({
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    EVIDENCE_DIR: evidenceDir,
  }),
  database,
  signingKey: loadSigningKey({ log: () => undefined }),
});
await app.ready();

async function login(username: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/auth/token',
    payload: { grant_type: 'password', username, password },
  });
  return res.json().access_token as string;
}
const staff = await login('staff.banjarnegara');
const head = await login('head.banjarnegara');
const facility = world.facilities.banjarnegara as string;
const admitted = await app.inject({
  method: 'POST',
  url: `/v1/facilities/${facility}/inmates`,
  headers: { authorization: `Bearer ${staff}` },
  payload: {
    registration_number: 'B.I-BENCH/2026',
    name: 'Warga Binaan Bench',
    sex: 'male',
    birth_date: '1988-07-01',
    case_type: 'narcotics_user',
    admission_date: '2025-01-10',
    block: 'B',
    status: 'sentenced',
  },
});
if (admitted.statusCode !== 201) throw new Error(`inmate: ${admitted.statusCode} ${admitted.body}`);
const inmate = admitted.json() as { id: string };

const rows: [string, number, number][] = [];
// biome-ignore lint/suspicious/noExplicitAny: answers read as a client would
async function counted(label: string, request: InjectOptions): Promise<any> {
  seen = [];
  const res = await app.inject(request);
  const statements = seen;
  seen = undefined;
  rows.push([label, res.statusCode, statements.length]);
  if (verbose) {
    console.log(`\n${label} (${res.statusCode}):`);
    for (const s of statements) console.log(`  ${s.replace(/\s+/g, ' ').slice(0, 150)}`);
  }
  if (res.statusCode >= 300) throw new Error(`${label}: ${res.statusCode} ${res.body}`);
  return res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : undefined;
}
const as = (token: string, headers: Record<string, string> = {}) => ({
  authorization: `Bearer ${token}`,
  ...headers,
});
const key = () => ({ 'idempotency-key': randomUUID() });

const opened = await counted('POST /v1/facilities/{id}/inspections (staff, key)', {
  method: 'POST',
  url: `/v1/facilities/${facility}/inspections`,
  headers: as(staff, key()),
  payload: {
    kind: 'surprise',
    team: [{ name: 'Karutan Banjarnegara', agency: 'facility' }],
    started_at: '2026-03-02T09:00:00',
    ended_at: '2026-03-02T11:30:00',
    areas: [{ kind: 'block', name: 'A' }],
    inmates_searched: 120,
    officers_searched: 15,
    summary: 'Penggeledahan blok hunian.',
  },
});
const id = opened.id as string;
await counted('PATCH /v1/inspections/{id} (staff)', {
  method: 'PATCH',
  url: `/v1/inspections/${id}`,
  headers: as(staff, { 'if-match': `"${opened.version}"` }),
  payload: { inmates_searched: 125 },
});
const narcotics = await counted('POST …/findings: narcotics, one inmate named (staff, key)', {
  method: 'POST',
  url: `/v1/inspections/${id}/findings`,
  headers: as(staff, key()),
  payload: {
    category: 'narcotics',
    description: 'Satu paket kristal bening diduga sabu',
    quantity: 0.8,
    unit: 'grams',
    location: 'Blok A kamar 12',
    people: [{ type: 'inmate', id: inmate.id }],
  },
});
await counted('POST …/findings: plain, nobody named (staff, no key)', {
  method: 'POST',
  url: `/v1/inspections/${id}/findings`,
  headers: as(staff),
  payload: { category: 'mobile_phone', description: 'Telepon genggam', quantity: 1, unit: 'pieces', location: 'A' },
});
const seized = await counted('POST …/evidence: seized item, JSON (staff)', {
  method: 'POST',
  url: `/v1/inspections/${id}/findings/${narcotics.id}/evidence`,
  headers: as(staff),
  payload: { kind: 'seized_item', description: 'Paket sabu 0,8 g', seal_number: 'SEGEL-1' },
});
const boundary = `bench-${randomUUID()}`;
const photo = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d494844520000000100000001080600000000000000000049444154', 'hex'),
  randomBytes(200),
]);
await counted('POST …/evidence: photo, multipart (staff)', {
  method: 'POST',
  url: `/v1/inspections/${id}/findings/${narcotics.id}/evidence`,
  headers: as(staff, { 'content-type': `multipart/form-data; boundary=${boundary}` }),
  payload: Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nphoto\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\nFoto temuan\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    photo,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]),
});
await counted('POST /v1/evidence/{id}/custody (staff, key)', {
  method: 'POST',
  url: `/v1/evidence/${seized.id}/custody`,
  headers: as(staff, key()),
  payload: { handed_by: 'Kepala KPR', handed_to: 'Penyidik BNNK', handed_at: '2026-03-02T14:00:00' },
});
const action = await counted('POST …/actions (staff, key)', {
  method: 'POST',
  url: `/v1/inspections/${id}/actions`,
  headers: as(staff, key()),
  payload: { description: 'Pasang kamera CCTV', due_date: '2099-04-30' },
});
await counted('PATCH /v1/corrective-actions/{id} (staff)', {
  method: 'PATCH',
  url: `/v1/corrective-actions/${action.id}`,
  headers: as(staff, { 'if-match': `"${action.version}"` }),
  payload: { status: 'in_progress' },
});
await counted('GET /v1/inspections/{id} (staff)', { method: 'GET', url: `/v1/inspections/${id}`, headers: as(staff) });
await counted('POST …/submit (staff, key)', {
  method: 'POST',
  url: `/v1/inspections/${id}/submit`,
  headers: as(staff, key()),
});
await counted('POST …/sign-off (head, key)', {
  method: 'POST',
  url: `/v1/inspections/${id}/sign-off`,
  headers: as(head, key()),
});
await counted('POST …/addenda (staff, key)', {
  method: 'POST',
  url: `/v1/inspections/${id}/addenda`,
  headers: as(staff, key()),
  payload: { corrects_type: 'finding', corrects_id: narcotics.id, reason: 'Ditimbang ulang', text: 'Berat 0,76 g' },
});

await app.close();
rmSync(evidenceDir, { recursive: true, force: true });

console.log('\n| request | status | statements |');
console.log('| --- | --- | --- |');
for (const [label, status, n] of rows) console.log(`| ${label} | ${status} | ${n} |`);
