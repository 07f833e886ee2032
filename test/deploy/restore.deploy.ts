import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import t from 'tap';
import type { VerifyReport } from '../../scripts/db-backup.ts';
import { build } from '../helpers/app.ts';

// A backup made by `npm run db:backup` of a database that took audited writes through HTTP,
// restored by `npm run db:restore` into a fresh database: the same rows, a chain that verifies,
// a tampered copy that does not, and a non-empty target refused.

process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/db-backup.ts');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI as an operator runs it, with no DATABASE_URL of the test's environment. */
function cli(...args: string[]): Promise<Ran> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd: ROOT, env }, (err, stdout, stderr) => {
      const code = err ? Number((err as { code?: number }).code ?? 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Every table's row count, by schema-qualified name. */
async function rowCounts(url: string): Promise<Record<string, number>> {
  const tables = await query<{ name: string }>(
    url,
    `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM ${name}`);
    counts[name] = row?.n ?? -1;
  }
  return counts;
}

const h = await build(t);
const source = h.test.url as string;
const admin = process.env.TEST_DATABASE_URL;
const restored = withDatabase(admin, `bersinar_restore_${process.pid}_${Math.random().toString(36).slice(2, 8)}`);
const dir = mkdtempSync(join(tmpdir(), 'bersinar-backup-'));
t.teardown(async () => {
  rmSync(dir, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(
      `DROP DATABASE IF EXISTS ${client.escapeIdentifier(new URL(restored).pathname.slice(1))} WITH (FORCE)`,
    );
  } finally {
    await client.end();
  }
});

const file = join(dir, 'nested', 'bersinar.dump');
let audited = 0;
let tip: { seq: string; hash: string } | undefined;

await t.test('audited writes through HTTP, then a backup', async (t) => {
  const token = await h.login('admin');
  for (const n of [1, 2, 3]) {
    const res = await h.call('POST', '/v1/organisations', {
      token,
      body: { type: 'bnn', bnn_level: 'province', name: `BNNP Cadangan ${n}`, province_code: '32' },
    });
    t.equal(res.statusCode, 201, `organisation ${n} made`);
  }
  const facilityId = Object.values(h.world.facilities)[0] as string;
  const current = await h.call('GET', `/v1/facilities/${facilityId}`, { token });
  const patched = await h.call('PATCH', `/v1/facilities/${facilityId}`, {
    token,
    body: { name: 'Lapas Dipulihkan' },
    headers: { 'if-match': String(current.headers.etag) },
  });
  t.equal(patched.statusCode, 200, 'facility changed');
  t.equal(
    await h.count('audit_events', "action IN ('organisation.created', 'facility.updated')"),
    4,
    'each write left its audit event',
  );
  audited = await h.count('audit_events');
  [tip] = await h.rows<{ seq: string; hash: string }>(
    'SELECT seq::text AS seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
  );

  const made = await cli('backup', '--from', source, '--out', file);
  t.equal(made.code, 0, `backup exits 0 ${made.stderr}`);
  t.ok(existsSync(file), 'the dump is written');
  t.notOk(existsSync(`${file}.partial`), 'no partial file is left');
  t.match(JSON.parse(made.stdout), { file, sha256: /^[0-9a-f]{64}$/ });
});

await t.test('restored into a fresh database, the rows are the same and the chain verifies', async (t) => {
  const ran = await cli('restore', file, '--to', restored);
  t.equal(ran.code, 0, `restore exits 0 ${ran.stderr}`);
  const out = JSON.parse(ran.stdout) as { target: string; chain: VerifyReport };
  t.equal(out.target, 'created', 'the missing target was created');
  t.same(out.chain, { database: new URL(restored).pathname.slice(1), ok: true, checked: audited, first_broken: null });
  const before = await rowCounts(source);
  t.ok(Object.keys(before).length > 20, 'every table is compared');
  t.same(await rowCounts(restored), before, 'the same row count in every table');
  const [copy] = await query<{ seq: string; hash: string }>(
    restored,
    'SELECT seq::text AS seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  t.same(copy, tip, 'the chain ends at the same event and hash');
  const verified = await cli('verify', '--url', restored);
  t.equal(verified.code, 0, 'npm run audit:verify exits 0');
  t.equal((JSON.parse(verified.stdout) as VerifyReport).ok, true);
});

await t.test('a non-empty target is refused and left alone', async (t) => {
  const before = await rowCounts(restored);
  const ran = await cli('restore', file, '--to', restored);
  t.equal(ran.code, 2, 'refused');
  t.match(ran.stderr, /^refused: bersinar_restore_\S+ is not empty \(\d+ objects\)/);
  t.equal(ran.stdout, '', 'nothing restored');
  t.same(await rowCounts(restored), before, 'its rows untouched');
});

await t.test('a tampered audit row fails verification; --force restores over it', async (t) => {
  const [victim] = await query<{ seq: string; id: string }>(
    restored,
    'SELECT seq::text AS seq, id::text AS id FROM audit_events ORDER BY seq OFFSET 1 LIMIT 1',
  );
  // The table refuses UPDATE through a trigger; a superuser can switch ordinary triggers off.
  await query(
    restored,
    `SET session_replication_role = replica;
     UPDATE audit_events SET action = 'tampered' WHERE seq = ${Number(victim?.seq)}`,
  );
  const ran = await cli('verify', '--url', restored);
  t.equal(ran.code, 1, 'verify exits 1');
  t.same(JSON.parse(ran.stdout), {
    database: new URL(restored).pathname.slice(1),
    ok: false,
    checked: audited,
    first_broken: { seq: Number(victim?.seq), id: victim?.id, reason: 'hash_mismatch' },
  });

  const forced = await cli('restore', file, '--to', restored, '--force');
  t.equal(forced.code, 0, `--force restores ${forced.stderr}`);
  t.match(JSON.parse(forced.stdout), { target: 'replaced', chain: { ok: true, checked: audited } });
  t.same(await rowCounts(restored), await rowCounts(source), 'the same rows again');
});
