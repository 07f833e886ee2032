import { localTime } from '../../core/calendar/index.ts';
import { isoNotNull } from '../../http/dto.ts';
import { presentPerson } from '../../http/personal-data.ts';
import type { Principal } from '../../http/principal.ts';
import type { facilityBlackoutDates, rehabEnrolments, rehabProgrammes, rehabSessions, rehabSlots } from './tables.ts';

export type ProgrammeRow = typeof rehabProgrammes.$inferSelect;
export type SessionRow = typeof rehabSessions.$inferSelect;
export type EnrolmentRow = typeof rehabEnrolments.$inferSelect;
export type SlotRow = typeof rehabSlots.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Programmes

export type ProgrammeView = {
  programme: ProgrammeRow;
  facilitators: { user_id: string; role: 'lead' | 'regular' | 'cover' }[];
  active: number;
  timezone: string;
};

export function toProgrammeDto(view: ProgrammeView) {
  const p = view.programme;
  return {
    id: p.id,
    facility_id: p.facilityId,
    mou_id: p.mouId,
    bnn_unit_id: p.bnnUnitId,
    title: p.title,
    modality: p.modality,
    curriculum: p.curriculum,
    starts_on: p.startsOn,
    ends_on: p.endsOn,
    capacity: p.capacity,
    rooms: p.rooms,
    facilitators: view.facilitators,
    completion_min_rate: Number(p.completionMinRate),
    completion_requires_last: p.completionRequiresLast,
    active_enrolments: view.active,
    created_by: p.createdBy,
    version: p.version,
    created_at: isoNotNull(p.createdAt),
    updated_at: isoNotNull(p.updatedAt),
  };
}

// ---------------------------------------------------------------------------------------------
// Sessions

export type SessionView = {
  session: SessionRow;
  number: number | null;
  expected: number;
  timezone: string;
  curriculum: ProgrammeRow['curriculum'];
};

export function toSessionDto(view: SessionView) {
  const s = view.session;
  return {
    id: s.id,
    programme_id: s.programmeId,
    facility_id: s.facilityId,
    slot_id: s.slotId,
    number: view.number,
    curriculum_title: view.number ? (view.curriculum[view.number - 1]?.title ?? null) : null,
    starts_at: localTime(s.startsAt, view.timezone),
    ends_at: localTime(s.endsAt, view.timezone),
    room: s.room,
    facilitator_id: s.facilitatorId,
    status: s.status,
    cancel_reason: s.cancelReason,
    held: s.attendanceVersion > 0,
    recorded_afterwards: s.recordedAfterwards,
    expected: view.expected,
    version: s.version,
    created_at: isoNotNull(s.createdAt),
    updated_at: isoNotNull(s.updatedAt),
  };
}

// ---------------------------------------------------------------------------------------------
// Enrolments

export interface Progress {
  sessions_held: number;
  attended: number;
  rate: number | null;
  last_session_attended: boolean | null;
  completion_rule_met: boolean;
}

export type EnrolmentView = { enrolment: EnrolmentRow; pseudonym: string; name: string };

export function toEnrolmentDto(view: EnrolmentView, progress: Progress | undefined) {
  const e = view.enrolment;
  return {
    id: e.id,
    programme_id: e.programmeId,
    facility_id: e.facilityId,
    inmate: { id: e.inmateId, pseudonym: view.pseudonym, name: view.name },
    status: e.status,
    reason: e.reason,
    enrolled_on: e.enrolledOn,
    ended_on: e.endedOn,
    end_note: e.endNote,
    progress: progress ?? {
      sessions_held: 0,
      attended: 0,
      rate: null,
      last_session_attended: null,
      completion_rule_met: false,
    },
    version: e.version,
    created_at: isoNotNull(e.createdAt),
    updated_at: isoNotNull(e.updatedAt),
  };
}

/** An enrolment as the caller sees it: the inmate's name only with personal_data. */
export function presentEnrolment(principal: Principal, view: EnrolmentView, progress: Progress | undefined) {
  const dto = toEnrolmentDto(view, progress);
  return { ...dto, inmate: presentPerson(principal, 'inmates', dto.inmate) };
}

// ---------------------------------------------------------------------------------------------
// Attendance

export interface AttendanceAnswer {
  session_id: string;
  version: number;
  recorded_by: string | null;
  recorded_at: string | null;
  records: {
    enrolment_id: string;
    inmate: { id: string; pseudonym: string; name: string };
    status: 'attended' | 'late' | 'excused' | 'absent' | 'refused' | null;
    reason: 'sick' | 'refused' | 'clash' | 'court' | 'released' | 'other' | null;
    note: string | null;
  }[];
}

/** A roster row with what was recorded for it (nulls until then). */
export type AttendanceRecordRow = {
  enrolmentId: string;
  inmateId: string;
  pseudonym: string;
  name: string;
  status: AttendanceAnswer['records'][number]['status'];
  reason: AttendanceAnswer['records'][number]['reason'];
  note: string | null;
};

/** A session's attendance: its own version (the ETag to amend with) and one row per inmate on it. */
export function toAttendanceAnswer(s: SessionRow, rows: AttendanceRecordRow[]): AttendanceAnswer {
  return {
    session_id: s.id,
    version: s.attendanceVersion,
    recorded_by: s.attendanceRecordedBy,
    recorded_at: s.attendanceRecordedAt ? isoNotNull(s.attendanceRecordedAt) : null,
    records: rows.map((r) => ({
      enrolment_id: r.enrolmentId,
      inmate: { id: r.inmateId, pseudonym: r.pseudonym, name: r.name },
      status: r.status,
      reason: r.reason,
      note: r.note,
    })),
  };
}

/** Attendance records as the audit keeps them: the inmate by id only. */
export const auditedRecords = (records: AttendanceAnswer['records']) =>
  records.map(({ inmate, ...rest }) => ({ ...rest, inmate_id: inmate.id }));

/** An attendance list as the caller sees it: inmates' names only with personal_data. */
export const presentAttendance = (principal: Principal, a: AttendanceAnswer) => ({
  ...a,
  records: a.records.map((x) => ({ ...x, inmate: presentPerson(principal, 'inmates', x.inmate) })),
});

/** A session on a person's schedule, in its facility's local time. */
export function toScheduleItem(r: {
  sessionId: string;
  programmeId: string;
  programmeTitle: string;
  startsAt: Date;
  endsAt: Date;
  room: string;
  timezone: string;
}) {
  return {
    session_id: r.sessionId,
    programme_id: r.programmeId,
    programme_title: r.programmeTitle,
    starts_at: localTime(r.startsAt, r.timezone),
    ends_at: localTime(r.endsAt, r.timezone),
    room: r.room,
  };
}

// ---------------------------------------------------------------------------------------------
// Slots and blackout dates

export function toSlotDto(slot: SlotRow) {
  return {
    id: slot.id,
    programme_id: slot.programmeId,
    weekday: slot.weekday,
    start_time: slot.startTime,
    duration_minutes: slot.durationMinutes,
    room: slot.room,
    facilitator_id: slot.facilitatorId,
    sessions: slot.sessions,
    created_at: isoNotNull(slot.createdAt),
  };
}

export function toBlackoutDto(row: typeof facilityBlackoutDates.$inferSelect) {
  return { facility_id: row.facilityId, date: row.day, reason: row.reason, created_at: isoNotNull(row.createdAt) };
}

/** Where a read of personal data is audited: the route's request knows who read. */
export type SeenBy = (people: { id: string; facility_id: string }[]) => Promise<void>;
