// Why a request conflicts with the state of a record (409 conflict's reason), and the other reasons a
// problem's detail names: a CSV file or a multipart body that cannot be read, a token refused.
import { bookedId, statusId, subjectId } from './glossary.ts';
import type { Localized } from './text.ts';

/** A record changed between the read and the write: read it again. */
const changedMeanwhile = (en: string, id: string): Localized => ({
  en: `${en} changed meanwhile; read it again`,
  id: `${id} berubah sementara itu; baca ulang`,
});
/** Where in a CSV file a reading stopped, when it is known. */
const atLine = (line: number | undefined, en: string, id: string): Localized => ({
  en: `${en}${line ? ` at line ${line}` : ''}`,
  id: `${id}${line ? ` pada baris ${line}` : ''}`,
});

/** Why a request conflicts with the state of a record (409 conflict's reason), in both languages. */
export const reasons = {
  report_signed_off: {
    en: 'the report is signed off and frozen; corrections are addenda',
    id: 'laporan sidak sudah disahkan dan dibekukan; koreksi melalui adendum',
  },
  report_submitted: {
    en: 'the report is submitted; only sign-off remains',
    id: 'laporan sidak sudah diajukan; tinggal pengesahan oleh Karutan/Kalapas',
  },
  report_not_submitted: {
    en: 'the report must be submitted first',
    id: 'laporan sidak harus diajukan terlebih dahulu',
  },
  report_already_signed_off: { en: 'the report is already signed off', id: 'laporan sidak sudah disahkan' },
  report_changed: changedMeanwhile('the report', 'laporan sidak'),
  evidence_on_draft: {
    en: 'evidence is attached while the report is a draft',
    id: 'bukti hanya dapat dilampirkan selama laporan sidak masih draf',
  },
  action_verified: {
    en: 'a verified action is final',
    id: 'tindakan korektif yang sudah diverifikasi bersifat final',
  },
  addenda_for_signed_off: {
    en: 'addenda are for signed-off reports; a draft is edited directly',
    id: 'adendum hanya untuk laporan yang sudah disahkan; draf diubah langsung',
  },
  mou_changed: changedMeanwhile('the MoU', 'MoU'),
  mou_already_terminated: { en: 'the MoU is already terminated', id: 'MoU sudah diakhiri' },
  mou_terminated: { en: 'the MoU is terminated', id: 'MoU sudah diakhiri' },
  record_changed: changedMeanwhile('the record', 'data'),
  regional_government_exists: {
    en: 'this area already has its regional government',
    id: 'wilayah ini sudah memiliki pemerintah daerahnya',
  },
  kanwil_exists: { en: 'this province already has a Kanwil', id: 'provinsi ini sudah memiliki Kanwil' },
  sessions_overlap: {
    en: 'two of the new sessions overlap in a room or for a facilitator',
    id: 'dua sesi baru bertabrakan di satu ruang atau pada satu fasilitator',
  },
  session_cancelled: { en: 'the session is cancelled', id: 'sesi rehabilitasi sosial sudah dibatalkan' },
  session_held: {
    en: 'the session is held: its attendance is recorded',
    id: 'sesi sudah berlangsung: kehadirannya sudah dicatat',
  },
  concurrent_booking: { en: 'a concurrent booking', id: 'pemesanan lain pada saat yang sama' },
  record_frozen: { en: 'the record is frozen or append-only', id: 'data ini dibekukan atau hanya dapat ditambah' },
  time_booked: { en: 'the time is already booked', id: 'waktu ini sudah terpakai' },
  concurrent_change: { en: 'a concurrent change; retry', id: 'ada perubahan bersamaan; coba lagi' },
  // Why a CSV file cannot be imported (invalid_csv).
  csv_not_utf8: { en: 'the file is not UTF-8 text', id: 'berkas bukan teks UTF-8' },
  csv_no_header: { en: 'the file has no header row', id: 'berkas tidak memiliki baris header' },
  // Why a token or credentials are refused (invalid_grant, unauthenticated).
  wrong_credentials: {
    en: 'wrong username or password, or the account is disabled',
    id: 'nama pengguna atau kata sandi salah, atau akun dinonaktifkan',
  },
  malformed_refresh_token: { en: 'malformed refresh token', id: 'refresh token rusak' },
  unknown_refresh_token: { en: 'unknown refresh token', id: 'refresh token tidak dikenal' },
  refresh_token_revoked: { en: 'refresh token revoked', id: 'refresh token sudah dicabut' },
  refresh_token_reused: {
    en: 'refresh token already used; its family is revoked',
    id: 'refresh token sudah pernah dipakai; seluruh rangkaiannya dicabut',
  },
  refresh_token_expired: { en: 'refresh token expired', id: 'refresh token kedaluwarsa' },
  account_disabled: { en: 'account disabled', id: 'akun dinonaktifkan' },
  no_bearer_token: { en: 'no bearer token', id: 'tidak ada token bearer' },
  unknown_signing_key: { en: 'unknown signing key', id: 'kunci penanda tangan tidak dikenal' },
  token_expired: { en: 'token expired', id: 'token kedaluwarsa' },
  token_not_valid: { en: 'token not valid', id: 'token tidak sah' },
  token_lacks_claims: { en: 'token lacks subject or role', id: 'token tidak memuat subjek atau peran' },
  // Why a multipart/form-data body cannot be read (malformed_multipart).
  multipart_no_boundary: {
    en: 'the Content-Type names no boundary',
    id: 'Content-Type tidak menyebutkan boundary',
  },
  multipart_ends_early: {
    en: 'it ends before its closing boundary',
    id: 'isinya berakhir sebelum boundary penutup',
  },
  multipart_bad_boundary: { en: 'the boundary is not a valid one', id: 'boundary-nya tidak sah' },
  multipart_client_left: {
    en: 'the client left before the end of the body',
    id: 'klien memutus sambungan sebelum isi selesai dikirim',
  },
  certificates_issued: {
    en: 'certificates are issued: the topic, dates and hours they attest are fixed',
    id: 'sertifikat sudah diterbitkan: topik, tanggal dan jam yang dinyatakannya tidak dapat diubah',
  },
} satisfies Record<string, Localized>;

/** Conflict reasons that name values of the record, in both languages. */
export const reasonOf = {
  case_status: (status: string): Localized => ({
    en: `the case is ${status}`,
    id: `kasus tindak lanjut ${statusId(status)}`,
  }),
  person_closed: (status: string): Localized => ({
    en: `the person is ${status}; their record is closed`,
    id: `WBP ${statusId(status)}; datanya sudah ditutup`,
  }),
  person_already: (status: string): Localized => ({
    en: `the person is already ${status}`,
    id: `WBP ${statusId(status)}`,
  }),
  round_has_draw: (subjectType: string): Localized => ({
    en: `this round already has a draw of ${subjectType}s`,
    id: `putaran tes urine ini sudah memiliki undian ${subjectId(subjectType)}`,
  }),
  draw_status: (status: string): Localized => ({
    en: `this person is ${status} in the draw`,
    id: `orang ini berstatus ${statusId(status)} dalam undian`,
  }),
  class_confirmed: (drugClass: string): Localized => ({
    en: `${drugClass} of this test is already confirmed`,
    id: `${drugClass} pada tes urine ini sudah dikonfirmasi`,
  }),
  enrolment_move: (from: string, to: string): Localized => ({
    en: `an enrolment ${from} cannot become ${to}`,
    id: `peserta rehabilitasi sosial berstatus ${statusId(from)} tidak dapat menjadi ${statusId(to)}`,
  }),
  programme_full: (capacity: number): Localized => ({
    en: `the programme is full (${capacity} active enrolments); enrol as awaiting`,
    id: `program rehabilitasi sosial sudah penuh (${capacity} peserta aktif); daftarkan dengan status awaiting`,
  }),
  booked: (kind: string, sessionId: string, at: string): Localized => ({
    en: `the ${kind} is booked by session ${sessionId} at ${at}`,
    id: `${bookedId(kind)} sudah terpakai oleh sesi ${sessionId} pada ${at}`,
  }),
  training_full: (capacity: number, taken: number, more: number): Localized => ({
    en: `the training has ${capacity} places, ${taken} taken; ${more} more do not fit`,
    id: `pelatihan petugas berkapasitas ${capacity} tempat, ${taken} terisi; ${more} peserta lagi tidak muat`,
  }),
  certificate_issued: (number: string): Localized => ({
    en: `certificate ${number} is issued; the record is final`,
    id: `sertifikat ${number} sudah diterbitkan; data ini bersifat final`,
  }),
  scope_not_granted: (scopes: string): Localized => ({
    en: `scope not granted to this client: ${scopes}`,
    id: `scope tidak diberikan kepada klien ini: ${scopes}`,
  }),
  csv_missing_columns: (columns: string): Localized => ({
    en: `missing columns: ${columns}`,
    id: `kolom yang tidak ada: ${columns}`,
  }),
  csv_quote_open: (line?: number) =>
    atLine(line, 'a quoted field never closes', 'ada field bertanda kutip yang tidak ditutup'),
  csv_unreadable: (line?: number) =>
    atLine(line, 'the file cannot be read as CSV', 'berkas tidak dapat dibaca sebagai CSV'),
  kotan_exists: (regency: string, year: number, id?: string): Localized => ({
    en: id ? `${regency} already has its ${year} assessment (${id})` : `${regency} already has its ${year} assessment`,
    id: id
      ? `${regency} sudah memiliki penilaian KOTAN tahun ${year} (${id})`
      : `${regency} sudah memiliki penilaian KOTAN tahun ${year}`,
  }),
};
