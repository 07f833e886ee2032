import { type RuleError, ruleError } from '../../http/register.ts';
import type { OfficerRow } from './dto.ts';

/** An officer joins on a day that has come, leaves after joining, and only a non-active one has left. */
export function officerErrors(
  f: { status: OfficerRow['status']; joined_on: string; left_on?: string | null },
  today: string,
): RuleError[] {
  const errors: RuleError[] = [];
  if (f.joined_on > today) errors.push(ruleError('/joined_on', 'in_future', { field: 'joined_on' }));
  if (f.left_on && f.left_on < f.joined_on) {
    errors.push(ruleError('/left_on', 'before_field', { field: 'left_on', other: 'joined_on' }));
  }
  if (f.left_on && f.status === 'active') errors.push(ruleError('/left_on', 'officer_active_left'));
  if (!f.left_on && (f.status === 'transferred' || f.status === 'retired')) {
    errors.push(ruleError('/left_on', 'field_required_for_status', { field: 'left_on', status: f.status }));
  }
  return errors;
}
