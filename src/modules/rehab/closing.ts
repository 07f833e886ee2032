import type { Change } from '../../core/change.ts';
import { type Executor, queryRows, sql } from '../../db/client.ts';
import { tellEnrolment } from './events.ts';

/**
 * Someone released or transferred leaves their programmes by themselves: their open enrolments
 * (awaiting or active) end with that status on that day, and they come off every session still
 * to come. Set-based, for one person or a whole import. The register's module calls this in the
 * same transaction as the release or transfer.
 */
export async function closeEnrolmentsFor(
  change: Change,
  people: { inmateId: string; on: string }[],
  status: 'released' | 'transferred',
  now: Date,
  note?: string,
): Promise<void> {
  if (people.length === 0) return;
  const closed = await queryRows<{
    id: string;
    facility_id: string;
    inmate_id: string;
    programme_id: string;
    ended_on: string;
    status_before: 'awaiting' | 'active';
  }>(
    change.tx,
    // The open enrolments are locked first, so that each one's status before is the one changed.
    sql`WITH v AS (SELECT * FROM unnest(${sql.param(people.map((p) => p.inmateId))}::uuid[],
                                       ${sql.param(people.map((p) => p.on))}::text[]) AS v(inmate_id, on_date)),
             o AS (SELECT e.id, e.status, v.on_date FROM rehab_enrolments e JOIN v ON v.inmate_id = e.inmate_id
                    WHERE e.status IN ('awaiting', 'active') FOR UPDATE OF e)
        UPDATE rehab_enrolments AS e
           SET status = ${status}::rehab_enrolment_status, ended_on = o.on_date::date, end_note = ${note ?? null},
               version = e.version + 1, updated_at = ${change.now.toISOString()}::timestamptz
          FROM o
         WHERE e.id = o.id
     RETURNING e.id::text AS id, e.facility_id::text AS facility_id, e.inmate_id::text AS inmate_id,
               e.programme_id::text AS programme_id, e.ended_on::text AS ended_on, o.status::text AS status_before`,
  );
  if (closed.length === 0) return;
  await leaveComingSessions(
    change.tx,
    closed.map((e) => e.id),
    now,
  );
  // One audit record a facility, however many people an import released there.
  const byFacility = new Map<string, typeof closed>();
  for (const e of closed) byFacility.set(e.facility_id, [...(byFacility.get(e.facility_id) ?? []), e]);
  for (const [facilityId, enrolments] of byFacility) {
    await change.audit({
      action: `rehab.enrolments_${status}`,
      entityType: 'rehab_enrolment',
      entityId: enrolments.length === 1 ? (enrolments[0]?.id ?? null) : null,
      facilityId,
      after: {
        status,
        note: note ?? null,
        enrolments: enrolments.map((e) => ({
          id: e.id,
          inmate_id: e.inmate_id,
          programme_id: e.programme_id,
          ended_on: e.ended_on,
        })),
      },
    });
  }
  // Outside systems are told of each enrolment, as for any other change of status.
  for (const e of closed) {
    await tellEnrolment(
      change,
      { id: e.id, programmeId: e.programme_id, facilityId: e.facility_id, inmateId: e.inmate_id },
      e.status_before,
      status,
    );
  }
}

/** Takes enrolments off the sessions that start after `now`; sessions already begun keep their roster. */
export async function leaveComingSessions(db: Executor, enrolmentIds: string[], now: Date): Promise<void> {
  await queryRows(
    db,
    sql`DELETE FROM rehab_session_inmates
         WHERE enrolment_id = ANY(${sql.param(enrolmentIds)}::uuid[]) AND starts_at > ${now.toISOString()}::timestamptz`,
  );
}
