import { provinceName } from '../../core/provinces.ts';
import { isoNotNull } from '../../http/dto.ts';
import { seesPersonalData } from '../../http/personal-data.ts';
import type { Principal } from '../../http/principal.ts';
import { type KotanInstrument, round2, VARIABLES, type VariableCode } from './instrument.ts';
import type { AssessmentDto, InstrumentDto } from './schemas.ts';
import type { kotanAssessments } from './tables.ts';

type AssessmentRow = typeof kotanAssessments.$inferSelect;
type VariableScores = Pick<
  AssessmentRow,
  'familyResilience' | 'communityResilience' | 'territory' | 'institutions' | 'law'
>;

/** An assessment as ranked: its row, its assessor's name, its rank and last year's assessment. */
export type AssessmentView = {
  assessment: AssessmentRow;
  assessorOrganisationName: string;
  rankInProvince: number;
  assessedInProvince: number;
  previous: (Pick<AssessmentRow, 'id' | 'index' | 'band'> & VariableScores) | null;
};

const variablesOf = (v: VariableScores): Record<VariableCode, string> => ({
  family_resilience: v.familyResilience,
  community_resilience: v.communityResilience,
  territory: v.territory,
  institutions: v.institutions,
  law: v.law,
});

export function toAssessmentDto(view: AssessmentView): AssessmentDto {
  const row = view.assessment;
  const before = view.previous;
  const weights = new Map(row.instrument.variables.map((v) => [v.code, v.weight]));
  const current = variablesOf(row);
  const earlier = before ? variablesOf(before) : null;
  const index = Number(row.index);
  return {
    id: row.id,
    province_code: row.provinceCode,
    province_name: provinceName(row.provinceCode),
    regency: row.regency,
    year: row.year,
    assessor: {
      organisation_id: row.assessorOrganisationId,
      organisation_name: view.assessorOrganisationName,
      name: row.assessorName,
    },
    assessed_on: row.assessedOn,
    scores: row.indicatorScores,
    variables: VARIABLES.map((code) => ({
      code,
      weight: weights.get(code) ?? 0,
      score: Number(current[code]),
      change: earlier ? round2(Number(current[code]) - Number(earlier[code])) : null,
    })),
    index,
    band: row.band,
    rank_in_province: view.rankInProvince,
    assessed_in_province: view.assessedInProvince,
    previous: before
      ? {
          id: before.id,
          year: row.year - 1,
          index: Number(before.index),
          band: before.band,
          change: round2(index - Number(before.index)),
        }
      : null,
    evidence_notes: row.evidenceNotes,
    created_by: row.createdBy,
    version: row.version,
    created_at: isoNotNull(row.createdAt),
    updated_at: isoNotNull(row.updatedAt),
  };
}

/** API clients read the results, not the working evidence; the assessor's name is personal data. */
export function presentAssessment(principal: Principal, dto: AssessmentDto): AssessmentDto {
  return {
    ...dto,
    assessor: { ...dto.assessor, name: seesPersonalData(principal) ? dto.assessor.name : null },
    evidence_notes: principal.role === 'api_client' ? null : dto.evidence_notes,
  };
}

/** The instrument as configured, with the bands and how the index is rounded. */
export function toInstrumentDto(instrument: KotanInstrument): InstrumentDto {
  return {
    variables: instrument.variables,
    bands: [
      { band: 'not_responsive', from: 0, to: 25 },
      { band: 'fairly_responsive', from: 25.01, to: 50 },
      { band: 'responsive', from: 50.01, to: 75 },
      { band: 'very_responsive', from: 75.01, to: 100 },
    ],
    rounding:
      'Each indicator is read as a share of its range (0 to 100); a variable is the weighted mean of its indicators; the index is the weighted mean of the variables, rounded half up to two decimals; the band is read from the rounded index.',
  };
}
