import { localDate, localTime } from '../../core/calendar/index.ts';
import { isoNotNull } from '../../http/dto.ts';
import type { followUpCases, urineDrawEntries, urineDraws, urineRounds, urineTests } from './tables.ts';

// Rows to answers.

export type RoundRow = typeof urineRounds.$inferSelect;
export type TestRow = typeof urineTests.$inferSelect;
export type CaseRow = typeof followUpCases.$inferSelect;
export type DrawRow = typeof urineDraws.$inferSelect;
export type DrawEntryRow = typeof urineDrawEntries.$inferSelect;

/** A round, with the number of results recorded in it so far. */
export function toRoundDto(row: RoundRow, tested: number) {
  return {
    id: row.id,
    facility_id: row.facilityId,
    tested_on: row.testedOn,
    reason: row.reason,
    run_by_organisation_id: row.runByOrganisationId,
    subjects: row.subjects,
    kit: row.kit,
    cutoffs: row.cutoffs,
    note: row.note,
    tested,
    created_by: row.createdBy,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

const num = (value: string | null) => (value === null ? null : Number(value));

/** A test, its collection time told in its facility's zone. */
export function toTestDto(row: TestRow, timezone: string) {
  return {
    id: row.id,
    round_id: row.roundId,
    facility_id: row.facilityId,
    subject_type: row.subjectType,
    subject_id: row.subjectId,
    specimen_id: row.specimenId,
    collected_at: localTime(row.collectedAt, timezone),
    refused: row.refused,
    temperature_c: num(row.temperatureC),
    temperature_in_range: row.temperatureInRange,
    creatinine_mg_dl: num(row.creatinineMgDl),
    specific_gravity: num(row.specificGravity),
    ph: num(row.ph),
    nitrite_ug_ml: num(row.nitriteUgMl),
    classes: row.classes,
    outcome: row.outcome,
    confirmation: row.confirmation,
    created_by: row.createdBy,
    created_at: isoNotNull(row.createdAt),
  };
}

/** A case; overdue is judged on the facility's calendar at `now`. */
export function toCaseDto(row: CaseRow, timezone: string, now: Date) {
  const overdue = row.status === 'awaiting_assessment' && row.assessmentDue < localDate(now, timezone);
  return {
    id: row.id,
    facility_id: row.facilityId,
    test_id: row.testId,
    subject_type: row.subjectType,
    subject_id: row.subjectId,
    kind: row.kind,
    trigger: row.trigger,
    status: row.status,
    overdue,
    opened_on: row.openedOn,
    assessment_due: row.assessmentDue,
    assessment_due_provisional: row.assessmentDueProvisional,
    assessed_on: row.assessedOn,
    assessment_notes: row.assessmentNotes,
    decision: row.decision,
    decided_on: row.decidedOn,
    closed_on: row.closedOn,
    closing_note: row.closingNote,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

/** The draws of a round, each with its entries (given in list then position order). */
export function toDrawsDto(draws: DrawRow[], entries: DrawEntryRow[]) {
  return {
    data: draws.map((d) => ({
      subject_type: d.subjectType,
      seed: d.seed,
      params: d.params,
      population_size: d.populationSize,
      created_by: d.createdBy,
      created_at: d.createdAt.toISOString(),
      entries: entries
        .filter((e) => e.drawId === d.id)
        .map((e) => ({
          list: e.list,
          position: e.position,
          subject_id: e.subjectId,
          status: e.status,
          not_tested_reason: e.notTestedReason,
          replaces_entry_id: e.replacesEntryId,
          id: e.id,
        })),
    })),
  };
}
