import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';
import { facilities } from '../facilities/tables.ts';
import { officers } from '../officers/tables.ts';
import { organisations } from '../organisations/tables.ts';

export const inspectionKind = pgEnum('inspection_kind', ['surprise', 'scheduled', 'joint']);
export const inspectionStatus = pgEnum('inspection_status', ['draft', 'submitted', 'signed_off']);
export const findingCategory = pgEnum('finding_category', [
  'narcotics',
  'drug_paraphernalia',
  'mobile_phone',
  'sharp_object',
  'alcohol',
  'cash',
  'other_contraband',
]);
export const quantityUnit = pgEnum('quantity_unit', ['grams', 'pieces', 'millilitres', 'rupiah']);
export const evidenceKind = pgEnum('evidence_kind', ['photo', 'video', 'seized_item', 'document']);
export const actionStatus = pgEnum('corrective_action_status', ['open', 'in_progress', 'done', 'verified']);

export interface TeamMember {
  name: string;
  agency: 'facility' | 'bnn' | 'police' | 'army' | 'other';
  role?: string;
}
export interface AreaSearched {
  kind: 'block' | 'cell' | 'visitor_area' | 'kitchen' | 'staff_room' | 'other';
  name?: string;
}
export interface PersonInvolved {
  type: 'inmate' | 'officer' | 'unknown';
  id?: string;
}

// Sidak: the report of one search of a facility. Frozen once signed off (a trigger enforces it).
export const inspections = pgTable(
  'inspections',
  {
    id: idColumn(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    kind: inspectionKind('kind').notNull(),
    leadOrganisationId: uuid('lead_organisation_id').references(() => organisations.id),
    team: jsonb('team').$type<TeamMember[]>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
    areas: jsonb('areas').$type<AreaSearched[]>().notNull(),
    inmatesSearched: integer('inmates_searched').notNull(),
    officersSearched: integer('officers_searched').notNull(),
    summary: text('summary').notNull(),
    status: inspectionStatus('status').notNull().default('draft'),
    narcoticsFound: boolean('narcotics_found').notNull().default(false),
    createdBy: uuid('created_by').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by'),
    signedOffAt: timestamp('signed_off_at', { withTimezone: true }),
    signedOffBy: uuid('signed_off_by'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    // A facility's inspections in the orders its list takes: by id, by start (a date filter), by
    // when they changed (updated_since).
    index('inspections_facility_started_idx').on(t.facilityId, t.startedAt, t.id),
    index('inspections_facility_id_idx').on(t.facilityId, t.id),
    index('inspections_facility_updated_idx').on(t.facilityId, t.updatedAt, t.id),
    // The same orders across every facility (a national reach).
    index('inspections_updated_idx').on(t.updatedAt, t.id),
    check('inspections_times_ck', sql`${t.endedAt} > ${t.startedAt}`),
    check('inspections_counts_ck', sql`${t.inmatesSearched} >= 0 AND ${t.officersSearched} >= 0`),
  ],
);

export const findings = pgTable(
  'inspection_findings',
  {
    id: idColumn(),
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    category: findingCategory('category').notNull(),
    description: text('description').notNull(),
    quantity: numeric('quantity', { precision: 14, scale: 3 }).notNull(),
    unit: quantityUnit('unit').notNull(),
    location: text('location').notNull(),
    people: jsonb('people').$type<PersonInvolved[]>().notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('inspection_findings_inspection_idx').on(t.inspectionId),
    index('inspection_findings_facility_category_idx').on(t.facilityId, t.category),
    check('inspection_findings_quantity_ck', sql`${t.quantity} > 0`),
  ],
);

export const evidenceItems = pgTable(
  'evidence_items',
  {
    id: idColumn(),
    findingId: uuid('finding_id')
      .notNull()
      .references(() => findings.id),
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    kind: evidenceKind('kind').notNull(),
    description: text('description').notNull(),
    sealNumber: text('seal_number'),
    fileSha256: text('file_sha256'),
    fileSize: bigint('file_size', { mode: 'number' }),
    fileMediaType: text('file_media_type'),
    fileName: text('file_name'),
    storageKey: text('storage_key'),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('evidence_items_finding_idx').on(t.findingId),
    index('evidence_items_inspection_idx').on(t.inspectionId),
    index('evidence_items_storage_key_idx').on(t.storageKey),
    check('evidence_items_seal_ck', sql`${t.kind} <> 'seized_item' OR ${t.sealNumber} IS NOT NULL`),
    check('evidence_items_file_ck', sql`(${t.fileSha256} IS NULL) = (${t.storageKey} IS NULL)`),
  ],
);

// Chain of custody: append-only handovers of an evidence item; they go on after sign-off.
export const custodyEntries = pgTable(
  'custody_entries',
  {
    id: idColumn(),
    evidenceId: uuid('evidence_id')
      .notNull()
      .references(() => evidenceItems.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    handedBy: text('handed_by').notNull(),
    handedTo: text('handed_to').notNull(),
    handedAt: timestamp('handed_at', { withTimezone: true }).notNull(),
    note: text('note'),
    recordedBy: uuid('recorded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('custody_entries_evidence_idx').on(t.evidenceId, t.handedAt)],
);

export const correctiveActions = pgTable(
  'corrective_actions',
  {
    id: idColumn(),
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    findingId: uuid('finding_id').references(() => findings.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    description: text('description').notNull(),
    ownerOrganisationId: uuid('owner_organisation_id').references(() => organisations.id),
    ownerOfficerId: uuid('owner_officer_id').references(() => officers.id),
    dueDate: date('due_date').notNull(),
    status: actionStatus('status').notNull().default('open'),
    closingComment: text('closing_comment'),
    // When it was done: the scorecard judges "closed by its due date" by this.
    closedAt: timestamp('closed_at', { withTimezone: true }),
    automatic: boolean('automatic').notNull().default(false),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    index('corrective_actions_facility_due_idx').on(t.facilityId, t.status, t.dueDate),
    index('corrective_actions_inspection_idx').on(t.inspectionId),
  ],
);

// Corrections after sign-off: what they correct, who wrote them and why.
export const addenda = pgTable(
  'inspection_addenda',
  {
    id: idColumn(),
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    correctsType: text('corrects_type').notNull(),
    correctsId: uuid('corrects_id').notNull(),
    reason: text('reason').notNull(),
    text: text('text').notNull(),
    authorId: uuid('author_id').notNull(),
    authorRole: text('author_role').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('inspection_addenda_inspection_idx').on(t.inspectionId)],
);
