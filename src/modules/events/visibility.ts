import { type SQL, sql } from 'drizzle-orm';
import {
  areaCondition,
  type FacilityReach,
  facilityReach,
  mayReadKotan,
  mayReadMeetings,
  type Principal,
  PURPOSES,
  readArea,
} from '../../core/access.ts';
import type { EventPart } from '../../core/events.ts';
import type { Executor } from '../../core/executor.ts';

// Which events a caller is told of: those of records it may read now, by the same rules of reach
// as the records themselves (core/access.ts). Judged when the event is read or delivered, so a
// reach lost since (an MoU ended) hides its events too.

const FACILITY_PARTS = ['inspections', 'urine', 'trainings', 'rehab', 'inmates', 'officers'] as const;

const within = (reach: FacilityReach): SQL =>
  reach.all
    ? sql`true`
    : reach.ids.length === 0
      ? sql`false`
      : sql`e.facility_ids && ${`{${reach.ids.join(',')}}`}::uuid[]`;

const tookPart = (principal: Principal): SQL =>
  principal.organisationId ? sql`${principal.organisationId}::uuid = ANY (e.organisation_ids)` : sql`false`;

/** A condition over domain_events `e`: the events this caller may be told of at `now`. */
export async function visibleEvents(db: Executor, principal: Principal, now: Date): Promise<SQL> {
  const parts: SQL[] = [];
  const byPart = (part: EventPart, condition: SQL) => parts.push(sql`(e.part = ${part} AND ${condition})`);

  for (const part of FACILITY_PARTS) byPart(part, within(await facilityReach(db, principal, now, PURPOSES[part])));
  const whole = await facilityReach(db, principal, now);
  byPart('facilities', within(whole));
  // An MoU: its own BNN unit's officers; anyone else who reaches one of its facilities.
  byPart('mous', principal.role === 'bnn_officer' ? tookPart(principal) : within(whole));

  // Outside the walls: the caller's area or taking part, as the records themselves (campaigns/load.ts);
  // facility staff and heads only what was held in their facility, which reaches them no other way.
  const area = await readArea(db, principal);
  const inFacility = principal.role === 'facility_staff' || principal.role === 'facility_head';
  const outside = sql`(${areaCondition(area, sql`e.province_code`, sql`e.regency`)} OR ${tookPart(principal)}
                       ${inFacility ? sql`OR ${within(whole)}` : sql``})`;
  byPart('p4gn', outside);
  if (mayReadKotan(principal)) byPart('kotan', outside);
  if (mayReadMeetings(principal)) byPart('meetings', outside);
  return sql`(${sql.join(parts, sql` OR `)})`;
}
