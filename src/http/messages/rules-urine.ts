// The rules of tes urine: rounds, draws, results, confirmations and follow-up cases.
import { fixed, type Sentence, sentence } from './text.ts';

/** Who a round tests (inmates or officers), in Indonesian. */
const subjectsId = (subjects: unknown) => (subjects === 'inmates' ? 'WBP' : 'petugas');

export const urineRules = {
  // Rounds, draws, confirmations and follow-up cases.
  urine_give_exactly_one_assessment: fixed(
    'Give exactly one of assessment, decision, closure.',
    'Isi tepat satu dari assessment, decision, closure.',
  ),
  urine_case_date_before_previous: sentence(
    (p) => `The date is before ${p.previous}.`,
    (p) => `Tanggal sebelum ${p.previous}.`,
  ),
  urine_case_date_in_future: fixed('The date lies in the future.', 'Tanggal di masa depan.'),
  urine_round_subjects_only: sentence(
    (p) => `This round tests ${p.subjects} only.`,
    (p) => `Putaran tes urine ini hanya menguji ${subjectsId(p.subjects)}.`,
  ),
  urine_draw_asks_for_population: sentence(
    (p) => `The draw asks for ${p.size} of a population of ${p.length}.`,
    (p) => `Undian meminta ${p.size} dari populasi ${p.length}.`,
  ),
  urine_person_was_drawn_round: fixed(
    'This person was not drawn in this round.',
    'Orang ini tidak terundi pada putaran ini.',
  ),
  urine_run_by_organisation_id_bnn_unit_whose: fixed(
    'run_by_organisation_id must be a BNN unit whose MoU in force covers urine testing at this facility.',
    'run_by_organisation_id harus unit BNN yang MoU-nya berlaku dan mencakup tes urine di Lapas/Rutan ini.',
  ),
  urine_bnn_officer_records_rounds: fixed(
    'A BNN officer records rounds run by their own unit: set run_by_organisation_id to it.',
    'Petugas BNN mencatat putaran yang dijalankan unitnya sendiri: isi run_by_organisation_id dengan unit itu.',
  ),
  urine_presumptive_positive_confirmed_test: sentence(
    (p) => `Only a presumptive positive is confirmed; this test is ${p.outcome}.`,
    (p) => `Hanya hasil positif sementara yang dikonfirmasi; tes ini ${p.outcome}.`,
  ),
  urine_class_not_screen_positive: sentence(
    (p) => `${p.class} was not positive on the screen.`,
    (p) => `${p.class} tidak positif pada skrining.`,
  ),
  urine_confirmation_cutoff_configured_for: fixed(
    'No confirmation cutoff is configured for this class: give cutoff_ng_ml.',
    'Tidak ada cutoff konfirmasi untuk kelas ini: isi cutoff_ng_ml.',
  ),
  // Results, one field error a row; the problem's detail counts them.
  urine_results_refused: sentence(
    (p) => `${p.count} problem(s) in the results; nothing was recorded.`,
    (p) => `${p.count} masalah pada hasil tes urine; tidak ada yang dicatat.`,
  ),
  urine_result_subjects_only: sentence(
    (p) => `this round tests ${p.subjects} only`,
    (p) => `putaran tes urine ini hanya menguji ${subjectsId(p.subjects)}`,
  ),
  urine_result_collected_off_day: sentence(
    (p) => `collected_at is not on the round's day (${p.day}, facility time)`,
    (p) => `collected_at tidak pada hari putaran (${p.day}, waktu Lapas/Rutan)`,
  ),
  urine_result_collected_in_future: fixed('collected_at lies in the future', 'collected_at berada di masa depan'),
  urine_result_class_off_panel: sentence(
    (p) => `${p.class} is not on this kit's panel`,
    (p) => `${p.class} tidak ada pada panel kit ini`,
  ),
  urine_result_class_twice: fixed('a class is given twice', 'satu kelas diisi dua kali'),
  urine_result_refusal_with_results: fixed('a refusal has no panel results', 'penolakan tidak memiliki hasil panel'),
  urine_result_missing_classes: sentence(
    (p) => `no result for ${p.missing} of the kit's panel`,
    (p) => `tidak ada hasil untuk ${p.missing} dari panel kit`,
  ),
  urine_result_same_person: sentence(
    (p) => `the same person as row ${p.row}`,
    (p) => `orang yang sama dengan baris ${p.row}`,
  ),
  urine_result_same_specimen: sentence(
    (p) => `the same specimen as row ${p.row}`,
    (p) => `spesimen yang sama dengan baris ${p.row}`,
  ),
  urine_result_not_on_register: sentence(
    (p) => `not a current ${p.type} of this facility's register`,
    (p) => `bukan ${p.type === 'inmate' ? 'WBP' : 'petugas'} yang kini terdaftar di Lapas/Rutan ini`,
  ),
  urine_result_already_tested: fixed('already tested in this round', 'sudah dites pada putaran ini'),
  urine_result_specimen_used: fixed(
    'this specimen id is already used in this round',
    'id spesimen ini sudah dipakai pada putaran ini',
  ),
} satisfies Record<string, Sentence>;
