import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgEnum, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';
import { facilities } from '../facilities/tables.ts';
import { organisations } from '../organisations/tables.ts';

export const campaignKind = pgEnum('campaign_kind', ['socialization', 'education', 'joint_campaign']);
export const audienceKind = pgEnum('campaign_audience_kind', [
  'inmates',
  'officers',
  'students',
  'youth',
  'community',
  'government',
  'private_sector',
]);

// P4GN campaign event (sosialisasi, penyuluhan, kampanye bersama), held on one local date at one place.
export const campaigns = pgTable(
  'campaigns',
  {
    id: idColumn(),
    kind: campaignKind('kind').notNull(),
    topic: text('topic').notNull(),
    heldOn: date('held_on').notNull(),
    provinceCode: text('province_code').notNull(),
    regency: text('regency').notNull(),
    venue: text('venue').notNull(),
    // Held inside a facility: then it counts for that facility's scorecard period.
    facilityId: uuid('facility_id').references(() => facilities.id),
    audienceKind: audienceKind('audience_kind').notNull(),
    audienceCount: integer('audience_count').notNull(),
    notes: text('notes'),
    createdBy: uuid('created_by').notNull(),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    index('campaigns_held_on_idx').on(t.heldOn),
    // Places are filtered by province and regency name without case: lower(regency) = ...
    index('campaigns_place_idx').on(t.provinceCode, sql`lower(${t.regency})`),
    index('campaigns_facility_idx').on(t.facilityId, t.heldOn).where(sql`${t.facilityId} IS NOT NULL`),
    check('campaigns_audience_ck', sql`${t.audienceCount} >= 0`),
  ],
);

// The organisations that ran it together: one or more.
export const campaignOrganisers = pgTable(
  'campaign_organisers',
  {
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.organisationId] }),
    index('campaign_organisers_organisation_idx').on(t.organisationId),
  ],
);
