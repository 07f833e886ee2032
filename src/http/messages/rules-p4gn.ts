// The rules of P4GN beyond the walls: campaigns, coordination meetings (rakor) and KOTAN assessments.
import { fixed, type Sentence, sentence, stillToCome } from './text.ts';

export const p4gnRules = {
  // Campaigns.
  campaign_own_organisation_one_organisers: fixed(
    'Your own organisation must be one of the organisers.',
    'Organisasi Anda sendiri harus menjadi salah satu penyelenggara.',
  ),
  campaign_place_outside_area: fixed(
    "The place is outside your organisation's area.",
    'Tempat kegiatan berada di luar wilayah organisasi Anda.',
  ),
  campaign_facility_id_names_facility_province: fixed(
    'facility_id names no facility in this province and regency.',
    'facility_id tidak merujuk Lapas/Rutan di provinsi dan kabupaten/kota ini.',
  ),
  campaign_mou_with_facility_covering: sentence(
    (p) => `No MoU with the facility covering socialization was in force on ${p.held_on}.`,
    (p) => `Tidak ada MoU dengan Lapas/Rutan ini berlingkup sosialisasi yang berlaku pada ${p.held_on}.`,
  ),
  campaign_held_on_still_come_campaign: fixed(
    'held_on is still to come: a campaign is recorded once held.',
    'held_on belum tiba: sosialisasi dicatat setelah dilaksanakan.',
  ),
  campaign_co_organisers_elsewhere: sentence(
    (p) => `A co-organiser works where the event was held; these do not: ${p.names}.`,
    (p) => `Penyelenggara bersama bekerja di tempat kegiatan; yang berikut tidak: ${p.names}.`,
  ),
  campaign_co_organiser_elsewhere: sentence(
    (p) => `${p.name} does not work in ${p.regency}.`,
    (p) => `${p.name} tidak bekerja di ${p.regency}.`,
  ),
  campaign_inside_needs_party_organiser: fixed(
    "A campaign inside a facility needs among its organisers the facility's Kanwil or a BNN unit whose MoU in force on the day held covers socialization there.",
    'Sosialisasi di dalam Lapas/Rutan memerlukan Kanwil Lapas/Rutan itu atau unit BNN dengan MoU berlingkup sosialisasi yang berlaku pada hari pelaksanaan sebagai penyelenggara.',
  ),
  campaign_inside_recorded_by_party: fixed(
    "A campaign inside a facility is recorded by the facility's Kanwil or by a BNN unit whose MoU in force on the day held covers socialization there.",
    'Sosialisasi di dalam Lapas/Rutan dicatat oleh Kanwil Lapas/Rutan itu atau unit BNN dengan MoU berlingkup sosialisasi yang berlaku pada hari pelaksanaan.',
  ),
  // Coordination meetings and their action items.
  meeting_recorded_by_organiser: fixed(
    'A meeting is recorded by the officers of its organiser.',
    'Rakor dicatat oleh petugas penyelenggaranya.',
  ),
  meeting_place_outside_area: fixed(
    "The place is outside your organisation's area.",
    'Tempat rakor berada di luar wilayah organisasi Anda.',
  ),
  meeting_action_item_due_before: sentence(
    (p) => `An action item is due on ${p.earliest_due}, before the new meeting date.`,
    (p) => `Ada rencana aksi yang jatuh tempo ${p.earliest_due}, sebelum tanggal rakor yang baru.`,
  ),
  meeting_these_organisations_own_action: sentence(
    (p) => `These organisations own action items of the meeting and must stay: ${p.orphaned}.`,
    (p) => `Organisasi ini memiliki rencana aksi rakor dan harus tetap: ${p.orphaned}.`,
  ),
  meeting_due_on_before_meeting: sentence(
    (p) => `due_on is before the meeting (${p.meeting_held_on}).`,
    (p) => `due_on sebelum tanggal rakor (${p.meeting_held_on}).`,
  ),
  meeting_owner_organiser_participant_meeting: fixed(
    'The owner must be the organiser or a participant of the meeting.',
    'Penanggung jawab harus penyelenggara atau peserta rakor.',
  ),
  meeting_owner_reports_status_progress: fixed(
    "The owner reports status and progress; the description, due date and owner are the organiser's to change.",
    'Penanggung jawab melaporkan status dan kemajuan; uraian, tenggat dan penanggung jawab diubah oleh penyelenggara.',
  ),
  meeting_noted_on_still_come: stillToCome('noted_on'),
  meeting_noted_on_before_meeting: fixed('noted_on is before the meeting.', 'noted_on sebelum tanggal rakor.'),
  meeting_item_drop_needs_note: fixed(
    'Dropping an item needs a note saying why.',
    'Membatalkan rencana aksi memerlukan catatan alasannya.',
  ),
  meeting_item_reopen_needs_note: fixed(
    'Reopening an item needs a note saying why.',
    'Membuka kembali rencana aksi memerlukan catatan alasannya.',
  ),
  // KOTAN assessments.
  kotan_year_not_begun: fixed('The year has not begun.', 'Tahun tersebut belum dimulai.'),
  kotan_assessed_on_still_come: stillToCome('assessed_on'),
  kotan_assessed_on_before_year_assessed: fixed(
    'assessed_on is before the year assessed.',
    'assessed_on sebelum tahun yang dinilai.',
  ),
  kotan_name_assessing_organisation: fixed('Name the assessing organisation.', 'Sebutkan organisasi penilai.'),
  kotan_assessment_recorded_by_officers: fixed(
    'An assessment is recorded by the officers of the assessing organisation.',
    'Penilaian dicatat oleh petugas organisasi penilai.',
  ),
  kotan_regency_city_outside_organisation: fixed(
    "The regency or city is outside your organisation's area.",
    'Kabupaten/kota berada di luar wilayah organisasi Anda.',
  ),
} satisfies Record<string, Sentence>;
