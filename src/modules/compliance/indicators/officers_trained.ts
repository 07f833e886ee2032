import { monthsBefore } from '../../../core/calendar/index.ts';
import { type CountSource, defineIndicator, RECORDS_LIMIT } from '../define.ts';
import { endOf } from '../predicates.ts';

// Training coverage on each facility's end of the period: a few distinct dates at most, a query each.
const coverage: CountSource<'officers' | 'trained'> = {
  columns: ['officers', 'trained'],
  async read(r) {
    const { coverageByFacility } = r.modules.trainings;
    const byDay = new Map<string, string[]>();
    for (const f of r.facilities) {
      const on = endOf(r.period, f.timezone, r.now);
      byDay.set(on, [...(byDay.get(on) ?? []), f.id]);
    }
    const result = new Map<string, { officers: number; trained: number }>();
    for (const [on, ids] of byDay) {
      const counts = await coverageByFacility(r.db, ids, { on, from: monthsBefore(on, r.trainingMonths) });
      for (const [id, c] of counts) result.set(id, { officers: c.officers, trained: c.trained });
    }
    return result;
  },
};

export const officersTrained = defineIndicator({
  code: 'officers_trained',
  name: 'Officers trained in the last 12 months',
  name_id: 'Petugas yang mengikuti pelatihan dalam 12 bulan terakhir',
  definition:
    'Share of the officers in service at the end of the period (or today) who passed a training that ended in the 12 months before (TRAINING_COVERAGE_MONTHS).',
  numerator: 'officers in service who passed a training in the window',
  denominator: 'officers in service at the end of the period',
  direction: 'at_least',
  target: 0.7,
  weight: 8,
  shown: 'share',
  purpose: 'training',
  count: { from: [coverage], value: (c) => ({ numerator: c.trained, denominator: c.officers }) },
  records: async (q) => {
    const { dueOfficers } = q.modules.trainings;
    const on = endOf(q.period, q.facility.timezone, q.now);
    const due = await dueOfficers(q.db, q.facility.id, { on, from: monthsBefore(on, q.trainingMonths) });
    return due
      .slice(0, RECORDS_LIMIT)
      .map((o) => ({ kind: 'officer_due_training', id: o.id, href: `/v1/officers/${o.id}` }));
  },
});
