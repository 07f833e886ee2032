// The rules of the records the rest hang on: accounts, organisations, facilities and their MoUs, the
// WBP register, and the scorecards.
import { fixed, namesNoOrganisation, type Sentence, sentence } from './text.ts';

export const organisationRules = {
  // Accounts.
  account_not_staff_role: fixed('Not a staff role.', 'Bukan peran staf.'),
  account_organisation_id_names_organisation: namesNoOrganisation('organisation_id'),
  // Organisations.
  organisation_unknown: sentence(
    (p) => `No such organisation: ${p.missing}.`,
    (p) => `Organisasi tidak ditemukan: ${p.missing}.`,
  ),
  organisation_bnn_level_required: fixed('A BNN unit needs bnn_level.', 'Unit BNN memerlukan bnn_level.'),
  organisation_bnn_level_only_bnn: fixed('Only a BNN unit has bnn_level.', 'Hanya unit BNN yang memiliki bnn_level.'),
  organisation_kanwil_bnnp_bnnk_regional: fixed(
    'A Kanwil, BNNP, BNNK or regional government needs province_code.',
    'Kanwil, BNNP, BNNK atau pemerintah daerah memerlukan province_code.',
  ),
  organisation_bnnk_regency_city: fixed('A BNNK needs its regency or city.', 'BNNK memerlukan kabupaten/kotanya.'),
  organisation_parent_id_names_organisation: namesNoOrganisation('parent_id'),
  // Facilities.
  facility_time_zone_of_province: sentence(
    (p) => `${p.timezone} is not the time zone of this province (${p.zone}).`,
    (p) => `${p.timezone} bukan zona waktu provinsi ini (${p.zone}).`,
  ),
  facility_kanwil_of_province: fixed(
    "kanwil_id must be the Kanwil of the facility's province, and that Kanwil must exist.",
    'kanwil_id harus Kanwil provinsi tempat Lapas/Rutan berada, dan Kanwil itu harus sudah ada.',
  ),
  // MoUs.
  mou_signature_by_admin: fixed(
    "An MoU's signature, and the terms of a signed MoU, are recorded by an administrator.",
    'Tanda tangan MoU, dan isi MoU yang sudah ditandatangani, dicatat oleh administrator.',
  ),
  mou_valid_until_after_valid_from: fixed(
    'valid_until must be after valid_from.',
    'valid_until harus setelah valid_from.',
  ),
  mou_bnn_unit_id_name_bnn_unit: fixed('bnn_unit_id must name a BNN unit.', 'bnn_unit_id harus merujuk unit BNN.'),
  mou_facility_unknown: sentence(
    (p) => `No such facility: ${p.missing}.`,
    (p) => `Lapas/Rutan tidak ditemukan: ${p.missing}.`,
  ),
  mou_sign_for_facilities_own: sentence(
    (p) => `${p.name} may only sign for facilities in its own regency or province; not for ${p.names}.`,
    (p) =>
      `${p.name} hanya dapat bekerja sama dengan Lapas/Rutan di kabupaten/kota atau provinsinya sendiri; bukan ${p.names}.`,
  ),
  mou_you_record_agreements_own: fixed(
    'You may only record agreements of your own BNN unit.',
    'Anda hanya dapat mencatat kerja sama unit BNN Anda sendiri.',
  ),
  // The WBP register.
  inmate_transfer_target_out_of_reach: fixed(
    'to_facility_id is not a facility you may transfer to.',
    'to_facility_id bukan Lapas/Rutan tujuan pemindahan yang dapat Anda jangkau.',
  ),
  inmate_person_already_held_at: fixed(
    'The person is already held at that facility.',
    'Orang tersebut sudah berada di Lapas/Rutan itu.',
  ),
  inmate_transferred_on_fall_within_current: fixed(
    'transferred_on must fall within the current stay and not in the future.',
    'transferred_on harus dalam masa penahanan saat ini dan tidak di masa depan.',
  ),
  // Scorecards.
  scorecard_period_not_ended: sentence(
    (p) => `The period ${p.code} has not ended yet.`,
    (p) => `Periode ${p.code} belum berakhir.`,
  ),
} satisfies Record<string, Sentence>;
