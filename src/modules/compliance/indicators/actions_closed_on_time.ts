import { dayEndSql } from '../../../core/calendar/index.ts';
import { sql } from '../../../db/client.ts';
import { defineIndicator, dueOnTime } from '../define.ts';
import { type Bounds, zone } from '../predicates.ts';

// Actions of a submitted inspection due in the period, up to the last day judged.
const due = (b: Bounds) => sql`fp JOIN facilities fz ON fz.id = fp.id
    JOIN corrective_actions a ON a.facility_id = fp.id AND a.due_date BETWEEN ${b.period.from}::date AND fp.judged
   WHERE EXISTS (SELECT 1 FROM inspections n WHERE n.id = a.inspection_id AND n.status <> 'draft')`;

// Done by the end of the due date: closed_at where it was recorded, else the last change.
const onTime = sql`a.status IN ('done', 'verified')
    AND coalesce(a.closed_at, a.updated_at) < ${dayEndSql(sql`a.due_date`, zone)}`;

const actions = dueOnTime(due, onTime);

export const actionsClosedOnTime = defineIndicator({
  code: 'actions_closed_on_time',
  name: 'Corrective actions closed on time',
  name_id: 'Tindakan korektif yang selesai tepat waktu',
  definition:
    'Share of the corrective actions due in the period (up to today) that were done by the end of their due date.',
  numerator: 'actions due in the period closed by their due date',
  denominator: 'actions due in the period, up to today',
  direction: 'at_least',
  target: 0.9,
  weight: 8,
  shown: 'share',
  purpose: 'inspection',
  count: { from: [actions], value: (a) => ({ numerator: a.on_time, denominator: a.due }) },
  records: (q) =>
    q.links(
      'action_not_closed_on_time',
      '/v1/corrective-actions',
      sql`SELECT a.id::text AS id FROM ${due(q)} AND NOT (${onTime}) ORDER BY a.due_date, id`,
    ),
});
