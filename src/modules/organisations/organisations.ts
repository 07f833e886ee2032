import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { tidyName } from '../../core/access.ts';
import type { Change } from '../../core/change.ts';
import { provinceTimeZone } from '../../core/provinces.ts';
import type { Executor } from '../../db/client.ts';
import { updatedSince } from '../../db/filters.ts';
import { violatedUnique } from '../../http/errors.ts';
import { reasons } from '../../http/messages.ts';
import { keysetOf, page } from '../../http/pagination.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, Problem, violated } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import type { WriteResult } from '../../http/write.ts';
import { type OrganisationRow, toOrganisationDto } from './dto.ts';
import type {
  OrganisationCreateInput,
  OrganisationDto,
  OrganisationListQuery,
  OrganisationUpdateInput,
} from './schemas.ts';
import { findOrganisation, getOrganisation } from './service.ts';
import { organisations } from './tables.ts';

// The organisations themselves: reference data every signed-in caller reads, and administrators
// create and change. A write command refuses a role on the principal alone and judges If-Match at
// once, then hands performWrite the work to do in its transaction: a 403 comes before a 428 or 412.

type Row = OrganisationRow;
type Write<T> = (change: Change) => Promise<WriteResult<T>>;

function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin') throw forbidden();
}

export async function listOrganisations(db: Executor, q: z.infer<typeof OrganisationListQuery>) {
  const { after, limit } = keysetOf(q);
  const where: (SQL | undefined)[] = [updatedSince(organisations.updatedAt, q.updated_since)];
  if (q.type) where.push(eq(organisations.type, q.type));
  if (q.bnn_level) where.push(eq(organisations.bnnLevel, q.bnn_level));
  if (q.province_code) where.push(eq(organisations.provinceCode, q.province_code));
  if (after) where.push(gt(organisations.id, after));
  const rows = await db
    .select()
    .from(organisations)
    .where(and(...where))
    .orderBy(asc(organisations.id))
    .limit(limit + 1);
  return page(rows, q.limit, (row) => row.id, toOrganisationDto);
}

export async function readOrganisation(db: Executor, id: string): Promise<OrganisationDto> {
  return toOrganisationDto(await getOrganisation(db, id));
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

export function createOrganisation(principal: Principal, given: OrganisationCreateInput): Write<OrganisationDto> {
  requireAdmin(principal);
  return async (change) => {
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
    const body = toOrganisationDto(row);
    await change.audit({ action: 'organisation.created', entityType: 'organisation', entityId: row.id, after: body });
    return { status: 201, body, headers: { location: `/v1/organisations/${row.id}` } };
  };
}

/** `version` reads If-Match, once the role has passed. */
export function updateOrganisation(
  principal: Principal,
  id: string,
  version: () => number,
  input: OrganisationUpdateInput,
): Write<OrganisationDto> {
  requireAdmin(principal);
  const expected = version();
  return async (change) => {
    const before = await getOrganisation(change.tx, id);
    checkVersion(before.version, expected);
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
    const body = toOrganisationDto(row);
    await change.audit({
      action: 'organisation.updated',
      entityType: 'organisation',
      entityId: id,
      before: toOrganisationDto(before),
      after: body,
    });
    return { status: 200, body };
  };
}
