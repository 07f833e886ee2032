import { addDays, type Demo, WITA } from './context.ts';
import type { Inmate, Registers } from './registers.ts';

// Tes urine: a round of Banjarnegara's inmates six days ago, and one of Lapas Kupang's officers.

const PANEL = ['AMP', 'MET', 'MDMA', 'THC', 'COC', 'MOP'];
const negatives = PANEL.map((c) => ({ class: c, result: 'negative' }));
const withPositive = (cls: string, value: number) =>
  negatives.map((r) => (r.class === cls ? { class: cls, result: 'positive', value_ng_ml: value } : r));

/**
 * A round six days ago: negatives, a positive left presumptive, one confirmed, and a refusal.
 * Answers the inmate confirmed positive.
 */
export async function inmateRound(d: Demo, held: Inmate[]): Promise<string> {
  const { call, at, between, today } = d;
  const banjarnegara = d.facilities.banjarnegara as string;
  const tested = addDays(today, -6);
  at(tested, '13:00');
  const round = await call('POST', `/v1/facilities/${banjarnegara}/urine-test-rounds`, 'staff.banjarnegara', {
    tested_on: tested,
    reason: 'random',
    subjects: 'inmates',
    kit: { brand: 'Rapid 6 Panel', lot: 'L-DEMO-01', expiry: addDays(today, 400), panel: PANEL },
  });
  const testedInmates = held.slice(0, 10);
  const results = testedInmates.map((inmate, i) => ({
    subject_type: 'inmate',
    subject_id: inmate.id,
    specimen_id: `BNJ-${tested.replaceAll('-', '')}-${String(i + 1).padStart(2, '0')}`,
    collected_at: `${tested}T09:${String(10 + i * 3).padStart(2, '0')}:00`,
    ...(i === 9
      ? { refused: true, results: [] }
      : {
          temperature_c: (330 + between(0, 40)) / 10,
          results: i === 7 ? withPositive('MET', 900) : i === 8 ? withPositive('THC', 80) : negatives,
        }),
  }));
  const recorded = await call('POST', `/v1/urine-test-rounds/${round.id}/results`, 'staff.banjarnegara', {
    results,
  });
  d.summary.urineTests = recorded.data.length;
  at(addDays(tested, 3), '10:00');
  await call('POST', `/v1/urine-tests/${recorded.data[7].id}/confirmation`, 'staff.banjarnegara', {
    class: 'MET',
    value_ng_ml: 640,
    method: 'GC-MS',
    lab: 'Laboratorium Uji Narkoba BNN',
  });
  return testedInmates[7]?.id as string;
}

/** Lapas Kupang tests its officers: a round two weeks ago, every one negative. */
export async function officerRound(d: Demo, officers: Registers['officers']): Promise<void> {
  const { call, at, between, todayWita } = d;
  const kupang = d.facilities.kupang as string;
  const officersTested = addDays(todayWita, -15);
  at(officersTested, '14:00', WITA);
  const kupangRound = await call('POST', `/v1/facilities/${kupang}/urine-test-rounds`, 'staff.kupang', {
    tested_on: officersTested,
    reason: 'random',
    subjects: 'officers',
    kit: { brand: 'Rapid 6 Panel', lot: 'L-DEMO-02', expiry: addDays(todayWita, 400), panel: PANEL },
  });
  const kupangResults = await call('POST', `/v1/urine-test-rounds/${kupangRound.id}/results`, 'staff.kupang', {
    results: (officers.kupang ?? []).map((o, i) => ({
      subject_type: 'officer',
      subject_id: o.id,
      specimen_id: `KPG-${officersTested.replaceAll('-', '')}-${String(i + 1).padStart(2, '0')}`,
      collected_at: `${officersTested}T08:${String(5 + i * 4).padStart(2, '0')}:00`,
      temperature_c: (330 + between(0, 40)) / 10,
      results: negatives,
    })),
  });
  d.summary.urineTests += kupangResults.data.length;
}
