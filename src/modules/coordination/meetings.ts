import { and, asc, eq, gt, gte, lte, min, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  type Area,
  areaCondition,
  keeps,
  mayReadMeetings,
  NOBODY,
  organisationArea,
  readArea,
  tidyName,
  withinArea,
  writesOutside,
} from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { updatedSince } from '../../db/filters.ts';
import { decodeCursor, page } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound, refuse } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { namedOrganisations } from '../organisations/service.ts';
import { organisations } from '../organisations/tables.ts';
import { overdueSql, toMeetingDto } from './dto.ts';
import type { MeetingCreateInput, MeetingDto, MeetingListQuery, MeetingUpdateInput } from './schemas.ts';
import { actionItems, coordinationMeetings, meetingParticipants } from './tables.ts';

// Rakor: recorded by its organiser, read by whoever reaches its place or took part, corrected by its
// organiser. Each command loads the meeting once, under the lock a write needs.

/**
 * Who sees a meeting: whoever reads its place, and the officers of its organiser, of a participant
 * and of an owner of one of its action items. No condition for those who read everything.
 */
export function meetingVisible(principal: Principal, area: Area): SQL | undefined {
  if (area.kind === 'all') return undefined;
  const m = coordinationMeetings;
  const inArea = areaCondition(area, sql`${m.provinceCode}`, sql`${m.regency}`);
  const org = principal.organisationId ?? NOBODY;
  return sql`(${inArea} OR ${m.organiserId} = ${org}
      OR EXISTS (SELECT 1 FROM coordination_meeting_participants vp WHERE vp.meeting_id = ${m.id} AND vp.organisation_id = ${org})
      OR EXISTS (SELECT 1 FROM action_items vi WHERE vi.meeting_id = ${m.id} AND vi.owner_id = ${org}))`;
}

/** The meeting, its organiser's name, its participants by name and its action plan in counts. */
function meetingRows(db: Executor, now: Date, where: SQL | undefined) {
  const m = coordinationMeetings;
  // Overdue is judged in each owner's time zone, by the clock the read was given.
  const overdue = overdueSql(now, { status: sql`i.status`, dueOn: sql`i.due_on` }, sql`io.timezone`);
  return db
    .select({
      meeting: m,
      organiserName: organisations.name,
      participants: sql<{ id: string; name: string }[]>`(
        SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name) ORDER BY p.name, p.id), '[]'::json)
          FROM coordination_meeting_participants mp JOIN organisations p ON p.id = mp.organisation_id
         WHERE mp.meeting_id = ${m.id})`,
      items: sql<MeetingDto['action_items']>`(
        SELECT json_build_object(
                 'planned', count(*) FILTER (WHERE i.status = 'planned'),
                 'in_progress', count(*) FILTER (WHERE i.status = 'in_progress'),
                 'done', count(*) FILTER (WHERE i.status = 'done'),
                 'dropped', count(*) FILTER (WHERE i.status = 'dropped'),
                 'overdue', count(*) FILTER (WHERE ${overdue}))
          FROM action_items i JOIN organisations io ON io.id = i.owner_id
         WHERE i.meeting_id = ${m.id})`,
    })
    .from(m)
    .innerJoin(organisations, eq(organisations.id, m.organiserId))
    .where(where)
    .$dynamic();
}

export type MeetingRow = Awaited<ReturnType<typeof meetingRows>>[number];

/** One meeting in reach (404 otherwise), locked for a write that changes it or its plan. */
export async function loadMeeting(
  db: Executor,
  principal: Principal,
  area: Area,
  id: string,
  now: Date,
  lock = false,
): Promise<MeetingRow> {
  if (!mayReadMeetings(principal)) throw forbidden();
  if (lock)
    await db
      .select({ id: coordinationMeetings.id })
      .from(coordinationMeetings)
      .where(eq(coordinationMeetings.id, id))
      .for('update');
  const [row] = await meetingRows(db, now, and(eq(coordinationMeetings.id, id), meetingVisible(principal, area)));
  if (!row) throw notFound('coordination meeting');
  return row;
}

/** A meeting and its action plan are kept by administrators and the officers of its organiser. */
export const keepsMeeting = (principal: Principal, meeting: { organiserId: string }) =>
  keeps(principal, meeting.organiserId);

export async function readMeeting(db: Executor, principal: Principal, id: string, now: Date): Promise<MeetingDto> {
  const area = await readArea(db, principal);
  return toMeetingDto(await loadMeeting(db, principal, area, id, now));
}

export async function listMeetings(db: Executor, principal: Principal, q: z.infer<typeof MeetingListQuery>, now: Date) {
  const area = await readArea(db, principal);
  const after = decodeCursor(q.cursor);
  if (!mayReadMeetings(principal)) throw forbidden();
  const m = coordinationMeetings;
  const where = [meetingVisible(principal, area)];
  if (q.organisation_id) {
    where.push(sql`(${m.organiserId} = ${q.organisation_id} OR EXISTS (SELECT 1 FROM coordination_meeting_participants fp
                     WHERE fp.meeting_id = ${m.id} AND fp.organisation_id = ${q.organisation_id}))`);
  }
  if (q.province_code) where.push(eq(m.provinceCode, q.province_code));
  if (q.regency) where.push(sql`lower(${m.regency}) = lower(${tidyName(q.regency)})`);
  if (q.from) where.push(gte(m.heldOn, q.from));
  if (q.to) where.push(lte(m.heldOn, q.to));
  where.push(updatedSince(m.updatedAt, q.updated_since));
  if (after) where.push(gt(m.id, after));
  const rows = await meetingRows(db, now, and(...where))
    .orderBy(asc(m.id))
    .limit(q.limit + 1);
  return page(rows, q.limit, (row) => row.meeting.id, toMeetingDto);
}

export async function createMeeting(change: Change, principal: Principal, input: MeetingCreateInput) {
  if (!writesOutside(principal.role)) throw forbidden();
  const place = { provinceCode: input.province_code, regency: input.regency ? tidyName(input.regency) : null };
  if (principal.role !== 'admin') {
    if (input.organiser_id !== principal.organisationId) {
      refuse('/organiser_id', 'meeting_recorded_by_organiser');
    }
    if (!withinArea(await organisationArea(change.tx, principal.organisationId), place)) {
      refuse(place.regency ? '/regency' : '/province_code', 'meeting_place_outside_area');
    }
  } else {
    await namedOrganisations(change.tx, [input.organiser_id], '/organiser_id');
  }
  const participantIds = input.participant_ids.filter((id) => id !== input.organiser_id);
  await namedOrganisations(change.tx, participantIds, '/participant_ids');
  const [row] = await change.tx
    .insert(coordinationMeetings)
    .values({
      organiserId: input.organiser_id,
      title: input.title,
      heldOn: input.held_on,
      provinceCode: place.provinceCode,
      regency: place.regency,
      venue: input.venue,
      agenda: input.agenda,
      minutes: input.minutes ?? null,
      createdBy: principal.id,
    })
    .returning({ id: coordinationMeetings.id });
  if (!row) throw new Error('insert returned nothing');
  if (participantIds.length) {
    await change.tx
      .insert(meetingParticipants)
      .values(participantIds.map((organisationId) => ({ meetingId: row.id, organisationId })));
  }
  const view = toMeetingDto(await loadMeeting(change.tx, principal, { kind: 'all' }, row.id, change.now));
  await change.audit({
    action: 'coordination_meeting.created',
    entityType: 'coordination_meeting',
    entityId: row.id,
    after: view,
  });
  return view;
}

export async function updateMeeting(
  change: Change,
  principal: Principal,
  id: string,
  expectedVersion: number,
  input: MeetingUpdateInput,
) {
  const area = await readArea(change.tx, principal);
  const before = await loadMeeting(change.tx, principal, area, id, change.now, true);
  if (!keepsMeeting(principal, before.meeting)) throw forbidden();
  checkVersion(before.meeting.version, expectedVersion);
  const heldOn = input.held_on ?? before.meeting.heldOn;
  // Whoever adds or changes an item holds this meeting's lock first (createItem, updateItem): the
  // items read here stay as they are until this change commits.
  const [facts] = await change.tx
    .select({
      earliestDue: min(actionItems.dueOn),
      owners: sql<string[]>`coalesce(array_agg(DISTINCT ${actionItems.ownerId}::text), '{}')::text[]`,
    })
    .from(actionItems)
    .where(eq(actionItems.meetingId, id));
  if (facts?.earliestDue && heldOn > facts.earliestDue) {
    refuse('/held_on', 'meeting_action_item_due_before', { earliest_due: facts.earliestDue });
  }
  const organiserId = before.meeting.organiserId;
  let participantIds = before.participants.map((p) => p.id);
  if (input.participant_ids) {
    participantIds = input.participant_ids.filter((p) => p !== organiserId);
    await namedOrganisations(change.tx, participantIds, '/participant_ids');
    const orphaned = (facts?.owners ?? []).filter((o) => o !== organiserId && !participantIds.includes(o));
    if (orphaned.length) {
      refuse('/participant_ids', 'meeting_these_organisations_own_action', { orphaned: orphaned.join(', ') });
    }
  }
  await updateVersioned(
    change.tx,
    coordinationMeetings,
    before.meeting,
    {
      title: input.title ?? before.meeting.title,
      heldOn,
      venue: input.venue ?? before.meeting.venue,
      agenda: input.agenda ?? before.meeting.agenda,
      minutes: input.minutes === undefined ? before.meeting.minutes : input.minutes,
    },
    change.now,
  );
  if (input.participant_ids) {
    await change.tx.delete(meetingParticipants).where(eq(meetingParticipants.meetingId, id));
    if (participantIds.length) {
      await change.tx
        .insert(meetingParticipants)
        .values(participantIds.map((organisationId) => ({ meetingId: id, organisationId })));
    }
  }
  const after = toMeetingDto(await loadMeeting(change.tx, principal, { kind: 'all' }, id, change.now));
  await change.audit({
    action: 'coordination_meeting.updated',
    entityType: 'coordination_meeting',
    entityId: id,
    before: toMeetingDto(before),
    after,
  });
  return after;
}
