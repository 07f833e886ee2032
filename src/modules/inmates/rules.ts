import { reasonOf } from '../../http/messages.ts';
import { Problem } from '../../http/problem.ts';
import { type RuleError, ruleError } from '../../http/register.ts';
import type { InmateRow } from './dto.ts';

/** Dates that cannot be right, judged by the facility's own calendar. */
export function dateErrors(
  f: {
    birth_date?: string;
    admission_date?: string;
    expected_release_date?: string | null;
    released_on?: string | null;
  },
  today: string,
): RuleError[] {
  const errors: RuleError[] = [];
  const future = (field: string) => ruleError(`/${field}`, 'in_future', { field });
  const before = (field: string, other: string) => ruleError(`/${field}`, 'before_field', { field, other });
  if (f.birth_date && f.birth_date > today) errors.push(future('birth_date'));
  if (f.admission_date && f.admission_date > today) errors.push(future('admission_date'));
  if (f.birth_date && f.admission_date && f.admission_date < f.birth_date) {
    errors.push(before('admission_date', 'birth_date'));
  }
  if (f.admission_date && f.expected_release_date && f.expected_release_date < f.admission_date) {
    errors.push(before('expected_release_date', 'admission_date'));
  }
  if (f.admission_date && f.released_on && f.released_on < f.admission_date) {
    errors.push(before('released_on', 'admission_date'));
  }
  if (f.released_on && f.released_on > today) errors.push(future('released_on'));
  return errors;
}

const held = (row: InmateRow) => row.status === 'detained' || row.status === 'sentenced';

/** An entry is corrected only while the person is held (409 once released, transferred or deceased). */
export function requireOpen(row: InmateRow): void {
  if (!held(row)) throw new Problem(409, 'conflict', { reason: reasonOf.person_closed(row.status) });
}

/** Only someone still held is released or transferred (409). */
export function requireHeld(row: InmateRow): void {
  if (!held(row)) throw new Problem(409, 'conflict', { reason: reasonOf.person_already(row.status) });
}
