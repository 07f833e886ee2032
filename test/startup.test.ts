import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig } from '../src/config.ts';

// npm start as a new user runs it: embedded database under DATA_DIR, demo data, Ctrl-C, start again.
// Each start is a process loading the whole service; several of them outlast the default file timeout.
t.setTimeout(300_000);

/** A data directory of the test's own, removed when it ends. */
function freshDataDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'bersinar-start-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Started {
  child: ChildProcess;
  base: string;
  lines: Record<string, unknown>[];
}

const root = new URL('..', import.meta.url).pathname;

async function start(dataDir: string, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      DEMO_PASSWORD: 'start-test-pass',
      DATABASE_URL: '',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in 60 s: ${JSON.stringify(lines)}`)), 60_000);
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          lines.push(entry);
          const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(String(entry.msg));
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        } catch {
          // not a log line
        }
      }
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before listening: ${stderr} ${JSON.stringify(lines)}`));
    });
  });
  return { child, base, lines };
}

async function stop(s: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => s.child.on('exit', (code) => resolve(code)));
  s.child.kill('SIGINT');
  return exited;
}

const login = (base: string, username: string) =>
  fetch(`${base}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username, password: 'start-test-pass' }),
  });

const facilitiesSeen = async (base: string, token: string) => {
  const res = await fetch(`${base}/v1/facilities`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, count: res.ok ? ((await res.json()) as { data: unknown[] }).data.length : null };
};

// One subtest for both starts: the second needs the data directory the first left.
t.test('first start seeds and logs the logins; a second start keeps the data and the signing key', async (t) => {
  const dataDir = freshDataDir(t);
  const first = await start(dataDir);
  const demo = first.lines.find((l) => l.msg === 'demo data loaded; demo logins');
  t.ok(demo, 'the demo logins are logged');
  t.same(demo?.logins, [
    'admin',
    'staff.banjarnegara',
    'head.banjarnegara',
    'bnnk.purbalingga',
    'kanwil.ntt',
    'bnnp.ntt',
    'staff.kupang',
    'head.kupang',
    'pemkab.purbalingga',
    'dashboard.demo (client_credentials)',
  ]);
  t.equal((await fetch(`${first.base}/health/ready`)).status, 200);
  t.equal((await fetch(`${first.base}/docs/`)).status, 200);
  const before = await login(first.base, 'admin');
  t.equal(before.status, 200);
  const { access_token: issuedBefore } = (await before.json()) as { access_token: string };
  t.same(await facilitiesSeen(first.base, issuedBefore), { status: 200, count: 7 });
  t.equal(await stop(first), 0, 'Ctrl-C exits cleanly');

  const s = await start(dataDir, { HOST: '' });
  const listening = s.lines.filter((l) => String(l.msg).startsWith('Server listening at')).map((l) => l.msg);
  t.same(listening, [`Server listening at ${s.base}`], 'one address, the loopback one');
  // Another machine would come in through an outside address of this one: nothing answers there.
  const outside = Object.values(networkInterfaces())
    .flat()
    .find((i) => i?.family === 'IPv4' && !i.internal);
  if (outside) {
    await t.rejects(
      fetch(`http://${outside.address}:${new URL(s.base).port}/health/live`),
      `not on ${outside.address}`,
    );
  }
  t.notOk(
    s.lines.some((l) => l.msg === 'demo data loaded; demo logins'),
    'no second seeding',
  );
  t.same(
    await facilitiesSeen(s.base, issuedBefore),
    { status: 200, count: 7 },
    'a token issued before the restart is still good: the same signing key',
  );
  const res = await login(s.base, 'admin');
  t.equal(res.status, 200, 'the demo logins are still there');
  t.equal(await stop(s), 0);
});

/** A start that should fail: its exit code and what it printed. */
async function failedStart(
  dataDir: string,
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: '',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, out, err };
}

/** A port nothing listens on: one the system gave and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

t.test('a start that cannot go on prints one line naming the setting, and exits 1', async (t) => {
  const cases: [string, Record<string, string>, string][] = [
    [
      'a port that is no number',
      { PORT: 'abc' },
      'bersinar: PORT is not valid: Invalid input: expected number, received NaN. Fix it in the environment (see Configuration in the README).',
    ],
    [
      'scorecard settings that are no JSON',
      { SCORECARD_CONFIG: '{' },
      // The parser's own words differ between Node versions.
      'bersinar: SCORECARD_CONFIG is not valid: {reason}. Fix it in the environment (see Configuration in the README).',
    ],
    [
      'two bad settings',
      { LOG_LEVEL: 'loud', DB_POOL_MAX: '0' },
      'bersinar: LOG_LEVEL is not valid: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"; DB_POOL_MAX is not valid: Too small: expected number to be >=1. Fix them in the environment (see Configuration in the README).',
    ],
  ];
  cases.push([
    'a replica of the embedded database',
    { DATABASE_REPLICA_URL: 'postgres://bersinar@127.0.0.1:5433/bersinar' },
    'bersinar: DATABASE_REPLICA_URL needs DATABASE_URL: the embedded database has no replica. Unset DATABASE_REPLICA_URL, or set DATABASE_URL to the primary it replicates.',
  ]);
  const port = await closedPort();
  cases.push([
    'no database at DATABASE_URL',
    { DATABASE_URL: `postgres://bersinar:secret-pw@127.0.0.1:${port}/bersinar`, DB_CONNECT_TIMEOUT_MS: '300' },
    // Refused, or timed out first on a busy machine: the driver's words vary, the rest does not.
    `bersinar: the database at DATABASE_URL (127.0.0.1:${port}/bersinar) cannot be reached or migrated: {reason}. Check that PostgreSQL runs there and that DATABASE_URL is right (waited DB_CONNECT_TIMEOUT_MS=300).`,
  ]);
  const dataDir = freshDataDir(t);
  const results = await Promise.all(cases.map(([, env]) => failedStart(dataDir, env)));
  for (const [i, [name, , line]] of cases.entries()) {
    const { code, out, err } = results[i] as Awaited<ReturnType<typeof failedStart>>;
    t.equal(code, 1, `${name}: exit code`);
    const [before, after] = line.split('{reason}');
    if (after === undefined) t.equal(err, `${line}\n`, `${name}: one line on stderr`);
    else {
      t.ok(err.startsWith(before ?? '') && err.endsWith(`${after}\n`), `${name}: one line on stderr: ${err}`);
      t.equal(err.split('\n').length, 2, `${name}: one line`);
    }
    t.notMatch(out + err, /^\s+at /m, `${name}: no stack`);
    t.notOk((out + err).includes('    at '), `${name}: no stack, not even inside a log line`);
    t.notOk((out + err).includes('secret-pw'), `${name}: no password`);
  }
});

t.test('a port already in use is named as such', async (t) => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => holder.close(resolve)));
  const { port } = holder.address() as { port: number };
  const { code, out, err } = await failedStart(freshDataDir(t), {
    PORT: String(port),
    DEMO_PASSWORD: 'start-test-pass',
  });
  t.equal(code, 1);
  t.equal(
    err,
    `bersinar: PORT ${port} is already in use on HOST 127.0.0.1. Stop what holds it, or set PORT to a free port.\n`,
  );
  t.notOk((out + err).includes('    at '), 'no stack');
});

t.test('HOST is loopback unless set; the image sets 0.0.0.0 on a supported Node', async (t) => {
  t.equal(loadConfig({}).HOST, '127.0.0.1');
  t.equal(loadConfig({ HOST: '0.0.0.0' }).HOST, '0.0.0.0');
  const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
  t.match(dockerfile, /^FROM node:(22|24)-bookworm-slim$/m, 'a supported Node line');
  t.match(dockerfile, /^\s+HOST=0\.0\.0\.0$/m, 'the container listens on every interface');
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  t.match(readme, /^\| `HOST` \| `127\.0\.0\.1` \|/m, 'the README says so');
});
