// The rules of a sidak (inspections): the report, its findings, evidence, corrective actions and addenda.
import { entity } from './glossary.ts';
import { capital, fixed, namesNoOrganisation, type Sentence, sentence, withArticle } from './text.ts';

export const inspectionRules = {
  // The report.
  inspection_times_invalid: fixed(
    'started_at and ended_at must be real times.',
    'started_at dan ended_at harus waktu yang sah.',
  ),
  inspection_ends_before_start: fixed('ended_at must be after started_at.', 'ended_at harus setelah started_at.'),
  inspection_starts_in_future: fixed('started_at lies in the future.', 'started_at berada di masa depan.'),
  inspection_lead_unknown: namesNoOrganisation('lead_organisation_id'),
  inspection_unknown_person_with_id: fixed('An unknown person has no id.', 'Orang tak dikenal tidak memiliki id.'),
  inspection_person_needs_id: sentence(
    (p) => `${capital(withArticle(p.type))} needs an id.`,
    (p) => `${capital(entity(p.type))} memerlukan id.`,
  ),
  inspection_person_elsewhere: sentence(
    (p) => `people/${p.index} is not ${withArticle(p.type)} of the inspected facility.`,
    (p) => `people/${p.index} bukan ${entity(p.type)} dari Lapas/Rutan yang disidak.`,
  ),
  // Evidence.
  evidence_seal_number_required: fixed('A seized item needs its seal number.', 'Barang sitaan memerlukan nomor segel.'),
  evidence_file_required: sentence(
    (p) => `${capital(withArticle(p.kind))} needs its file (multipart).`,
    (p) => `Bukti ${p.kind} memerlukan berkasnya (multipart).`,
  ),
  evidence_handed_at_outside: fixed(
    'handed_at must fall between the start of the inspection and now.',
    'handed_at harus di antara awal sidak dan saat ini.',
  ),
  // Corrective actions and addenda.
  action_due_before_inspection: fixed('due_date is before the inspection.', 'due_date sebelum tanggal sidak.'),
  action_finding_elsewhere: fixed(
    'finding_id is not a finding of this inspection.',
    'finding_id bukan temuan sidak ini.',
  ),
  action_owner_organisation_unknown: namesNoOrganisation('owner_organisation_id'),
  action_owner_officer_elsewhere: fixed(
    'owner_officer_id is not an officer of this facility.',
    'owner_officer_id bukan petugas Lapas/Rutan ini.',
  ),
  action_transition: sentence(
    (p) => `An action cannot go from ${p.from} to ${p.to}.`,
    (p) => `Tindakan korektif tidak dapat berpindah dari ${p.from} ke ${p.to}.`,
  ),
  action_closing_comment_required: fixed(
    'Closing an action needs a closing_comment.',
    'Menutup tindakan korektif memerlukan closing_comment.',
  ),
  addendum_corrects_elsewhere: fixed(
    'corrects_id is not part of this report.',
    'corrects_id bukan bagian dari laporan sidak ini.',
  ),
} satisfies Record<string, Sentence>;
