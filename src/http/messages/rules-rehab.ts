// The rules of social rehabilitation: programmes, slots, sessions, enrolments and attendance.
import { endsBeforeStart, fixed, type Sentence, sentence } from './text.ts';

export const rehabRules = {
  rehab_inmate_not_held: fixed('No such inmate at this facility.', 'Tidak ada WBP tersebut di Lapas/Rutan ini.'),
  rehab_inmate_not_held_now: sentence(
    (p) => `The person is ${p.status}.`,
    (p) => `WBP tersebut berstatus ${p.status}.`,
  ),
  rehab_enrolment_reason_required: fixed(
    'Neither a confirmed positive test nor a narcotics_user case type: give the reason for enrolling.',
    'Tidak ada hasil positif terkonfirmasi maupun jenis perkara pengguna narkotika: isi alasan pendaftaran.',
  ),
  rehab_withdrawal_note_required: fixed('Say why the enrolment is withdrawn.', 'Jelaskan alasan pengunduran diri.'),
  rehab_completion_rule_unmet: sentence(
    (p) =>
      `The completion rule is not met: attended ${p.attended} of ${p.held} held sessions (at least ${p.percent}% needed)${p.last ? ', and the last session' : ''}.`,
    (p) =>
      `Syarat kelulusan belum terpenuhi: hadir ${p.attended} dari ${p.held} sesi yang diadakan (minimal ${p.percent}%)${p.last ? ', dan sesi terakhir' : ''}.`,
  ),
  rehab_attendance_before_start: sentence(
    (p) => `The session starts at ${p.starts}: attendance is recorded once it has begun.`,
    (p) => `Sesi dimulai ${p.starts}: kehadiran dicatat setelah sesi dimulai.`,
  ),
  rehab_held_session_not_begun: fixed(
    'A session written up afterwards has begun already; book one still to come as a session.',
    'Sesi yang dicatat kemudian harus sudah dimulai; jadwalkan sesi yang akan datang sebagai sesi biasa.',
  ),
  rehab_held_session_too_old: sentence(
    (p) => `A session held on ${p.earliest} or later may be written up (${p.days} days).`,
    (p) => `Sesi yang diadakan pada ${p.earliest} atau sesudahnya dapat dicatat (${p.days} hari).`,
  ),
  rehab_curriculum_item_unknown: sentence(
    (p) => `The curriculum has ${p.items} items.`,
    (p) => `Kurikulum memiliki ${p.items} materi.`,
  ),
  rehab_mou_not_yours: fixed('No such MoU of your unit.', 'MoU unit Anda tidak ditemukan.'),
  rehab_mou_not_covering: fixed(
    'The MoU must be in force, have rehabilitation in scope and cover the facility.',
    'MoU harus berlaku, mencakup rehabilitasi sosial, dan meliputi Lapas/Rutan ini.',
  ),
  rehab_facility_out_of_reach: fixed(
    'No such facility within your reach.',
    'Lapas/Rutan tidak ditemukan dalam cakupan Anda.',
  ),
  rehab_programme_ends_before_start: endsBeforeStart,
  rehab_programme_outside_mou: sentence(
    (p) => `A programme runs within its MoU (${p.from} to ${p.until}).`,
    (p) => `Program berjalan dalam masa MoU-nya (${p.from} sampai ${p.until}).`,
  ),
  rehab_facilitators_not_of_unit: sentence(
    (p) => `Facilitators are active officers of the MoU's BNN unit; not ${p.strangers}.`,
    (p) => `Fasilitator adalah petugas aktif unit BNN pada MoU; bukan ${p.strangers}.`,
  ),
  rehab_capacity_below_active: sentence(
    (p) => `capacity may not fall below the ${p.active} active enrolments.`,
    (p) => `capacity tidak boleh kurang dari ${p.active} peserta aktif.`,
  ),
  rehab_programme_end_outside: fixed(
    'ends_on lies between the start and the end of the MoU.',
    'ends_on harus di antara awal program dan akhir MoU.',
  ),
  rehab_session_after_new_end: sentence(
    (p) => `Session ${p.session} is scheduled after that date; cancel it first.`,
    (p) => `Sesi ${p.session} terjadwal setelah tanggal itu; batalkan dahulu.`,
  ),
  rehab_session_in_past: fixed(
    'A session is booked for a time still to come.',
    'Sesi dijadwalkan untuk waktu yang akan datang.',
  ),
  rehab_day_outside_programme: sentence(
    (p) => `${p.day} is outside the programme (${p.from} to ${p.until}).`,
    (p) => `${p.day} di luar masa program (${p.from} sampai ${p.until}).`,
  ),
  rehab_mou_not_in_force_on: sentence(
    (p) => `The MoU is not in force on ${p.day}.`,
    (p) => `MoU tidak berlaku pada ${p.day}.`,
  ),
  rehab_room_unknown: sentence(
    (p) => `room must be one of the programme's: ${p.rooms}.`,
    (p) => `room harus salah satu ruangan program: ${p.rooms}.`,
  ),
  rehab_facilitator_unknown: fixed(
    "facilitator_id must be one of the programme's facilitators.",
    'facilitator_id harus salah satu fasilitator program.',
  ),
  rehab_time_does_not_exist: sentence(
    (p) => `${p.time} is not a time that exists.`,
    (p) => `${p.time} bukan waktu yang ada.`,
  ),
  rehab_slot_from_past: fixed(
    'Sessions are not generated for past days.',
    'Sesi tidak dibuat untuk hari yang telah lewat.',
  ),
  rehab_curriculum_full: sentence(
    (p) => `Every item of the curriculum (${p.items}) has a session; send beyond_curriculum: true for more.`,
    (p) => `Setiap materi kurikulum (${p.items}) sudah memiliki sesi; kirim beyond_curriculum: true untuk menambah.`,
  ),
  rehab_slot_no_day: fixed(
    'The slot falls on no day of the programme still to come.',
    'Slot tidak jatuh pada hari program yang akan datang.',
  ),
} satisfies Record<string, Sentence>;
