import { addDays, type Demo, WITA } from './context.ts';
import type { Registers } from './registers.ts';

/** Officer training at Kupang (WITA) a month ago, by BNNP NTT: attendance, tests and certificates. */
export async function officerTraining(d: Demo, officers: Registers['officers']): Promise<void> {
  const { call, at, between, todayWita } = d;
  const kupang = d.facilities.kupang as string;
  const lppKupang = d.facilities['lpp.kupang'] as string;
  const trainingStart = addDays(todayWita, -30);
  at(addDays(trainingStart, -10), '09:00', WITA);
  const training = await call('POST', '/v1/trainings', 'bnnp.ntt', {
    title: 'Deteksi dini peredaran narkoba bagi petugas pemasyarakatan',
    topic: 'early_detection',
    organiser_type: 'bnn_unit',
    organiser_id: d.organisations['bnnp.ntt'],
    starts_on: trainingStart,
    ends_on: addDays(trainingStart, 2),
    hours: 24,
    venue: 'Aula Lapas Kelas IIA Kupang',
    mode: 'in_person',
    facility_ids: [kupang, lppKupang],
    trainers: ['dr. Maria Nenobais'],
    capacity: 30,
    pass_mark: 70,
  });
  const trainees = [...(officers.kupang ?? []).slice(0, 5), ...(officers['lpp.kupang'] ?? []).slice(0, 3)];
  const enrolled = await call('POST', `/v1/trainings/${training.id}/participants`, 'bnnp.ntt', {
    officer_ids: trainees.map((o) => o.id),
  });
  at(addDays(trainingStart, 3), '10:00', WITA);
  const days = [trainingStart, addDays(trainingStart, 1), addDays(trainingStart, 2)];
  for (const [i, p] of (enrolled.data as { id: string; version: number }[]).entries()) {
    const post = i % 4 === 3 ? between(50, 69) : between(72, 95);
    const updated = await call(
      'PATCH',
      `/v1/trainings/${training.id}/participants/${p.id}`,
      'bnnp.ntt',
      {
        attended_days: i % 4 === 3 ? days.slice(0, 2) : days,
        pre_test_score: between(35, 60),
        post_test_score: post,
      },
      { 'if-match': `"${p.version}"` },
    );
    if (updated.passed) {
      await call('POST', `/v1/trainings/${training.id}/participants/${p.id}/certificate`, 'bnnp.ntt');
      d.summary.certificates++;
    }
  }
}
