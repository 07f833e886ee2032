import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { type FacilityReach, facilitiesUnderMous, reaches } from '../../core/access.ts';
import { dayEndSql, dayStartSql, instantIn, localDate, localTime, widestInstants } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, inIds, queryRows } from '../../db/client.ts';
import { uuidv7 } from '../../db/columns.ts';
import { inReach } from '../../db/filters.ts';
import { isoNotNull } from '../../http/dto.ts';
import { type RuleName, reasonOf, ruleSentence } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { type FieldError, notFound, Problem, violated } from '../../http/problem.ts';
import { facilityZone } from '../facilities/service.ts';
import { facilities } from '../facilities/tables.ts';
import { inmates } from '../inmates/tables.ts';
import { officers } from '../officers/tables.ts';
import { findOrganisation } from '../organisations/service.ts';
import { type CaseRules, openCase } from './cases.ts';
import type { Cutoff, DrugClass } from './cutoffs.ts';
import { markTested } from './draw.ts';
import { deriveOutcome } from './outcome.ts';
import type { ResultInputValue, RoundCreateInput } from './schemas.ts';
import { urineConfirmations, urineRounds, urineTests } from './tables.ts';

type Facility = typeof facilities.$inferSelect;
type RoundRow = typeof urineRounds.$inferSelect;
type TestRow = typeof urineTests.$inferSelect;

export function toRoundDto(row: RoundRow, tested: number) {
  return {
    id: row.id,
    facility_id: row.facilityId,
    tested_on: row.testedOn,
    reason: row.reason,
    run_by_organisation_id: row.runByOrganisationId,
    subjects: row.subjects,
    kit: row.kit,
    cutoffs: row.cutoffs,
    note: row.note,
    tested,
    created_by: row.createdBy,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

const num = (value: string | null) => (value === null ? null : Number(value));

export function toTestDto(row: TestRow, timezone: string) {
  return {
    id: row.id,
    round_id: row.roundId,
    facility_id: row.facilityId,
    subject_type: row.subjectType,
    subject_id: row.subjectId,
    specimen_id: row.specimenId,
    collected_at: localTime(row.collectedAt, timezone),
    refused: row.refused,
    temperature_c: num(row.temperatureC),
    temperature_in_range: row.temperatureInRange,
    creatinine_mg_dl: num(row.creatinineMgDl),
    specific_gravity: num(row.specificGravity),
    ph: num(row.ph),
    nitrite_ug_ml: num(row.nitriteUgMl),
    classes: row.classes,
    outcome: row.outcome,
    confirmation: row.confirmation,
    created_by: row.createdBy,
    created_at: isoNotNull(row.createdAt),
  };
}

/**
 * Opens a round. Its cutoffs are those configured now, with the kit's own screen cutoffs for the
 * classes that depend on the kit; they stay with the round even if the configuration changes later.
 */
export async function createRound(
  change: Change,
  facility: Facility,
  principal: Principal,
  input: RoundCreateInput,
  configured: Record<DrugClass, Cutoff>,
): Promise<RoundRow> {
  if (input.run_by_organisation_id) {
    const unit = await findOrganisation(change.tx, input.run_by_organisation_id);
    const covered =
      unit?.type === 'bnn' &&
      (await facilitiesUnderMous(change.tx, unit.id, change.now, 'urine_testing')).includes(facility.id);
    if (!covered) {
      throw violated('urine_run_by_organisation_id_bnn_unit_whose', {}, '/run_by_organisation_id');
    }
  }
  if (principal.role === 'bnn_officer' && input.run_by_organisation_id !== (principal.organisationId ?? undefined)) {
    throw violated('urine_bnn_officer_records_rounds', {}, '/run_by_organisation_id');
  }
  const cutoffs: Record<string, Cutoff> = {};
  for (const drug of input.kit.panel) {
    const kitScreen = input.kit.cutoffs?.[drug];
    cutoffs[drug] = { screen: kitScreen ?? configured[drug].screen, confirm: configured[drug].confirm };
  }
  const [row] = await change.tx
    .insert(urineRounds)
    .values({
      facilityId: facility.id,
      testedOn: input.tested_on,
      reason: input.reason,
      runByOrganisationId: input.run_by_organisation_id ?? null,
      subjects: input.subjects,
      kit: input.kit,
      cutoffs,
      note: input.note ?? null,
      createdBy: principal.id,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  await change.audit({
    action: 'urine.round_opened',
    entityType: 'urine_round',
    entityId: row.id,
    facilityId: facility.id,
    after: row,
  });
  return row;
}

export async function getRound(db: Executor, reach: FacilityReach, id: string): Promise<RoundRow> {
  const [row] = await db.select().from(urineRounds).where(eq(urineRounds.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('urine test round');
  return row;
}

export async function testedIn(db: Executor, roundId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(urineTests)
    .where(eq(urineTests.roundId, roundId));
  return row?.n ?? 0;
}

const testedCount = sql<number>`(SELECT count(*)::int FROM urine_tests t WHERE t.round_id = "urine_test_rounds"."id")`;

export async function listRounds(
  db: Executor,
  reach: FacilityReach,
  filter: {
    facilityId?: string;
    reason?: RoundRow['reason'];
    from?: string;
    to?: string;
    after?: string;
    limit: number;
  },
) {
  const where = [inReach(urineRounds.facilityId, reach)];
  if (filter.facilityId) where.push(eq(urineRounds.facilityId, filter.facilityId));
  if (filter.reason) where.push(eq(urineRounds.reason, filter.reason));
  if (filter.from) where.push(sql`${urineRounds.testedOn} >= ${filter.from}::date`);
  if (filter.to) where.push(sql`${urineRounds.testedOn} <= ${filter.to}::date`);
  if (filter.after) where.push(gt(urineRounds.id, filter.after));
  return db
    .select({ row: urineRounds, tested: testedCount })
    .from(urineRounds)
    .where(and(...where))
    .orderBy(asc(urineRounds.id))
    .limit(filter.limit + 1);
}

/**
 * Records one result or a batch, all or nothing. Every row is checked first (the kit's panel, the
 * round's day, the facility's register, one test per person and specimen in a round); any bad row
 * makes a 422 naming each row and why, and nothing is written. The outcome is derived here.
 */
export async function recordResults(
  change: Change,
  facility: Facility,
  round: RoundRow,
  principal: Principal,
  inputs: ResultInputValue[],
  pointerOf: (index: number) => string,
  now: Date,
  rules: CaseRules,
): Promise<TestRow[]> {
  const errors: FieldError[] = [];
  const fail = (index: number, field: string, rule: RuleName, params: Record<string, unknown> = {}) =>
    errors.push({ in: 'body', pointer: `${pointerOf(index)}${field}`, detail: ruleSentence(rule, params) });
  const panel = new Set(round.kit.panel);
  const seenSubjects = new Map<string, number>();
  const seenSpecimens = new Map<string, number>();
  const collected = inputs.map((input) => instantIn(input.collected_at, facility.timezone));

  inputs.forEach((input, i) => {
    const allowed = round.subjects === 'both' || round.subjects === `${input.subject_type}s`;
    if (!allowed) fail(i, '/subject_type', 'urine_result_subjects_only', { subjects: round.subjects });
    const at = collected[i] as Date;
    if (Number.isNaN(at.getTime()) || localDate(at, facility.timezone) !== round.testedOn) {
      fail(i, '/collected_at', 'urine_result_collected_off_day', { day: round.testedOn });
    } else if (at > now) fail(i, '/collected_at', 'urine_result_collected_in_future');
    const classes = input.results.map((r) => r.class);
    input.results.forEach((r, j) => {
      if (!panel.has(r.class)) fail(i, `/results/${j}/class`, 'urine_result_class_off_panel', { class: r.class });
    });
    if (new Set(classes).size !== classes.length) fail(i, '/results', 'urine_result_class_twice');
    if (input.refused && input.results.length) fail(i, '/results', 'urine_result_refusal_with_results');
    if (!input.refused) {
      const missing = round.kit.panel.filter((c) => !classes.includes(c as DrugClass));
      if (missing.length) fail(i, '/results', 'urine_result_missing_classes', { missing: missing.join(', ') });
    }
    const subjectKey = `${input.subject_type}:${input.subject_id}`;
    const earlier = seenSubjects.get(subjectKey);
    if (earlier !== undefined) fail(i, '/subject_id', 'urine_result_same_person', { row: earlier });
    else seenSubjects.set(subjectKey, i);
    const earlierSpecimen = seenSpecimens.get(input.specimen_id);
    if (earlierSpecimen !== undefined) fail(i, '/specimen_id', 'urine_result_same_specimen', { row: earlierSpecimen });
    else seenSpecimens.set(input.specimen_id, i);
  });

  // The register and the round, checked for the whole batch in four queries.
  const inmateIds = inputs.filter((x) => x.subject_type === 'inmate').map((x) => x.subject_id);
  const officerIds = inputs.filter((x) => x.subject_type === 'officer').map((x) => x.subject_id);
  const heldInmates = new Set(
    inmateIds.length
      ? (
          await change.tx
            .select({ id: inmates.id })
            .from(inmates)
            .where(
              and(
                eq(inmates.facilityId, facility.id),
                inIds(inmates.id, inmateIds),
                inArray(inmates.status, ['detained', 'sentenced']),
              ),
            )
        ).map((r) => r.id)
      : [],
  );
  const activeOfficers = new Set(
    officerIds.length
      ? (
          await change.tx
            .select({ id: officers.id })
            .from(officers)
            .where(
              and(eq(officers.facilityId, facility.id), inIds(officers.id, officerIds), eq(officers.status, 'active')),
            )
        ).map((r) => r.id)
      : [],
  );
  const already = await change.tx
    .select({ subjectType: urineTests.subjectType, subjectId: urineTests.subjectId, specimenId: urineTests.specimenId })
    .from(urineTests)
    .where(eq(urineTests.roundId, round.id));
  const testedSubjects = new Set(already.map((r) => `${r.subjectType}:${r.subjectId}`));
  const usedSpecimens = new Set(already.map((r) => r.specimenId));
  inputs.forEach((input, i) => {
    const onRegister =
      input.subject_type === 'inmate' ? heldInmates.has(input.subject_id) : activeOfficers.has(input.subject_id);
    if (!onRegister) fail(i, '/subject_id', 'urine_result_not_on_register', { type: input.subject_type });
    if (testedSubjects.has(`${input.subject_type}:${input.subject_id}`))
      fail(i, '/subject_id', 'urine_result_already_tested');
    if (usedSpecimens.has(input.specimen_id)) fail(i, '/specimen_id', 'urine_result_specimen_used');
  });
  if (errors.length) {
    throw new Problem(
      422,
      'rule_violated',
      { rule: 'urine_results_refused' satisfies RuleName, count: errors.length },
      { errors },
    );
  }

  const rows = inputs.map((input, i) => {
    const inRange =
      input.temperature_c !== undefined
        ? input.temperature_c >= 32 && input.temperature_c <= 38
        : input.temperature_in_range;
    const { outcome, classes } = deriveOutcome(
      { ...input, temperature_in_range: inRange },
      round.cutoffs as Record<DrugClass, Cutoff>,
    );
    const text = (n: number | undefined) => (n === undefined ? null : String(n));
    return {
      id: uuidv7(),
      roundId: round.id,
      facilityId: facility.id,
      subjectType: input.subject_type,
      subjectId: input.subject_id,
      specimenId: input.specimen_id,
      collectedAt: collected[i] as Date,
      refused: input.refused,
      temperatureC: text(input.temperature_c),
      temperatureInRange: inRange ?? null,
      creatinineMgDl: text(input.creatinine_mg_dl),
      specificGravity: text(input.specific_gravity),
      ph: text(input.ph),
      nitriteUgMl: text(input.nitrite_ug_ml),
      classes,
      outcome,
      confirmation: outcome === 'presumptive_positive' ? ('pending' as const) : null,
      createdBy: principal.id,
    };
  });
  // One statement with one array a column, however many rows: binding thousands of scalar
  // parameters cost more than the insert itself (a batch of 1,000 went from about 300 ms to a fraction).
  const col = <T>(pick: (r: (typeof rows)[number]) => T) => sql.param(rows.map(pick));
  await queryRows(
    change.tx,
    sql`INSERT INTO urine_tests (id, round_id, facility_id, subject_type, subject_id, specimen_id, collected_at, refused,
                                 temperature_c, temperature_in_range, creatinine_mg_dl, specific_gravity, ph, nitrite_ug_ml,
                                 classes, outcome, confirmation, created_by)
        SELECT v.id, ${round.id}, ${facility.id}, v.subject_type::urine_subject_type, v.subject_id, v.specimen_id, v.collected_at,
               v.refused, v.temperature_c::numeric, v.temperature_in_range, v.creatinine_mg_dl::numeric,
               v.specific_gravity::numeric, v.ph::numeric, v.nitrite_ug_ml::numeric, v.classes::jsonb,
               v.outcome::urine_outcome, v.confirmation::urine_confirmation_status, ${principal.id}
          FROM unnest(${col((r) => r.id)}::uuid[], ${col((r) => r.subjectType)}::text[], ${col((r) => r.subjectId)}::uuid[],
                      ${col((r) => r.specimenId)}::text[], ${col((r) => r.collectedAt.toISOString())}::timestamptz[],
                      ${col((r) => r.refused)}::boolean[], ${col((r) => r.temperatureC)}::text[],
                      ${col((r) => r.temperatureInRange)}::boolean[], ${col((r) => r.creatinineMgDl)}::text[],
                      ${col((r) => r.specificGravity)}::text[], ${col((r) => r.ph)}::text[], ${col((r) => r.nitriteUgMl)}::text[],
                      ${col((r) => JSON.stringify(r.classes))}::text[], ${col((r) => r.outcome)}::text[],
                      ${col((r) => r.confirmation)}::text[])
               AS v(id, subject_type, subject_id, specimen_id, collected_at, refused, temperature_c, temperature_in_range,
                    creatinine_mg_dl, specific_gravity, ph, nitrite_ug_ml, classes, outcome, confirmation)`,
  );
  // Read back as stored, in the order given.
  const read = await change.tx
    .select()
    .from(urineTests)
    .where(
      and(
        eq(urineTests.roundId, round.id),
        inIds(
          urineTests.id,
          rows.map((r) => r.id),
        ),
      ),
    );
  const byId = new Map(read.map((r) => [r.id, r]));
  const stored = rows.map((r) => byId.get(r.id) as TestRow);
  await markTested(
    change,
    round.id,
    stored.map((r) => ({ type: r.subjectType, id: r.subjectId })),
  );
  // A refusal, or an adulterated or substituted specimen, counts against the person: it opens a
  // case as a positive would (and counts as one in the positive rates).
  for (const row of stored) {
    if (row.outcome === 'refused' || row.outcome === 'adulterated') {
      await openCase(change, row, row.outcome, facility.timezone, rules, now);
    }
  }
  const outcomes: Record<string, number> = {};
  for (const row of stored) outcomes[row.outcome] = (outcomes[row.outcome] ?? 0) + 1;
  await change.audit({
    action: 'urine.results_recorded',
    entityType: 'urine_round',
    entityId: round.id,
    facilityId: facility.id,
    after: { count: stored.length, outcomes, ids: stored.map((r) => r.id) },
  });
  return stored;
}

export async function getTest(db: Executor, reach: FacilityReach, id: string): Promise<TestRow> {
  const [row] = await db.select().from(urineTests).where(eq(urineTests.id, id));
  if (!row || !reaches(reach, row.facilityId)) throw notFound('urine test');
  return row;
}

export interface TestFilter {
  facilityId?: string;
  roundId?: string;
  subjectType?: TestRow['subjectType'];
  subjectId?: string;
  outcome?: TestRow['outcome'];
  drugClass?: string;
  from?: string;
  to?: string;
  after?: string;
  limit: number;
}

export async function listTests(db: Executor, reach: FacilityReach, filter: TestFilter) {
  const where = [inReach(urineTests.facilityId, reach)];
  if (filter.facilityId) where.push(eq(urineTests.facilityId, filter.facilityId));
  if (filter.roundId) where.push(eq(urineTests.roundId, filter.roundId));
  if (filter.subjectType) where.push(eq(urineTests.subjectType, filter.subjectType));
  if (filter.subjectId) where.push(eq(urineTests.subjectId, filter.subjectId));
  if (filter.outcome) where.push(eq(urineTests.outcome, filter.outcome));
  if (filter.drugClass) {
    where.push(
      sql`${urineTests.classes} @> ${JSON.stringify([{ class: filter.drugClass, result: 'positive' }])}::jsonb`,
    );
  }
  // Each test's day is judged in its facility's zone, after the widest instants narrowed the rows by index.
  if (filter.from) {
    const { earliest } = widestInstants(filter.from, filter.from);
    where.push(sql`${urineTests.collectedAt} >= ${earliest.toISOString()}::timestamptz`);
    where.push(sql`${urineTests.collectedAt} >= ${dayStartSql(filter.from, facilityZone)}`);
  }
  if (filter.to) {
    const { latest } = widestInstants(filter.to, filter.to);
    where.push(sql`${urineTests.collectedAt} < ${latest.toISOString()}::timestamptz`);
    where.push(sql`${urineTests.collectedAt} < ${dayEndSql(filter.to, facilityZone)}`);
  }
  if (filter.after) where.push(gt(urineTests.id, filter.after));
  return db
    .select({ row: urineTests, timezone: facilityZone })
    .from(urineTests)
    .innerJoin(facilities, eq(facilities.id, urineTests.facilityId))
    .where(and(...where))
    .orderBy(asc(urineTests.id))
    .limit(filter.limit + 1);
}

export interface ConfirmationInput {
  class: DrugClass;
  method: 'GC-MS' | 'LC-MS' | 'LC-MS/MS' | 'other';
  lab: string;
  value_ng_ml: number;
  cutoff_ng_ml?: number | undefined;
  prescription_reference?: string | undefined;
}

/**
 * A lab result for one class of a presumptive positive. The test is confirmed positive once a class
 * is confirmed at or over its confirmation cutoff (medically explained when every such class has a
 * prescription on record), confirmed negative once every screened-positive class is confirmed
 * below it. A confirmed positive opens its case.
 */
export async function confirm(
  change: Change,
  given: TestRow,
  round: RoundRow,
  timezone: string,
  principal: Principal,
  input: ConfirmationInput,
  rules: CaseRules,
  now: Date,
): Promise<TestRow> {
  // Confirmations of one test's classes are judged one after another, each seeing the others.
  const [locked] = await change.tx.select().from(urineTests).where(eq(urineTests.id, given.id)).for('update');
  const test = locked ?? given;
  if (test.outcome !== 'presumptive_positive') {
    throw violated('urine_presumptive_positive_confirmed_test', { outcome: test.outcome }, '/class');
  }
  const screened = test.classes.filter((c) => c.result === 'positive').map((c) => c.class);
  if (!screened.includes(input.class)) {
    throw violated('urine_class_not_screen_positive', { class: input.class }, '/class');
  }
  const cutoff = input.cutoff_ng_ml ?? (round.cutoffs[input.class] as Cutoff | undefined)?.confirm ?? null;
  if (cutoff === null) {
    throw violated('urine_confirmation_cutoff_configured_for', {}, '/cutoff_ng_ml');
  }
  const [existing] = await change.tx
    .select({ id: urineConfirmations.id })
    .from(urineConfirmations)
    .where(and(eq(urineConfirmations.testId, test.id), eq(urineConfirmations.drugClass, input.class)));
  if (existing) throw new Problem(409, 'conflict', { reason: reasonOf.class_confirmed(input.class) });
  const [row] = await change.tx
    .insert(urineConfirmations)
    .values({
      testId: test.id,
      facilityId: test.facilityId,
      drugClass: input.class,
      method: input.method,
      lab: input.lab,
      valueNgMl: String(input.value_ng_ml),
      cutoffNgMl: String(cutoff),
      positive: input.value_ng_ml >= cutoff,
      prescriptionReference: input.prescription_reference ?? null,
      recordedBy: principal.id,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  const all = await change.tx.select().from(urineConfirmations).where(eq(urineConfirmations.testId, test.id));
  const positives = all.filter((c) => c.positive);
  const status =
    positives.length > 0
      ? positives.every((c) => c.prescriptionReference)
        ? ('medically_explained' as const)
        : ('confirmed_positive' as const)
      : screened.every((c) => all.some((x) => x.drugClass === c))
        ? ('confirmed_negative' as const)
        : ('pending' as const);
  const [updated] = await change.tx
    .update(urineTests)
    .set({ confirmation: status })
    .where(eq(urineTests.id, test.id))
    .returning();
  if (!updated) throw new Error('update returned nothing');
  await change.audit({
    action: 'urine.confirmed',
    entityType: 'urine_test',
    entityId: test.id,
    facilityId: test.facilityId,
    after: { confirmation: row, status },
  });
  if (status === 'confirmed_positive') await openCase(change, updated, 'confirmed_positive', timezone, rules, now);
  return updated;
}

/** Whether a person has ever had a confirmed positive test (rehabilitation takes them without further reason). */
export async function hasConfirmedPositive(db: Executor, subjectType: 'inmate' | 'officer', subjectId: string) {
  const [row] = await db
    .select({ id: urineTests.id })
    .from(urineTests)
    .where(
      and(
        eq(urineTests.subjectType, subjectType),
        eq(urineTests.subjectId, subjectId),
        eq(urineTests.confirmation, 'confirmed_positive'),
      ),
    )
    .limit(1);
  return !!row;
}
