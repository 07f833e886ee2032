import { and, asc, desc, eq, gt, lt, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { type Area, areaCondition, mayReadKotan, NOBODY, readArea, tidyName } from '../../core/access.ts';
import type { Executor } from '../../db/client.ts';
import { updatedSince } from '../../db/filters.ts';
import { decodeKeyCursor, keysetPage } from '../../http/keyset.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, notFound } from '../../http/problem.ts';
import { organisations } from '../organisations/tables.ts';
import { presentAssessment, toAssessmentDto } from './dto.ts';
import type { AssessmentListQuery } from './schemas.ts';
import { kotanAssessments } from './tables.ts';

// The ranking is a set-based measure: a window over every assessment of a province and year.

const previous = alias(kotanAssessments, 'previous');

/**
 * Assessments with their rank among the province's assessments of the same year and last year's
 * assessment of the same regency. Ranks are taken over every assessment of a province and year
 * (so `pre`, which may narrow by province and year only, leaves them whole); the caller narrows
 * the outer query.
 */
function ranked(db: Executor, pre: SQL | undefined) {
  const a = kotanAssessments;
  const w = sql`PARTITION BY ${a.provinceCode}, ${a.year}`;
  const ranks = db.$with('ranks').as(
    db
      .select({
        id: a.id,
        rankInProvince: sql<number>`(rank() OVER (${w} ORDER BY ${a.index} DESC))::int`.as('rank_in_province'),
        assessedInProvince: sql<number>`(count(*) OVER (${w}))::int`.as('assessed_in_province'),
      })
      .from(a)
      .where(pre),
  );
  return db
    .with(ranks)
    .select({
      assessment: a,
      assessorOrganisationName: organisations.name,
      rankInProvince: ranks.rankInProvince,
      assessedInProvince: ranks.assessedInProvince,
      previous: {
        id: previous.id,
        index: previous.index,
        band: previous.band,
        familyResilience: previous.familyResilience,
        communityResilience: previous.communityResilience,
        territory: previous.territory,
        institutions: previous.institutions,
        law: previous.law,
      },
    })
    .from(a)
    .innerJoin(ranks, eq(ranks.id, a.id))
    .innerJoin(organisations, eq(organisations.id, a.assessorOrganisationId))
    .leftJoin(
      previous,
      and(
        eq(previous.provinceCode, a.provinceCode),
        sql`lower(${previous.regency}) = lower(${a.regency})`,
        eq(previous.year, sql`${a.year} - 1`),
      ),
    )
    .$dynamic();
}

/** Who sees an assessment: whoever reads its regency, and the officers of the organisation that assessed it. */
function visibleTo(principal: Principal, area: Area): SQL | undefined {
  if (area.kind === 'all') return undefined;
  const inArea = areaCondition(area, sql`${kotanAssessments.provinceCode}`, sql`${kotanAssessments.regency}`);
  return or(inArea, eq(kotanAssessments.assessorOrganisationId, principal.organisationId ?? NOBODY));
}

/** One assessment in reach with its rank (404 otherwise); `lock` takes its row for a write first. */
export async function loadAssessment(db: Executor, principal: Principal, area: Area, id: string, lock = false) {
  if (!mayReadKotan(principal)) throw forbidden();
  if (lock) {
    await db
      .select({ id: kotanAssessments.id })
      .from(kotanAssessments)
      .where(eq(kotanAssessments.id, id))
      .for('update');
  }
  const [view] = await ranked(
    db,
    sql`(${kotanAssessments.provinceCode}, ${kotanAssessments.year}) = (SELECT k.province_code, k.year FROM kotan_assessments k WHERE k.id = ${id})`,
  ).where(and(eq(kotanAssessments.id, id), visibleTo(principal, area)));
  if (!view) throw notFound('KOTAN assessment');
  return view;
}

const RANK_CURSOR = /^\d{4}\|\d{1,3}\.\d{2}\|[0-9a-f-]{36}$/;

/** The ranking: newest year first, then the highest index, then id. */
export async function listAssessments(db: Executor, principal: Principal, q: z.infer<typeof AssessmentListQuery>) {
  const after = decodeKeyCursor(q.cursor, RANK_CURSOR);
  if (!mayReadKotan(principal)) throw forbidden();
  const area = await readArea(db, principal);
  const a = kotanAssessments;
  const pre = and(
    q.province_code ? eq(a.provinceCode, q.province_code) : undefined,
    q.year ? eq(a.year, q.year) : undefined,
  );
  // After the ranking, not in it: a province's ranks stay those of all its assessments.
  const where: (SQL | undefined)[] = [visibleTo(principal, area), updatedSince(a.updatedAt, q.updated_since)];
  if (q.regency) where.push(sql`lower(${a.regency}) = lower(${tidyName(q.regency)})`);
  if (q.band) where.push(eq(a.band, q.band));
  if (after) {
    const [year, index, id] = after as [string, string, string];
    where.push(
      or(
        lt(a.year, Number(year)),
        and(eq(a.year, Number(year)), or(lt(a.index, index), and(eq(a.index, index), gt(a.id, id)))),
      ),
    );
  }
  const rows = await ranked(db, pre)
    .where(and(...where))
    .orderBy(desc(a.year), desc(a.index), asc(a.id))
    .limit(q.limit + 1);
  return keysetPage(
    rows,
    q.limit,
    (row) => [row.assessment.year, row.assessment.index, row.assessment.id],
    (row) => presentAssessment(principal, toAssessmentDto(row)),
  );
}
