import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';
import { organisations } from '../organisations/tables.ts';
import type { KotanInstrument, VariableCode } from './instrument.ts';

export const kotanBand = pgEnum('kotan_band', ['not_responsive', 'fairly_responsive', 'responsive', 'very_responsive']);

// KOTAN (IKOTAN): how responsive a regency or city is to the drug threat, one assessment a year.
export const kotanAssessments = pgTable(
  'kotan_assessments',
  {
    id: idColumn(),
    provinceCode: text('province_code').notNull(),
    regency: text('regency').notNull(),
    year: integer('year').notNull(),
    assessorOrganisationId: uuid('assessor_organisation_id')
      .notNull()
      .references(() => organisations.id),
    assessorName: text('assessor_name'),
    assessedOn: date('assessed_on').notNull(),
    // The scores as given, per variable and indicator, and the instrument (weights, ranges) they were scored with.
    indicatorScores: jsonb('indicator_scores').$type<Record<VariableCode, Record<string, number>>>().notNull(),
    instrument: jsonb('instrument').$type<KotanInstrument>().notNull(),
    familyResilience: numeric('family_resilience', { precision: 5, scale: 2 }).notNull(),
    communityResilience: numeric('community_resilience', { precision: 5, scale: 2 }).notNull(),
    territory: numeric('territory', { precision: 5, scale: 2 }).notNull(),
    institutions: numeric('institutions', { precision: 5, scale: 2 }).notNull(),
    law: numeric('law', { precision: 5, scale: 2 }).notNull(),
    // The index rounded to two decimals; the band is read from this rounded value.
    index: numeric('index', { precision: 5, scale: 2 }).notNull(),
    band: kotanBand('band').notNull(),
    evidenceNotes: text('evidence_notes'),
    createdBy: uuid('created_by').notNull(),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    // One assessment per regency or city and year (names compared without case).
    uniqueIndex('kotan_assessments_regency_year_key').on(t.provinceCode, sql`lower(${t.regency})`, t.year),
    index('kotan_assessments_year_idx').on(t.year, t.provinceCode),
    check('kotan_assessments_index_ck', sql`${t.index} BETWEEN 0 AND 100`),
    check('kotan_assessments_year_ck', sql`${t.year} BETWEEN 2000 AND 2199`),
    check(
      'kotan_assessments_band_ck',
      sql`${t.band} = CASE WHEN ${t.index} <= 25 THEN 'not_responsive'::kotan_band
                            WHEN ${t.index} <= 50 THEN 'fairly_responsive'::kotan_band
                            WHEN ${t.index} <= 75 THEN 'responsive'::kotan_band
                            ELSE 'very_responsive'::kotan_band END`,
    ),
  ],
);
