import net from 'node:net';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import t, { type Test } from 'tap';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, openPg } from '../src/db/client.ts';
import { build } from './helpers/app.ts';
import { checkContract } from './helpers/contract.ts';

const h = await build(t);
const fac = h.world.facilities;
const org = h.world.organisations;
const serverOnly = h.test.kind === 'pglite' ? 'needs a PostgreSQL server' : false;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A TCP proxy in front of the test's PostgreSQL: stopping it is the database going away (refused
 * connections, open ones cut); freezing it is the network going silent (nothing answers, nothing closes).
 */
class TcpProxy {
  port = 0;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private frozen = false;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(port = this.port): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.on('data', (chunk) => this.frozen || upstream.write(chunk));
      upstream.on('data', (chunk) => this.frozen || client.write(chunk));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.frozen = false;
    this.port = (server.address() as net.AddressInfo).port;
  }

  /** The database goes away: new connections are refused and open ones are cut. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** The network goes silent: connections stay open but no byte gets through either way. */
  freeze(): void {
    this.frozen = true;
  }
}

const target = new URL(h.test.url ?? 'postgres://127.0.0.1:5432/none');
const viaProxy = (proxy: TcpProxy) => {
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return url.toString();
};

interface Rig {
  app: FastifyInstance;
  database: Database;
  proxy: TcpProxy;
  call(method: string, url: string, options?: { token?: string; body?: unknown }): Promise<LightMyRequestResponse>;
}

/** A second app whose only way to the database is through a proxy the test controls. */
async function rig(t: Parameters<typeof build>[0]): Promise<Rig> {
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  await proxy.start(0);
  const database = openPg({ url: viaProxy(proxy), poolMax: 2, statementTimeoutMs: 2000, connectTimeoutMs: 1000 });
  const app = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }),
    database,
    // The same key as the harness app, so that its access tokens verify here too.
    signingKey: h.app.signingKey,
  });
  await app.ready();
  t.teardown(async () => {
    await proxy.stop();
    await app.close();
    // pool.end() waits for every lent-out connection; one that was never given back would hang here.
    await Promise.race([database.close(), sleep(2000)]);
  });
  return {
    app,
    database,
    proxy,
    async call(method, url, options = {}) {
      const headers: Record<string, string> = {};
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
      });
      checkContract(method, url, res);
      return res;
    },
  };
}

const unavailable = (t: Test, res: LightMyRequestResponse, what: string) => {
  t.equal(res.statusCode, 503, what);
  t.match(res.headers['content-type'], /^application\/problem\+json/, what);
  t.ok(Number(res.headers['retry-after']) > 0, `${what}: Retry-After`);
  t.equal(res.json().code, 'database_unavailable', what);
};

/** Connections lent out of the pool and not given back. */
function lentOut(database: Database): number {
  const pool = (database.db as unknown as { $client: pg.Pool }).$client;
  return pool.totalCount - pool.idleCount;
}

/** Resolves once the pool has lent out `n` connections: the requests sent so far hold them. */
async function lent(database: Database, n: number): Promise<void> {
  while (lentOut(database) < n) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Connections the pool has lent out (to a transaction) that nobody listens to for errors. node-postgres
 * emits 'error' on a client whose connection ends; pg-pool listens only while the client is idle, so
 * a lent-out client with no listener of its own turns a lost connection into an uncaught exception,
 * which ends the process. Each one found gets a listener here, so that the test can go on.
 */
function unguardedLentClients(database: Database): number {
  const pool = (database.db as unknown as { $client: pg.Pool }).$client as unknown as {
    _clients: pg.Client[];
    _idle: { client: pg.Client }[];
  };
  const idle = new Set(pool._idle.map((item) => item.client));
  let unguarded = 0;
  for (const client of pool._clients) {
    if (idle.has(client) || client.listenerCount('error') > 0) continue;
    unguarded++;
    client.on('error', () => undefined);
  }
  return unguarded;
}

const organisation = (name: string) => ({ type: 'bnn', bnn_level: 'province', name, province_code: '32' });

t.test('a second app can be built in the same process', async (t) => {
  // fastify-metrics keeps its metrics in prom-client's process-wide registry: buildApp asks it to start afresh.
  const database = openPg({
    url: 'postgres://127.0.0.1:1/unused',
    poolMax: 1,
    statementTimeoutMs: 2000,
    connectTimeoutMs: 1000,
  });
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }),
      database,
      signingKey: h.app.signingKey,
    });
    await app.ready();
    const res = await app.inject('/health/live');
    t.equal(res.statusCode, 200);
  } catch (err) {
    t.fail(`buildApp a second time: ${(err as Error).message}`);
  } finally {
    await app?.close();
    await database.close();
  }
});

t.test('the database goes away and comes back: 503 meanwhile, recovery by itself', { skip: serverOnly }, async (t) => {
  const r = await rig(t);
  const admin = await h.login('admin');

  t.equal((await r.call('GET', '/health/ready')).statusCode, 200, 'ready through the proxy');
  const listed = await r.call('GET', '/v1/facilities', { token: admin });
  t.equal(listed.statusCode, 200, 'a token of the harness app works here');
  t.equal(listed.json().data.length, Object.keys(fac).length);

  await r.proxy.stop();
  const down = Date.now();
  unavailable(t, await r.call('GET', '/health/ready'), 'readiness');
  unavailable(t, await r.call('GET', '/v1/facilities', { token: admin }), 'a read');
  const refused = await r.call('POST', '/v1/organisations', { token: admin, body: organisation('BNNP Saat Padam') });
  unavailable(t, refused, 'a write');
  t.ok(Date.now() - down < 5000, 'each answer comes at once, not after a long wait');
  const live = await r.call('GET', '/health/live');
  t.equal(live.statusCode, 200, 'liveness does not depend on the database');
  t.same(live.json(), { status: 'ok' });

  await r.proxy.start(); // the same port
  let ready: LightMyRequestResponse | undefined;
  const back = Date.now();
  while (Date.now() - back < 10_000) {
    ready = await r.call('GET', '/health/ready');
    if (ready.statusCode === 200) break;
    await sleep(200);
  }
  t.equal(ready?.statusCode, 200, 'ready again without a restart');
  t.equal((await r.call('GET', '/v1/facilities', { token: admin })).statusCode, 200);
  const created = await r.call('POST', '/v1/organisations', { token: admin, body: organisation('BNNP Setelah Pulih') });
  t.equal(created.statusCode, 201, 'writes work again');

  t.equal(await h.count('organisations', `name = 'BNNP Saat Padam'`), 0, 'the refused write left nothing');
  t.equal(await h.count('organisations', `name = 'BNNP Setelah Pulih'`), 1);
  t.equal(await h.count('audit_events', `entity_id = '${created.json().id}'`), 1);
});

t.test('a database that falls silent: 503 within the timeouts, not a hang', { skip: serverOnly }, async (t) => {
  const r = await rig(t);
  const admin = await h.login('admin');
  t.equal((await r.call('GET', '/v1/facilities', { token: admin })).statusCode, 200);
  // Both connections of the pool open and idle.
  await Promise.all([1, 2].map(() => r.database.db.execute(sql`SELECT pg_sleep(0.05)`)));
  const writesBefore = await h.count('organisations');

  r.proxy.freeze();
  // The pool's connections stay open but nothing answers on them (a dropped network, a frozen
  // server). statement_timeout is enforced by the server, which never hears of the query, so the
  // client has to give up by itself. 2 s statement timeout, 1 s connect timeout: allow 8 s.
  const started = Date.now();
  const within = (ms: number, request: Promise<LightMyRequestResponse>) =>
    Promise.race([request, sleep(ms).then(() => undefined)]).then((res) => ({ res, ms: Date.now() - started }));
  // A write takes one connection, a read the other; readiness then finds the pool full.
  const write = within(
    8000,
    r.call('POST', '/v1/organisations', { token: admin, body: organisation('BNNP Saat Sunyi') }),
  );
  await lent(r.database, 1);
  const read = within(8000, r.call('GET', '/v1/facilities', { token: admin }));
  await lent(r.database, 2);
  const ready = within(8000, r.call('GET', '/health/ready'));
  for (const [what, pending] of [
    ['a read', read],
    ['a write', write],
    ['readiness', ready],
  ] as const) {
    const answer = await pending;
    t.ok(answer.res, `${what} answered within 8 s (after ${answer.ms} ms)`);
    if (answer.res) unavailable(t, answer.res, what);
  }

  // The network comes back (as new connections): the pool holds no stuck connection afterwards.
  t.equal(unguardedLentClients(r.database), 0, 'no lent-out connection without an error listener');
  await r.proxy.stop();
  await r.proxy.start();
  const back = Date.now();
  let ok = 0;
  while (Date.now() - back < 10_000 && ok < 4) {
    const res = await within(3000, r.call('GET', '/v1/facilities', { token: admin }));
    ok = res.res?.statusCode === 200 ? ok + 1 : 0;
    if (!ok) await sleep(200);
  }
  t.equal(ok, 4, 'reads work again on every connection of the pool');
  const created = await within(
    3000,
    r.call('POST', '/v1/organisations', { token: admin, body: organisation('BNNP Setelah Sunyi') }),
  );
  t.equal(created.res?.statusCode, 201, 'and writes');
  t.equal(await h.count('organisations'), writesBefore + 1, 'only the write made after recovery was stored');
  t.equal(lentOut(r.database), 0, 'every connection given back to the pool (none leaked by a failed BEGIN)');
});

t.test(
  'a connection lost in the middle of a write: 503, nothing stored, the process lives on',
  { skip: serverOnly },
  async (t) => {
    const r = await rig(t);
    const admin = await h.login('admin');
    t.equal((await r.call('GET', '/health/ready')).statusCode, 200);
    const name = 'BNNP Putus Di Tengah';

    // Another session holds a lock that the write's INSERT waits for, inside its transaction.
    const locker = new pg.Client({ connectionString: h.test.url });
    await locker.connect();
    t.teardown(() => locker.end());
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE organisations IN SHARE ROW EXCLUSIVE MODE');
    const write = r.call('POST', '/v1/organisations', { token: admin, body: organisation(name) });
    const waiting = async () =>
      (
        await h.rows<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE 'insert into "organisations"%'`,
        )
      )[0]?.n ?? 0;
    while ((await waiting()) === 0);
    t.equal(await waiting(), 1, 'the write waits inside its transaction');

    t.equal(
      unguardedLentClients(r.database),
      0,
      'the connection lent to the transaction has an error listener (else losing it crashes the process)',
    );
    await r.proxy.stop();
    const started = Date.now();
    const answer = await write;
    unavailable(t, answer, 'the write whose connection was lost');
    t.ok(Date.now() - started < 3000, 'answered at once');
    await locker.query('ROLLBACK');

    await r.proxy.start();
    let ready: LightMyRequestResponse | undefined;
    for (let i = 0; i < 50; i++) {
      ready = await r.call('GET', '/health/ready');
      if (ready.statusCode === 200) break;
      await sleep(200);
    }
    t.equal(ready?.statusCode, 200, 'ready again');
    const again = await r.call('POST', '/v1/organisations', { token: admin, body: organisation(name) });
    t.equal(again.statusCode, 201, 'the same write, made again, is stored');
    t.equal(await h.count('organisations', `name = '${name}'`), 1, 'once: the lost one left nothing');
    t.equal(await h.count('audit_events', `action = 'organisation.created' AND after->>'name' = '${name}'`), 1);
    t.equal(lentOut(r.database), 0, 'every connection given back to the pool');
  },
);

t.test('a write that fails midway leaves nothing behind', async (t) => {
  const admin = await h.login('admin');
  const tables = ['mous', 'mou_facilities', 'audit_events', 'idempotency_keys'];
  const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (n) => [n, await h.count(n)])));
  const before = await counts();
  const mou = (over: Record<string, unknown> = {}) => ({
    number: 'PKS/GAGAL/1/2026',
    title: 'Tes urine bersama',
    bnn_unit_id: org['bnnk.purbalingga'],
    facility_ids: [fac.purwokerto],
    scope: ['urine_testing'],
    signed_on: '2026-01-05',
    valid_from: '2026-01-05',
    valid_until: '2028-01-04',
    ...over,
  });

  const missing = await h.call('POST', '/v1/mous', {
    token: admin,
    body: mou({ facility_ids: [fac.purwokerto, '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d'] }),
    headers: { 'idempotency-key': 'gagal-1' },
  });
  t.equal(missing.statusCode, 422);
  t.equal(missing.json().errors[0].pointer, '/facility_ids');
  t.same(await counts(), before, 'no MoU, no covered facility, no audit event, no stored answer');

  // A fault after the MoU and its facilities are written, when its audit event is: the database
  // refuses that event (a trigger of this test's own), and the whole transaction goes.
  await h.rows(`CREATE FUNCTION test_refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'injected fault'; END $$`);
  await h.rows(`CREATE TRIGGER test_refuse_marked BEFORE INSERT ON audit_events FOR EACH ROW
    WHEN (NEW.after->>'title' = 'GAGAL DI TENGAH') EXECUTE FUNCTION test_refuse_marked()`);
  t.teardown(() => h.rows('DROP TRIGGER IF EXISTS test_refuse_marked ON audit_events'));
  const midway = await h.call('POST', '/v1/mous', {
    token: admin,
    body: mou({ title: 'GAGAL DI TENGAH', facility_ids: [fac.banjarnegara, fac.purwokerto] }),
    headers: { 'idempotency-key': 'gagal-2' },
  });
  t.equal(midway.statusCode, 500);
  t.equal(midway.json().code, 'internal_error');
  t.notMatch(midway.body, /injected fault|audit_events|INSERT/, 'no SQL or database message reaches the client');
  t.same(await counts(), before, 'the MoU and its facilities went with the refused audit event');

  await h.rows('DROP TRIGGER test_refuse_marked ON audit_events');
  const retried = await h.call('POST', '/v1/mous', {
    token: admin,
    body: mou({ title: 'GAGAL DI TENGAH', facility_ids: [fac.banjarnegara, fac.purwokerto] }),
    headers: { 'idempotency-key': 'gagal-2' },
  });
  t.equal(retried.statusCode, 201, 'a retry with the same key is done afresh, not replayed as a failure');
  t.equal(retried.headers['idempotent-replayed'], undefined);
  t.same(await counts(), {
    ...before,
    mous: before.mous + 1,
    mou_facilities: before.mou_facilities + 2,
    audit_events: before.audit_events + 2,
    idempotency_keys: before.idempotency_keys + 1,
  });
});
