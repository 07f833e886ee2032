import { sql } from 'drizzle-orm';
import { check, index, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';

export const organisationType = pgEnum('organisation_type', ['ministry', 'kanwil', 'bnn', 'regional_government']);
export const bnnLevel = pgEnum('bnn_level', ['national', 'province', 'district']);
export const timeZone = pgEnum('time_zone', ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura']);

export const organisations = pgTable(
  'organisations',
  {
    id: idColumn(),
    type: organisationType('type').notNull(),
    bnnLevel: bnnLevel('bnn_level'),
    name: text('name').notNull(),
    provinceCode: text('province_code'),
    regency: text('regency'),
    timezone: timeZone('timezone').notNull().default('Asia/Jakarta'),
    parentId: uuid('parent_id'),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    uniqueIndex('organisations_name_key').on(t.name),
    index('organisations_province_idx').on(t.provinceCode),
    // A BNN unit has a level; nothing else does. Province-level units and Kanwil name their province.
    check('organisations_bnn_level_ck', sql`(${t.type} = 'bnn') = (${t.bnnLevel} IS NOT NULL)`),
    check(
      'organisations_province_ck',
      sql`${t.type} = 'ministry' OR ${t.bnnLevel} = 'national' OR ${t.provinceCode} IS NOT NULL`,
    ),
    // One Kanwil per province.
    uniqueIndex('organisations_kanwil_province_key').on(t.provinceCode).where(sql`${t.type} = 'kanwil'`),
    // One regional government per province (no regency) and per regency or city; regencies are
    // stored tidied (trimmed, single spaces), so lower() compares them. The predicate means
    // type = 'regional_government' but names the older values: a fresh database runs every migration
    // in one transaction, and PostgreSQL refuses a value added to an enum (0013) in the transaction
    // that added it. A new organisation type must be added to this list.
    uniqueIndex('organisations_regional_government_area_key')
      .on(t.provinceCode, sql`coalesce(lower(${t.regency}), '')`)
      .where(sql`${t.type} NOT IN ('ministry', 'kanwil', 'bnn')`),
  ],
);
