import { holidayCalendar } from '../../core/calendar/index.ts';
import type { CaseRules } from './cases.ts';
import { type Cutoff, cutoffsFrom, type DrugClass } from './cutoffs.ts';

/** What the configuration tells the module's commands, read once when the routes are registered. */
export interface UrineSettings {
  /** The cutoffs configured now: a new round keeps them. */
  cutoffs: Record<DrugClass, Cutoff>;
  /** When a case's assessment falls due. */
  rules: CaseRules;
  /** People tested in these many days before a round are left out of its draw, unless it says otherwise. */
  excludeDays: number;
}

export function urineSettings(config: {
  URINE_CUTOFFS?: string | undefined;
  ASSESSMENT_WORKING_DAYS: number;
  NATIONAL_HOLIDAYS: string[];
  URINE_DRAW_EXCLUDE_DAYS: number;
}): UrineSettings {
  return {
    cutoffs: cutoffsFrom(config.URINE_CUTOFFS),
    rules: { workingDays: config.ASSESSMENT_WORKING_DAYS, calendar: holidayCalendar(config.NATIONAL_HOLIDAYS) },
    excludeDays: config.URINE_DRAW_EXCLUDE_DAYS,
  };
}
