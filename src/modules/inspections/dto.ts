import { localDate, localTime } from '../../core/calendar/index.ts';
import { iso, isoNotNull } from '../../http/dto.ts';
import { presentPerson, seesPersonalData } from '../../http/personal-data.ts';
import type { Principal } from '../../http/principal.ts';
import type { ActionDto } from './schemas.ts';
import type { addenda, correctiveActions, custodyEntries, evidenceItems, findings, inspections } from './tables.ts';

// Rows to answers. The records a POST creates, read on their own, name the record they belong to;
// inside the report they do not. Custodians are named only with personal_data.

export type InspectionRow = typeof inspections.$inferSelect;
export type FindingRow = typeof findings.$inferSelect;
export type EvidenceRow = typeof evidenceItems.$inferSelect;
export type CustodyRow = typeof custodyEntries.$inferSelect;
export type ActionRow = typeof correctiveActions.$inferSelect;
export type AddendumRow = typeof addenda.$inferSelect;

/** The parts of a report, each in the order the report shows it. */
export interface ReportParts {
  findingRows: FindingRow[];
  evidenceRows: EvidenceRow[];
  custodyRows: CustodyRow[];
  actionRows: ActionRow[];
  addendumRows: AddendumRow[];
}

export const NO_PARTS: ReportParts = {
  findingRows: [],
  evidenceRows: [],
  custodyRows: [],
  actionRows: [],
  addendumRows: [],
};

export function toSummaryDto(row: InspectionRow, timezone: string, findingCount: number, seesNames: boolean) {
  return {
    id: row.id,
    facility_id: row.facilityId,
    kind: row.kind,
    lead_organisation_id: row.leadOrganisationId,
    team: seesNames ? row.team : null,
    started_at: localTime(row.startedAt, timezone),
    ended_at: localTime(row.endedAt, timezone),
    timezone,
    areas: row.areas,
    inmates_searched: row.inmatesSearched,
    officers_searched: row.officersSearched,
    summary: row.summary,
    status: row.status,
    narcotics_found: row.narcoticsFound,
    result: findingCount > 0 ? ('findings' as const) : ('nihil' as const),
    finding_count: findingCount,
    submitted_at: iso(row.submittedAt),
    submitted_by: row.submittedBy,
    signed_off_at: iso(row.signedOffAt),
    signed_off_by: row.signedOffBy,
    created_by: row.createdBy,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

export function toActionDto(row: ActionRow, timezone: string, now: Date): ActionDto {
  const overdue = (row.status === 'open' || row.status === 'in_progress') && row.dueDate < localDate(now, timezone);
  return {
    id: row.id,
    inspection_id: row.inspectionId,
    facility_id: row.facilityId,
    finding_id: row.findingId,
    description: row.description,
    owner_organisation_id: row.ownerOrganisationId,
    owner_officer_id: row.ownerOfficerId,
    due_date: row.dueDate,
    status: overdue ? 'overdue' : row.status,
    overdue,
    closing_comment: row.closingComment,
    closed_at: iso(row.closedAt),
    automatic: row.automatic,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

const custodyDto = (c: CustodyRow) => ({
  id: c.id,
  handed_by: c.handedBy,
  handed_to: c.handedTo,
  handed_at: isoNotNull(c.handedAt),
  note: c.note,
  recorded_by: c.recordedBy,
  created_at: isoNotNull(c.createdAt),
});

export const toCustodyEntryDto = (c: CustodyRow, principal: Principal) =>
  presentPerson(principal, 'custody_entries', { ...custodyDto(c), evidence_id: c.evidenceId });

/** An evidence item with its own handovers, picked from `custody`. */
export const toEvidenceDto = (e: EvidenceRow, custody: CustodyRow[], principal: Principal) => ({
  id: e.id,
  finding_id: e.findingId,
  kind: e.kind,
  description: e.description,
  seal_number: e.sealNumber,
  file:
    e.fileSha256 && e.fileSize !== null && e.fileMediaType
      ? {
          sha256: e.fileSha256,
          size: e.fileSize,
          media_type: e.fileMediaType,
          name: e.fileName,
          url: `/v1/evidence/${e.id}/file`,
        }
      : null,
  custody: custody
    .filter((c) => c.evidenceId === e.id)
    .map((c) => presentPerson(principal, 'custody_entries', custodyDto(c))),
  created_by: e.createdBy,
  created_at: isoNotNull(e.createdAt),
});

/** A finding in its report, with its evidence picked from `evidence`. */
export const toFindingDto = (f: FindingRow, evidence: EvidenceRow[], custody: CustodyRow[], principal: Principal) => ({
  id: f.id,
  category: f.category,
  description: f.description,
  quantity: Number(f.quantity),
  unit: f.unit,
  location: f.location,
  people: f.people.map((p) => ({ type: p.type, id: p.id ?? null })),
  evidence: evidence.filter((e) => e.findingId === f.id).map((e) => toEvidenceDto(e, custody, principal)),
  created_by: f.createdBy,
  created_at: isoNotNull(f.createdAt),
});

export const toFindingRecordDto = (
  f: FindingRow,
  evidence: EvidenceRow[],
  custody: CustodyRow[],
  principal: Principal,
) => ({
  id: f.id,
  inspection_id: f.inspectionId,
  category: f.category,
  description: f.description,
  quantity: Number(f.quantity),
  unit: f.unit,
  location: f.location,
  people: f.people.map((p) => ({ type: p.type, id: p.id ?? null })),
  evidence: evidence.map((e) => toEvidenceDto(e, custody, principal)),
  created_by: f.createdBy,
  created_at: isoNotNull(f.createdAt),
});

const addendumDto = (a: AddendumRow) => ({
  id: a.id,
  corrects_type: a.correctsType,
  corrects_id: a.correctsId,
  reason: a.reason,
  text: a.text,
  author_id: a.authorId,
  author_role: a.authorRole,
  created_at: isoNotNull(a.createdAt),
});

// The addendum read on its own names its report (the answer schema puts the keys in order).
export const toAddendumRecordDto = (a: AddendumRow) => ({ ...addendumDto(a), inspection_id: a.inspectionId });

/** The whole report: findings with their evidence and its chain of custody, actions, addenda, signatures. */
export function toReportDto(
  inspection: InspectionRow,
  timezone: string,
  parts: ReportParts,
  principal: Principal,
  now: Date,
) {
  return {
    ...toSummaryDto(inspection, timezone, parts.findingRows.length, seesPersonalData(principal)),
    findings: parts.findingRows.map((f) => toFindingDto(f, parts.evidenceRows, parts.custodyRows, principal)),
    actions: parts.actionRows.map((a) => toActionDto(a, timezone, now)),
    addenda: parts.addendumRows.map(addendumDto),
    version: inspection.version,
  };
}
export type ReportDto = ReturnType<typeof toReportDto>;
