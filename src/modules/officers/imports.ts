import { inArray, sql } from 'drizzle-orm';
import { localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { queryRows } from '../../db/client.ts';
import { uuidv7 } from '../../db/columns.ts';
import { newPseudonym } from '../../db/pseudonym.ts';
import {
  atColumn,
  type ImportOptions,
  type ImportReportDto,
  type ImportRow,
  planImport,
  sameAsKept,
} from '../../http/import.ts';
import { fieldSentence } from '../../http/messages.ts';
import { IMPORT_CHUNK, importSummary } from '../../http/register.ts';
import { type OfficerRow, toOfficerDto } from './dto.ts';
import { officerErrors } from './rules.ts';
import { OfficerFields, type OfficerFieldsOutput, OfficerStatus } from './schemas.ts';
import type { OfficerRegister } from './service.ts';
import { officers } from './tables.ts';

// An import says each officer's status outright: an SDP file without it would silently reactivate people.
const OfficerImportFields = OfficerFields.extend({ status: OfficerStatus });

const COMPARED = ['name', 'sex', 'position', 'unit', 'status', 'joined_on', 'left_on'] as const;

/**
 * Upserts a facility's officers by NIP. A NIP is national: one already kept by another facility is
 * a rejected row (the officer moves through that facility, not by import here).
 */
export async function importOfficers(
  change: Change,
  { facility }: OfficerRegister,
  rows: ImportRow[],
  options: ImportOptions,
): Promise<ImportReportDto> {
  const today = localDate(change.now, facility.timezone);
  const plan = await planImport(rows, options, {
    schema: OfficerImportFields,
    keyColumn: 'nip',
    keyOf: (f) => f.nip,
    rules: (f) => officerErrors(f, today),
    existing: (nips) => change.tx.select().from(officers).where(inArray(officers.nip, nips)),
    recordKey: (r) => r.nip,
    decide: (f, row) => {
      if (!row) return 'create';
      if (row.facilityId !== facility.id) return { reject: atColumn('nip', fieldSentence('row_officer_elsewhere')) };
      return sameAsKept(toOfficerDto(row), f, COMPARED) ? 'unchanged' : 'update';
    },
  });
  const { report, created } = plan;
  const updated = plan.updated.map(({ record, fields }) => ({ row: record, f: fields }));
  if (options.dryRun) return report;

  for (let start = 0; start < created.length; start += IMPORT_CHUNK) {
    await change.tx.insert(officers).values(
      created.slice(start, start + IMPORT_CHUNK).map((f) => ({
        id: uuidv7(),
        pseudonym: newPseudonym('PTG'),
        facilityId: facility.id,
        nip: f.nip,
        name: f.name,
        sex: f.sex,
        position: f.position,
        unit: f.unit,
        status: f.status,
        joinedOn: f.joined_on,
        leftOn: f.left_on ?? null,
      })),
    );
  }
  // One UPDATE ... FROM unnest(...) per chunk: no statement per row.
  for (let start = 0; start < updated.length; start += IMPORT_CHUNK) {
    const chunk = updated.slice(start, start + IMPORT_CHUNK);
    // One array parameter per column (a bare JS array in sql`` would spread into a list).
    const col = <T>(pick: (x: { row: OfficerRow; f: OfficerFieldsOutput }) => T) => sql.param(chunk.map(pick));
    await queryRows(
      change.tx,
      sql`UPDATE officers AS o SET
            name = v.name, sex = v.sex::sex, position = v.position, unit = v.unit, status = v.status::officer_status,
            joined_on = v.joined_on::date, left_on = v.left_on::date, version = o.version + 1, updated_at = ${change.now.toISOString()}::timestamptz
          FROM unnest(${col((x) => x.row.id)}::uuid[], ${col((x) => x.f.name)}::text[], ${col((x) => x.f.sex)}::text[],
                      ${col((x) => x.f.position)}::text[], ${col((x) => x.f.unit)}::text[], ${col((x) => x.f.status)}::text[],
                      ${col((x) => x.f.joined_on)}::text[], ${col((x) => x.f.left_on ?? null)}::text[])
               AS v(id, name, sex, position, unit, status, joined_on, left_on)
         WHERE o.id = v.id`,
    );
  }
  await change.audit({
    action: 'officer.imported',
    entityType: 'facility',
    entityId: facility.id,
    facilityId: facility.id,
    after: importSummary(report),
  });
  return report;
}
