// Webhook delivery lag, from a write's commit to a receiver on this machine getting its event, at a
// steady rate of writes; and what the outbox (the event row and its NOTIFY) adds to a write. Usage:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench_webhooks npm run bench:webhooks
// (the database is dropped and made anew). RATE (events a second, 200) and SECONDS (15) set the run.
// It prints; it never fails on a time.

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { recordAudit } from '../src/core/change.ts';
import { recordEvent } from '../src/core/events.ts';
import { openPg, sql } from '../src/db/client.ts';
import { seedDemo } from '../src/db/seed.ts';
import { loadSigningKey } from '../src/http/keys.ts';
import { hashSecret } from '../src/modules/auth/passwords.ts';
import { encryptSecret, newSecret } from '../src/modules/webhooks/secrets.ts';
import { freshDatabase } from './national.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to a scratch database (its name starting with bersinar_bench)');
const rate = Number(process.env.RATE ?? 200);
const seconds = Number(process.env.SECONDS ?? 15);
const password = 'bersinar-demo-2026';

await (await freshDatabase(url)).close();
const database = openPg({ url, poolMax: 16, statementTimeoutMs: 30_000, connectTimeoutMs: 5_000 });
const world = await seedDemo(database.db, password);
if (!world) throw new Error('the demo data did not load');
const facilityId = world.facilities.banjarnegara as string;

// The receiver: when each inspection's event arrived.
const arrivedAt = new Map<string, number>();
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { data: { inspection_id: string } } };
    arrivedAt.set(body.data.data.inspection_id, performance.now());
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const port = (receiver.address() as AddressInfo).port;

const app = await buildApp({
  config: loadConfig({
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    WEBHOOK_WORKER: 'true',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    SECRETS_KEY: randomBytes(32).toString('base64'),
    API_RATE_LIMIT_MAX: '0',
    AUTH_RATE_LIMIT_MAX: '1000000',
    MAX_EVENT_LOOP_DELAY_MS: '0',
  }),
  database,
  signingKey: loadSigningKey({ log: () => undefined }),
});
await app.ready();

const clientId = uuidv7();
await database.db.execute(
  sql`INSERT INTO api_clients (id, client_id, name, secret_hash, scopes)
      VALUES (${clientId}, 'bench.hooks', 'Bench receiver', ${await hashSecret(password)}, '{read,webhooks}')`,
);
await database.db.execute(
  sql`INSERT INTO webhook_subscriptions (id, api_client_id, url, event_types, secret, created_at)
      VALUES (${uuidv7()}, ${clientId}, ${`http://127.0.0.1:${port}/hook`}, '{inspection.created.v1}',
              ${encryptSecret(app.secretsKey, newSecret())}, now() - interval '1 minute')`,
);

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const ms = (x: number) => x.toFixed(1);

// 1. The lag: events written at a steady rate, each in a transaction of its own with an audit
// record as a write has; each commit stamped, each event's arrival stamped by the receiver.
const committedAt = new Map<string, number>();
const writeMs: number[] = [];
const total = rate * seconds;
const actor = { type: 'system' as const, id: null, role: null, requestId: null };
const write = async (key: string) => {
  await database.db.transaction(async (tx) => {
    await recordAudit(tx, actor, { action: 'bench.wrote', entityType: 'bench', entityId: null });
    await recordEvent(tx, new Date(), {
      type: 'inspection.created.v1',
      part: 'inspections',
      subject: { type: 'inspection', id: key },
      facilityIds: [facilityId],
      data: { inspection_id: key },
    });
  });
};
const started = performance.now();
const writes: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const due = started + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const sent = performance.now();
  const key = `bench-${i}`;
  writes.push(
    write(key).then(() => {
      const now = performance.now();
      committedAt.set(key, now);
      writeMs.push(now - sent);
    }),
  );
}
await Promise.all(writes);
const wrote = performance.now() - started;
const deadline = performance.now() + 60_000;
while (arrivedAt.size < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
const lags = [...committedAt].flatMap(([id, at]) => {
  const got = arrivedAt.get(id);
  return got === undefined ? [] : [got - at];
});

console.log(`\n${total} events written over ${(wrote / 1000).toFixed(1)} s (${Math.round(total / (wrote / 1000))}/s)`);
console.log(`delivered ${arrivedAt.size} of ${total}\n`);
console.log('| measure | p50 ms | p99 ms | max ms |');
console.log('| --- | --- | --- | --- |');
console.log(`| lag, commit to receipt | ${ms(pct(lags, 50))} | ${ms(pct(lags, 99))} | ${ms(Math.max(...lags))} |`);
console.log(
  `| the write (audit record and event) | ${ms(pct(writeMs, 50))} | ${ms(pct(writeMs, 99))} | ${ms(Math.max(...writeMs))} |`,
);

await app.close();
receiver.close();

// 2. What the outbox adds to a write: a transaction with an audit record, with and without the
// event row (its position drawn under the audit chain's lock, and its NOTIFY), one at a time.
const runs = 1000;
const bare: number[] = [];
const withEvent: number[] = [];
for (let i = 0; i < runs; i++) {
  for (const outbox of i % 2 ? [false, true] : [true, false]) {
    const t0 = performance.now();
    await database.db.transaction(async (tx) => {
      await recordAudit(tx, actor, { action: 'bench.wrote', entityType: 'bench', entityId: null });
      if (outbox)
        await recordEvent(tx, new Date(), {
          type: 'inspection.created.v1',
          part: 'inspections',
          subject: { type: 'inspection', id: String(i) },
          facilityIds: [facilityId],
          data: { n: i },
        });
    });
    (outbox ? withEvent : bare).push(performance.now() - t0);
  }
}
console.log(`\n${runs} transactions each, one at a time:\n`);
console.log('| transaction | p50 ms | p99 ms |');
console.log('| --- | --- | --- |');
console.log(`| an audit record | ${ms(pct(bare, 50))} | ${ms(pct(bare, 99))} |`);
console.log(`| an audit record and an event | ${ms(pct(withEvent, 50))} | ${ms(pct(withEvent, 99))} |`);
await database.close();
