import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
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
import { fieldSentence, type Localized } from '../../http/messages.ts';
import { IMPORT_CHUNK, importSummary } from '../../http/register.ts';
import { LocalDate } from '../../http/schemas.ts';
import { closeEnrolmentsFor } from '../rehab/closing.ts';
import { type InmateRow, toInmateDto } from './dto.ts';
import { inmateAdmitted, inmateReleased } from './events.ts';
import { dateErrors } from './rules.ts';
import { InmateFields } from './schemas.ts';
import type { InmateRegister } from './service.ts';
import { inmatePlacements, inmates } from './tables.ts';

// An absent (or empty) optional column keeps what the register holds; a new person starts detained.
const ImportFields = InmateFields.extend({
  status: z.enum(['detained', 'sentenced', 'released']).optional(),
  released_on: LocalDate.optional(),
});
type ImportFieldsOutput = z.output<typeof ImportFields>;

const COMPARED = [
  'name',
  'sex',
  'birth_date',
  'case_type',
  'admission_date',
  'expected_release_date',
  'block',
  'cell',
  'status',
  'released_on',
] as const;

/** The numbers this facility once held for people since transferred out. */
async function transferredOut(change: Change, facilityId: string, numbers: string[]): Promise<string[]> {
  const rows = await change.tx
    .select({ number: inmatePlacements.registrationNumber })
    .from(inmatePlacements)
    .innerJoin(inmates, eq(inmates.id, inmatePlacements.inmateId))
    .where(
      and(
        eq(inmatePlacements.facilityId, facilityId),
        inArray(inmatePlacements.registrationNumber, numbers),
        sql`${inmates.facilityId} <> ${facilityId}`,
      ),
    );
  return rows.map((r) => r.number);
}

/**
 * Upserts a facility's register from SDP rows, keyed by registration number. Every row is checked
 * on its own; the report names each rejected row by line. Writes are set-based: one statement
 * for the new people, one for their stays, one for the changed.
 */
export async function importInmates(
  change: Change,
  { facility }: InmateRegister,
  rows: ImportRow[],
  options: ImportOptions,
): Promise<ImportReportDto> {
  const today = localDate(change.now, facility.timezone);
  let movedOut = new Set<string>();
  const plan = await planImport(rows, options, {
    schema: ImportFields,
    keyColumn: 'registration_number',
    keyOf: (f) => f.registration_number,
    rules: (f) => {
      const errors: Localized[] = dateErrors(f, today);
      const released = { status: 'released' };
      if (f.status === 'released' && !f.released_on) {
        errors.push(atColumn('released_on', fieldSentence('row_required_for_status', released)));
      }
      if (f.status !== 'released' && f.released_on) {
        errors.push(atColumn('released_on', fieldSentence('row_only_for_status', released)));
      }
      return errors;
    },
    existing: async (numbers) => {
      const kept = await change.tx
        .select()
        .from(inmates)
        .where(and(eq(inmates.facilityId, facility.id), inArray(inmates.registrationNumber, numbers)));
      // A number this facility once held for someone since transferred out is not a new person.
      const keptNumbers = new Set(kept.map((r) => r.registrationNumber));
      const missing = numbers.filter((n) => !keptNumbers.has(n));
      movedOut = new Set(missing.length ? await transferredOut(change, facility.id, missing) : []);
      return kept;
    },
    recordKey: (r) => r.registrationNumber,
    decide: (f, row) => {
      if (!row) {
        return movedOut.has(f.registration_number)
          ? { reject: atColumn('registration_number', fieldSentence('row_inmate_transferred_out')) }
          : 'create';
      }
      const closed = row.status === 'transferred' || row.status === 'deceased';
      if (closed || (row.status === 'released' && f.status && f.status !== 'released')) {
        return { reject: atColumn('status', fieldSentence('row_inmate_return', { status: row.status })) };
      }
      return sameAsKept(toInmateDto(row), f, COMPARED) ? 'unchanged' : 'update';
    },
  });
  const { report, created } = plan;
  const updated = plan.updated.map(({ record, fields }) => ({ row: record, f: fields }));
  if (options.dryRun) return report;

  if (created.length) await insertNew(change, facility.id, created);
  if (updated.length) await updateChanged(change, updated);
  await change.audit({
    action: 'inmate.imported',
    entityType: 'facility',
    entityId: facility.id,
    facilityId: facility.id,
    after: importSummary(report),
  });
  return report;
}

async function insertNew(change: Change, facilityId: string, rows: ImportFieldsOutput[]) {
  for (let start = 0; start < rows.length; start += IMPORT_CHUNK) {
    const chunk = rows.slice(start, start + IMPORT_CHUNK).map((f) => ({ id: uuidv7(), f }));
    await change.tx.insert(inmates).values(
      chunk.map(({ id, f }) => ({
        id,
        pseudonym: newPseudonym('WBP'),
        facilityId,
        registrationNumber: f.registration_number,
        name: f.name,
        sex: f.sex,
        birthDate: f.birth_date,
        caseType: f.case_type,
        admissionDate: f.admission_date,
        expectedReleaseDate: f.expected_release_date ?? null,
        block: f.block ?? null,
        cell: f.cell ?? null,
        status: f.status ?? 'detained',
        releasedOn: f.released_on ?? null,
      })),
    );
    await change.tx.insert(inmatePlacements).values(
      chunk.map(({ id, f }) => ({
        inmateId: id,
        facilityId,
        registrationNumber: f.registration_number,
        fromDate: f.admission_date,
        untilDate: f.released_on ?? null,
        endReason: f.released_on ? 'released' : null,
      })),
    );
    await inmateAdmitted.emitEach(
      change,
      chunk.map(({ id, f }) => ({
        place: { subject: { type: 'inmate', id }, facilityIds: [facilityId], people: [{ type: 'inmate', id }] },
        data: {
          inmate_id: id,
          facility_id: facilityId,
          admission_date: f.admission_date,
          status: f.status ?? 'detained',
        },
      })),
    );
  }
}

// One UPDATE ... FROM unnest(...) per chunk: no statement per row.
async function updateChanged(change: Change, rows: { row: InmateRow; f: ImportFieldsOutput }[]) {
  for (let start = 0; start < rows.length; start += IMPORT_CHUNK) {
    const chunk = rows.slice(start, start + IMPORT_CHUNK);
    // One array parameter per column (a bare JS array in sql`` would spread into a list).
    const col = <T>(pick: (x: { row: InmateRow; f: ImportFieldsOutput }) => T) => sql.param(chunk.map(pick));
    await queryRows(
      change.tx,
      sql`UPDATE inmates AS i SET
            name = v.name, sex = v.sex::sex, birth_date = v.birth_date::date, case_type = v.case_type::case_type,
            admission_date = v.admission_date::date,
            expected_release_date = coalesce(v.expected_release_date::date, i.expected_release_date),
            block = coalesce(v.block, i.block), cell = coalesce(v.cell, i.cell),
            status = coalesce(v.status::inmate_status, i.status), released_on = coalesce(v.released_on::date, i.released_on),
            version = i.version + 1, updated_at = ${change.now.toISOString()}::timestamptz
          FROM unnest(${col((x) => x.row.id)}::uuid[], ${col((x) => x.f.name)}::text[], ${col((x) => x.f.sex)}::text[],
                      ${col((x) => x.f.birth_date)}::text[], ${col((x) => x.f.case_type)}::text[],
                      ${col((x) => x.f.admission_date)}::text[], ${col((x) => x.f.expected_release_date ?? null)}::text[],
                      ${col((x) => x.f.block ?? null)}::text[], ${col((x) => x.f.cell ?? null)}::text[],
                      ${col((x) => x.f.status ?? null)}::text[], ${col((x) => x.f.released_on ?? null)}::text[])
               AS v(id, name, sex, birth_date, case_type, admission_date, expected_release_date, block, cell, status, released_on)
         WHERE i.id = v.id`,
    );
    const released = chunk.filter((x) => x.f.status === 'released' && x.row.status !== 'released');
    if (released.length) {
      await queryRows(
        change.tx,
        sql`UPDATE inmate_placements AS p SET until_date = v.until::date, end_reason = 'released'
              FROM unnest(${sql.param(released.map((x) => x.row.id))}::uuid[], ${sql.param(released.map((x) => x.f.released_on ?? null))}::text[]) AS v(id, until)
             WHERE p.inmate_id = v.id AND p.until_date IS NULL`,
      );
      await closeEnrolmentsFor(
        change,
        released.map((x) => ({ inmateId: x.row.id, on: x.f.released_on as string })),
        'released',
        change.now,
      );
      // SDP gives no reason for a release.
      await inmateReleased.emitEach(
        change,
        released.map(({ row, f }) => ({
          place: {
            subject: { type: 'inmate', id: row.id },
            facilityIds: [row.facilityId],
            people: [{ type: 'inmate' as const, id: row.id }],
          },
          data: { inmate_id: row.id, facility_id: row.facilityId, released_on: f.released_on as string, reason: null },
        })),
      );
    }
  }
}
