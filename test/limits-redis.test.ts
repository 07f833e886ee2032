import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import pino from 'pino';
import t, { type Test } from 'tap';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type FailureEntry, RedisFailureStore } from '../src/modules/auth/throttle.ts';
import { build, type Harness, PASSWORD } from './helpers/app.ts';
import { checkContract } from './helpers/contract.ts';

// The limits shared through Redis: two apps on one database and one Redis, as two replicas would
// be, each test with a key prefix of its own. The memory versions are in auth-limits.test.ts.

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const START = new Date('2026-03-02T02:00:00Z');

/** A Redis client of the test's own, to look at what is stored; every key of its prefix goes at the end. */
function inspector(t: Test) {
  const prefix = `bersinar-test:${randomUUID()}:`;
  const redis = new Redis(REDIS_URL);
  t.teardown(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });
  return { prefix, redis };
}

interface Pair {
  a: Harness;
  /** The second app: the same database, the same Redis, the same signing key and clock. */
  b: FastifyInstance;
}

async function pair(t: Test, env: Record<string, string>, clock: () => Date = () => START): Promise<Pair> {
  let b: FastifyInstance | undefined;
  t.teardown(async () => b?.close());
  const a = await build(t, env, { clock });
  b = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', MAX_EVENT_LOOP_DELAY_MS: '0', ...env }),
    database: a.test.database,
    signingKey: a.app.signingKey,
    clock,
  });
  await b.ready();
  return { a, b };
}

function expectProblem(t: Test, res: LightMyRequestResponse, status: number, code: string) {
  t.equal(res.statusCode, status, `status ${status}`);
  t.match(String(res.headers['content-type']), /^application\/problem\+json/);
  t.equal(res.json().code, code, `code ${code}`);
}

function expectThrottled(t: Test, res: LightMyRequestResponse, seconds: number) {
  expectProblem(t, res, 429, 'sign_in_throttled');
  t.equal(res.headers['retry-after'], String(seconds), `Retry-After ${seconds}`);
}

/** A request checked against the contract, from an address of its own unless one is given. */
let addresses = 0;
async function send(
  app: FastifyInstance,
  method: 'GET' | 'POST',
  url: string,
  options: { token?: string; body?: Record<string, string>; address?: string } = {},
) {
  addresses++;
  const res = await app.inject({
    method,
    url,
    remoteAddress: options.address ?? `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`,
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    ...(options.body ? { payload: options.body } : {}),
  });
  checkContract(method, url, res);
  return res;
}
const password = (app: FastifyInstance, username: string, pass = 'a-wrong-guess') =>
  send(app, 'POST', '/v1/auth/token', { body: { grant_type: 'password', username, password: pass } });

const THROTTLE = {
  AUTH_RATE_LIMIT_MAX: '1000',
  SIGN_IN_FAILURE_LIMIT: '3',
  SIGN_IN_FAILURE_WINDOW_SECONDS: '600',
  SIGN_IN_LOCK_SECONDS: '60',
  SIGN_IN_MAX_LOCK_SECONDS: '240',
};

t.test('the API budget spent on one app holds on the other', async (t) => {
  const { prefix, redis } = inspector(t);
  const { a, b } = await pair(t, {
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    API_RATE_LIMIT_MAX: '3',
    API_RATE_LIMIT_WINDOW: '1 hour',
  });
  const staff = await a.login('staff.banjarnegara');
  const remaining = [];
  for (const app of [a.app, b, a.app]) {
    const res = await send(app, 'GET', '/v1/me', { token: staff });
    t.equal(res.statusCode, 200);
    remaining.push(res.headers['ratelimit-remaining']);
  }
  t.same(remaining, ['2', '1', '0'], 'one budget, spent through both');

  const over = await send(b, 'GET', '/v1/me', { token: staff });
  expectProblem(t, over, 429, 'too_many_requests');
  t.equal(over.headers['ratelimit-limit'], '3');
  t.equal(over.headers['ratelimit-remaining'], '0');
  t.equal(over.headers['retry-after'], over.headers['ratelimit-reset'], 'Retry-After is the time to the reset');
  t.ok(Number(over.headers['retry-after']) > 3500 && Number(over.headers['retry-after']) <= 3600);
  expectProblem(t, await send(a.app, 'GET', '/v1/me', { token: staff }), 429, 'too_many_requests');

  // The count is in Redis, under the prefix, and lives as long as the window.
  const [user] = await a.rows<{ id: string }>('SELECT id FROM users WHERE username = $1', ['staff.banjarnegara']);
  const keys = (await redis.keys(`${prefix}*`)).filter((key) => key.endsWith(`user:${user?.id}`));
  t.equal(keys.length, 1, 'one key for the caller');
  t.match(keys[0], new RegExp(`^${prefix}rate-limit:`));
  t.equal(await redis.get(keys[0] as string), '5', 'five requests counted, the refused ones too');
  const ttl = await redis.pttl(keys[0] as string);
  t.ok(ttl > 3_500_000 && ttl <= 3_600_000, 'the key goes with the window');

  // The other caller, and the token endpoint's own limit, are apart.
  const admin = await a.login('admin');
  t.equal((await send(b, 'GET', '/v1/me', { token: admin })).headers['ratelimit-remaining'], '2');
});

t.test("the token endpoint's limit per address holds across both apps", async (t) => {
  const { prefix } = inspector(t);
  const { a, b } = await pair(t, { REDIS_URL, REDIS_KEY_PREFIX: prefix, AUTH_RATE_LIMIT_MAX: '2' }, () => START);
  const body = { grant_type: 'password', username: 'nobody.at.all', password: 'x' };
  const address = '10.9.0.1';
  const first = await send(a.app, 'POST', '/v1/auth/token', { body, address });
  t.same([first.statusCode, first.headers['ratelimit-remaining']], [400, '1']);
  const second = await send(b, 'POST', '/v1/auth/token', { body, address });
  t.same([second.statusCode, second.headers['ratelimit-remaining']], [400, '0']);
  const over = await send(a.app, 'POST', '/v1/auth/token', { body, address });
  expectProblem(t, over, 429, 'too_many_requests');
  t.match(over.headers['retry-after'], /^(59|60)$/);
  t.equal((await send(b, 'POST', '/v1/auth/token', { body, address: '10.9.0.2' })).statusCode, 400, 'another address');
});

t.test('a sign-in lock started on one app holds on the other, doubling each time', async (t) => {
  const { prefix, redis } = inspector(t);
  let now = START;
  const at = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
  };
  const { a, b } = await pair(t, { ...THROTTLE, REDIS_URL, REDIS_KEY_PREFIX: prefix }, () => now);
  const key = `${prefix}sign-in:user:staff.banjarnegara`;

  for (const app of [a.app, b, a.app])
    expectProblem(t, await password(app, 'staff.banjarnegara'), 400, 'invalid_grant');
  const stored = JSON.parse((await redis.get(key)) ?? 'null') as FailureEntry;
  t.same(
    stored,
    {
      failures: 3,
      windowStart: START.getTime(),
      lockouts: 1,
      lockedUntil: START.getTime() + 60_000,
      expiresAt: START.getTime() + 660_000,
    },
    'the entry in Redis',
  );
  const ttl = await redis.pttl(key);
  t.ok(ttl > 650_000 && ttl <= 660_000, 'it lives until its expiresAt');

  expectThrottled(t, await password(b, 'staff.banjarnegara'), 60);
  expectThrottled(t, await password(b, 'staff.banjarnegara', PASSWORD), 60);
  t.equal((await password(b, 'head.banjarnegara', PASSWORD)).statusCode, 200, 'another account still signs in');
  at(30);
  expectThrottled(t, await password(a.app, 'staff.banjarnegara'), 30);
  at(30);
  expectProblem(t, await password(b, 'staff.banjarnegara'), 400, 'invalid_grant');
  expectThrottled(t, await password(a.app, 'staff.banjarnegara'), 120);
  at(120);
  expectProblem(t, await password(a.app, 'staff.banjarnegara'), 400, 'invalid_grant');
  expectThrottled(t, await password(b, 'staff.banjarnegara'), 240);
  at(240);
  expectProblem(t, await password(b, 'staff.banjarnegara'), 400, 'invalid_grant');
  expectThrottled(t, await password(a.app, 'staff.banjarnegara'), 240);
});

t.test('a success on one app wipes the record for both', async (t) => {
  const { prefix, redis } = inspector(t);
  const { a, b } = await pair(t, { ...THROTTLE, REDIS_URL, REDIS_KEY_PREFIX: prefix });
  const key = `${prefix}sign-in:user:staff.kupang`;
  expectProblem(t, await password(a.app, 'staff.kupang'), 400, 'invalid_grant');
  expectProblem(t, await password(b, 'staff.kupang'), 400, 'invalid_grant');
  t.equal(JSON.parse((await redis.get(key)) ?? '{}').failures, 2);

  t.equal((await password(b, 'staff.kupang', PASSWORD)).statusCode, 200);
  t.equal(await redis.get(key), null, 'the key is gone');
  // Two more failures, one on each: without the wipe these would be the third and fourth, and lock.
  expectProblem(t, await password(a.app, 'staff.kupang'), 400, 'invalid_grant');
  expectProblem(t, await password(b, 'staff.kupang'), 400, 'invalid_grant');
  t.equal((await password(a.app, 'staff.kupang', PASSWORD)).statusCode, 200, 'no lock');
});

t.test('concurrent guesses on both apps let through no more than the limit', async (t) => {
  const { prefix, redis } = inspector(t);
  const { a, b } = await pair(t, { ...THROTTLE, REDIS_URL, REDIS_KEY_PREFIX: prefix });
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => password(i % 2 ? b : a.app, 'staff.kupang')));
  t.same(
    answers.map((res) => res.statusCode).sort(),
    [...Array(3).fill(400), ...Array(17).fill(429)],
    'three judged, seventeen refused',
  );
  t.equal(JSON.parse((await redis.get(`${prefix}sign-in:user:staff.kupang`)) ?? '{}').failures, 3);
});

t.test('the store: concurrent updates through two clients each land once', async (t) => {
  const { prefix, redis } = inspector(t);
  const clients = [0, 1].map(() => new Redis(REDIS_URL, { keyPrefix: prefix }));
  t.teardown(() => Promise.all(clients.map((client) => client.quit())));
  const faults: unknown[] = [];
  const stores = clients.map((client) => new RedisFailureStore(client, (err) => faults.push(err)));
  const bump = (entry: FailureEntry | undefined): FailureEntry => ({
    failures: (entry?.failures ?? 0) + 1,
    windowStart: 0,
    lockouts: 0,
    lockedUntil: 0,
    expiresAt: 60_000,
  });
  await Promise.all(Array.from({ length: 60 }, (_, i) => stores[i % 2]?.update('counter', 0, bump)));
  t.equal(JSON.parse((await redis.get(`${prefix}sign-in:counter`)) ?? '{}').failures, 60, 'sixty changes, none lost');
  t.same(faults, []);

  // An entry the app's clock holds expired is none, whatever Redis still keeps.
  t.equal(await stores[0]?.update('counter', 60_000, (entry) => entry), undefined);
  t.equal(await redis.get(`${prefix}sign-in:counter`), null, 'and it is removed');
});

t.test('the store: a key that changes under every attempt ends in 503, not a loop', async (t) => {
  const { prefix, redis } = inspector(t);
  const client = new Redis(REDIS_URL, { keyPrefix: prefix });
  const rival = new Redis(REDIS_URL, { keyPrefix: prefix });
  t.teardown(() => Promise.all([client.quit(), rival.quit()]));
  const read = client.get.bind(client);
  let rounds = 0;
  // Another process writes between each read and its write.
  client.get = (async (key: string) => {
    const value = await read(key);
    rounds++;
    await rival.set(
      key,
      JSON.stringify({ failures: rounds, windowStart: 0, lockouts: 0, lockedUntil: 0, expiresAt: 1e15 }),
    );
    return value;
  }) as typeof client.get;
  const store = new RedisFailureStore(client, () => undefined);
  const bump = (entry: FailureEntry | undefined): FailureEntry => ({
    failures: (entry?.failures ?? 0) + 1000,
    windowStart: 0,
    lockouts: 0,
    lockedUntil: 0,
    expiresAt: 1e15,
  });
  await t.rejects(store.update('busy', 0, bump), { status: 503, code: 'overloaded' });
  t.equal(rounds, 50, 'fifty rounds tried');
  t.equal(JSON.parse((await redis.get(`${prefix}sign-in:busy`)) ?? '{}').failures, 50, "only the rival's writes");
});

/** Log lines of an app, to see what it told of an outage. */
function logSink() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}
const told = (lines: { level: number; msg: string }[]) =>
  lines.filter((line) => line.msg.startsWith('Redis')).map((line) => [line.level, line.msg.split(':')[0]]);

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

t.test('Redis unreachable: the app starts and serves, limits skipped, sign-ins throttled per process', async (t) => {
  const { lines, logger } = logSink();
  const h = await build(
    t,
    {
      ...THROTTLE,
      AUTH_RATE_LIMIT_MAX: '2',
      API_RATE_LIMIT_MAX: '2',
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
    },
    { clock: () => START, logger },
  );

  // Fail open: past the budget, still answered, without a budget to show.
  for (let i = 0; i < 4; i++) {
    const res = await send(h.app, 'GET', '/.well-known/jwks.json', { address: '10.8.0.1' });
    t.equal(res.statusCode, 200);
    t.equal(res.headers['ratelimit-limit'], undefined);
  }
  // The token endpoint's own limit is skipped too; the back-off per account is kept in this process.
  const answers = [];
  for (let i = 0; i < 4; i++)
    answers.push(
      await send(h.app, 'POST', '/v1/auth/token', {
        body: { grant_type: 'password', username: 'staff.kupang', password: 'a-wrong-guess' },
        address: '10.8.0.2',
      }),
    );
  t.same(
    answers.map((res) => res.statusCode),
    [400, 400, 400, 429],
  );
  expectThrottled(t, answers[3] as LightMyRequestResponse, 60);
  t.equal((await password(h.app, 'head.banjarnegara', PASSWORD)).statusCode, 200, 'sign-ins go on');

  const ready = await send(h.app, 'GET', '/health/ready');
  t.equal(ready.statusCode, 200, 'ready: a limits store down is not the database down');
  t.same(ready.json(), {
    status: 'ok',
    warnings: [
      {
        code: 'limits_store_unavailable',
        detail:
          'Redis (REDIS_URL) does not answer: rate limits are skipped and failed sign-ins are counted per process until it does.',
      },
    ],
  });
  t.same(told(lines), [[40, 'Redis does not answer']], 'told once, not once a request');
});

/** A TCP proxy in front of the test's Redis: stopping it is Redis going away, freezing it Redis falling silent. */
class TcpProxy {
  port = 0;
  frozen = false;
  #server: net.Server | undefined;
  readonly #sockets = new Set<net.Socket>();

  async start(port = this.port) {
    const target = new URL(REDIS_URL);
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.on('data', (chunk) => this.frozen || upstream.write(chunk));
      upstream.on('data', (chunk) => this.frozen || client.write(chunk));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.#server = server;
    this.frozen = false;
    this.port = (server.address() as net.AddressInfo).port;
  }

  async stop() {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}

t.test('Redis goes away and comes back: answers go on meanwhile, then the limits are shared again', async (t) => {
  const { prefix } = inspector(t);
  const proxy = new TcpProxy();
  await proxy.start(0);
  t.teardown(() => proxy.stop());
  const { lines, logger } = logSink();
  const h = await build(
    t,
    {
      API_RATE_LIMIT_MAX: '2',
      API_RATE_LIMIT_WINDOW: '1 hour',
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      REDIS_KEY_PREFIX: prefix,
    },
    { seed: false, logger, clock: () => START },
  );
  const jwks = (address: string) => send(h.app, 'GET', '/.well-known/jwks.json', { address });
  t.equal((await jwks('10.7.0.1')).headers['ratelimit-remaining'], '1', 'counted in Redis');

  await proxy.stop();
  for (let i = 0; i < 3; i++) t.equal((await jwks('10.7.0.1')).statusCode, 200, 'Redis gone: still answered');
  t.equal((await send(h.app, 'GET', '/health/ready')).json().warnings[0].code, 'limits_store_unavailable');

  const back = once(h.app.redis as Redis, 'ready');
  await proxy.start();
  await back;
  t.equal((await jwks('10.7.0.1')).headers['ratelimit-remaining'], '0', 'the count kept in Redis goes on');
  expectProblem(t, await jwks('10.7.0.1'), 429, 'too_many_requests');
  t.same((await send(h.app, 'GET', '/health/ready')).json(), { status: 'ok' });
  t.same(told(lines), [
    [40, 'Redis does not answer'],
    [30, 'Redis answers again'],
  ]);

  // Redis falls silent (the network, not a refusal): the answer waits the command timeout, no more.
  proxy.frozen = true;
  const started = Date.now();
  const res = await jwks('10.7.0.2');
  t.equal(res.statusCode, 200);
  t.ok(Date.now() - started < 3000, 'answered within the timeout');
});
