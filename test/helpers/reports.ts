import type { Harness } from './app.ts';

/** A surprise inspection report as the Karutan of Banjarnegara opens one; `over` changes fields. */
export const surpriseReport = (over: Record<string, unknown> = {}) => ({
  kind: 'surprise',
  team: [{ name: 'Karutan Banjarnegara', agency: 'facility', role: 'ketua' }],
  started_at: '2026-03-02T09:00:00',
  ended_at: '2026-03-02T11:30:00',
  areas: [{ kind: 'block', name: 'A' }],
  inmates_searched: 120,
  officers_searched: 15,
  summary: 'Penggeledahan blok hunian.',
  ...over,
});

/** A phone found in a pillow: the finding most tests record. */
export const phoneFinding = {
  category: 'mobile_phone',
  description: 'Satu telepon genggam dalam bantal',
  quantity: 1,
  unit: 'pieces',
  location: 'Blok A kamar 12',
};

/** A draft report of Banjarnegara with one finding: the URL its evidence is uploaded to. */
export async function draftFinding(h: Harness): Promise<string> {
  const token = await h.login('staff.banjarnegara');
  const opened = await h.call('POST', `/v1/facilities/${h.world.facilities.banjarnegara}/inspections`, {
    token,
    body: surpriseReport(),
  });
  if (opened.statusCode !== 201) throw new Error(`open: ${opened.statusCode} ${opened.body}`);
  const withFinding = await h.call('POST', `/v1/inspections/${opened.json().id}/findings`, {
    token,
    body: phoneFinding,
  });
  if (withFinding.statusCode !== 201) throw new Error(`finding: ${withFinding.statusCode} ${withFinding.body}`);
  return `/v1/inspections/${opened.json().id}/findings/${withFinding.json().id}/evidence`;
}

/** An officer of a facility's guard unit, the `serial`th of its test file (a NIP of its own). */
export const officerBody = (serial: number, name: string) => ({
  nip: `19800101200501${String(serial).padStart(4, '0')}`,
  name,
  sex: 'female',
  position: 'Penjaga',
  unit: 'KPR',
  joined_on: '2010-01-04',
});

/** A two-day early-detection training the facility organises for its own officers, ending 10 March 2026. */
export const trainingBody = (facility: string) => ({
  title: 'Deteksi dini',
  topic: 'early_detection',
  organiser_type: 'facility',
  organiser_id: facility,
  starts_on: '2026-03-09',
  ends_on: '2026-03-10',
  hours: 16,
  venue: 'Aula',
  mode: 'in_person',
  facility_ids: [facility],
  capacity: 30,
});
