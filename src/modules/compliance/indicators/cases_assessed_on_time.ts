import { sql } from '../../../db/client.ts';
import { defineIndicator, dueOnTime } from '../define.ts';
import type { Bounds } from '../predicates.ts';

// Assessment cases due in the period, up to the last day judged.
const due = (b: Bounds) => sql`fp JOIN follow_up_cases c ON c.facility_id = fp.id AND c.kind = 'assessment'
    AND c.assessment_due BETWEEN ${b.period.from}::date AND fp.judged`;

// Null while not assessed: "not on time" is IS NOT TRUE, not NOT.
const onTime = sql`c.assessed_on <= c.assessment_due`;

const cases = dueOnTime(due, onTime);

export const casesAssessedOnTime = defineIndicator({
  code: 'cases_assessed_on_time',
  name: 'Follow-up cases assessed on time',
  name_id: 'Kasus tindak lanjut yang diasesmen tepat waktu',
  definition:
    'Share of the assessment cases due in the period (up to today) that were assessed by their due date (14 working days).',
  numerator: 'cases due in the period assessed by the due date',
  denominator: 'assessment cases due in the period, up to today',
  direction: 'at_least',
  target: 0.9,
  weight: 6,
  shown: 'share',
  purpose: 'urine_testing',
  count: { from: [cases], value: (c) => ({ numerator: c.on_time, denominator: c.due }) },
  records: (q) =>
    q.links(
      'case_not_assessed_on_time',
      '/v1/follow-up-cases',
      sql`SELECT c.id::text AS id FROM ${due(q)} WHERE (${onTime}) IS NOT TRUE ORDER BY c.assessment_due, id`,
    ),
});
