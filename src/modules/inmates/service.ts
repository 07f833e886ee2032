import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type FacilityReach, reaches } from '../../core/access.ts';
import { localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { uuidv7 } from '../../db/columns.ts';
import { inReach, startsWith } from '../../db/filters.ts';
import { newPseudonym } from '../../db/pseudonym.ts';
import { isoNotNull } from '../../http/dto.ts';
import {
  atColumn,
  type ImportOptions,
  type ImportReportDto,
  type ImportRow,
  planImport,
  sameAsKept,
} from '../../http/import.ts';
import { type FieldTextCode, fieldSentence, type Localized, reasonOf, reasons } from '../../http/messages.ts';
import { notFound, Problem, ruleViolated, violated } from '../../http/problem.ts';
import { LocalDate } from '../../http/schemas.ts';
import { checkVersion, updateAtVersion, updateVersioned } from '../../http/versioned.ts';
import type { facilities } from '../facilities/tables.ts';
import { closeEnrolmentsFor } from '../rehab/closing.ts';
import { type InmateDto, InmateFields, type InmateUpdateInput } from './schemas.ts';
import { inmatePlacements, inmates } from './tables.ts';

type Row = typeof inmates.$inferSelect;
type Facility = typeof facilities.$inferSelect;
type Fields = z.output<typeof InmateFields>;

export function toInmateDto(row: Row): InmateDto {
  return {
    id: row.id,
    pseudonym: row.pseudonym,
    facility_id: row.facilityId,
    registration_number: row.registrationNumber,
    name: row.name,
    sex: row.sex,
    birth_date: row.birthDate,
    case_type: row.caseType,
    admission_date: row.admissionDate,
    expected_release_date: row.expectedReleaseDate,
    block: row.block,
    cell: row.cell,
    status: row.status,
    released_on: row.releasedOn,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

interface RuleError extends Localized {
  pointer: string;
}
const ruleError = (pointer: string, code: FieldTextCode, params: Record<string, unknown>): RuleError => ({
  pointer,
  ...fieldSentence(code, params),
});

/** Dates that cannot be right, judged by the facility's own calendar. */
function dateErrors(
  f: {
    birth_date?: string;
    admission_date?: string;
    expected_release_date?: string | null;
    released_on?: string | null;
  },
  today: string,
): RuleError[] {
  const errors: RuleError[] = [];
  const future = (field: string) => ruleError(`/${field}`, 'in_future', { field });
  const before = (field: string, other: string) => ruleError(`/${field}`, 'before_field', { field, other });
  if (f.birth_date && f.birth_date > today) errors.push(future('birth_date'));
  if (f.admission_date && f.admission_date > today) errors.push(future('admission_date'));
  if (f.birth_date && f.admission_date && f.admission_date < f.birth_date) {
    errors.push(before('admission_date', 'birth_date'));
  }
  if (f.admission_date && f.expected_release_date && f.expected_release_date < f.admission_date) {
    errors.push(before('expected_release_date', 'admission_date'));
  }
  if (f.admission_date && f.released_on && f.released_on < f.admission_date) {
    errors.push(before('released_on', 'admission_date'));
  }
  if (f.released_on && f.released_on > today) errors.push(future('released_on'));
  return errors;
}

function throwFirst(errors: RuleError[]): void {
  const first = errors[0];
  if (first) throw ruleViolated(`${first.en}.`, `${first.id}.`, first.pointer);
}

/** `share` locks the row against a concurrent release or transfer until the caller's transaction ends. */
export async function getInmate(db: Executor, reach: FacilityReach, id: string, lock?: 'share'): Promise<Row> {
  const query = db.select().from(inmates).where(eq(inmates.id, id));
  const [row] = lock ? await query.for('share') : await query;
  if (!row || !reaches(reach, row.facilityId)) throw notFound('inmate');
  return row;
}

export async function placementsOf(db: Executor, inmateId: string) {
  const rows = await db
    .select()
    .from(inmatePlacements)
    .where(eq(inmatePlacements.inmateId, inmateId))
    .orderBy(asc(inmatePlacements.fromDate), asc(inmatePlacements.createdAt));
  return rows.map((p) => ({
    facility_id: p.facilityId,
    registration_number: p.registrationNumber,
    from_date: p.fromDate,
    until_date: p.untilDate,
    end_reason: p.endReason,
  }));
}

export interface InmateFilter {
  facilityId?: string;
  namePrefix?: string;
  registrationNumber?: string;
  status?: Row['status'];
  caseType?: Row['caseType'];
  block?: string;
  after?: string;
  limit: number;
}

export async function listInmates(db: Executor, reach: FacilityReach, filter: InmateFilter): Promise<Row[]> {
  const where = [inReach(inmates.facilityId, reach)];
  if (filter.facilityId) where.push(eq(inmates.facilityId, filter.facilityId));
  if (filter.namePrefix) {
    where.push(startsWith(inmates.name, filter.namePrefix));
  }
  if (filter.registrationNumber) where.push(eq(inmates.registrationNumber, filter.registrationNumber));
  if (filter.status) where.push(eq(inmates.status, filter.status));
  if (filter.caseType) where.push(eq(inmates.caseType, filter.caseType));
  if (filter.block) where.push(eq(inmates.block, filter.block));
  if (filter.after) where.push(gt(inmates.id, filter.after));
  return db
    .select()
    .from(inmates)
    .where(and(...where))
    .orderBy(asc(inmates.id))
    .limit(filter.limit + 1);
}

export async function createInmate(change: Change, facility: Facility, input: Fields): Promise<Row> {
  throwFirst(dateErrors(input, localDate(change.now, facility.timezone)));
  const id = uuidv7();
  const [row] = await change.tx
    .insert(inmates)
    .values({
      id,
      pseudonym: newPseudonym('WBP'),
      facilityId: facility.id,
      registrationNumber: input.registration_number,
      name: input.name,
      sex: input.sex,
      birthDate: input.birth_date,
      caseType: input.case_type,
      admissionDate: input.admission_date,
      expectedReleaseDate: input.expected_release_date ?? null,
      block: input.block ?? null,
      cell: input.cell ?? null,
      status: input.status,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.tx.insert(inmatePlacements).values({
    inmateId: id,
    facilityId: facility.id,
    registrationNumber: input.registration_number,
    fromDate: input.admission_date,
  });
  await change.audit({
    action: 'inmate.created',
    entityType: 'inmate',
    entityId: id,
    facilityId: facility.id,
    after: toInmateDto(row),
  });
  return row;
}

export async function updateInmate(
  change: Change,
  facility: Facility,
  before: Row,
  expectedVersion: number,
  input: InmateUpdateInput,
): Promise<Row> {
  checkVersion(before.version, expectedVersion);
  if (before.status !== 'detained' && before.status !== 'sentenced') {
    throw new Problem(409, 'conflict', { reason: reasonOf.person_closed(before.status) });
  }
  const next = {
    registrationNumber: input.registration_number ?? before.registrationNumber,
    name: input.name ?? before.name,
    sex: input.sex ?? before.sex,
    birthDate: input.birth_date ?? before.birthDate,
    caseType: input.case_type ?? before.caseType,
    expectedReleaseDate:
      input.expected_release_date === undefined ? before.expectedReleaseDate : input.expected_release_date,
    block: input.block === undefined ? before.block : input.block,
    cell: input.cell === undefined ? before.cell : input.cell,
    status: input.status ?? before.status,
  };
  throwFirst(
    dateErrors(
      {
        birth_date: next.birthDate,
        admission_date: before.admissionDate,
        expected_release_date: next.expectedReleaseDate,
      },
      localDate(change.now, facility.timezone),
    ),
  );
  const row = await updateVersioned(change.tx, inmates, before, next, change.now);
  if (next.registrationNumber !== before.registrationNumber) {
    await change.tx
      .update(inmatePlacements)
      .set({ registrationNumber: next.registrationNumber })
      .where(and(eq(inmatePlacements.inmateId, before.id), sql`${inmatePlacements.untilDate} IS NULL`));
  }
  await change.audit({
    action: 'inmate.updated',
    entityType: 'inmate',
    entityId: before.id,
    facilityId: before.facilityId,
    before: toInmateDto(before),
    after: toInmateDto(row),
  });
  return row;
}

function requireHeld(row: Row) {
  if (row.status !== 'detained' && row.status !== 'sentenced') {
    throw new Problem(409, 'conflict', { reason: reasonOf.person_already(row.status) });
  }
}

export async function releaseInmate(
  change: Change,
  facility: Facility,
  before: Row,
  input: { released_on: string; reason: string; note?: string },
  now: Date,
): Promise<Row> {
  requireHeld(before);
  throwFirst(
    dateErrors(
      { admission_date: before.admissionDate, released_on: input.released_on },
      localDate(now, facility.timezone),
    ),
  );
  const status = input.reason === 'deceased' ? 'deceased' : 'released';
  const row = await updateAtVersion(change.tx, inmates, before, { status, releasedOn: input.released_on }, change.now);
  if (!row) throw new Problem(409, 'conflict', { reason: reasons.record_changed });
  await closePlacement(change, before.id, input.released_on, input.reason);
  await closeEnrolmentsFor(change, [{ inmateId: before.id, on: input.released_on }], 'released', now, input.reason);
  await change.audit({
    action: status === 'deceased' ? 'inmate.deceased' : 'inmate.released',
    entityType: 'inmate',
    entityId: before.id,
    facilityId: before.facilityId,
    before: toInmateDto(before),
    after: { ...toInmateDto(row), reason: input.reason, note: input.note ?? null },
  });
  return row;
}

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

async function openStay(change: Change, inmateId: string) {
  const [stay] = await change.tx
    .select({ fromDate: inmatePlacements.fromDate })
    .from(inmatePlacements)
    .where(and(eq(inmatePlacements.inmateId, inmateId), sql`${inmatePlacements.untilDate} IS NULL`));
  return stay;
}

async function closePlacement(change: Change, inmateId: string, until: string, reason: string) {
  await change.tx
    .update(inmatePlacements)
    .set({ untilDate: until, endReason: reason })
    .where(and(eq(inmatePlacements.inmateId, inmateId), sql`${inmatePlacements.untilDate} IS NULL`));
}

/**
 * Moves a person to another facility, which then holds them. The stay at the old facility is
 * closed and a new one opened, so the history shows where they were and when.
 */
export async function transferInmate(
  change: Change,
  from: Facility,
  to: Facility | undefined,
  before: Row,
  input: { transferred_on: string; registration_number?: string; note?: string },
  now: Date,
): Promise<Row> {
  requireHeld(before);
  if (!to) {
    throw violated('inmate_transfer_target_out_of_reach', {}, '/to_facility_id');
  }
  if (to.id === from.id) {
    throw violated('inmate_person_already_held_at', {}, '/to_facility_id');
  }
  const lastStay = await openStay(change, before.id);
  const today = localDate(now, from.timezone);
  if (input.transferred_on > today || (lastStay && input.transferred_on < lastStay.fromDate)) {
    throw violated('inmate_transferred_on_fall_within_current', {}, '/transferred_on');
  }
  const registrationNumber = input.registration_number ?? before.registrationNumber;
  const row = await updateAtVersion(
    change.tx,
    inmates,
    before,
    {
      facilityId: to.id,
      registrationNumber,
      block: null,
      cell: null,
    },
    change.now,
  );
  if (!row) throw new Problem(409, 'conflict', { reason: reasons.record_changed });
  await closePlacement(change, before.id, input.transferred_on, 'transferred');
  await closeEnrolmentsFor(change, [{ inmateId: before.id, on: input.transferred_on }], 'transferred', now);
  await change.tx
    .insert(inmatePlacements)
    .values({ inmateId: before.id, facilityId: to.id, registrationNumber, fromDate: input.transferred_on });
  // Both facilities' trails show the move.
  for (const facilityId of [from.id, to.id]) {
    await change.audit({
      action: 'inmate.transferred',
      entityType: 'inmate',
      entityId: before.id,
      facilityId,
      before: toInmateDto(before),
      after: { ...toInmateDto(row), from_facility_id: from.id, note: input.note ?? null },
    });
  }
  return row;
}

// ---- import ----

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

/**
 * Upserts a facility's register from SDP rows, keyed by registration number. Every row is checked
 * on its own; the report names each rejected row by line. Writes are set-based: one statement
 * for the new people, one for their stays, one for the changed.
 */
export async function importInmates(
  change: Change,
  facility: Facility,
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
  const { unchanged, rejected } = report;
  if (options.dryRun) return report;

  if (created.length) await insertNew(change, facility.id, created);
  if (updated.length) await updateChanged(change, updated);
  await change.audit({
    action: 'inmate.imported',
    entityType: 'facility',
    entityId: facility.id,
    facilityId: facility.id,
    after: {
      total: report.total,
      created: report.created,
      updated: report.updated,
      unchanged,
      rejected: rejected.length,
    },
  });
  return report;
}

const CHUNK = 1_000;

async function insertNew(change: Change, facilityId: string, rows: ImportFieldsOutput[]) {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK).map((f) => ({ id: uuidv7(), f }));
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
  }
}

// One UPDATE ... FROM unnest(...) per chunk: no statement per row.
async function updateChanged(change: Change, rows: { row: Row; f: ImportFieldsOutput }[]) {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    // One array parameter per column (a bare JS array in sql`` would spread into a list).
    const col = <T>(pick: (x: { row: Row; f: ImportFieldsOutput }) => T) => sql.param(chunk.map(pick));
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
    }
  }
}
