import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
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
import { fieldSentence, type Localized } from '../../http/messages.ts';
import { notFound, ruleViolated } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import type { facilities } from '../facilities/tables.ts';
import { type OfficerDto, OfficerFields, OfficerStatus, type OfficerUpdateInput } from './schemas.ts';
import { officers } from './tables.ts';

type Row = typeof officers.$inferSelect;
type Facility = typeof facilities.$inferSelect;
type Fields = z.output<typeof OfficerFields>;

export function toOfficerDto(row: Row): OfficerDto {
  return {
    id: row.id,
    pseudonym: row.pseudonym,
    facility_id: row.facilityId,
    nip: row.nip,
    name: row.name,
    sex: row.sex,
    position: row.position,
    unit: row.unit,
    status: row.status,
    joined_on: row.joinedOn,
    left_on: row.leftOn,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

interface RuleError extends Localized {
  pointer: string;
}

/** An officer joins on a day that has come, leaves after joining, and only a non-active one has left. */
function officerErrors(
  f: { status: Row['status']; joined_on: string; left_on?: string | null },
  today: string,
): RuleError[] {
  const errors: RuleError[] = [];
  if (f.joined_on > today) {
    errors.push({ pointer: '/joined_on', ...fieldSentence('in_future', { field: 'joined_on' }) });
  }
  if (f.left_on && f.left_on < f.joined_on) {
    errors.push({ pointer: '/left_on', ...fieldSentence('before_field', { field: 'left_on', other: 'joined_on' }) });
  }
  if (f.left_on && f.status === 'active') {
    errors.push({ pointer: '/left_on', ...fieldSentence('officer_active_left') });
  }
  if (!f.left_on && (f.status === 'transferred' || f.status === 'retired')) {
    errors.push({
      pointer: '/left_on',
      ...fieldSentence('field_required_for_status', { field: 'left_on', status: f.status }),
    });
  }
  return errors;
}

function throwFirst(errors: RuleError[]): void {
  const first = errors[0];
  if (first) throw ruleViolated(`${first.en}.`, `${first.id}.`, first.pointer);
}

export async function getOfficer(db: Executor, reach: FacilityReach, id: string): Promise<Row> {
  const [row] = await db.select().from(officers).where(eq(officers.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('officer');
  return row;
}

export interface OfficerFilter {
  facilityId?: string;
  namePrefix?: string;
  nip?: string;
  status?: Row['status'];
  unit?: string;
  after?: string;
  limit: number;
}

export async function listOfficers(db: Executor, reach: FacilityReach, filter: OfficerFilter): Promise<Row[]> {
  const where = [inReach(officers.facilityId, reach)];
  if (filter.facilityId) where.push(eq(officers.facilityId, filter.facilityId));
  if (filter.namePrefix) {
    where.push(startsWith(officers.name, filter.namePrefix));
  }
  if (filter.nip) where.push(eq(officers.nip, filter.nip));
  if (filter.status) where.push(eq(officers.status, filter.status));
  if (filter.unit) where.push(eq(officers.unit, filter.unit));
  if (filter.after) where.push(gt(officers.id, filter.after));
  return db
    .select()
    .from(officers)
    .where(and(...where))
    .orderBy(asc(officers.id))
    .limit(filter.limit + 1);
}

export async function createOfficer(change: Change, facility: Facility, input: Fields): Promise<Row> {
  throwFirst(officerErrors(input, localDate(change.now, facility.timezone)));
  const [row] = await change.tx
    .insert(officers)
    .values({
      pseudonym: newPseudonym('PTG'),
      facilityId: facility.id,
      nip: input.nip,
      name: input.name,
      sex: input.sex,
      position: input.position,
      unit: input.unit,
      status: input.status,
      joinedOn: input.joined_on,
      leftOn: input.left_on ?? null,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'officer.created',
    entityType: 'officer',
    entityId: row.id,
    facilityId: facility.id,
    after: toOfficerDto(row),
  });
  return row;
}

export async function updateOfficer(
  change: Change,
  facility: Facility,
  before: Row,
  expectedVersion: number,
  input: OfficerUpdateInput,
): Promise<Row> {
  checkVersion(before.version, expectedVersion);
  const next = {
    name: input.name ?? before.name,
    sex: input.sex ?? before.sex,
    position: input.position ?? before.position,
    unit: input.unit ?? before.unit,
    status: input.status ?? before.status,
    joinedOn: input.joined_on ?? before.joinedOn,
    leftOn: input.left_on === undefined ? before.leftOn : input.left_on,
  };
  throwFirst(
    officerErrors(
      { status: next.status, joined_on: next.joinedOn, left_on: next.leftOn },
      localDate(change.now, facility.timezone),
    ),
  );
  const row = await updateVersioned(change.tx, officers, before, next, change.now);
  await change.audit({
    action: 'officer.updated',
    entityType: 'officer',
    entityId: before.id,
    facilityId: before.facilityId,
    before: toOfficerDto(before),
    after: toOfficerDto(row),
  });
  return row;
}

// An import says each officer's status outright: an SDP file without it would silently reactivate people.
const OfficerImportFields = OfficerFields.extend({ status: OfficerStatus });

const COMPARED = ['name', 'sex', 'position', 'unit', 'status', 'joined_on', 'left_on'] as const;
const CHUNK = 1_000;

/**
 * Upserts a facility's officers by NIP. A NIP is national: one already kept by another facility is
 * a rejected row (the officer moves through that facility, not by import here).
 */
export async function importOfficers(
  change: Change,
  facility: Facility,
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
  const { unchanged, rejected } = report;
  if (options.dryRun) return report;

  for (let start = 0; start < created.length; start += CHUNK) {
    await change.tx.insert(officers).values(
      created.slice(start, start + CHUNK).map((f) => ({
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
  for (let start = 0; start < updated.length; start += CHUNK) {
    const chunk = updated.slice(start, start + CHUNK);
    // One array parameter per column (a bare JS array in sql`` would spread into a list).
    const col = <T>(pick: (x: { row: Row; f: Fields }) => T) => sql.param(chunk.map(pick));
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
