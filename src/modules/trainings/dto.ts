import { daysBetween } from '../../core/calendar/index.ts';
import { iso, isoNotNull } from '../../http/dto.ts';
import { presentPerson } from '../../http/personal-data.ts';
import type { Principal } from '../../http/principal.ts';
import type { ParticipantDto, TrainingDto } from './schemas.ts';
import type { trainingParticipants, trainings } from './tables.ts';

export type TrainingRow = typeof trainings.$inferSelect;
export type ParticipantRow = typeof trainingParticipants.$inferSelect;

export type TrainingView = {
  training: TrainingRow;
  organiserName: string;
  facilityIds: string[];
  participants: number;
};

export type ParticipantView = {
  participant: ParticipantRow;
  nip: string;
  name: string;
  pseudonym: string;
  timezone: string;
};

const num = (value: string | null) => (value === null ? null : Number(value));

export function toTrainingDto(view: TrainingView): TrainingDto {
  const t = view.training;
  return {
    id: t.id,
    title: t.title,
    topic: t.topic,
    organiser_type: t.organiserType,
    organiser_id: (t.organiserOrganisationId ?? t.organiserFacilityId) as string,
    organiser_name: view.organiserName,
    starts_on: t.startsOn,
    ends_on: t.endsOn,
    hours: Number(t.hours),
    venue: t.venue,
    mode: t.mode,
    facility_ids: view.facilityIds,
    trainers: t.trainers,
    capacity: t.capacity,
    pass_mark: Number(t.passMark),
    participants: view.participants,
    created_by: t.createdBy,
    version: t.version,
    created_at: isoNotNull(t.createdAt),
    updated_at: isoNotNull(t.updatedAt),
  };
}

/** Days from starts_on to ends_on, both counted. */
function daysOf(training: TrainingRow): number {
  return daysBetween(training.startsOn, training.endsOn) + 1;
}

/** Attendance and the pass are derived, never stored: a per-day record gives hours in proportion. */
export function toParticipantDto(view: ParticipantView, training: TrainingRow): ParticipantDto {
  const p = view.participant;
  const hours = Number(training.hours);
  const attendedHours =
    p.attendedDays !== null
      ? Math.round(((hours * p.attendedDays.length) / daysOf(training)) * 10) / 10
      : num(p.attendedHours);
  const post = num(p.postTestScore);
  return {
    id: p.id,
    training_id: p.trainingId,
    facility_id: p.facilityId,
    officer: { id: p.officerId, pseudonym: view.pseudonym, nip: view.nip, name: view.name },
    attended_days: p.attendedDays ? [...p.attendedDays].sort() : null,
    attended_hours: attendedHours,
    attendance_rate: attendedHours === null ? null : Math.round((attendedHours / hours) * 1000) / 1000,
    pre_test_score: num(p.preTestScore),
    post_test_score: post,
    passed: post === null ? null : post >= Number(training.passMark),
    certificate_number: p.certificateNumber,
    certificate_issued_at: iso(p.certificateIssuedAt),
    version: p.version,
    created_at: isoNotNull(p.createdAt),
    updated_at: isoNotNull(p.updatedAt),
  };
}

/** A training as the caller sees it. */
export const presentTraining = (principal: Principal, view: TrainingView) =>
  presentPerson(principal, 'trainings', toTrainingDto(view));

/** A participant as the caller sees it: the officer's NIP and name only with personal_data. */
export function presentParticipant(principal: Principal, view: ParticipantView, training: TrainingView) {
  const dto = toParticipantDto(view, training.training);
  return { ...dto, officer: presentPerson(principal, 'officers', dto.officer) };
}

/** The officers a read names, for the audit of reads of personal data. */
export const officersRead = (views: ParticipantView[]) =>
  views.map((v) => ({ id: v.participant.officerId, facility_id: v.participant.facilityId }));
