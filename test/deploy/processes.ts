import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sparePort } from '../helpers/cluster.ts';

/** The project's root: the server is started from there, as `npm start` would. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A server process of its own (node --import tsx src/server.ts) on a spare port, with only the
 * settings given (plus PATH and HOME): nothing of the test runner's environment leaks in.
 */
export interface ServerProcess {
  name: string;
  port: number;
  base: string;
  env: Record<string, string>;
  /** What it wrote to stderr so far: named in a failure. */
  stderr(): string;
  /** Resolves when /health/ready answers 200; rejects if the process exits first or the time runs out. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL if it lingers; resolves when it has exited. */
  stop(): Promise<void>;
  /** Whether it has exited. */
  exited(): boolean;
}

export async function startServer(name: string, settings: Record<string, string>): Promise<ServerProcess> {
  const port = await sparePort();
  // Evidence and the like go to a folder of the process's own, not the project's ./data.
  const dataDir = await mkdtemp(join(tmpdir(), 'bersinar-data-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    ...settings,
  };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    // Enough to explain a failure, not the whole of a long run.
    err = (err + chunk).slice(-20_000);
  });
  let exitCode: number | null | undefined;
  const exit = once(child, 'exit').then(([code, signal]) => {
    exitCode = (code as number | null) ?? -1;
    return { code, signal };
  });
  const base = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    name,
    port,
    base,
    env,
    stderr: () => err,
    exited: () => exitCode !== undefined,
    async ready(timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (exitCode !== undefined) throw new Error(`${name} exited (${exitCode}) before it was ready:\n${err}`);
        try {
          const res = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(2_000) });
          await res.arrayBuffer();
          if (res.status === 200) return;
        } catch {
          // Not listening yet.
        }
        if (Date.now() > deadline) throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async stop() {
      if (exitCode === undefined) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: bodies, read as a client would
  body: any;
  text: string;
  bytes: Buffer;
}

/** One request to a process: JSON in, JSON (or text) out. Network errors are thrown. */
export async function call(
  server: ServerProcess,
  method: string,
  path: string,
  options: {
    token?: string;
    body?: unknown;
    /** Raw bytes (a multipart form), sent as they are with the headers given. */
    payload?: Buffer;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.base}${path}`, {
    method,
    headers,
    body: options.payload
      ? new Uint8Array(options.payload)
      : options.body === undefined
        ? undefined
        : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: the text stands.
  }
  return { status: res.status, headers: res.headers, body, text, bytes };
}

/** An access token by the password grant, through `server`. */
export async function login(server: ServerProcess, username: string, password: string): Promise<string> {
  const res = await call(server, 'POST', '/v1/auth/token', { body: { grant_type: 'password', username, password } });
  if (res.status !== 200) throw new Error(`login ${username} on ${server.name}: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}

/** Polls `check` until it answers a value, or throws with `what` after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An EC P-256 private key in PEM: the signing key every process of a test shares. */
export function newSigningPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
}
