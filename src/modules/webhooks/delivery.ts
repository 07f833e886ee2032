import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../core/change.ts';
import { type Db, queryRows } from '../../core/executor.ts';
import { presentEvents, type StoredEvent } from '../events/service.ts';
import { guardedLookup, isSpecialAddress } from './destination.ts';
import { clientPrincipal } from './dispatch.ts';
import { decryptSecret } from './secrets.ts';
import { signedHeaders } from './signature.ts';

// Sending what is due: each delivery is claimed (FOR UPDATE SKIP LOCKED, then a lease in
// locked_until) so that no two processes send it at once, POSTed once, and its try recorded.
// A failed try is retried on Standard Webhooks' schedule, by the app's clock; after the last the
// delivery fails and its subscription is disabled, with the reason its owner reads.

/** The waits before each retry, after the first try: Standard Webhooks' schedule, about a day in all. */
export const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
/** Each wait is stretched or shrunk by up to this share, so that a burst of failures does not retry as one. */
export const JITTER = 0.1;
/** How many deliveries one round claims at most, and how many of them are in flight at once. */
export const SEND_BATCH = 100;
const IN_FLIGHT = 32;
const EXCERPT_BYTES = 512;

// Connections are kept for the next delivery to the same receiver; each was checked by the address
// guard when it was made. Apart by the guard's setting, so that one never serves the other.
const agents = new Map<string, http.Agent>();
function agentFor(secure: boolean, allowPrivate: boolean): http.Agent {
  const key = `${secure} ${allowPrivate}`;
  let agent = agents.get(key);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: IN_FLIGHT, timeout: 30_000 };
    agent = secure ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

export interface SendSettings {
  secretsKey: Buffer;
  allowPrivate: boolean;
  timeoutMs: number;
  /** For the audit of people named to a client with personal_data. */
  now: () => Date;
}

interface Claimed {
  id: string;
  subscription_id: string;
  event_id: string | null;
  event_type: string;
  attempts: number;
  created_at: Date | string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | string | null;
  api_client_id: string;
  organisation_id: string | null;
  scopes: string[];
}

export interface TryOutcome {
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  excerpt: string | null;
}

/** The wait before the try after `attempts` failed ones, or null when that was the last. */
export function retryDelay(attempts: number, random: () => number = Math.random): number | null {
  const base = RETRY_DELAYS_MS[attempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/** Claims the deliveries due at `now` whose subscription is active, for the length of one send. */
async function claimDue(db: Db, now: Date, leaseMs: number, limit: number): Promise<Claimed[]> {
  return queryRows<Claimed>(
    db,
    sql`WITH due AS (
          SELECT d.id FROM webhook_deliveries d
            JOIN webhook_subscriptions s ON s.id = d.subscription_id
           WHERE d.status = 'pending' AND d.next_attempt_at <= ${now}
             AND (d.locked_until IS NULL OR d.locked_until <= ${now})
             AND s.status = 'active'
           ORDER BY d.next_attempt_at
           LIMIT ${limit}
             FOR UPDATE OF d SKIP LOCKED)
        UPDATE webhook_deliveries d SET locked_until = ${new Date(now.getTime() + leaseMs)}
          FROM due, webhook_subscriptions s, api_clients c
         WHERE d.id = due.id AND s.id = d.subscription_id AND c.id = s.api_client_id
        RETURNING d.id, d.subscription_id, d.event_id, d.event_type, d.attempts, d.created_at, s.url, s.secret,
                  s.previous_secret, s.previous_secret_until, s.api_client_id, c.organisation_id, c.scopes`,
  );
}

/** The bodies of the claimed deliveries, each event told as its client is told of it. */
async function bodiesOf(db: Db, claimed: Claimed[]): Promise<Map<string, string>> {
  const bodies = new Map<string, string>();
  const eventIds = [...new Set(claimed.map((d) => d.event_id).filter((id): id is string => id !== null))];
  const events = new Map<string, StoredEvent>();
  if (eventIds.length > 0) {
    const rows = await queryRows<StoredEvent>(
      db,
      sql`SELECT position::text, id, type, occurred_at, subject_type, subject_id, facility_ids, data, people
            FROM domain_events WHERE id = ANY (${sql.param(eventIds)}::uuid[])`,
    );
    for (const row of rows) events.set(row.id, row);
  }
  const byClient = new Map<string, Claimed[]>();
  for (const d of claimed) byClient.set(d.api_client_id, [...(byClient.get(d.api_client_id) ?? []), d]);
  for (const [clientId, deliveries] of byClient) {
    const first = deliveries[0] as Claimed;
    const principal = clientPrincipal({ id: clientId, organisation_id: first.organisation_id, scopes: first.scopes });
    const actor: Actor = { type: 'api_client', id: clientId, role: 'api_client', requestId: null };
    const rows = [
      ...new Map(
        deliveries
          .flatMap((d) => (d.event_id && events.has(d.event_id) ? [events.get(d.event_id) as StoredEvent] : []))
          .map((e) => [e.id, e]),
      ).values(),
    ];
    const envelopes = new Map(
      (await presentEvents(db, principal, actor, rows, `webhook:${first.subscription_id}`)).map((e) => [e.id, e]),
    );
    for (const d of deliveries) {
      if (d.event_id === null) {
        const at = new Date(d.created_at).toISOString();
        bodies.set(d.id, JSON.stringify({ type: 'ping', timestamp: at, data: { subscription_id: d.subscription_id } }));
        continue;
      }
      const envelope = envelopes.get(d.event_id);
      if (!envelope) continue; // pruned since: the delivery fails without a try
      bodies.set(d.id, JSON.stringify({ type: envelope.type, timestamp: envelope.occurred_at, data: envelope }));
    }
  }
  return bodies;
}

/** The secrets that sign at `now`: the current one, and the previous while its overlap lasts. */
function secretsInForce(d: Claimed, key: Buffer, now: Date): string[] {
  const secrets = [decryptSecret(key, d.secret)];
  if (d.previous_secret && d.previous_secret_until && new Date(d.previous_secret_until) > now)
    secrets.push(decryptSecret(key, d.previous_secret));
  return secrets;
}

/**
 * One POST, never following a redirect, within the timeout, to an address outside the special
 * ranges unless they are allowed (checked on the address connected to, so a name re-pointed since
 * the subscription was made is refused too).
 */
export function postOnce(
  url: string,
  headers: Record<string, string>,
  body: string,
  settings: Pick<SendSettings, 'allowPrivate' | 'timeoutMs'>,
): Promise<TryOutcome> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const failed = (error: string): TryOutcome => ({ statusCode: null, error, latencyMs: latency(), excerpt: null });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(failed('the URL cannot be read'));
  }
  const secure = target.protocol === 'https:';
  if (!secure && !(settings.allowPrivate && target.protocol === 'http:'))
    return Promise.resolve(failed(`the scheme ${target.protocol} is not allowed`));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!settings.allowPrivate && isIP(host) && isSpecialAddress(host))
    return Promise.resolve(failed(`EPRIVATEADDRESS: ${host} is in a private range`));
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: TryOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = (secure ? https : http).request(
      target,
      {
        method: 'POST',
        agent: agentFor(secure, settings.allowPrivate),
        lookup: guardedLookup(settings.allowPrivate) as never,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'bersinar-webhooks',
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const answered = () =>
          finish({
            statusCode: response.statusCode ?? null,
            error: null,
            latencyMs: latency(),
            excerpt:
              size === 0
                ? null
                : Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8').replaceAll('\u0000', ''),
          });
        response.on('data', (chunk: Buffer) => {
          if (size >= EXCERPT_BYTES) return;
          chunks.push(chunk);
          size += chunk.length;
          // The rest of a long answer is not waited for.
          if (size >= EXCERPT_BYTES) {
            answered();
            response.destroy();
          }
        });
        response.on('end', answered);
        response.on('error', () => answered());
        response.on('close', answered);
      },
    );
    const timer = setTimeout(() => {
      finish(failed(`timed out after ${settings.timeoutMs} ms`));
      request.destroy();
    }, settings.timeoutMs);
    request.on('error', (err: NodeJS.ErrnoException) =>
      finish(failed(err.code ? `${err.code}: ${err.message}` : err.message)),
    );
    request.end(body);
  });
}

interface Tried {
  d: Claimed;
  at: Date;
  outcome: TryOutcome;
}

/**
 * Writes a batch's tries and what follows from each, in one transaction: succeeded, retried later,
 * or failed with its subscription disabled (the reason its owner reads).
 */
async function recordTries(db: Db, tries: Tried[]): Promise<void> {
  if (tries.length === 0) return;
  const rows = tries.map(({ d, at, outcome }) => {
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const attempts = d.attempts + 1;
    const delay = ok ? null : retryDelay(attempts);
    const status = ok ? 'succeeded' : delay === null ? 'failed' : 'pending';
    const last = outcome.statusCode !== null ? `HTTP ${outcome.statusCode}` : (outcome.error ?? 'no answer');
    return {
      d,
      at,
      outcome,
      attempts,
      status,
      next: delay === null ? null : new Date(at.getTime() + delay),
      reason: `A ${d.event_type} delivery (${d.id}) failed ${attempts} times in a row; the last: ${last}`,
    };
  });
  const values = (list: typeof rows, row: (r: (typeof rows)[number]) => ReturnType<typeof sql>) =>
    sql.join(list.map(row), sql`, `);
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`INSERT INTO webhook_attempts (id, delivery_id, attempted_at, status_code, error, latency_ms, response_excerpt)
          VALUES ${values(
            rows,
            (r) =>
              sql`(${uuidv7()}::uuid, ${r.d.id}::uuid, ${r.at}::timestamptz, ${r.outcome.statusCode}::int,
                   ${r.outcome.error}::text, ${r.outcome.latencyMs}::int, ${r.outcome.excerpt}::text)`,
          )}`,
    );
    await tx.execute(
      sql`UPDATE webhook_deliveries d
             SET status = v.status, attempts = v.attempts, next_attempt_at = v.next, locked_until = NULL,
                 last_attempt_at = v.at, completed_at = CASE WHEN v.status = 'pending' THEN NULL ELSE v.at END
            FROM (VALUES ${values(
              rows,
              (r) =>
                sql`(${r.d.id}::uuid, ${r.status}::text, ${r.attempts}::int, ${r.next}::timestamptz, ${r.at}::timestamptz)`,
            )}) AS v(id, status, attempts, next, at)
           WHERE d.id = v.id`,
    );
    const failed = rows.filter((r) => r.status === 'failed');
    if (failed.length > 0)
      await tx.execute(
        sql`UPDATE webhook_subscriptions s
               SET status = 'disabled', disabled_reason = v.reason, disabled_at = v.at, updated_at = v.at,
                   version = s.version + 1
              FROM (SELECT DISTINCT ON (id) * FROM (VALUES ${values(
                failed,
                (r) => sql`(${r.d.subscription_id}::uuid, ${r.reason}::text, ${r.at}::timestamptz)`,
              )}) AS f(id, reason, at) ORDER BY id, at) AS v
             WHERE s.id = v.id AND s.status = 'active'`,
      );
  });
}

/** A delivery whose event was pruned before it could be sent: failed, with no try to show. */
async function giveUp(db: Db, d: Claimed, at: Date): Promise<void> {
  await db.execute(
    sql`UPDATE webhook_deliveries SET status = 'failed', locked_until = NULL, completed_at = ${at} WHERE id = ${d.id}`,
  );
}

/** Sends one batch of the deliveries due at the app's clock: how many were tried. */
export async function sendDue(db: Db, settings: SendSettings, limit = SEND_BATCH): Promise<number> {
  const now = settings.now();
  // Held until the whole batch is sent and recorded: every lane may meet receivers that time out.
  const leaseMs = settings.timeoutMs * Math.ceil(limit / IN_FLIGHT) + 60_000;
  const claimed = await claimDue(db, now, leaseMs, limit);
  if (claimed.length === 0) return 0;
  const bodies = await bodiesOf(db, claimed);
  let next = 0;
  const tries: Tried[] = [];
  const lane = async () => {
    for (;;) {
      const d = claimed[next++];
      if (!d) return;
      const body = bodies.get(d.id);
      const at = settings.now();
      if (body === undefined) {
        await giveUp(db, d, at);
        continue;
      }
      const headers = signedHeaders(`msg_${d.id}`, at, body, secretsInForce(d, settings.secretsKey, at));
      tries.push({ d, at, outcome: await postOnce(d.url, headers, body, settings) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, claimed.length) }, lane));
  await recordTries(db, tries);
  return tries.length;
}

/** When the next pending delivery of an active subscription falls due, if any. */
export async function nextDue(db: Db): Promise<Date | null> {
  const [row] = await queryRows<{ at: Date | string | null }>(
    db,
    sql`SELECT min(greatest(d.next_attempt_at, d.locked_until)) AS at FROM webhook_deliveries d
          JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.status = 'active'
         WHERE d.status = 'pending'`,
  );
  return row?.at ? new Date(row.at) : null;
}
