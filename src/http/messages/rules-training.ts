// The rules of officer training: trainings, their participants, attendance and certificates.
import { endsBeforeStart, fixed, type Sentence, sentence } from './text.ts';

export const trainingRules = {
  // Trainings.
  training_bnn_unit_s_trainings: fixed(
    "A BNN unit's trainings are recorded by its own officers; facility staff record their facility's and the Kanwil's.",
    'Pelatihan unit BNN dicatat oleh petugasnya sendiri; staf Lapas/Rutan mencatat pelatihan Lapas/Rutannya dan Kanwil.',
  ),
  training_facility_out_of_reach: sentence(
    (p) => `No such facility within your reach: ${p.missing}.`,
    (p) => `Lapas/Rutan tidak ditemukan dalam cakupan Anda: ${p.missing}.`,
  ),
  training_facility_organises_trainings_for: fixed(
    'A facility organises trainings for its own officers: organiser_id must be one of facility_ids.',
    'Lapas/Rutan menyelenggarakan pelatihan bagi petugasnya sendiri: organiser_id harus salah satu facility_ids.',
  ),
  training_organiser_id_kanwil_every_facility: fixed(
    'organiser_id must be the Kanwil of every facility taking part.',
    'organiser_id harus Kanwil dari setiap Lapas/Rutan peserta.',
  ),
  training_bnn_unit_mou_force: sentence(
    (p) => `The BNN unit has no MoU in force with training in scope for: ${p.outside}.`,
    (p) => `Unit BNN tidak memiliki MoU berlaku dengan lingkup pelatihan untuk: ${p.outside}.`,
  ),
  training_ends_on_before_starts_on: endsBeforeStart,
  training_facilities_within_reach_taken: fixed(
    'Only facilities within your reach may be taken out of a training.',
    'Hanya Lapas/Rutan dalam cakupan Anda yang dapat dikeluarkan dari pelatihan.',
  ),
  training_capacity_fall_below_participants: sentence(
    (p) => `capacity may not fall below the ${p.participants} participants already added.`,
    (p) => `capacity tidak boleh kurang dari ${p.participants} peserta yang sudah ada.`,
  ),
  training_new_dates_would_leave: fixed(
    'The new dates would leave recorded attendance outside the training.',
    'Tanggal baru membuat kehadiran yang tercatat berada di luar pelatihan.',
  ),
  training_hours_fall_below_hours: fixed(
    'hours may not fall below the hours a participant is recorded to have attended.',
    'hours tidak boleh kurang dari jam kehadiran yang sudah tercatat.',
  ),
  training_facility_whose_officers_already: fixed(
    'A facility whose officers already take part cannot be removed.',
    'Lapas/Rutan yang petugasnya sudah menjadi peserta tidak dapat dihapus.',
  ),
  training_pass_mark_cannot_change_once: fixed(
    'pass_mark cannot change once post-test scores are recorded.',
    'pass_mark tidak dapat diubah setelah nilai post-test dicatat.',
  ),
  training_not_started: sentence(
    (p) => `The training starts on ${p.starts_on}: nothing is recorded before it starts.`,
    (p) => `Pelatihan dimulai ${p.starts_on}: belum ada yang dapat dicatat sebelum dimulai.`,
  ),
  training_give_attendance_per_day: fixed(
    'Give attendance per day or in total hours, not both.',
    'Isi kehadiran per hari atau total jam, tidak keduanya.',
  ),
  training_day_before_start: sentence(
    (p) => `${p.day} is before the training starts.`,
    (p) => `${p.day} sebelum pelatihan dimulai.`,
  ),
  training_day_after_end: sentence(
    (p) => `${p.day} is after the training ends.`,
    (p) => `${p.day} setelah pelatihan berakhir.`,
  ),
  training_day_in_future: sentence(
    (p) => `${p.day} has not come yet.`,
    (p) => `${p.day} belum tiba.`,
  ),
  training_attended_hours_exceeds_training_s: sentence(
    (p) => `attended_hours exceeds the training's ${p.hours} hours.`,
    (p) => `attended_hours melebihi ${p.hours} jam pelatihan.`,
  ),
  training_participant_who_passed_post: sentence(
    (p) => `Only a participant who passed (post-test at least ${p.pass_mark}) gets a certificate.`,
    (p) => `Hanya peserta yang lulus (post-test minimal ${p.pass_mark}) yang mendapat sertifikat.`,
  ),
  // Adding participants, one field error an officer.
  training_participants_refused: sentence(
    (p) => `${p.count} officer(s) cannot take part; nobody was added.`,
    (p) => `${p.count} petugas tidak dapat menjadi peserta; tidak ada yang ditambahkan.`,
  ),
  training_participant_not_taking_part: fixed(
    'not an officer of a facility taking part in this training',
    'bukan petugas Lapas/Rutan peserta pelatihan ini',
  ),
  training_participant_not_in_service: fixed('not in service during the training', 'tidak bertugas selama pelatihan'),
  training_participant_already: fixed('already a participant', 'sudah menjadi peserta'),
} satisfies Record<string, Sentence>;
