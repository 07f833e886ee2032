import { index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, timestamps, versionColumn } from '../../db/columns.ts';
import { organisations, timeZone } from '../organisations/tables.ts';

export const facilityType = pgEnum('facility_type', ['rutan', 'lapas', 'lapas_narkotika', 'lpp', 'lpka']);
export const facilityClass = pgEnum('facility_class', ['I', 'IIA', 'IIB', 'III']);

export const facilities = pgTable(
  'facilities',
  {
    id: idColumn(),
    type: facilityType('type').notNull(),
    class: facilityClass('class').notNull(),
    name: text('name').notNull(),
    provinceCode: text('province_code').notNull(),
    regency: text('regency').notNull(),
    capacity: integer('capacity').notNull(),
    timezone: timeZone('timezone').notNull(),
    kanwilId: uuid('kanwil_id')
      .notNull()
      .references(() => organisations.id),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    uniqueIndex('facilities_name_key').on(t.name),
    index('facilities_province_idx').on(t.provinceCode),
    index('facilities_kanwil_idx').on(t.kanwilId),
  ],
);
