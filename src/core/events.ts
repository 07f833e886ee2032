import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { type Executor, queryRows } from './executor.ts';

// Domain events: what outside systems are told of a change, written in the change's own
// transaction (the outbox). Modules define their event types with defineEvent in their events.ts;
// the events module publishes the catalogue, the feed and the webhooks.

/**
 * Which rule of reach decides who is told of an event, as for the records themselves:
 * - a part of the work inside a facility (core/access.ts, PURPOSES), by `facilityIds`;
 * - `facilities`: a facility's own record (a scorecard), by `facilityIds` with no MoU purpose;
 * - `mous`: the BNN unit of the MoU (`organisationIds`) and whoever reaches one of its facilities;
 * - `p4gn`, `kotan`, `meetings`: work outside the walls, by area (`area`) or taking part
 *   (`organisationIds`); KOTAN and meetings keep their own readers (mayReadKotan, mayReadMeetings).
 */
export type EventPart =
  | 'inspections'
  | 'urine'
  | 'trainings'
  | 'rehab'
  | 'inmates'
  | 'officers'
  | 'facilities'
  | 'mous'
  | 'p4gn'
  | 'kotan'
  | 'meetings';

/** A person an event is about, by id: named, or shown by pseudonym, when the event is read. */
export interface PersonRef {
  type: 'inmate' | 'officer';
  id: string;
}

/** Where an event happened and what it is about: what reach is judged on. */
export interface EventPlace {
  subject: { type: string; id: string };
  facilityIds?: readonly string[];
  organisationIds?: readonly string[];
  area?: { provinceCode: string; regency: string | null };
  people?: readonly PersonRef[];
  /** Told once only, ever: a second event under the same key is not written (time-based events). */
  once?: string;
}

export interface EventRecord extends EventPlace {
  type: string;
  part: EventPart;
  data: Record<string, unknown>;
}

/** One event type of the catalogue: its name with version, who is told of it, and its data's schema. */
export interface EventDefinition<S extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>> {
  type: string;
  part: EventPart;
  summary: string;
  data: S;
}

/** Anything that can write events in its transaction: a Change. */
export interface Emitter {
  emit(event: EventRecord): Promise<boolean>;
  emitMany(events: EventRecord[]): Promise<number>;
}

export interface DefinedEvent<S extends z.ZodType<Record<string, unknown>>> extends EventDefinition<S> {
  /** Writes the event in the change's transaction; false when a `once` key had been told already. */
  emit(change: Emitter, place: EventPlace, data: z.input<S>): Promise<boolean>;
  /** Many events of this type in one statement (an import's rows, a chore's finds): how many were written. */
  emitEach(change: Emitter, items: { place: EventPlace; data: z.input<S> }[]): Promise<number>;
}

/** `inspection.signed_off.v1`: lower-case words, dots between them, and the version last. */
const EVENT_TYPE = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+\.v[1-9][0-9]*$/;

export function defineEvent<S extends z.ZodType<Record<string, unknown>>>(
  definition: EventDefinition<S>,
): DefinedEvent<S> {
  if (!EVENT_TYPE.test(definition.type)) throw new Error(`event type ${definition.type} is not name.verb.vN`);
  return {
    ...definition,
    // Parsed here so that a module can never write an event its published schema does not describe.
    emit: (change, place, data) =>
      change.emit({ ...place, type: definition.type, part: definition.part, data: definition.data.parse(data) }),
    emitEach: (change, items) =>
      change.emitMany(
        items.map(({ place, data }) => ({
          ...place,
          type: definition.type,
          part: definition.part,
          data: definition.data.parse(data),
        })),
      ),
  };
}

/** Appends one event in the caller's transaction; the position trigger orders it by commit. */
export async function recordEvent(tx: Executor, now: Date, event: EventRecord): Promise<boolean> {
  if (event.once !== undefined) {
    const marked = await queryRows(
      tx,
      sql`INSERT INTO event_marks (key, marked_at) VALUES (${event.once}, ${now}) ON CONFLICT (key) DO NOTHING RETURNING key`,
    );
    if (marked.length === 0) return false;
  }
  await tx.execute(
    sql`INSERT INTO domain_events (id, type, occurred_at, part, subject_type, subject_id, facility_ids,
                                   organisation_ids, province_code, regency, data, people)
        VALUES (${uuidv7()}, ${event.type}, ${now}, ${event.part}, ${event.subject.type}, ${event.subject.id},
                ${uuidArray(event.facilityIds)}, ${uuidArray(event.organisationIds)},
                ${event.area?.provinceCode ?? null}, ${event.area?.regency ?? null},
                ${JSON.stringify(event.data)}::jsonb, ${JSON.stringify(event.people ?? [])}::jsonb)`,
  );
  return true;
}

const uuidArray = (ids: readonly string[] | undefined) => sql`${`{${[...new Set(ids ?? [])].join(',')}}`}::uuid[]`;

/**
 * Appends many events in one statement, in the order given; positions follow that order. Those
 * with a `once` key already told (or told earlier in the same batch) are left out: answers how
 * many were written. One statement keeps the audit chain's lock, which the first event takes,
 * held for as short a time as a single write's.
 */
export async function recordEvents(tx: Executor, now: Date, events: EventRecord[]): Promise<number> {
  let kept = events;
  const keys = [...new Set(events.flatMap((e) => (e.once === undefined ? [] : [e.once])))];
  if (keys.length > 0) {
    const marked = await queryRows<{ key: string }>(
      tx,
      sql`INSERT INTO event_marks (key, marked_at) SELECT k, ${now} FROM unnest(${sql.param(keys)}::text[]) AS k
          ON CONFLICT (key) DO NOTHING RETURNING key`,
    );
    const fresh = new Set(marked.map((m) => m.key));
    kept = events.filter((e) => e.once === undefined || (fresh.has(e.once) && fresh.delete(e.once)));
  }
  if (kept.length === 0) return 0;
  const column = <T>(pick: (e: EventRecord) => T) => sql.param(kept.map(pick));
  await tx.execute(
    sql`INSERT INTO domain_events (id, type, occurred_at, part, subject_type, subject_id, facility_ids,
                                   organisation_ids, province_code, regency, data, people)
        SELECT v.id, v.type, ${now}, v.part, v.subject_type, v.subject_id,
               string_to_array(v.facility_ids, ',')::uuid[], string_to_array(v.organisation_ids, ',')::uuid[],
               v.province_code, v.regency, v.data, v.people
          FROM unnest(${column(() => uuidv7())}::uuid[], ${column((e) => e.type)}::text[], ${column((e) => e.part)}::text[],
                      ${column((e) => e.subject.type)}::text[], ${column((e) => e.subject.id)}::text[],
                      ${column((e) => [...new Set(e.facilityIds ?? [])].join(','))}::text[],
                      ${column((e) => [...new Set(e.organisationIds ?? [])].join(','))}::text[],
                      ${column((e) => e.area?.provinceCode ?? null)}::text[], ${column((e) => e.area?.regency ?? null)}::text[],
                      ${column((e) => JSON.stringify(e.data))}::jsonb[], ${column((e) => JSON.stringify(e.people ?? []))}::jsonb[])
               WITH ORDINALITY AS v(id, type, part, subject_type, subject_id, facility_ids, organisation_ids,
                                    province_code, regency, data, people, n)
         ORDER BY v.n`,
  );
  return kept.length;
}
