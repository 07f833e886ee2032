import { and, eq, type SQL, sql } from 'drizzle-orm';
import {
  type Area,
  areaCondition,
  keeps,
  mayReadKotan,
  NOBODY,
  organisationArea,
  tidyName,
  withinArea,
  writesOutside,
} from '../../core/access.ts';
import { localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { provinceName, provinceTimeZone } from '../../core/provinces.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { isoNotNull } from '../../http/dto.ts';
import { reasonOf } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound, Problem, refuse, refuseAt } from '../../http/problem.ts';
import { namedOrganisations } from '../organisations/service.ts';
import { type Band, type KotanInstrument, round2, score, VARIABLES, type VariableCode } from './instrument.ts';
import type { AssessmentCreateInput, AssessmentDto, AssessmentUpdateInput } from './schemas.ts';
import { kotanAssessments } from './tables.ts';

type Row = {
  id: string;
  province_code: string;
  regency: string;
  year: number;
  assessor_organisation_id: string;
  assessor_organisation_name: string;
  assessor_name: string | null;
  assessed_on: string;
  indicator_scores: Record<VariableCode, Record<string, number>>;
  instrument: KotanInstrument;
  family_resilience: string;
  community_resilience: string;
  territory: string;
  institutions: string;
  law: string;
  index: string;
  band: Band;
  rank_in_province: number;
  assessed_in_province: number;
  previous_id: string | null;
  previous_index: string | null;
  previous_band: Band | null;
  previous_variables: Record<VariableCode, string> | null;
  evidence_notes: string | null;
  created_by: string;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
};

/**
 * Assessments with their rank among the province's assessments of the same year and last year's
 * assessment of the same regency. Ranks are taken over every assessment of a province and year
 * (so `pre`, which may narrow by province and year only, leaves them whole), then `where` narrows.
 */
function assessmentQuery(pre: SQL, where: SQL, tail: SQL = sql``): SQL {
  return sql`WITH ranked AS (
               SELECT a.*, rank() OVER (w ORDER BY a.index DESC) AS rank_in_province, count(*) OVER w AS assessed_in_province
                 FROM kotan_assessments a WHERE ${pre}
               WINDOW w AS (PARTITION BY a.province_code, a.year))
             SELECT a.id::text AS id, a.province_code, a.regency, a.year,
                    a.assessor_organisation_id::text AS assessor_organisation_id, o.name AS assessor_organisation_name,
                    a.assessor_name, a.assessed_on::text AS assessed_on, a.indicator_scores, a.instrument,
                    a.family_resilience::text AS family_resilience, a.community_resilience::text AS community_resilience,
                    a.territory::text AS territory, a.institutions::text AS institutions, a.law::text AS law,
                    a.index::text AS index, a.band, a.rank_in_province::int AS rank_in_province,
                    a.assessed_in_province::int AS assessed_in_province,
                    p.id::text AS previous_id, p.index::text AS previous_index, p.band AS previous_band,
                    CASE WHEN p.id IS NOT NULL THEN json_build_object(
                      'family_resilience', p.family_resilience::text, 'community_resilience', p.community_resilience::text,
                      'territory', p.territory::text, 'institutions', p.institutions::text, 'law', p.law::text) END
                      AS previous_variables,
                    a.evidence_notes, a.created_by::text AS created_by, a.version, a.created_at, a.updated_at
               FROM ranked a
               JOIN organisations o ON o.id = a.assessor_organisation_id
               LEFT JOIN kotan_assessments p
                 ON p.province_code = a.province_code AND lower(p.regency) = lower(a.regency) AND p.year = a.year - 1
              WHERE ${where} ${tail}`;
}

export function toAssessmentDto(row: Row): AssessmentDto {
  const weights = new Map(row.instrument.variables.map((v) => [v.code, v.weight]));
  const current: Record<VariableCode, string> = {
    family_resilience: row.family_resilience,
    community_resilience: row.community_resilience,
    territory: row.territory,
    institutions: row.institutions,
    law: row.law,
  };
  const index = Number(row.index);
  return {
    id: row.id,
    province_code: row.province_code,
    province_name: provinceName(row.province_code),
    regency: row.regency,
    year: row.year,
    assessor: {
      organisation_id: row.assessor_organisation_id,
      organisation_name: row.assessor_organisation_name,
      name: row.assessor_name,
    },
    assessed_on: row.assessed_on,
    scores: row.indicator_scores,
    variables: VARIABLES.map((code) => ({
      code,
      weight: weights.get(code) ?? 0,
      score: Number(current[code]),
      change: row.previous_variables ? round2(Number(current[code]) - Number(row.previous_variables[code])) : null,
    })),
    index,
    band: row.band,
    rank_in_province: row.rank_in_province,
    assessed_in_province: row.assessed_in_province,
    previous:
      row.previous_id && row.previous_index !== null && row.previous_band
        ? {
            id: row.previous_id,
            year: row.year - 1,
            index: Number(row.previous_index),
            band: row.previous_band,
            change: round2(index - Number(row.previous_index)),
          }
        : null,
    evidence_notes: row.evidence_notes,
    created_by: row.created_by,
    version: row.version,
    created_at: isoNotNull(row.created_at),
    updated_at: isoNotNull(row.updated_at),
  };
}

/** Who sees an assessment: whoever reads its regency, and the officers of the organisation that assessed it. */
function visibleTo(principal: Principal, area: Area): SQL {
  if (area.kind === 'all') return sql`true`;
  const inArea = areaCondition(area, sql`a.province_code`, sql`a.regency`);
  return sql`(${inArea} OR a.assessor_organisation_id = ${principal.organisationId ?? NOBODY})`;
}

export async function getAssessment(
  db: Executor,
  principal: Principal,
  area: Area,
  id: string,
  lock = false,
): Promise<Row> {
  if (!mayReadKotan(principal)) throw forbidden();
  if (lock)
    await db
      .select({ id: kotanAssessments.id })
      .from(kotanAssessments)
      .where(eq(kotanAssessments.id, id))
      .for('update');
  const [row] = await queryRows<Row>(
    db,
    assessmentQuery(
      sql`(a.province_code, a.year) = (SELECT province_code, year FROM kotan_assessments WHERE id = ${id})`,
      sql`a.id = ${id} AND ${visibleTo(principal, area)}`,
    ),
  );
  if (!row) throw notFound('KOTAN assessment');
  return row;
}

export interface AssessmentFilter {
  provinceCode?: string;
  year?: number;
  regency?: string;
  band?: Band;
  after?: string[];
  limit: number;
}

/** The ranking: newest year first, then the highest index, then id. */
export async function listAssessments(
  db: Executor,
  principal: Principal,
  area: Area,
  filter: AssessmentFilter,
): Promise<Row[]> {
  if (!mayReadKotan(principal)) throw forbidden();
  const pre: SQL[] = [sql`true`];
  if (filter.provinceCode) pre.push(sql`a.province_code = ${filter.provinceCode}`);
  if (filter.year) pre.push(sql`a.year = ${filter.year}`);
  const where: SQL[] = [visibleTo(principal, area)];
  if (filter.regency) where.push(sql`lower(a.regency) = lower(${tidyName(filter.regency)})`);
  if (filter.band) where.push(sql`a.band = ${filter.band}`);
  if (filter.after) {
    const [year, index, id] = filter.after;
    where.push(sql`(a.year < ${Number(year)} OR (a.year = ${Number(year)} AND (a.index < ${index}::numeric
                    OR (a.index = ${index}::numeric AND a.id > ${id}::uuid))))`);
  }
  return queryRows<Row>(
    db,
    assessmentQuery(
      sql.join(pre, sql` AND `),
      sql.join(where, sql` AND `),
      sql`ORDER BY a.year DESC, a.index DESC, a.id LIMIT ${filter.limit + 1}`,
    ),
  );
}

function scoreOrRefuse(instrument: KotanInstrument, given: Record<string, Record<string, number>>) {
  const result = score(instrument, given);
  if ('pointer' in result) refuseAt(result.pointer, result.en, result.id);
  return result;
}

/** Dates at the regency's place: the year assessed has begun, and assessed_on is not still to come. */
function checkDates(year: number, assessedOn: string, provinceCode: string, now: Date): void {
  const today = localDate(now, provinceTimeZone(provinceCode));
  if (year > Number(today.slice(0, 4))) {
    refuse('/year', 'kotan_year_not_begun');
  }
  if (assessedOn > today) refuse('/assessed_on', 'kotan_assessed_on_still_come');
  if (assessedOn < `${year}-01-01`) {
    refuse('/assessed_on', 'kotan_assessed_on_before_year_assessed');
  }
}

export async function createAssessment(
  change: Change,
  principal: Principal,
  instrument: KotanInstrument,
  input: AssessmentCreateInput,
  now: Date,
): Promise<Row> {
  if (!writesOutside(principal.role)) throw forbidden();
  const place = { provinceCode: input.province_code, regency: tidyName(input.regency) };
  let assessor = input.assessor_organisation_id;
  if (principal.role === 'admin') {
    if (!assessor) {
      refuse('/assessor_organisation_id', 'kotan_name_assessing_organisation');
    }
    await namedOrganisations(change.tx, [assessor], '/assessor_organisation_id');
  } else {
    if (assessor && assessor !== principal.organisationId) {
      refuse('/assessor_organisation_id', 'kotan_assessment_recorded_by_officers');
    }
    assessor = principal.organisationId ?? NOBODY;
    if (!withinArea(await organisationArea(change.tx, principal.organisationId), place)) {
      refuse('/regency', 'kotan_regency_city_outside_organisation');
    }
  }
  checkDates(input.year, input.assessed_on, input.province_code, now);
  const scored = scoreOrRefuse(instrument, input.scores);
  // One assessment per regency and year: the unique index decides, also between concurrent requests
  // (the second waits for the first to commit, then inserts nothing), and every loser hears the same.
  const [row] = await change.tx
    .insert(kotanAssessments)
    .values({
      provinceCode: place.provinceCode,
      regency: place.regency,
      year: input.year,
      assessorOrganisationId: assessor,
      assessorName: input.assessor_name ?? null,
      assessedOn: input.assessed_on,
      indicatorScores: input.scores,
      instrument,
      ...variableColumns(scored.variables),
      index: scored.index.toFixed(2),
      band: scored.band,
      evidenceNotes: input.evidence_notes || null,
      createdBy: principal.id,
    })
    .onConflictDoNothing()
    .returning({ id: kotanAssessments.id });
  if (!row) {
    // Named as stored, so that every refusal reads the same whatever the spelling asked for.
    const [existing] = await queryRows<{ id: string; regency: string }>(
      change.tx,
      sql`SELECT id::text AS id, regency FROM kotan_assessments
           WHERE province_code = ${place.provinceCode} AND lower(regency) = lower(${place.regency}) AND year = ${input.year}`,
    );
    throw new Problem(409, 'conflict', {
      reason: existing
        ? reasonOf.kotan_exists(existing.regency, input.year, existing.id)
        : reasonOf.kotan_exists(place.regency, input.year),
    });
  }
  const view = await getAssessment(change.tx, principal, { kind: 'all' }, row.id);
  await change.audit({
    action: 'kotan_assessment.created',
    entityType: 'kotan_assessment',
    entityId: row.id,
    after: toAssessmentDto(view),
  });
  return view;
}

const variableColumns = (v: Record<VariableCode, number>) => ({
  familyResilience: v.family_resilience.toFixed(2),
  communityResilience: v.community_resilience.toFixed(2),
  territory: v.territory.toFixed(2),
  institutions: v.institutions.toFixed(2),
  law: v.law.toFixed(2),
});

export async function updateAssessment(
  change: Change,
  principal: Principal,
  area: Area,
  id: string,
  expectedVersion: number,
  input: AssessmentUpdateInput,
  now: Date,
): Promise<Row> {
  const before = await getAssessment(change.tx, principal, area, id, true);
  if (!keeps(principal, before.assessor_organisation_id)) throw forbidden();
  if (before.version !== expectedVersion) throw new Problem(412, 'precondition_failed', { current: before.version });
  const assessedOn = input.assessed_on ?? before.assessed_on;
  if (input.assessed_on) checkDates(before.year, assessedOn, before.province_code, now);
  // Scored again with the instrument it was first scored with, so that a year's figures stay comparable.
  const scored = input.scores ? scoreOrRefuse(before.instrument, input.scores) : null;
  const [row] = await change.tx
    .update(kotanAssessments)
    .set({
      assessorName: input.assessor_name === undefined ? before.assessor_name : input.assessor_name,
      assessedOn,
      evidenceNotes: input.evidence_notes === undefined ? before.evidence_notes : input.evidence_notes || null,
      ...(scored && input.scores
        ? {
            indicatorScores: input.scores,
            ...variableColumns(scored.variables),
            index: scored.index.toFixed(2),
            band: scored.band,
          }
        : {}),
      version: before.version + 1,
      updatedAt: change.now,
    })
    .where(and(eq(kotanAssessments.id, id), eq(kotanAssessments.version, expectedVersion)))
    .returning({ id: kotanAssessments.id });
  if (!row) throw new Problem(412, 'precondition_failed', { current: '?' });
  const after = await getAssessment(change.tx, principal, { kind: 'all' }, id);
  await change.audit({
    action: 'kotan_assessment.updated',
    entityType: 'kotan_assessment',
    entityId: id,
    before: toAssessmentDto(before),
    after: toAssessmentDto(after),
  });
  return after;
}
