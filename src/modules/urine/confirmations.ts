import { and, eq } from 'drizzle-orm';
import type { Change } from '../../core/change.ts';
import type { Executor } from '../../db/client.ts';
import { reasonOf } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { Problem, violated } from '../../http/problem.ts';
import { type CaseRules, openCase } from './cases.ts';
import type { Cutoff, DrugClass } from './cutoffs.ts';
import { toTestDto } from './dto.ts';
import { testData, testPlace, urineTestConfirmedPositive } from './events.ts';
import type { ConfirmationInput } from './request-schemas.ts';
import { requireRecorder, urineReach } from './rounds.ts';
import { urineConfirmations, urineTests } from './tables.ts';
import { getTest } from './tests.ts';

/**
 * A test in reach (404 otherwise), with its round and zone, for a caller who may record (403
 * otherwise). The route calls it before its transaction begins, as it does roundToRecord.
 */
export async function testToConfirm(db: Executor, principal: Principal, testId: string, now: Date) {
  const found = await getTest(db, await urineReach(db, principal, now), testId);
  requireRecorder(principal);
  return { principal, ...found };
}

type TestTarget = Awaited<ReturnType<typeof testToConfirm>>;

/**
 * A lab result for one class of a presumptive positive. The test is confirmed positive once a class
 * is confirmed at or over its confirmation cutoff (medically explained when every such class has a
 * prescription on record), confirmed negative once every screened-positive class is confirmed
 * below it. A confirmed positive opens its case.
 */
export async function confirm(
  change: Change,
  { principal, test: given, round, timezone }: TestTarget,
  input: ConfirmationInput,
  rules: CaseRules,
) {
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
  if (status === 'confirmed_positive' && test.confirmation !== 'confirmed_positive') {
    await urineTestConfirmedPositive.emit(change, testPlace(updated), {
      ...testData(updated),
      classes: positives.map((c) => c.drugClass as DrugClass),
      confirmed_at: change.now.toISOString(),
    });
  }
  if (status === 'confirmed_positive') {
    await openCase(change, updated, 'confirmed_positive', timezone, rules, change.now);
  }
  return toTestDto(updated, timezone);
}
