import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import { tidyName } from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import { provinceName, provinceTimeZone } from '../../core/provinces.ts';
import type { Executor } from '../../db/client.ts';
import { isoNotNull } from '../../http/dto.ts';
import { violatedUnique } from '../../http/errors.ts';
import { reasons } from '../../http/messages.ts';
import { notFound, Problem, refuse, violated } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import type { OrganisationCreateInput, OrganisationDto, OrganisationUpdateInput } from './schemas.ts';
import { organisations } from './tables.ts';

type Row = typeof organisations.$inferSelect;

export function toOrganisationDto(row: Row): OrganisationDto {
  return {
    id: row.id,
    type: row.type,
    bnn_level: row.bnnLevel,
    name: row.name,
    province_code: row.provinceCode as OrganisationDto['province_code'],
    province_name: provinceName(row.provinceCode),
    regency: row.regency,
    timezone: row.timezone,
    parent_id: row.parentId,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

export async function findOrganisation(db: Executor, id: string): Promise<Row | undefined> {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
  return row;
}

export async function getOrganisation(db: Executor, id: string): Promise<Row> {
  const row = await findOrganisation(db, id);
  if (!row) throw notFound('organisation');
  return row;
}

/**
 * The organisations a request names (organisers, participants, an assessor), in the order named;
 * a 422 at `pointer` listing those that do not exist.
 */
export async function namedOrganisations(db: Executor, ids: readonly string[], pointer: string): Promise<Row[]> {
  if (ids.length === 0) return [];
  const found = await db
    .select()
    .from(organisations)
    .where(inArray(organisations.id, [...ids]));
  const missing = ids.filter((id) => !found.some((o) => o.id === id));
  if (missing.length) {
    refuse(pointer, 'organisation_unknown', { missing: missing.join(', ') });
  }
  return ids.map((id) => found.find((o) => o.id === id) as Row);
}

export interface OrganisationFilter {
  type?: Row['type'];
  bnnLevel?: NonNullable<Row['bnnLevel']>;
  provinceCode?: string;
  after?: string;
  limit: number;
}

// Organisations are reference data every signed-in caller may read.
export async function listOrganisations(db: Executor, filter: OrganisationFilter): Promise<Row[]> {
  const where: SQL[] = [];
  if (filter.type) where.push(eq(organisations.type, filter.type));
  if (filter.bnnLevel) where.push(eq(organisations.bnnLevel, filter.bnnLevel));
  if (filter.provinceCode) where.push(eq(organisations.provinceCode, filter.provinceCode));
  if (filter.after) where.push(gt(organisations.id, filter.after));
  return db
    .select()
    .from(organisations)
    .where(and(...where))
    .orderBy(asc(organisations.id))
    .limit(filter.limit + 1);
}

function checkShape(input: {
  type: Row['type'];
  bnn_level?: Row['bnnLevel'] | undefined;
  province_code?: string | null | undefined;
  regency?: string | null | undefined;
}) {
  if (input.type === 'bnn' && !input.bnn_level) {
    throw violated('organisation_bnn_level_required', {}, '/bnn_level');
  }
  if (input.type !== 'bnn' && input.bnn_level) {
    throw violated('organisation_bnn_level_only_bnn', {}, '/bnn_level');
  }
  const needsProvince =
    input.type === 'kanwil' ||
    input.type === 'regional_government' ||
    (input.type === 'bnn' && input.bnn_level !== 'national');
  if (needsProvince && !input.province_code) {
    throw violated('organisation_kanwil_bnnp_bnnk_regional', {}, '/province_code');
  }
  if (input.bnn_level === 'district' && !input.regency) {
    throw violated('organisation_bnnk_regency_city', {}, '/regency');
  }
}

// One government per area, also against a concurrent request: the partial unique index's violation
// is answered like the check before it.
const ONE_GOVERNMENT = 'organisations_regional_government_area_key';
const governmentTaken = () => new Problem(409, 'conflict', { reason: reasons.regional_government_exists });

async function orGovernmentTaken<T>(write: PromiseLike<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (violatedUnique(err) === ONE_GOVERNMENT) throw governmentTaken();
    throw err;
  }
}

export async function createOrganisation(change: Change, given: OrganisationCreateInput): Promise<Row> {
  // Regencies are compared by name: stored trimmed with single spaces, so that lower() compares them.
  const input = { ...given, regency: given.regency === undefined ? undefined : tidyName(given.regency) };
  checkShape(input);
  if (input.parent_id && !(await findOrganisation(change.tx, input.parent_id))) {
    throw violated('organisation_parent_id_names_organisation', {}, '/parent_id');
  }
  if (input.type === 'kanwil') {
    const [existing] = await change.tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(eq(organisations.type, 'kanwil'), eq(organisations.provinceCode, input.province_code ?? '')));
    if (existing) throw new Problem(409, 'conflict', { reason: reasons.kanwil_exists });
  }
  if (input.type === 'regional_government') await checkOneGovernment(change.tx, input.province_code, input.regency);
  const [row] = await orGovernmentTaken(
    change.tx
      .insert(organisations)
      .values({
        type: input.type,
        bnnLevel: input.bnn_level ?? null,
        name: input.name,
        provinceCode: input.province_code ?? null,
        regency: input.regency ?? null,
        timezone: input.province_code ? provinceTimeZone(input.province_code) : 'Asia/Jakarta',
        parentId: input.parent_id ?? null,
      })
      .returning(),
  );
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'organisation.created',
    entityType: 'organisation',
    entityId: row.id,
    after: toOrganisationDto(row),
  });
  return row;
}

/** One government per province (regency null) and per regency or city: the area is what names it. */
async function checkOneGovernment(
  db: Executor,
  provinceCode: string | null | undefined,
  regency: string | null | undefined,
  except?: string,
) {
  const [existing] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(
      and(
        eq(organisations.type, 'regional_government'),
        eq(organisations.provinceCode, provinceCode ?? ''),
        regency ? sql`lower(${organisations.regency}) = lower(${regency})` : sql`${organisations.regency} IS NULL`,
        except ? sql`${organisations.id} <> ${except}` : undefined,
      ),
    );
  if (existing) throw governmentTaken();
}

export async function updateOrganisation(
  change: Change,
  id: string,
  expectedVersion: number,
  input: OrganisationUpdateInput,
): Promise<Row> {
  const before = await getOrganisation(change.tx, id);
  checkVersion(before.version, expectedVersion);
  const regency = input.regency === undefined ? before.regency : input.regency && tidyName(input.regency);
  const next = { ...before, regency };
  checkShape({ type: next.type, bnn_level: next.bnnLevel, province_code: next.provinceCode, regency: next.regency });
  if (next.type === 'regional_government' && next.regency !== before.regency) {
    await checkOneGovernment(change.tx, next.provinceCode, next.regency, id);
  }
  const set = {
    name: input.name ?? before.name,
    regency: next.regency,
    parentId: input.parent_id === undefined ? before.parentId : input.parent_id,
  };
  const row = await orGovernmentTaken(updateVersioned(change.tx, organisations, before, set, change.now));
  await change.audit({
    action: 'organisation.updated',
    entityType: 'organisation',
    entityId: id,
    before: toOrganisationDto(before),
    after: toOrganisationDto(row),
  });
  return row;
}
