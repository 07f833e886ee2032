import { type SQL, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type Actor, recordReads } from '../../core/change.ts';
import { compactIds } from '../../core/compact-ids.ts';
import type { PersonRef } from '../../core/events.ts';
import { type Db, type Executor, queryRows } from '../../core/executor.ts';
import type { ReportRead } from '../../db/replica.ts';
import { presentPerson, seesPersonalData } from '../../http/personal-data.ts';
import { type Principal, principalOf } from '../../http/principal.ts';
import { actorOf } from '../../http/write.ts';
import { openPosition, sealPosition } from './cursor.ts';
import type { EventEnvelope, EventPerson } from './envelope.ts';
import type { EventFeedQuery } from './schemas.ts';
import { visibleEvents } from './visibility.ts';

/**
 * How many positions one read looks through at most: a caller who reaches few facilities is not
 * made to wait while the whole country's events are passed over. It then gets fewer events (even
 * none) with a cursor further on, and has_more.
 */
const SCAN_WINDOW = 20_000;

/** An event as stored, the columns a reader is told of: what presentEvents takes. */
export interface StoredEvent {
  position: string;
  id: string;
  type: string;
  occurred_at: Date | string;
  subject_type: string;
  subject_id: string;
  facility_ids: string[];
  data: Record<string, unknown>;
  people: PersonRef[];
}

/** The events the columns of the feed's query hold: the page, with where the log begins and ends. */
interface EventRow extends StoredEvent {
  head: string;
  tail: string;
}

/**
 * The caller's events after a cursor, in commit order. The cursor moves past what the caller may
 * not see without showing it, and never beyond the last committed event: positions are drawn in
 * commit order (core/events.ts), so no event can later appear behind it. A replica replays in
 * commit order too: read there, the page ends at the last event it has, and the next read goes on.
 * Reach is judged on the primary `db`, where a named read's audit is written too.
 */
export async function readFeed(
  db: Db,
  request: FastifyRequest,
  query: z.output<typeof EventFeedQuery>,
  now: Date,
  key: Buffer,
  read: ReportRead = (run) => run(db),
) {
  const principal = principalOf(request);
  const after = query.after === undefined ? 0 : openPosition(key, query.after);
  const visible = await visibleEvents(db, principal, now);
  const types = query.types ? sql`AND e.type IN ${query.types}` : sql``;
  const [rows, people] = await read(async (from) => {
    const page = await pageOf(from, after, visible, types, query.limit);
    return [
      page,
      await peopleOf(
        from,
        page.flatMap((r) => r.people ?? []),
      ),
    ] as const;
  });
  const head = Number(rows[0]?.head ?? 0);
  const from = Math.max(after, Number(rows[0]?.tail ?? 0));
  const found = rows.filter((r) => r.id !== null);
  const full = found.length > query.limit;
  const shown = full ? found.slice(0, query.limit) : found;
  const reached = full ? Number(shown[shown.length - 1]?.position) : Math.max(from, Math.min(head, from + SCAN_WINDOW));
  return {
    data: await presentEvents(db, principal, actorOf(request), shown, request.url, people),
    next_cursor: sealPosition(key, reached),
    has_more: reached < head,
  };
}

/** A page of the caller's events after `after`, with where the log begins and ends. */
function pageOf(db: Executor, after: number, visible: SQL, types: SQL, limit: number) {
  return queryRows<EventRow>(
    db,
    // A reader starts at the oldest event kept, not at positions long pruned.
    sql`WITH head AS (SELECT coalesce(max(position), 0) AS head, coalesce(min(position) - 1, 0) AS tail FROM domain_events)
        SELECT e.position::text, e.id, e.type, e.occurred_at, e.subject_type, e.subject_id, e.facility_ids, e.data,
               e.people, head.head::text AS head, head.tail::text AS tail
          FROM head
          LEFT JOIN LATERAL (
                SELECT * FROM domain_events e
                 WHERE e.position > greatest(${after}, head.tail)
                   AND e.position <= least(head.head, greatest(${after}, head.tail) + ${SCAN_WINDOW})
                   AND ${visible} ${types}
                 ORDER BY e.position
                 LIMIT ${limit + 1}) e ON true`,
  );
}

type Envelope = z.output<typeof EventEnvelope>;
type Person = z.output<typeof EventPerson>;

/**
 * Events as a reader is told of them (a caller of the feed, a webhook's client): the people named
 * only with personal_data, and that naming audited (on `db`, the primary) as a read of each event's
 * record. `known`: the people already read with the events (from the replica), else read here.
 */
export async function presentEvents(
  db: Db,
  reader: Principal,
  actor: Actor,
  rows: StoredEvent[],
  where: string,
  known?: Awaited<ReturnType<typeof peopleOf>>,
): Promise<Envelope[]> {
  const people =
    known ??
    (await peopleOf(
      db,
      rows.flatMap((r) => r.people),
    ));
  const shownPeople = new Map<string, Person>();
  for (const [id, p] of people)
    shownPeople.set(id, presentPerson(reader, p.type === 'inmate' ? 'inmates' : 'officers', p.person));
  // A named event is a read of its record (a test's result, an enrolment), audited as such, at the
  // facility the event is about rather than where the person is now.
  if (seesPersonalData(reader)) {
    const named = new Map<string, { type: string; facilityId: string | null; ids: string[] }>();
    for (const r of rows) {
      if (!r.people.some((p) => people.has(p.id))) continue;
      const facilityId = r.facility_ids[0] ?? null;
      const key = `${r.subject_type} ${facilityId}`;
      const entry = named.get(key) ?? { type: r.subject_type, facilityId, ids: [] };
      if (!entry.ids.includes(r.subject_id)) entry.ids.push(r.subject_id);
      named.set(key, entry);
    }
    await recordReads(
      db,
      actor,
      [...named.values()].map(({ type, facilityId, ids }) => ({
        action: `${type}.viewed`,
        entityType: type,
        entityId: ids.length === 1 ? (ids[0] as string) : null,
        facilityId,
        after: { ...compactIds(ids), url: where },
      })),
    );
  }
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    occurred_at: new Date(r.occurred_at).toISOString(),
    subject: { type: r.subject_type, id: r.subject_id },
    facility_ids: r.facility_ids,
    data: r.data,
    people: r.people.map((p) => shownPeople.get(p.id)).filter((p): p is Person => p !== undefined),
  }));
}

/** The people of a page of events, each read once. */
async function peopleOf(db: Executor, refs: PersonRef[]) {
  const inmateIds = [...new Set(refs.filter((r) => r.type === 'inmate').map((r) => r.id))];
  const officerIds = [...new Set(refs.filter((r) => r.type === 'officer').map((r) => r.id))];
  const found = new Map<string, { type: PersonRef['type']; person: Person }>();
  if (inmateIds.length > 0) {
    const rows = await queryRows<{
      id: string;
      pseudonym: string;
      name: string;
      registration_number: string;
    }>(db, sql`SELECT id, pseudonym, name, registration_number FROM inmates WHERE id IN ${inmateIds}`);
    for (const r of rows)
      found.set(r.id, {
        type: 'inmate',
        person: {
          type: 'inmate',
          id: r.id,
          pseudonym: r.pseudonym,
          name: r.name,
          registration_number: r.registration_number,
          nip: null,
        },
      });
  }
  if (officerIds.length > 0) {
    const rows = await queryRows<{ id: string; pseudonym: string; name: string; nip: string }>(
      db,
      sql`SELECT id, pseudonym, name, nip FROM officers WHERE id IN ${officerIds}`,
    );
    for (const r of rows)
      found.set(r.id, {
        type: 'officer',
        person: {
          type: 'officer',
          id: r.id,
          pseudonym: r.pseudonym,
          name: r.name,
          registration_number: null,
          nip: r.nip,
        },
      });
  }
  return found;
}

/** Forgets events older than the keeping period (an hourly chore): how many. */
export async function pruneEvents(db: Executor, now: Date, days: number): Promise<number> {
  const gone = await queryRows(
    db,
    sql`DELETE FROM domain_events WHERE occurred_at < ${new Date(now.getTime() - days * 86_400_000)} RETURNING 1`,
  );
  return gone.length;
}
