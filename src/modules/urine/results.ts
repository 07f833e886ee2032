import { and, eq, inArray, sql } from 'drizzle-orm';
import { instantIn, localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { type Executor, inIds, queryRows } from '../../db/client.ts';
import { uuidv7 } from '../../db/columns.ts';
import { fieldSentence, type RuleName, ruleSentence } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { type FieldError, Problem } from '../../http/problem.ts';
import { inmates } from '../inmates/tables.ts';
import { officers } from '../officers/tables.ts';
import { type CaseRules, openCase } from './cases.ts';
import type { Cutoff, DrugClass } from './cutoffs.ts';
import { closeIfComplete, loadDraws, markNotTested, markTested } from './draw.ts';
import { type TestRow, toTestDto } from './dto.ts';
import { testData, testPlace, urineTestPresumptivePositive, urineTestRefused } from './events.ts';
import { deriveOutcome } from './outcome.ts';
import type { NotTestedInput, ResultInputValue, ResultsPostValue } from './request-schemas.ts';
import { type RoundTarget, roundToRecord } from './rounds.ts';
import { urineTests } from './tables.ts';

/**
 * Records one result or a batch, all or nothing. Every row is checked first (the kit's panel, the
 * round's day, the facility's register, one test per person and specimen in a round); any bad row
 * makes a 422 naming each row and why, and nothing is written. The outcome is derived here.
 */
async function writeResults(
  change: Change,
  { facility, round, principal }: RoundTarget,
  inputs: ResultInputValue[],
  pointerOf: (index: number) => string,
  rules: CaseRules,
): Promise<TestRow[]> {
  const now = change.now;
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
  // parameters cost more than the insert itself.
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
  const outcomes: Record<string, number> = {};
  for (const row of stored) outcomes[row.outcome] = (outcomes[row.outcome] ?? 0) + 1;
  await change.audit({
    action: 'urine.results_recorded',
    entityType: 'urine_round',
    entityId: round.id,
    facilityId: facility.id,
    after: { count: stored.length, outcomes, ids: stored.map((r) => r.id) },
  });
  for (const row of stored) {
    if (row.outcome === 'presumptive_positive') {
      const classes = row.classes.filter((c) => c.result === 'positive').map((c) => c.class);
      await urineTestPresumptivePositive.emit(change, testPlace(row), { ...testData(row), classes });
    } else if (row.outcome === 'refused') await urineTestRefused.emit(change, testPlace(row), testData(row));
  }
  // A refusal, or an adulterated or substituted specimen, counts against the person: it opens a
  // case as a positive would (and counts as one in the positive rates).
  for (const row of stored) {
    if (row.outcome === 'refused' || row.outcome === 'adulterated') {
      await openCase(change, row, row.outcome, facility.timezone, rules, now);
    }
  }
  return stored;
}

/** Results posted to a round: one result carries its subject; a batch is { results: [...] }. */
export async function recordResults(change: Change, target: RoundTarget, body: ResultsPostValue, rules: CaseRules) {
  const batch = 'subject_id' in body ? undefined : body.results;
  const inputs = 'subject_id' in body ? [body] : body.results;
  const rows = await writeResults(change, target, inputs, (i) => (batch ? `/results/${i}` : ''), rules);
  await closeIfComplete(change, target.round);
  return { data: rows.map((row) => toTestDto(row, target.facility.timezone)) };
}

/**
 * A round where the caller may record that someone drawn was not tested (as roundToRecord), and
 * then a refusal without its time (400), before the write begins.
 */
export async function roundToMarkNotTested(
  db: Executor,
  principal: Principal,
  roundId: string,
  input: NotTestedInput,
  now: Date,
) {
  const target = await roundToRecord(db, principal, roundId, now);
  if (input.reason === 'refused' && !input.at) {
    throw new Problem(
      400,
      'validation_failed',
      {},
      { errors: [{ in: 'body', pointer: '/at', detail: fieldSentence('refusal_needs_time') }] },
    );
  }
  return target;
}

/** Someone drawn was not tested: a refusal is recorded as a refused test first (it counts, never as a negative). */
export async function recordNotTested(change: Change, target: RoundTarget, input: NotTestedInput, rules: CaseRules) {
  if (input.reason === 'refused') {
    const refusal = {
      subject_type: input.subject_type,
      subject_id: input.subject_id,
      specimen_id: `REFUSED-${input.subject_id}`,
      collected_at: input.at as string,
      refused: true,
      results: [],
    };
    await writeResults(change, target, [refusal], () => '', rules);
  }
  await markNotTested(change, target.round, input);
  await closeIfComplete(change, target.round);
  return loadDraws(change.tx, target.round.id);
}
