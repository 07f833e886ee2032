import { and, eq, sql } from 'drizzle-orm';
import { keeps, NOBODY, organisationArea, readArea, tidyName, withinArea, writesOutside } from '../../core/access.ts';
import { localDate } from '../../core/calendar/index.ts';
import type { Change } from '../../core/change.ts';
import { provinceTimeZone } from '../../core/provinces.ts';
import type { Executor } from '../../db/client.ts';
import { reasonOf } from '../../http/messages.ts';
import type { Principal } from '../../http/principal.ts';
import { forbidden, Problem, refuse, refuseAt } from '../../http/problem.ts';
import { checkVersion, updateVersioned } from '../../http/versioned.ts';
import { namedOrganisations } from '../organisations/service.ts';
import { presentAssessment, toAssessmentDto } from './dto.ts';
import { kotanAssessmentRecorded } from './events.ts';
import { type KotanInstrument, score, type VariableCode } from './instrument.ts';
import { loadAssessment } from './ranking.ts';
import type { AssessmentCreateInput, AssessmentDto, AssessmentUpdateInput } from './schemas.ts';
import { kotanAssessments } from './tables.ts';

// KOTAN assessments: recorded, corrected and read one at a time (the ranking lists them).

export async function readAssessment(db: Executor, principal: Principal, id: string): Promise<AssessmentDto> {
  const view = await loadAssessment(db, principal, await readArea(db, principal), id);
  return presentAssessment(principal, toAssessmentDto(view));
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

const variableColumns = (v: Record<VariableCode, number>) => ({
  familyResilience: v.family_resilience.toFixed(2),
  communityResilience: v.community_resilience.toFixed(2),
  territory: v.territory.toFixed(2),
  institutions: v.institutions.toFixed(2),
  law: v.law.toFixed(2),
});

export async function createAssessment(
  change: Change,
  principal: Principal,
  instrument: KotanInstrument,
  input: AssessmentCreateInput,
  now: Date,
): Promise<AssessmentDto> {
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
    const [existing] = await change.tx
      .select({ id: kotanAssessments.id, regency: kotanAssessments.regency })
      .from(kotanAssessments)
      .where(
        and(
          eq(kotanAssessments.provinceCode, place.provinceCode),
          sql`lower(${kotanAssessments.regency}) = lower(${place.regency})`,
          eq(kotanAssessments.year, input.year),
        ),
      );
    throw new Problem(409, 'conflict', {
      reason: existing
        ? reasonOf.kotan_exists(existing.regency, input.year, existing.id)
        : reasonOf.kotan_exists(place.regency, input.year),
    });
  }
  const after = toAssessmentDto(await loadAssessment(change.tx, principal, { kind: 'all' }, row.id));
  await change.audit({
    action: 'kotan_assessment.created',
    entityType: 'kotan_assessment',
    entityId: row.id,
    after,
  });
  // Told to the assessed place's readers and the assessor; never the assessor's name.
  await kotanAssessmentRecorded.emit(
    change,
    {
      subject: { type: 'kotan_assessment', id: row.id },
      organisationIds: [after.assessor.organisation_id],
      area: { provinceCode: after.province_code, regency: after.regency },
    },
    {
      kotan_assessment_id: row.id,
      province_code: after.province_code,
      regency: after.regency,
      year: after.year,
      assessed_on: after.assessed_on,
      assessor_organisation_id: after.assessor.organisation_id,
      index: after.index,
      band: after.band,
    },
  );
  return presentAssessment(principal, after);
}

export async function updateAssessment(
  change: Change,
  principal: Principal,
  id: string,
  expectedVersion: number,
  input: AssessmentUpdateInput,
  now: Date,
): Promise<AssessmentDto> {
  const area = await readArea(change.tx, principal);
  const view = await loadAssessment(change.tx, principal, area, id, true);
  const before = view.assessment;
  if (!keeps(principal, before.assessorOrganisationId)) throw forbidden();
  checkVersion(before.version, expectedVersion);
  const assessedOn = input.assessed_on ?? before.assessedOn;
  if (input.assessed_on) checkDates(before.year, assessedOn, before.provinceCode, now);
  // Scored again with the instrument it was first scored with, so that a year's figures stay comparable.
  const scored = input.scores ? scoreOrRefuse(before.instrument, input.scores) : null;
  await updateVersioned(
    change.tx,
    kotanAssessments,
    before,
    {
      assessorName: input.assessor_name === undefined ? before.assessorName : input.assessor_name,
      assessedOn,
      evidenceNotes: input.evidence_notes === undefined ? before.evidenceNotes : input.evidence_notes || null,
      ...(scored && input.scores
        ? {
            indicatorScores: input.scores,
            ...variableColumns(scored.variables),
            index: scored.index.toFixed(2),
            band: scored.band,
          }
        : {}),
    },
    change.now,
  );
  const after = toAssessmentDto(await loadAssessment(change.tx, principal, { kind: 'all' }, id));
  await change.audit({
    action: 'kotan_assessment.updated',
    entityType: 'kotan_assessment',
    entityId: id,
    before: toAssessmentDto(view),
    after,
  });
  return presentAssessment(principal, after);
}
