import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

// npm start as a new user runs it: embedded database under DATA_DIR, demo data, Ctrl-C, start again.
const dataDir = mkdtempSync(join(tmpdir(), 'bersinar-start-'));
t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  base: string;
  lines: Record<string, unknown>[];
}

async function start(): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      DEMO_PASSWORD: 'start-test-pass',
      DATABASE_URL: '',
      LOG_LEVEL: 'info',
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

t.test('first start: migrated, demo data, logins logged, docs served, clean stop', async (t) => {
  const s = await start();
  const demo = s.lines.find((l) => l.msg === 'demo data loaded; demo logins');
  t.ok(demo, 'the demo logins are logged');
  t.match(demo?.logins, ['admin', 'staff.banjarnegara', 'head.banjarnegara', 'bnnk.purbalingga', 'kanwil.ntt']);
  t.equal((await fetch(`${s.base}/health/ready`)).status, 200);
  t.equal((await fetch(`${s.base}/docs/`)).status, 200);
  const token = await login(s.base, 'kanwil.ntt');
  t.equal(token.status, 200);
  t.equal(await stop(s), 0, 'Ctrl-C exits cleanly');
});

t.test('second start reuses the data and the signing key', async (t) => {
  const s = await start();
  t.notOk(
    s.lines.some((l) => l.msg === 'demo data loaded; demo logins'),
    'no second seeding',
  );
  const res = await login(s.base, 'admin');
  t.equal(res.status, 200);
  const { access_token } = (await res.json()) as { access_token: string };
  const facilities = await fetch(`${s.base}/v1/facilities`, { headers: { authorization: `Bearer ${access_token}` } });
  t.equal(((await facilities.json()) as { data: unknown[] }).data.length, 7);
  t.equal(await stop(s), 0);
});
