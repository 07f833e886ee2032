import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access.ts';
import { type Db, queryRows } from '../../core/executor.ts';
import { visibleEvents } from '../events/service.ts';

// The fan-out: reads the outbox (domain_events) in commit order from where it stopped, and writes a
// delivery for each event and each active subscription that wants it and whose client may see it.
// One process at a time holds the cursor row (FOR UPDATE SKIP LOCKED); the others skip the round.
// A delivery is unique per subscription and event, so a batch fanned out twice delivers once.

const CURSOR = 'deliveries';
export const DISPATCH_BATCH = 500;

/** A UUIDv7 drawn in SQL: the deliveries are written set-based, and ordered by it within an instant. */
export const sqlUuidv7 = sql`encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
  substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid`;

interface ClientRow {
  id: string;
  organisation_id: string | null;
  scopes: string[];
}

/** An API client as the rules of reach see it: the principal its access token would carry. */
export function clientPrincipal(client: ClientRow): Principal {
  return {
    kind: 'api_client',
    id: client.id,
    role: 'api_client',
    organisationId: client.organisation_id,
    facilityId: null,
    scopes: client.scopes,
  };
}

/** Fans out one batch of events at most: how many deliveries it wrote, and whether more events wait. */
export async function dispatchBatch(db: Db, now: Date): Promise<{ created: number; more: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`INSERT INTO webhook_dispatch (name, position) VALUES (${CURSOR}, 0) ON CONFLICT (name) DO NOTHING`,
    );
    const [cursor] = await queryRows<{ position: string }>(
      tx,
      sql`SELECT position::text FROM webhook_dispatch WHERE name = ${CURSOR} FOR UPDATE SKIP LOCKED`,
    );
    if (!cursor) return { created: 0, more: false };
    const from = Number(cursor.position);
    const [batch] = await queryRows<{ upto: string | null; n: number }>(
      tx,
      sql`SELECT max(position)::text AS upto, count(*)::int AS n
            FROM (SELECT position FROM domain_events WHERE position > ${from} ORDER BY position LIMIT ${DISPATCH_BATCH}) b`,
    );
    if (!batch?.upto) return { created: 0, more: false };
    const upto = Number(batch.upto);
    // The clients with a subscription that may want one of these events: reach is judged per client.
    const clients = await queryRows<ClientRow>(
      tx,
      sql`SELECT DISTINCT c.id, c.organisation_id, c.scopes
            FROM webhook_subscriptions s JOIN api_clients c ON c.id = s.api_client_id
           WHERE s.status = 'active' AND c.active AND 'webhooks' = ANY (c.scopes)
             AND EXISTS (SELECT 1 FROM domain_events e
                          WHERE e.position > ${from} AND e.position <= ${upto} AND e.type = ANY (s.event_types))`,
    );
    let created = 0;
    for (const client of clients) {
      const visible = await visibleEvents(tx, clientPrincipal(client), now);
      const rows = await queryRows(
        tx,
        sql`INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, status, next_attempt_at, created_at)
            SELECT ${sqlUuidv7}, s.id, e.id, e.type, 'pending', ${now}, ${now}
              FROM domain_events e
              JOIN webhook_subscriptions s
                ON s.api_client_id = ${client.id} AND s.status = 'active'
               AND e.type = ANY (s.event_types)
               AND (s.facility_id IS NULL OR s.facility_id = ANY (e.facility_ids))
               AND e.occurred_at >= s.created_at
             WHERE e.position > ${from} AND e.position <= ${upto} AND ${visible}
             ORDER BY e.position
            ON CONFLICT (subscription_id, event_id) DO NOTHING
            RETURNING 1`,
      );
      created += rows.length;
    }
    await tx.execute(sql`UPDATE webhook_dispatch SET position = ${upto} WHERE name = ${CURSOR}`);
    return { created, more: batch.n >= DISPATCH_BATCH };
  });
}

/** Fans out every event committed since the last round (a few batches at most): deliveries written. */
export async function dispatchEvents(db: Db, now: Date, maxBatches = 20): Promise<{ created: number; more: boolean }> {
  let created = 0;
  for (let i = 0; i < maxBatches; i++) {
    const batch = await dispatchBatch(db, now);
    created += batch.created;
    if (!batch.more) return { created, more: false };
  }
  return { created, more: true };
}
