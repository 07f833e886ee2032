import { type SQL, sql } from 'drizzle-orm';
import { daysBetween, localDate, localDateSql } from '../../core/calendar/index.ts';
import { isoNotNull } from '../../http/dto.ts';
import type { ItemRow } from './action-items.ts';
import type { MeetingRow } from './meetings.ts';
import type { ActionItemDto, ActionStatusValue, MeetingDto } from './schemas.ts';

// Rows to answers. The rows are what the builder reads in meetings.ts and action-items.ts.

export function toMeetingDto(row: MeetingRow): MeetingDto {
  const { meeting } = row;
  return {
    id: meeting.id,
    organiser: { id: meeting.organiserId, name: row.organiserName },
    title: meeting.title,
    held_on: meeting.heldOn,
    province_code: meeting.provinceCode,
    regency: meeting.regency,
    venue: meeting.venue,
    agenda: meeting.agenda,
    minutes: meeting.minutes,
    participants: row.participants,
    action_items: row.items,
    created_by: meeting.createdBy,
    version: meeting.version,
    created_at: isoNotNull(meeting.createdAt),
    updated_at: isoNotNull(meeting.updatedAt),
  };
}

const OPEN: readonly ActionStatusValue[] = ['planned', 'in_progress'];

/** An owner's today: dates of notes, closing and lateness are judged in the owner's time zone. */
export const ownerToday = (row: ItemRow, now: Date): string => localDate(now, row.ownerTimezone);

/** Days an open item is past its due date in its owner's calendar; null when it is not late. */
export function daysOverdue(row: ItemRow, now: Date): number | null {
  const today = ownerToday(row, now);
  return OPEN.includes(row.item.status) && row.item.dueOn < today ? daysBetween(row.item.dueOn, today) : null;
}

/** daysOverdue's SQL twin, for filters and counts: open (OPEN), and due before the owner's today. */
export function overdueSql(now: Date, item: { status: SQL; dueOn: SQL }, ownerZone: SQL): SQL {
  return sql`(${item.status} IN ('planned', 'in_progress') AND ${item.dueOn} < ${localDateSql(now, ownerZone)})`;
}

export function toItemDto(row: ItemRow, now: Date): ActionItemDto {
  const { item } = row;
  const late = daysOverdue(row, now);
  return {
    id: item.id,
    meeting_id: item.meetingId,
    meeting_title: row.meetingTitle,
    meeting_held_on: row.meetingHeldOn,
    owner: { id: item.ownerId, name: row.ownerName, timezone: row.ownerTimezone },
    description: item.description,
    due_on: item.dueOn,
    status: item.status,
    closed_on: item.closedOn,
    overdue: late !== null,
    days_overdue: late,
    notes: row.notes.map((n) => ({ ...n, recorded_at: isoNotNull(n.recorded_at) })),
    created_by: item.createdBy,
    version: item.version,
    created_at: isoNotNull(item.createdAt),
    updated_at: isoNotNull(item.updatedAt),
  };
}
