import { and, asc, eq, gte, lte, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Area, keeps, mayReadMeetings, NOBODY, readArea } from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { updatedSince } from '../../db/filters.ts';
import { decodeKeyCursor, keysetPage } from '../../http/keyset.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound, refuse } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { organisations } from '../organisations/tables.ts';
import { overdueSql, ownerToday, toItemDto } from './dto.ts';
import { actionItemCreated, actionItemDone, itemPlace } from './events.ts';
import { keepsMeeting, loadMeeting, meetingVisible } from './meetings.ts';
import type {
  ActionItemCreateInput,
  ActionItemDto,
  ActionItemListQuery,
  ActionItemUpdateInput,
  ActionStatusValue,
  MeetingItemsQuery,
} from './schemas.ts';
import { actionItemNotes, actionItems, coordinationMeetings } from './tables.ts';

// The action plan of a meeting: what each agency promised, by when, and its dated progress notes.

type Note = ActionItemDto['notes'][number];

/** An item with its meeting's title, date, organiser and participants, its owner and its notes. */
function itemRows(db: Executor, where: SQL | undefined) {
  return db
    .select({
      item: actionItems,
      meetingTitle: coordinationMeetings.title,
      meetingHeldOn: coordinationMeetings.heldOn,
      organiserId: coordinationMeetings.organiserId,
      meetingProvinceCode: coordinationMeetings.provinceCode,
      meetingRegency: coordinationMeetings.regency,
      participantIds: sql<string[]>`(
        SELECT coalesce(array_agg(mp.organisation_id::text), '{}')::text[]
          FROM coordination_meeting_participants mp WHERE mp.meeting_id = ${coordinationMeetings.id})`,
      ownerName: organisations.name,
      ownerTimezone: organisations.timezone,
      notes: sql<Note[]>`(
        SELECT coalesce(json_agg(json_build_object('noted_on', n.noted_on, 'note', n.note,
                 'status_after', n.status_after, 'recorded_by', n.recorded_by, 'recorded_at', n.recorded_at)
                 ORDER BY n.noted_on, n.recorded_at, n.id), '[]'::json)
          FROM action_item_notes n WHERE n.item_id = ${actionItems.id})`,
    })
    .from(actionItems)
    .innerJoin(coordinationMeetings, eq(coordinationMeetings.id, actionItems.meetingId))
    .innerJoin(organisations, eq(organisations.id, actionItems.ownerId))
    .where(where)
    .$dynamic();
}

export type ItemRow = Awaited<ReturnType<typeof itemRows>>[number];

/** An item is seen with its meeting, and always by the officers of its owner. */
function itemVisible(principal: Principal, area: Area): SQL | undefined {
  if (area.kind === 'all') return undefined;
  return or(meetingVisible(principal, area), eq(actionItems.ownerId, principal.organisationId ?? NOBODY));
}

/** One item in reach (404 otherwise), locked with its meeting for a write that changes it. */
async function loadItem(db: Executor, principal: Principal, area: Area, id: string, lock = false): Promise<ItemRow> {
  if (!mayReadMeetings(principal)) throw forbidden();
  if (lock) {
    // The meeting first, then the item: the order createItem and updateMeeting take, so that an item's
    // due date and owner are judged against a meeting date and participants no one is changing.
    const meetingOf = db.select({ id: actionItems.meetingId }).from(actionItems).where(eq(actionItems.id, id));
    await db
      .select({ id: coordinationMeetings.id })
      .from(coordinationMeetings)
      .where(eq(coordinationMeetings.id, meetingOf))
      .for('update');
    await db.select({ id: actionItems.id }).from(actionItems).where(eq(actionItems.id, id)).for('update');
  }
  const [row] = await itemRows(db, and(eq(actionItems.id, id), itemVisible(principal, area)));
  if (!row) throw notFound('action item');
  return row;
}

export async function readItem(db: Executor, principal: Principal, id: string, now: Date): Promise<ActionItemDto> {
  const area = await readArea(db, principal);
  return toItemDto(await loadItem(db, principal, area, id), now);
}

const ITEM_CURSOR = /^\d{4}-\d{2}-\d{2}\|[0-9a-f-]{36}$/;

type ItemFilter = Partial<Omit<z.infer<typeof ActionItemListQuery>, 'cursor' | 'limit'>> & {
  after: string[] | undefined;
  limit: number;
};

/** Items by due date, then id: what falls due first comes first. */
async function itemPage(db: Executor, principal: Principal, area: Area, filter: ItemFilter, now: Date) {
  const i = actionItems;
  const where = [itemVisible(principal, area)];
  if (filter.owner_id) where.push(eq(i.ownerId, filter.owner_id));
  if (filter.meeting_id) where.push(eq(i.meetingId, filter.meeting_id));
  if (filter.status) where.push(eq(i.status, filter.status));
  const overdue = overdueSql(now, { status: sql`${i.status}`, dueOn: sql`${i.dueOn}` }, sql`${organisations.timezone}`);
  if (filter.overdue === true) where.push(overdue);
  if (filter.overdue === false) where.push(sql`NOT ${overdue}`);
  if (filter.due_from) where.push(gte(i.dueOn, filter.due_from));
  if (filter.due_to) where.push(lte(i.dueOn, filter.due_to));
  where.push(updatedSince(i.updatedAt, filter.updated_since));
  if (filter.after) {
    const [due, id] = filter.after;
    where.push(sql`(${i.dueOn}, ${i.id}) > (${due}::date, ${id}::uuid)`);
  }
  const rows = await itemRows(db, and(...where))
    .orderBy(asc(i.dueOn), asc(i.id))
    .limit(filter.limit + 1);
  return keysetPage(
    rows,
    filter.limit,
    (row) => [row.item.dueOn, row.item.id],
    (row) => toItemDto(row, now),
  );
}

export async function listItems(db: Executor, principal: Principal, q: z.infer<typeof ActionItemListQuery>, now: Date) {
  const area = await readArea(db, principal);
  const { cursor, limit, ...filter } = q;
  const after = decodeKeyCursor(cursor, ITEM_CURSOR);
  if (!mayReadMeetings(principal)) throw forbidden();
  return itemPage(db, principal, area, { ...filter, after, limit }, now);
}

/** A meeting's plan: the meeting in reach (404 otherwise), then all of its items. */
export async function listMeetingItems(
  db: Executor,
  principal: Principal,
  meetingId: string,
  q: z.infer<typeof MeetingItemsQuery>,
  now: Date,
) {
  const area = await readArea(db, principal);
  await loadMeeting(db, principal, area, meetingId, now);
  const after = decodeKeyCursor(q.cursor, ITEM_CURSOR);
  const { status, overdue, updated_since } = q;
  const filter = { meeting_id: meetingId, status, overdue, updated_since, after, limit: q.limit };
  return itemPage(db, principal, { kind: 'all' }, filter, now);
}

function checkDue(dueOn: string, meetingHeldOn: string): void {
  if (dueOn < meetingHeldOn) {
    refuse('/due_on', 'meeting_due_on_before_meeting', { meeting_held_on: meetingHeldOn });
  }
}

function checkOwner(ownerId: string, meeting: { organiserId: string; participantIds: string[] }): void {
  if (ownerId !== meeting.organiserId && !meeting.participantIds.includes(ownerId)) {
    refuse('/owner_id', 'meeting_owner_organiser_participant_meeting');
  }
}

export async function createItem(
  change: Change,
  principal: Principal,
  meetingId: string,
  input: ActionItemCreateInput,
) {
  const area = await readArea(change.tx, principal);
  const meeting = await loadMeeting(change.tx, principal, area, meetingId, change.now, true);
  if (!keepsMeeting(principal, meeting.meeting)) throw forbidden();
  checkOwner(input.owner_id, {
    organiserId: meeting.meeting.organiserId,
    participantIds: meeting.participants.map((p) => p.id),
  });
  checkDue(input.due_on, meeting.meeting.heldOn);
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
  const created = await loadItem(change.tx, principal, { kind: 'all' }, row.id);
  const item = toItemDto(created, change.now);
  await change.audit({
    action: 'action_item.created',
    entityType: 'action_item',
    entityId: row.id,
    after: item,
  });
  await actionItemCreated.emit(change, placeOf(created), { ...itemData(created), status: created.item.status });
  return item;
}

const placeOf = (row: ItemRow) =>
  itemPlace({
    id: row.item.id,
    ownerId: row.item.ownerId,
    organiserId: row.organiserId,
    participantIds: row.participantIds,
    provinceCode: row.meetingProvinceCode,
    regency: row.meetingRegency,
  });

const itemData = (row: ItemRow) => ({
  action_item_id: row.item.id,
  meeting_id: row.item.meetingId,
  owner_id: row.item.ownerId,
  due_on: row.item.dueOn,
});

const CLOSED: readonly ActionStatusValue[] = ['done', 'dropped'];

export async function updateItem(
  change: Change,
  principal: Principal,
  id: string,
  expectedVersion: number,
  input: ActionItemUpdateInput,
) {
  const area = await readArea(change.tx, principal);
  const before = await loadItem(change.tx, principal, area, id, true);
  const was = before.item;
  const organiser = keepsMeeting(principal, before);
  const owner = keeps(principal, was.ownerId);
  if (!organiser && !owner) throw forbidden();
  checkVersion(was.version, expectedVersion);
  if (!organiser && (input.description !== undefined || input.due_on !== undefined || input.owner_id !== undefined)) {
    refuse(
      input.description !== undefined ? '/description' : input.due_on !== undefined ? '/due_on' : '/owner_id',
      'meeting_owner_reports_status_progress',
    );
  }
  if (input.owner_id) checkOwner(input.owner_id, before);
  const dueOn = input.due_on ?? was.dueOn;
  checkDue(dueOn, before.meetingHeldOn);

  const status = input.status ?? was.status;
  const closing = CLOSED.includes(status) && !CLOSED.includes(was.status);
  const reopening = !CLOSED.includes(status) && CLOSED.includes(was.status);
  const changedClosed = CLOSED.includes(status) && CLOSED.includes(was.status) && status !== was.status;
  if ((status === 'dropped' && status !== was.status) || reopening || changedClosed) {
    if (!input.note) {
      refuse('/note', status === 'dropped' ? 'meeting_item_drop_needs_note' : 'meeting_item_reopen_needs_note');
    }
  }
  // Dates of notes and closing are the owner's: their calendar says what today is.
  const today = ownerToday(before, change.now);
  const notedOn = input.note?.noted_on ?? today;
  if (input.note && notedOn > today) {
    refuse('/note/noted_on', 'meeting_noted_on_still_come');
  }
  if (input.note && notedOn < before.meetingHeldOn) {
    refuse('/note/noted_on', 'meeting_noted_on_before_meeting');
  }
  const closedOn = CLOSED.includes(status) ? (closing || changedClosed ? notedOn : was.closedOn) : null;

  await updateVersioned(
    change.tx,
    actionItems,
    was,
    {
      description: input.description ?? was.description,
      dueOn,
      ownerId: input.owner_id ?? was.ownerId,
      status,
      closedOn,
    },
    change.now,
  );
  if (input.note) {
    await change.tx.insert(actionItemNotes).values({
      itemId: id,
      notedOn,
      note: input.note.text,
      statusAfter: status,
      recordedBy: principal.id,
    });
  }
  const updated = await loadItem(change.tx, principal, { kind: 'all' }, id);
  const after = toItemDto(updated, change.now);
  await change.audit({
    action: 'action_item.updated',
    entityType: 'action_item',
    entityId: id,
    before: toItemDto(before, change.now),
    after,
  });
  if (status === 'done' && was.status !== 'done' && closedOn) {
    await actionItemDone.emit(change, placeOf(updated), { ...itemData(updated), closed_on: closedOn });
  }
  return after;
}
