/**
 * How sensitive each column is. Every column of every table is named here (a test checks it), so a
 * new column is classified when it is added:
 * - personal: identifies a person (names, usernames, birth dates, registration numbers);
 * - special: special-category data (health, test results, case type);
 * - secret: credentials, never shown or logged;
 * - held: may carry copies of personal or special data (audit trails, stored answers).
 * Callers without the personal_data scope get personal columns as null (src/http/personal-data.ts);
 * special-category columns stay visible beside the pseudonym, for oversight and research.
 */
export type DataClass = 'none' | 'personal' | 'special' | 'secret' | 'held';

const t = (classes: Partial<Record<Exclude<DataClass, 'none'>, string[]>> & { none: string[] }) => classes;

export const DATA_CLASSES: Record<string, Partial<Record<DataClass, string[]>>> = {
  organisations: t({
    none: [
      'id',
      'type',
      'bnn_level',
      'name',
      'province_code',
      'regency',
      'timezone',
      'parent_id',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  facilities: t({
    none: [
      'id',
      'type',
      'class',
      'name',
      'province_code',
      'regency',
      'capacity',
      'timezone',
      'kanwil_id',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  mous: t({
    none: [
      'id',
      'number',
      'title',
      'bnn_unit_id',
      'scope',
      'signed_on',
      'valid_from',
      'valid_until',
      'terminated_at',
      'termination_reason',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  mou_facilities: t({ none: ['mou_id', 'facility_id'] }),
  users: t({
    personal: ['username', 'display_name'],
    secret: ['password_hash'],
    none: ['id', 'role', 'organisation_id', 'facility_id', 'active', 'created_at', 'updated_at', 'version'],
  }),
  api_clients: t({
    secret: ['secret_hash'],
    none: ['id', 'client_id', 'name', 'scopes', 'organisation_id', 'active', 'created_at', 'updated_at', 'version'],
  }),
  refresh_tokens: t({
    secret: ['secret_hash'],
    none: ['id', 'family_id', 'user_id', 'expires_at', 'spent_at', 'revoked_at', 'created_at'],
  }),
  audit_events: t({
    held: ['before', 'after'],
    none: [
      'seq',
      'id',
      'occurred_at',
      'actor_type',
      'actor_id',
      'actor_role',
      'action',
      'entity_type',
      'entity_id',
      'facility_id',
      'request_id',
      'prev_hash',
      'hash',
    ],
  }),
  inmates: t({
    personal: ['registration_number', 'name', 'birth_date'],
    special: ['case_type'],
    none: [
      'id',
      'pseudonym',
      'facility_id',
      'sex',
      'admission_date',
      'expected_release_date',
      'block',
      'cell',
      'status',
      'released_on',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  inmate_placements: t({
    personal: ['registration_number'],
    none: ['id', 'inmate_id', 'facility_id', 'from_date', 'until_date', 'end_reason', 'created_at'],
  }),
  officers: t({
    personal: ['nip', 'name'],
    none: [
      'id',
      'pseudonym',
      'facility_id',
      'sex',
      'position',
      'unit',
      'status',
      'joined_on',
      'left_on',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  inspections: t({
    personal: ['team'],
    held: ['summary'],
    none: [
      'id',
      'facility_id',
      'kind',
      'lead_organisation_id',
      'started_at',
      'ended_at',
      'areas',
      'inmates_searched',
      'officers_searched',
      'status',
      'narcotics_found',
      'created_by',
      'submitted_at',
      'submitted_by',
      'signed_off_at',
      'signed_off_by',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  inspection_findings: t({
    held: ['description'],
    none: [
      'id',
      'inspection_id',
      'facility_id',
      'category',
      'quantity',
      'unit',
      'location',
      'people',
      'created_by',
      'created_at',
    ],
  }),
  evidence_items: t({
    held: ['description', 'file_name'],
    none: [
      'id',
      'finding_id',
      'inspection_id',
      'facility_id',
      'kind',
      'seal_number',
      'file_sha256',
      'file_size',
      'file_media_type',
      'storage_key',
      'created_by',
      'created_at',
    ],
  }),
  custody_entries: t({
    personal: ['handed_by', 'handed_to'],
    held: ['note'],
    none: ['id', 'evidence_id', 'facility_id', 'handed_at', 'recorded_by', 'created_at'],
  }),
  corrective_actions: t({
    held: ['description', 'closing_comment'],
    none: [
      'id',
      'inspection_id',
      'finding_id',
      'facility_id',
      'owner_organisation_id',
      'owner_officer_id',
      'due_date',
      'status',
      'automatic',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  inspection_addenda: t({
    held: ['reason', 'text'],
    none: [
      'id',
      'inspection_id',
      'facility_id',
      'corrects_type',
      'corrects_id',
      'author_id',
      'author_role',
      'created_at',
    ],
  }),
  urine_test_rounds: t({
    held: ['note'],
    none: [
      'id',
      'facility_id',
      'tested_on',
      'reason',
      'run_by_organisation_id',
      'subjects',
      'kit',
      'cutoffs',
      'created_by',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  urine_tests: t({
    special: [
      'refused',
      'temperature_c',
      'temperature_in_range',
      'creatinine_mg_dl',
      'specific_gravity',
      'ph',
      'nitrite_ug_ml',
      'classes',
      'outcome',
      'confirmation',
    ],
    none: [
      'id',
      'round_id',
      'facility_id',
      'subject_type',
      'subject_id',
      'specimen_id',
      'collected_at',
      'created_by',
      'created_at',
    ],
  }),
  urine_draws: t({
    none: [
      'id',
      'round_id',
      'facility_id',
      'subject_type',
      'seed',
      'params',
      'population_size',
      'created_by',
      'created_at',
    ],
  }),
  urine_draw_entries: t({
    special: ['status', 'not_tested_reason'],
    none: [
      'id',
      'draw_id',
      'round_id',
      'facility_id',
      'subject_type',
      'subject_id',
      'list',
      'position',
      'replaces_entry_id',
      'updated_at',
    ],
  }),
  urine_confirmations: t({
    special: ['drug_class', 'method', 'value_ng_ml', 'cutoff_ng_ml', 'positive', 'prescription_reference'],
    none: ['id', 'test_id', 'facility_id', 'lab', 'recorded_by', 'created_at'],
  }),
  follow_up_cases: t({
    special: ['trigger', 'assessment_notes', 'decision', 'closing_note'],
    none: [
      'id',
      'facility_id',
      'test_id',
      'subject_type',
      'subject_id',
      'kind',
      'status',
      'opened_on',
      'assessment_due',
      'assessed_on',
      'decided_on',
      'closed_on',
      'created_at',
      'updated_at',
      'version',
    ],
  }),
  idempotency_keys: t({
    held: ['response_body'],
    none: ['principal', 'key', 'request_hash', 'response_status', 'response_headers', 'created_at', 'expires_at'],
  }),
};

/** The columns of a table that identify a person: hidden from callers without personal_data. */
export function personalColumns(table: string): string[] {
  return DATA_CLASSES[table]?.personal ?? [];
}

export function dataClassOf(table: string, column: string): DataClass | undefined {
  const classes = DATA_CLASSES[table];
  if (!classes) return undefined;
  for (const [name, columns] of Object.entries(classes)) if (columns?.includes(column)) return name as DataClass;
  return undefined;
}
