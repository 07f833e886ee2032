import { asc, eq, type SQL, sql } from 'drizzle-orm';
import { reaches } from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import type { PersonRef } from '../../core/events.ts';
import { type Executor, inIds } from '../../db/client.ts';
import type { Principal } from '../../http/principal.ts';
import { notFound, violated } from '../../http/problem.ts';
import { inmates } from '../inmates/tables.ts';
import { officers } from '../officers/tables.ts';
import { addHandover, handoverDue, hasHandover } from './actions.ts';
import { toFindingDto, toFindingRecordDto } from './dto.ts';
import { findingRecorded, narcoticsFound } from './events.ts';
import {
  evidenceWithCustody,
  inspectionReach,
  inspectionToWrite,
  loadInspection,
  requireDraft,
  touch,
} from './load.ts';
import type { FindingCreateInput } from './schemas.ts';
import { evidenceItems, findings, inspections, type PersonInvolved } from './tables.ts';

/**
 * Of the inmates and officers a finding names, those in the registers of the inspected facility,
 * as `type:id`: a column for the statement that loads the report.
 */
function registered(people: PersonInvolved[]): SQL<string[]> {
  const ids = (type: PersonInvolved['type']) =>
    people.filter((p) => p.type === type && p.id).map((p) => p.id as string);
  return sql<string[]>`ARRAY(
    SELECT 'inmate:' || ${inmates.id} FROM ${inmates}
     WHERE ${inIds(inmates.id, ids('inmate'))} AND ${inmates.facilityId} = ${inspections.facilityId}
    UNION ALL
    SELECT 'officer:' || ${officers.id} FROM ${officers}
     WHERE ${inIds(officers.id, ids('officer'))} AND ${officers.facilityId} = ${inspections.facilityId})`;
}

/** People named in a finding must be in the registers of the inspected facility; the first one wrong is told. */
function checkPeople(people: PersonInvolved[], found: string[]) {
  for (const [index, person] of people.entries()) {
    if (person.type === 'unknown') {
      if (person.id) throw violated('inspection_unknown_person_with_id', {}, `/people/${index}/id`);
      continue;
    }
    if (!person.id) throw violated('inspection_person_needs_id', { type: person.type }, `/people/${index}/id`);
    if (!found.includes(`${person.type}:${person.id}`)) {
      throw violated('inspection_person_elsewhere', { index, type: person.type }, `/people/${index}/id`);
    }
  }
}

/** The registered people a finding names, once each, by id: an unknown person is no one to refer to. */
function namedPeople(people: PersonInvolved[]): PersonRef[] {
  const refs = people.flatMap((p) => (p.type !== 'unknown' && p.id ? [{ type: p.type, id: p.id }] : []));
  return refs.filter((p, i) => refs.findIndex((q) => q.type === p.type && q.id === p.id) === i);
}

/**
 * A finding on a draft. Narcotics make the report notify-worthy, and bring by themselves the
 * action to hand the goods to BNN or the police within 48 hours of the end of the search.
 * The report, the people it names and whether it has its hand-over action are read at once,
 * under the report's lock.
 */
export async function addFinding(
  change: Change,
  principal: Principal,
  inspectionId: string,
  input: FindingCreateInput,
  now: Date,
) {
  const narcotics = input.category === 'narcotics';
  const { inspection, timezone, also } = await inspectionToWrite(change, principal, inspectionId, {
    registered: input.people.some((p) => p.id) ? registered(input.people) : sql<string[]>`'{}'::text[]`,
    handover: narcotics ? hasHandover : sql<boolean>`true`,
  });
  requireDraft(inspection);
  checkPeople(input.people, also.registered);
  const [row] = await change.tx
    .insert(findings)
    .values({
      inspectionId: inspection.id,
      facilityId: inspection.facilityId,
      category: input.category,
      description: input.description,
      quantity: String(input.quantity),
      unit: input.unit,
      location: input.location,
      people: input.people,
      createdBy: principal.id,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'inspection.finding_added',
    entityType: 'inspection',
    entityId: inspection.id,
    facilityId: inspection.facilityId,
    after: row,
  });
  const place = {
    subject: { type: 'finding', id: row.id },
    facilityIds: [row.facilityId],
    people: namedPeople(input.people),
  };
  const finding = {
    inspection_id: inspection.id,
    facility_id: row.facilityId,
    finding_id: row.id,
    quantity: Number(row.quantity),
    unit: row.unit,
  };
  await findingRecorded.emit(change, place, { ...finding, category: row.category, narcotics });
  if (narcotics) {
    await narcoticsFound.emit(change, place, {
      ...finding,
      category: 'narcotics',
      ended_at: inspection.endedAt.toISOString(),
      handover_due_date: handoverDue(inspection.endedAt, timezone),
    });
  }
  await touch(change, inspection, now, narcotics ? { narcoticsFound: true } : {});
  if (!also.handover) await addHandover(change, inspection, row.id, timezone);
  return toFindingRecordDto(row, [], [], principal);
}

/** A finding in reach (404 otherwise, as its report), with its evidence and their chain of custody. */
export async function readFinding(db: Executor, principal: Principal, id: string, now: Date) {
  const reach = await inspectionReach(db, principal, now);
  const [row] = await db.select().from(findings).where(eq(findings.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('finding');
  const { evidenceRows, custodyRows } = await evidenceWithCustody(db, eq(evidenceItems.findingId, row.id));
  return toFindingRecordDto(row, evidenceRows, custodyRows, principal);
}

/** The findings of one report in reach, oldest first, with their evidence and its chain of custody. */
export async function listFindings(db: Executor, principal: Principal, inspectionId: string, now: Date) {
  const { inspection } = await loadInspection(db, principal, inspectionId, now);
  const findingRows = await findingsOf(db, inspection.id);
  const { evidenceRows, custodyRows } = await evidenceWithCustody(db, eq(evidenceItems.inspectionId, inspection.id));
  return {
    data: findingRows.map((f) => toFindingDto(f, evidenceRows, custodyRows, principal)),
    next_cursor: null,
  };
}

export function findingsOf(db: Executor, inspectionId: string) {
  return db
    .select()
    .from(findings)
    .where(eq(findings.inspectionId, inspectionId))
    .orderBy(asc(findings.createdAt), asc(findings.id));
}
