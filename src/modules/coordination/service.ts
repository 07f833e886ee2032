import { and, eq, type SQL, sql } from 'drizzle-orm';
import {
  type Area,
  areaCondition,
  keeps,
  mayReadMeetings,
  NOBODY,
  organisationArea,
  tidyName,
  withinArea,
  writesOutside,
} from '../../core/access.ts';
import { localDateSql } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { isoNotNull } from '../../http/dto.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound, Problem, refuse } from '../../http/problem.ts';
import { namedOrganisations } from '../organisations/service.ts';
import type {
  ActionItemCreateInput,
  ActionItemDto,
  ActionItemUpdateInput,
  ActionStatusValue,
  MeetingCreateInput,
  MeetingDto,
  MeetingUpdateInput,
} from './schemas.ts';
import { actionItemNotes, actionItems, coordinationMeetings, meetingParticipants } from './tables.ts';

/**
 * Who sees a meeting: whoever reads its place, and the officers of its organiser, of a participant
 * and of an owner of one of its action items.
 */
function meetingVisible(principal: Principal, area: Area): SQL {
  if (area.kind === 'all') return sql`true`;
  const inArea = areaCondition(area, sql`m.province_code`, sql`m.regency`);
  const org = principal.organisationId ?? NOBODY;
  return sql`(${inArea} OR m.organiser_id = ${org}
      OR EXISTS (SELECT 1 FROM coordination_meeting_participants vp WHERE vp.meeting_id = m.id AND vp.organisation_id = ${org})
      OR EXISTS (SELECT 1 FROM action_items vi WHERE vi.meeting_id = m.id AND vi.owner_id = ${org}))`;
}

// ---------------------------------------------------------------------------------------------
// Meetings

type MeetingRow = {
  id: string;
  organiser_id: string;
  organiser_name: string;
  title: string;
  held_on: string;
  province_code: string;
  regency: string | null;
  venue: string;
  agenda: string;
  minutes: string | null;
  participants: { id: string; name: string }[];
  items: MeetingDto['action_items'];
  created_by: string;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
};

function meetingQuery(now: Date, where: SQL, tail: SQL = sql``): SQL {
  return sql`SELECT m.id::text AS id, m.organiser_id::text AS organiser_id, o.name AS organiser_name, m.title,
                    m.held_on::text AS held_on, m.province_code, m.regency, m.venue, m.agenda, m.minutes,
                    (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name) ORDER BY p.name, p.id), '[]'::json)
                       FROM coordination_meeting_participants mp JOIN organisations p ON p.id = mp.organisation_id
                      WHERE mp.meeting_id = m.id) AS participants,
                    (SELECT json_build_object(
                              'planned', count(*) FILTER (WHERE i.status = 'planned'),
                              'in_progress', count(*) FILTER (WHERE i.status = 'in_progress'),
                              'done', count(*) FILTER (WHERE i.status = 'done'),
                              'dropped', count(*) FILTER (WHERE i.status = 'dropped'),
                              'overdue', count(*) FILTER (WHERE i.status IN ('planned', 'in_progress')
                                                            AND i.due_on < ${localDateSql(now, sql`io.timezone`)}))
                       FROM action_items i JOIN organisations io ON io.id = i.owner_id
                      WHERE i.meeting_id = m.id) AS items,
                    m.created_by::text AS created_by, m.version, m.created_at, m.updated_at
               FROM coordination_meetings m JOIN organisations o ON o.id = m.organiser_id
              WHERE ${where} ${tail}`;
}

export function toMeetingDto(row: MeetingRow): MeetingDto {
  return {
    id: row.id,
    organiser: { id: row.organiser_id, name: row.organiser_name },
    title: row.title,
    held_on: row.held_on,
    province_code: row.province_code,
    regency: row.regency,
    venue: row.venue,
    agenda: row.agenda,
    minutes: row.minutes,
    participants: row.participants,
    action_items: row.items,
    created_by: row.created_by,
    version: row.version,
    created_at: isoNotNull(row.created_at),
    updated_at: isoNotNull(row.updated_at),
  };
}

export async function getMeeting(
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
  const [row] = await queryRows<MeetingRow>(
    db,
    meetingQuery(now, sql`m.id = ${id} AND ${meetingVisible(principal, area)}`),
  );
  if (!row) throw notFound('coordination meeting');
  return row;
}

export interface MeetingFilter {
  organisationId?: string;
  provinceCode?: string;
  regency?: string;
  from?: string;
  to?: string;
  after?: string;
  limit: number;
}

export async function listMeetings(
  db: Executor,
  principal: Principal,
  area: Area,
  filter: MeetingFilter,
  now: Date,
): Promise<MeetingRow[]> {
  if (!mayReadMeetings(principal)) throw forbidden();
  const where: SQL[] = [meetingVisible(principal, area)];
  if (filter.organisationId) {
    where.push(sql`(m.organiser_id = ${filter.organisationId} OR EXISTS (SELECT 1 FROM coordination_meeting_participants fp
                     WHERE fp.meeting_id = m.id AND fp.organisation_id = ${filter.organisationId}))`);
  }
  if (filter.provinceCode) where.push(sql`m.province_code = ${filter.provinceCode}`);
  if (filter.regency) where.push(sql`lower(m.regency) = lower(${tidyName(filter.regency)})`);
  if (filter.from) where.push(sql`m.held_on >= ${filter.from}::date`);
  if (filter.to) where.push(sql`m.held_on <= ${filter.to}::date`);
  if (filter.after) where.push(sql`m.id > ${filter.after}`);
  return queryRows<MeetingRow>(
    db,
    meetingQuery(now, sql.join(where, sql` AND `), sql`ORDER BY m.id LIMIT ${filter.limit + 1}`),
  );
}

export async function createMeeting(
  change: Change,
  principal: Principal,
  input: MeetingCreateInput,
  now: Date,
): Promise<MeetingRow> {
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
  const view = await getMeeting(change.tx, principal, { kind: 'all' }, row.id, now);
  await change.audit({
    action: 'coordination_meeting.created',
    entityType: 'coordination_meeting',
    entityId: row.id,
    after: toMeetingDto(view),
  });
  return view;
}

/** A meeting and its action plan are kept by administrators and the officers of its organiser. */
const keepsMeeting = (principal: Principal, meeting: { organiser_id: string }) =>
  keeps(principal, meeting.organiser_id);

export async function updateMeeting(
  change: Change,
  principal: Principal,
  area: Area,
  id: string,
  expectedVersion: number,
  input: MeetingUpdateInput,
  now: Date,
): Promise<MeetingRow> {
  const before = await getMeeting(change.tx, principal, area, id, now, true);
  if (!keepsMeeting(principal, before)) throw forbidden();
  if (before.version !== expectedVersion) throw new Problem(412, 'precondition_failed', { current: before.version });
  const heldOn = input.held_on ?? before.held_on;
  // Whoever adds or changes an item holds this meeting's lock first (createItem, updateItem): the
  // items read here stay as they are until this change commits.
  const [facts] = await queryRows<{ earliest_due: string | null; owners: string[] }>(
    change.tx,
    sql`SELECT min(due_on)::text AS earliest_due, coalesce(array_agg(DISTINCT owner_id::text), '{}')::text[] AS owners
          FROM action_items WHERE meeting_id = ${id}`,
  );
  if (facts?.earliest_due && heldOn > facts.earliest_due) {
    refuse('/held_on', 'meeting_action_item_due_before', { earliest_due: facts.earliest_due });
  }
  let participantIds = before.participants.map((p) => p.id);
  if (input.participant_ids) {
    participantIds = input.participant_ids.filter((p) => p !== before.organiser_id);
    await namedOrganisations(change.tx, participantIds, '/participant_ids');
    const orphaned = (facts?.owners ?? []).filter((o) => o !== before.organiser_id && !participantIds.includes(o));
    if (orphaned.length) {
      refuse('/participant_ids', 'meeting_these_organisations_own_action', { orphaned: orphaned.join(', ') });
    }
  }
  const [row] = await change.tx
    .update(coordinationMeetings)
    .set({
      title: input.title ?? before.title,
      heldOn,
      venue: input.venue ?? before.venue,
      agenda: input.agenda ?? before.agenda,
      minutes: input.minutes === undefined ? before.minutes : input.minutes,
      version: before.version + 1,
      updatedAt: change.now,
    })
    .where(and(eq(coordinationMeetings.id, id), eq(coordinationMeetings.version, expectedVersion)))
    .returning({ id: coordinationMeetings.id });
  if (!row) throw new Problem(412, 'precondition_failed', { current: '?' });
  if (input.participant_ids) {
    await change.tx.delete(meetingParticipants).where(eq(meetingParticipants.meetingId, id));
    if (participantIds.length) {
      await change.tx
        .insert(meetingParticipants)
        .values(participantIds.map((organisationId) => ({ meetingId: id, organisationId })));
    }
  }
  const after = await getMeeting(change.tx, principal, { kind: 'all' }, id, now);
  await change.audit({
    action: 'coordination_meeting.updated',
    entityType: 'coordination_meeting',
    entityId: id,
    before: toMeetingDto(before),
    after: toMeetingDto(after),
  });
  return after;
}

// ---------------------------------------------------------------------------------------------
// Action items

type ItemRow = {
  id: string;
  meeting_id: string;
  meeting_title: string;
  meeting_held_on: string;
  organiser_id: string;
  participant_ids: string[];
  owner_id: string;
  owner_name: string;
  owner_timezone: ActionItemDto['owner']['timezone'];
  owner_today: string;
  description: string;
  due_on: string;
  status: ActionStatusValue;
  closed_on: string | null;
  days_overdue: number | null;
  notes: {
    noted_on: string;
    note: string;
    status_after: ActionStatusValue;
    recorded_by: string;
    recorded_at: string;
  }[];
  created_by: string;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
};

function itemQuery(now: Date, where: SQL, tail: SQL = sql``): SQL {
  // An owner's today, by the service clock: overdue is judged in the owner's time zone.
  const today = localDateSql(now, sql`ow.timezone`);
  return sql`SELECT i.id::text AS id, i.meeting_id::text AS meeting_id, m.title AS meeting_title,
                    m.held_on::text AS meeting_held_on, m.organiser_id::text AS organiser_id,
                    (SELECT coalesce(array_agg(mp.organisation_id::text), '{}')::text[]
                       FROM coordination_meeting_participants mp WHERE mp.meeting_id = m.id) AS participant_ids,
                    i.owner_id::text AS owner_id, ow.name AS owner_name, ow.timezone::text AS owner_timezone,
                    ${today}::text AS owner_today,
                    i.description, i.due_on::text AS due_on, i.status, i.closed_on::text AS closed_on,
                    CASE WHEN i.status IN ('planned', 'in_progress') AND i.due_on < ${today}
                         THEN (${today} - i.due_on) END AS days_overdue,
                    (SELECT coalesce(json_agg(json_build_object('noted_on', n.noted_on, 'note', n.note,
                              'status_after', n.status_after, 'recorded_by', n.recorded_by, 'recorded_at', n.recorded_at)
                              ORDER BY n.noted_on, n.recorded_at, n.id), '[]'::json)
                       FROM action_item_notes n WHERE n.item_id = i.id) AS notes,
                    i.created_by::text AS created_by, i.version, i.created_at, i.updated_at
               FROM action_items i
               JOIN coordination_meetings m ON m.id = i.meeting_id
               JOIN organisations ow ON ow.id = i.owner_id
              WHERE ${where} ${tail}`;
}

export function toItemDto(row: ItemRow): ActionItemDto {
  return {
    id: row.id,
    meeting_id: row.meeting_id,
    meeting_title: row.meeting_title,
    meeting_held_on: row.meeting_held_on,
    owner: { id: row.owner_id, name: row.owner_name, timezone: row.owner_timezone },
    description: row.description,
    due_on: row.due_on,
    status: row.status,
    closed_on: row.closed_on,
    overdue: row.days_overdue !== null,
    days_overdue: row.days_overdue,
    notes: row.notes.map((n) => ({ ...n, recorded_at: isoNotNull(n.recorded_at) })),
    created_by: row.created_by,
    version: row.version,
    created_at: isoNotNull(row.created_at),
    updated_at: isoNotNull(row.updated_at),
  };
}

/** An item is seen with its meeting, and always by the officers of its owner. */
function itemVisible(principal: Principal, area: Area): SQL {
  if (area.kind === 'all') return sql`true`;
  return sql`(${meetingVisible(principal, area)} OR i.owner_id = ${principal.organisationId ?? NOBODY})`;
}

export async function getItem(
  db: Executor,
  principal: Principal,
  area: Area,
  id: string,
  now: Date,
  lock = false,
): Promise<ItemRow> {
  if (!mayReadMeetings(principal)) throw forbidden();
  if (lock) {
    // The meeting first, then the item: the order createItem and updateMeeting take, so that an item's
    // due date and owner are judged against a meeting date and participants no one is changing.
    await queryRows(
      db,
      sql`SELECT m.id FROM coordination_meetings m
           WHERE m.id = (SELECT i.meeting_id FROM action_items i WHERE i.id = ${id}) FOR UPDATE`,
    );
    await db.select({ id: actionItems.id }).from(actionItems).where(eq(actionItems.id, id)).for('update');
  }
  const [row] = await queryRows<ItemRow>(db, itemQuery(now, sql`i.id = ${id} AND ${itemVisible(principal, area)}`));
  if (!row) throw notFound('action item');
  return row;
}

export interface ItemFilter {
  ownerId?: string;
  meetingId?: string;
  status?: ActionStatusValue;
  overdue?: boolean;
  dueFrom?: string;
  dueTo?: string;
  after?: string[];
  limit: number;
}

/** Items by due date, then id: what falls due first comes first. */
export async function listItems(
  db: Executor,
  principal: Principal,
  area: Area,
  filter: ItemFilter,
  now: Date,
): Promise<ItemRow[]> {
  if (!mayReadMeetings(principal)) throw forbidden();
  const where: SQL[] = [itemVisible(principal, area)];
  if (filter.ownerId) where.push(sql`i.owner_id = ${filter.ownerId}`);
  if (filter.meetingId) where.push(sql`i.meeting_id = ${filter.meetingId}`);
  if (filter.status) where.push(sql`i.status = ${filter.status}`);
  const overdue = sql`(i.status IN ('planned', 'in_progress') AND i.due_on < ${localDateSql(now, sql`ow.timezone`)})`;
  if (filter.overdue === true) where.push(overdue);
  if (filter.overdue === false) where.push(sql`NOT ${overdue}`);
  if (filter.dueFrom) where.push(sql`i.due_on >= ${filter.dueFrom}::date`);
  if (filter.dueTo) where.push(sql`i.due_on <= ${filter.dueTo}::date`);
  if (filter.after) {
    const [due, id] = filter.after;
    where.push(sql`(i.due_on, i.id) > (${due}::date, ${id}::uuid)`);
  }
  return queryRows<ItemRow>(
    db,
    itemQuery(now, sql.join(where, sql` AND `), sql`ORDER BY i.due_on, i.id LIMIT ${filter.limit + 1}`),
  );
}

function checkDue(dueOn: string, meetingHeldOn: string): void {
  if (dueOn < meetingHeldOn) {
    refuse('/due_on', 'meeting_due_on_before_meeting', { meeting_held_on: meetingHeldOn });
  }
}

function checkOwner(ownerId: string, meeting: { organiser_id: string; participant_ids: string[] }): void {
  if (ownerId !== meeting.organiser_id && !meeting.participant_ids.includes(ownerId)) {
    refuse('/owner_id', 'meeting_owner_organiser_participant_meeting');
  }
}

export async function createItem(
  change: Change,
  principal: Principal,
  area: Area,
  meetingId: string,
  input: ActionItemCreateInput,
  now: Date,
): Promise<ItemRow> {
  const meeting = await getMeeting(change.tx, principal, area, meetingId, now, true);
  if (!keepsMeeting(principal, meeting)) throw forbidden();
  checkOwner(input.owner_id, {
    organiser_id: meeting.organiser_id,
    participant_ids: meeting.participants.map((p) => p.id),
  });
  checkDue(input.due_on, meeting.held_on);
  const [row] = await change.tx
    .insert(actionItems)
    .values({
      meetingId,
      ownerId: input.owner_id,
      description: input.description,
      dueOn: input.due_on,
      createdBy: principal.id,
    })
    .returning({ id: actionItems.id });
  if (!row) throw new Error('insert returned nothing');
  const item = await getItem(change.tx, principal, { kind: 'all' }, row.id, now);
  await change.audit({
    action: 'action_item.created',
    entityType: 'action_item',
    entityId: row.id,
    after: toItemDto(item),
  });
  return item;
}

const CLOSED: ActionStatusValue[] = ['done', 'dropped'];

export async function updateItem(
  change: Change,
  principal: Principal,
  area: Area,
  id: string,
  expectedVersion: number,
  input: ActionItemUpdateInput,
  now: Date,
): Promise<ItemRow> {
  const before = await getItem(change.tx, principal, area, id, now, true);
  const organiser = keepsMeeting(principal, before);
  const owner = keeps(principal, before.owner_id);
  if (!organiser && !owner) throw forbidden();
  if (before.version !== expectedVersion) throw new Problem(412, 'precondition_failed', { current: before.version });
  if (!organiser && (input.description !== undefined || input.due_on !== undefined || input.owner_id !== undefined)) {
    refuse(
      input.description !== undefined ? '/description' : input.due_on !== undefined ? '/due_on' : '/owner_id',
      'meeting_owner_reports_status_progress',
    );
  }
  if (input.owner_id) checkOwner(input.owner_id, before);
  const dueOn = input.due_on ?? before.due_on;
  checkDue(dueOn, before.meeting_held_on);

  const status = input.status ?? before.status;
  const closing = CLOSED.includes(status) && !CLOSED.includes(before.status);
  const reopening = !CLOSED.includes(status) && CLOSED.includes(before.status);
  const changedClosed = CLOSED.includes(status) && CLOSED.includes(before.status) && status !== before.status;
  if ((status === 'dropped' && status !== before.status) || reopening || changedClosed) {
    if (!input.note) {
      refuse('/note', status === 'dropped' ? 'meeting_item_drop_needs_note' : 'meeting_item_reopen_needs_note');
    }
  }
  // Dates of notes and closing are the owner's: their calendar says what today is.
  const ownerToday = before.owner_today;
  const notedOn = input.note?.noted_on ?? ownerToday;
  if (input.note && notedOn > ownerToday) {
    refuse('/note/noted_on', 'meeting_noted_on_still_come');
  }
  if (input.note && notedOn < before.meeting_held_on) {
    refuse('/note/noted_on', 'meeting_noted_on_before_meeting');
  }
  const closedOn = CLOSED.includes(status) ? (closing || changedClosed ? notedOn : before.closed_on) : null;

  const [row] = await change.tx
    .update(actionItems)
    .set({
      description: input.description ?? before.description,
      dueOn,
      ownerId: input.owner_id ?? before.owner_id,
      status,
      closedOn,
      version: before.version + 1,
      updatedAt: change.now,
    })
    .where(and(eq(actionItems.id, id), eq(actionItems.version, expectedVersion)))
    .returning({ id: actionItems.id });
  if (!row) throw new Problem(412, 'precondition_failed', { current: '?' });
  if (input.note) {
    await change.tx.insert(actionItemNotes).values({
      itemId: id,
      notedOn,
      note: input.note.text,
      statusAfter: status,
      recordedBy: principal.id,
    });
  }
  const after = await getItem(change.tx, principal, { kind: 'all' }, id, now);
  await change.audit({
    action: 'action_item.updated',
    entityType: 'action_item',
    entityId: id,
    before: toItemDto(before),
    after: toItemDto(after),
  });
  return after;
}
