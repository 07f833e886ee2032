import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { openPg } from '../src/db/client.ts';
import type { Principal } from '../src/http/principal.ts';
import { type ChainReport, verifyChain } from '../src/modules/audit/events.ts';

// Backups of a PostgreSQL server database (pg_dump's custom format), restored only into an empty
// database, and the audit chain verified there with the service's own check (GET /v1/audit-events/verify).
//
//   npm run db:backup -- [--out FILE]            from DATABASE_URL (or --from URL)
//   npm run db:restore -- FILE [--force]         into DATABASE_URL (or --to URL); made when missing
//   npm run audit:verify                         the chain of DATABASE_URL (or --url URL)
//
// Exit codes: 0 done, 1 the chain does not verify, 2 refused or failed.

const run = promisify(execFile);

export type VerifyReport = ChainReport & { database: string };

export class Refusal extends Error {}

/** The URL without its password (libpq takes that from PGPASSWORD, out of the process list). */
function libpq(url: string): { dbname: string; env: NodeJS.ProcessEnv; name: string } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!name) throw new Refusal(`${redact(url)} names no database`);
  return { dbname: u.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env, name };
}

export function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** The same server's maintenance database, to create the target from. */
function maintenanceUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

export async function backup(from: string, out: string) {
  const target = libpq(from);
  mkdirSync(dirname(resolve(out)), { recursive: true });
  // Written aside and renamed when whole: a dump cut short never looks like a backup.
  const partial = `${out}.partial`;
  try {
    await run('pg_dump', ['--format=custom', '--file', partial, '--dbname', target.dbname], {
      env: target.env,
      maxBuffer: 16 * 1024 * 1024,
    });
    // The archive's table of contents reads back: it is a complete custom-format file.
    await run('pg_restore', ['--list', partial], { maxBuffer: 64 * 1024 * 1024 });
    renameSync(partial, out);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  return { file: out, bytes: statSync(out).size, sha256: await sha256(out) };
}

/** Relations, routines and schemas a fresh database does not have. */
async function contentOf(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
                AND n.nspname NOT LIKE 'pg\\_temp%')
          + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))
          + (SELECT count(*) FROM pg_namespace
              WHERE nspname NOT IN ('public', 'pg_catalog', 'information_schema')
                AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp%') AS n`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Creates the target when missing; refuses one that holds anything unless `force`. */
async function prepareTarget(to: string, force: boolean): Promise<'created' | 'empty' | 'replaced'> {
  const { name } = libpq(to);
  const admin = new pg.Client({ connectionString: maintenanceUrl(to) });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
      return 'created';
    }
  } finally {
    await admin.end();
  }
  const target = new pg.Client({ connectionString: to });
  await target.connect();
  try {
    const objects = await contentOf(target);
    if (objects === 0) return 'empty';
    if (!force)
      throw new Refusal(`${name} is not empty (${objects} objects): restore into a fresh database, or pass --force`);
    return 'replaced';
  } finally {
    await target.end();
  }
}

// The operator at the console stands in for an administrator: verification is theirs.
const OPERATOR: Principal = {
  kind: 'user',
  id: 'operator',
  role: 'admin',
  organisationId: null,
  facilityId: null,
  scopes: [],
};

export async function verify(url: string): Promise<VerifyReport> {
  // The walk's batches of a large trail need more than a request's timeout. The checkpoints found
  // are checked; none is added, so a restored copy keeps exactly the rows of its backup.
  const database = openPg({ url, poolMax: 1, statementTimeoutMs: 60 * 60 * 1000, connectTimeoutMs: 10_000 });
  try {
    return { database: libpq(url).name, ...(await verifyChain(database.db, OPERATOR, { record: false })) };
  } finally {
    await database.close();
  }
}

// pg_restore --clean drops a partition's primary key before its parent's, which PostgreSQL
// refuses for an inherited constraint: the partitioned trail goes first, whole, with its months.
async function dropTrail(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS public.audit_events CASCADE');
  } finally {
    await client.end();
  }
}

export async function restore(file: string, to: string, force: boolean) {
  statSync(file);
  const target = await prepareTarget(to, force);
  const { dbname, env } = libpq(to);
  const args = ['--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', '--dbname', dbname];
  // Dropped first only when told; the chain's triggers refuse DELETE and TRUNCATE, not DROP.
  if (target === 'replaced') {
    args.push('--clean', '--if-exists');
    await dropTrail(to);
  }
  await run('pg_restore', [...args, file], { env, maxBuffer: 16 * 1024 * 1024 });
  return { target, chain: await verify(to) };
}

function defaultOut(): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return join('backups', `bersinar-${stamp}.dump`);
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new Refusal(`${what} is missing`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      url: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const [command, file] = positionals;
  const env = process.env.DATABASE_URL;
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  if (command === 'backup') {
    print(await backup(need(values.from ?? env, 'DATABASE_URL (or --from)'), values.out ?? defaultOut()));
    return 0;
  }
  if (command === 'restore') {
    const result = await restore(
      need(file, 'the backup file'),
      need(values.to ?? env, 'DATABASE_URL (or --to)'),
      values.force,
    );
    print(result);
    return result.chain.ok ? 0 : 1;
  }
  if (command === 'verify') {
    const report = await verify(need(values.url ?? env, 'DATABASE_URL (or --url)'));
    print(report);
    return report.ok ? 0 : 1;
  }
  throw new Refusal(`unknown command ${command ?? '(none)'}: use backup, restore FILE or verify`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error & { stderr?: string }) => {
      // pg_dump's and pg_restore's own words say what went wrong.
      process.stderr.write(`${err instanceof Refusal ? 'refused' : 'failed'}: ${err.stderr?.trim() || err.message}\n`);
      process.exitCode = 2;
    },
  );
}
