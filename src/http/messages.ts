// The catalogue of every sentence a client may be shown: problem titles and details, rule refusals
// and field errors, each in English and Indonesian (Indonesian with the glossary's words, DOMAIN.md).
// A code is stable: clients may rely on it. Texts may change; codes may not.
import type { z } from 'zod';

export type Locale = 'en' | 'id';
type Params = Record<string, unknown>;
/** A sentence in both languages, chosen when the answer is written. */
export interface Localized {
  en: string;
  id: string;
}
interface Message {
  title: Localized;
  en: (p: Params) => string;
  id: (p: Params) => string;
}

const isLocalized = (v: unknown): v is Localized =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Localized).en === 'string' &&
  typeof (v as Localized).id === 'string';

/** A parameter in the caller's language: a Localized pair is picked from, anything else is shown as given. */
export const inLocale = (v: unknown, locale: Locale): string => (isLocalized(v) ? v[locale] : String(v));

const m = (title: [string, string], en: Message['en'], id: Message['id']): Message => ({
  title: { en: title[0], id: title[1] },
  en,
  id,
});

/** What a 404 names, in Indonesian with the glossary's terms. */
export const ENTITIES = {
  'API client': 'klien API',
  'KOTAN assessment': 'penilaian KOTAN',
  MoU: 'MoU (nota kesepahaman)',
  'action item': 'rencana aksi rakor',
  addendum: 'adendum',
  campaign: 'kegiatan P4GN',
  'closed scorecard': 'rapor kepatuhan yang sudah ditutup',
  'coordination meeting': 'rakor (rapat koordinasi)',
  'corrective action': 'tindakan korektif',
  'custody entry': 'catatan penahanan',
  evidence: 'bukti',
  facility: 'Lapas/Rutan',
  file: 'berkas',
  finding: 'temuan',
  'follow-up case': 'kasus tindak lanjut (asesmen)',
  inmate: 'WBP',
  inspection: 'sidak (inspeksi mendadak)',
  officer: 'petugas',
  organisation: 'organisasi',
  'rehab enrolment': 'peserta rehabilitasi sosial',
  'rehab programme': 'program rehabilitasi sosial',
  'rehab session': 'sesi rehabilitasi sosial',
  'training participant': 'peserta pelatihan petugas',
  training: 'pelatihan petugas',
  'urine test round': 'putaran tes urine',
  'urine test': 'tes urine',
  user: 'pengguna',
} as const satisfies Record<string, string>;
export type Entity = keyof typeof ENTITIES;

export const messages = {
  validation_failed: m(
    ['Invalid request', 'Permintaan tidak sah'],
    () => 'The request does not match what this endpoint accepts; see errors.',
    () => 'Permintaan tidak sesuai dengan yang diterima endpoint ini; lihat errors.',
  ),
  malformed_json: m(
    ['Malformed JSON', 'JSON rusak'],
    () => 'The request body is not valid JSON.',
    () => 'Isi permintaan bukan JSON yang sah.',
  ),
  json_too_deep: m(
    ['JSON nested too deeply', 'JSON bersarang terlalu dalam'],
    (p) => `The JSON body nests arrays and objects deeper than ${p.limit} levels.`,
    (p) => `Isi JSON bersarang (array dan objek) lebih dari ${p.limit} tingkat.`,
  ),
  malformed_url: m(
    ['Malformed URL', 'URL rusak'],
    () => 'The URL is not valid percent-encoded UTF-8.',
    () => 'URL bukan UTF-8 dengan percent-encoding yang sah.',
  ),
  uri_too_long: m(
    ['URI too long', 'URI terlalu panjang'],
    (p) => `A segment of the path is longer than ${p.limit} characters.`,
    (p) => `Salah satu segmen path lebih panjang dari ${p.limit} karakter.`,
  ),
  headers_too_large: m(
    ['Request headers too large', 'Header permintaan terlalu besar'],
    (p) => `The request line and headers are larger than the limit of ${p.limit} bytes.`,
    (p) => `Baris permintaan dan header melebihi batas ${p.limit} byte.`,
  ),
  malformed_request: m(
    ['Malformed request', 'Permintaan rusak'],
    (p) => `The request is not valid HTTP: ${p.reason}.`,
    (p) => `Permintaan bukan HTTP yang sah: ${p.reason_id}.`,
  ),
  request_timeout: m(
    ['Request timeout', 'Waktu permintaan habis'],
    () => 'The request did not arrive whole in time; nothing was changed.',
    () => 'Permintaan tidak tiba utuh tepat waktu; tidak ada yang diubah.',
  ),
  body_too_large: m(
    ['Request body too large', 'Isi permintaan terlalu besar'],
    (p) => `The request body is larger than the limit of ${p.limit} bytes.`,
    (p) => `Isi permintaan melebihi batas ${p.limit} byte.`,
  ),
  too_many_parts: m(
    ['Too many parts', 'Terlalu banyak bagian'],
    () => 'An upload carries one file and a few fields; this one has more.',
    () => 'Unggahan berisi satu berkas dan beberapa field; yang ini lebih.',
  ),
  malformed_multipart: m(
    ['Malformed multipart body', 'Isi multipart rusak'],
    (p) => `The multipart/form-data body cannot be read: ${inLocale(p.reason, 'en')}. Nothing was stored.`,
    (p) => `Isi multipart/form-data tidak dapat dibaca: ${inLocale(p.reason, 'id')}. Tidak ada yang disimpan.`,
  ),
  unsupported_media_type: m(
    ['Unsupported media type', 'Tipe media tidak didukung'],
    (p) =>
      `Content type ${inLocale(p.type, 'en')} is not accepted here; send ${inLocale(p.accepts ?? 'application/json', 'en')}.`,
    (p) =>
      `Tipe konten ${inLocale(p.type, 'id')} tidak diterima di sini; kirim ${inLocale(p.accepts ?? 'application/json', 'id')}.`,
  ),
  unauthenticated: m(
    ['Authentication required', 'Autentikasi diperlukan'],
    (p) => `A valid bearer token is required (${inLocale(p.reason, 'en')}).`,
    (p) => `Token bearer yang sah diperlukan (${inLocale(p.reason, 'id')}).`,
  ),
  forbidden: m(
    ['Not allowed', 'Tidak diizinkan'],
    () => 'Your role may not perform this action.',
    () => 'Peran Anda tidak diizinkan melakukan tindakan ini.',
  ),
  not_found: m(
    ['Not found', 'Tidak ditemukan'],
    (p) => `No ${p.entity} with this id exists, or it is outside what you may see.`,
    (p) =>
      `Tidak ada ${ENTITIES[p.entity as Entity] ?? p.entity} dengan id ini, atau berada di luar cakupan akses Anda.`,
  ),
  route_not_found: m(
    ['Not found', 'Tidak ditemukan'],
    (p) => `There is no endpoint ${p.method} ${p.path}.`,
    (p) => `Tidak ada endpoint ${p.method} ${p.path}.`,
  ),
  method_not_allowed: m(
    ['Method not allowed', 'Metode tidak diizinkan'],
    (p) => `${p.method} is not allowed here.`,
    (p) => `${p.method} tidak diizinkan di sini.`,
  ),
  already_exists: m(
    ['Already exists', 'Sudah ada'],
    (p) => `A record with the same ${p.field} already exists.`,
    (p) => `Data dengan ${p.field} yang sama sudah ada.`,
  ),
  conflict: m(
    ['Conflict', 'Konflik'],
    (p) => `The request conflicts with the current state: ${inLocale(p.reason, 'en')}.`,
    (p) => `Permintaan bertentangan dengan keadaan saat ini: ${inLocale(p.reason, 'id')}.`,
  ),
  precondition_required: m(
    ['Precondition required', 'Prasyarat diperlukan'],
    () => 'Send If-Match with the ETag you last read, so that a concurrent change is not overwritten.',
    () => 'Kirim If-Match berisi ETag terakhir yang Anda baca, agar perubahan bersamaan tidak tertimpa.',
  ),
  precondition_failed: m(
    ['Precondition failed', 'Prasyarat tidak terpenuhi'],
    (p) => `The record has changed since you read it (now version ${p.current}); read it again.`,
    (p) => `Data telah berubah sejak Anda membacanya (kini versi ${p.current}); baca ulang.`,
  ),
  idempotency_key_invalid: m(
    ['Invalid Idempotency-Key', 'Idempotency-Key tidak sah'],
    () => 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
    () => 'Idempotency-Key harus 1 sampai 255 karakter ASCII yang terlihat.',
  ),
  idempotency_key_required: m(
    ['Idempotency-Key required', 'Idempotency-Key diperlukan'],
    () => 'This endpoint requires an Idempotency-Key header so that retries are safe.',
    () => 'Endpoint ini memerlukan header Idempotency-Key agar pengulangan aman.',
  ),
  idempotency_key_reused: m(
    ['Idempotency-Key reused', 'Idempotency-Key dipakai ulang'],
    () => 'This Idempotency-Key was already used with a different request.',
    () => 'Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.',
  ),
  idempotency_in_flight: m(
    ['Request in progress', 'Permintaan sedang diproses'],
    () => 'A request with this Idempotency-Key is still being processed; retry shortly.',
    () => 'Permintaan dengan Idempotency-Key ini masih diproses; coba lagi sebentar lagi.',
  ),
  invalid_cursor: m(
    ['Invalid cursor', 'Cursor tidak sah'],
    () => 'The cursor is not one this service issued.',
    () => 'Cursor tidak berasal dari layanan ini.',
  ),
  invalid_csv: m(
    ['Unreadable CSV', 'CSV tidak terbaca'],
    (p) => `The CSV file cannot be imported: ${inLocale(p.reason, 'en')}.`,
    (p) => `Berkas CSV tidak dapat diimpor: ${inLocale(p.reason, 'id')}.`,
  ),
  import_rejected: m(
    ['Import rejected', 'Impor ditolak'],
    (p) => `${p.count} row(s) were rejected and atomic=true was asked, so nothing was written; see errors.`,
    (p) => `${p.count} baris ditolak dan atomic=true diminta, sehingga tidak ada yang ditulis; lihat errors.`,
  ),
  rule_violated: m(
    ['Rule violated', 'Aturan dilanggar'],
    (p) => ruleText(p, 'en'),
    (p) => ruleText(p, 'id'),
  ),
  invalid_grant: m(
    ['Invalid grant', 'Grant tidak sah'],
    (p) => `The credentials or token were not accepted (${inLocale(p.reason, 'en')}).`,
    (p) => `Kredensial atau token tidak diterima (${inLocale(p.reason, 'id')}).`,
  ),
  invalid_client: m(
    ['Invalid client', 'Klien tidak sah'],
    () => 'The client id or secret was not accepted.',
    () => 'Client id atau secret tidak diterima.',
  ),
  too_many_requests: m(
    ['Too many requests', 'Terlalu banyak permintaan'],
    (p) => `Too many requests; retry after ${p.after}.`,
    (p) => `Terlalu banyak permintaan; coba lagi setelah ${p.seconds} detik.`,
  ),
  sign_in_throttled: m(
    ['Too many failed sign-ins', 'Terlalu banyak percobaan masuk yang gagal'],
    (p) => `Too many failed attempts for this account or client; retry after ${p.seconds} seconds.`,
    (p) => `Terlalu banyak percobaan gagal untuk akun atau klien ini; coba lagi setelah ${p.seconds} detik.`,
  ),
  issuer_unavailable: m(
    ['Token issuer unavailable', 'Penerbit token tidak tersedia'],
    () => 'The keys of the token issuer cannot be fetched right now, so the token cannot be checked. Retry later.',
    () => 'Kunci penerbit token sedang tidak dapat diambil, sehingga token belum dapat diperiksa. Coba lagi nanti.',
  ),
  database_unavailable: m(
    ['Service unavailable', 'Layanan tidak tersedia'],
    () => 'The database cannot be reached right now; nothing was changed. Retry later.',
    () => 'Basis data sedang tidak dapat dijangkau; tidak ada yang diubah. Coba lagi nanti.',
  ),
  overloaded: m(
    ['Service overloaded', 'Layanan kelebihan beban'],
    () => 'The service is too busy to answer now; nothing was changed. Retry later.',
    () => 'Layanan sedang terlalu sibuk; tidak ada yang diubah. Coba lagi nanti.',
  ),
  internal_error: m(
    ['Internal error', 'Kesalahan internal'],
    () => 'Something went wrong on our side; nothing was changed. The request id identifies it in our logs.',
    () => 'Terjadi kesalahan di sisi kami; tidak ada yang diubah. Id permintaan menandainya di log kami.',
  ),
} satisfies Record<string, Message>;

export type ProblemCode = keyof typeof messages;

const entity = (v: unknown) => ENTITIES[v as Entity] ?? String(v);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

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
  report_changed: {
    en: 'the report changed meanwhile; read it again',
    id: 'laporan sidak berubah sementara itu; baca ulang',
  },
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
  mou_changed: { en: 'the MoU changed meanwhile; read it again', id: 'MoU berubah sementara itu; baca ulang' },
  mou_already_terminated: { en: 'the MoU is already terminated', id: 'MoU sudah diakhiri' },
  mou_terminated: { en: 'the MoU is terminated', id: 'MoU sudah diakhiri' },
  record_changed: { en: 'the record changed meanwhile; read it again', id: 'data berubah sementara itu; baca ulang' },
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

/** Indonesian words for the record statuses a conflict names (the API keeps its English codes). */
const STATUS_ID: Record<string, string> = {
  // WBP
  detained: 'ditahan',
  sentenced: 'berstatus narapidana',
  released: 'sudah bebas',
  transferred: 'sudah dipindahkan',
  deceased: 'sudah meninggal dunia',
  // Follow-up cases (asesmen)
  awaiting_assessment: 'menunggu asesmen TAT',
  assessed: 'sudah diases',
  decided: 'sudah diputuskan',
  closed: 'sudah ditutup',
  // Draws of a tes urine round
  selected: 'terpilih',
  standby: 'cadangan',
  tested: 'sudah dites',
  not_tested: 'tidak dites',
  // Enrolments in rehabilitasi sosial
  awaiting: 'menunggu',
  active: 'aktif',
  completed: 'selesai',
  withdrawn: 'mengundurkan diri',
};
const statusId = (status: unknown) => STATUS_ID[String(status)] ?? String(status);
const SUBJECTS_ID: Record<string, string> = { inmate: 'WBP', officer: 'petugas' };
/** What a booking clash names: a room, a facilitator or a WBP. */
const BOOKED_ID: Record<string, string> = { room: 'ruang', facilitator: 'fasilitator', inmate: 'WBP' };
const bookedId = (kind: string) => {
  const [first = '', ...rest] = kind.split(' ');
  return [BOOKED_ID[first] ?? first, ...rest].join(' ');
};

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
    id: `putaran tes urine ini sudah memiliki undian ${SUBJECTS_ID[subjectType] ?? subjectType}`,
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
  csv_quote_open: (line?: number): Localized => ({
    en: `a quoted field never closes${line ? ` at line ${line}` : ''}`,
    id: `ada field bertanda kutip yang tidak ditutup${line ? ` pada baris ${line}` : ''}`,
  }),
  csv_unreadable: (line?: number): Localized => ({
    en: `the file cannot be read as CSV${line ? ` at line ${line}` : ''}`,
    id: `berkas tidak dapat dibaca sebagai CSV${line ? ` pada baris ${line}` : ''}`,
  }),
  kotan_exists: (regency: string, year: number, id?: string): Localized => ({
    en: id ? `${regency} already has its ${year} assessment (${id})` : `${regency} already has its ${year} assessment`,
    id: id
      ? `${regency} sudah memiliki penilaian KOTAN tahun ${year} (${id})`
      : `${regency} sudah memiliki penilaian KOTAN tahun ${year}`,
  }),
};

interface Sentence {
  en: (p: Params) => string;
  id: (p: Params) => string;
}
const t = (en: Sentence['en'], id: Sentence['id']): Sentence => ({ en, id });

/**
 * The domain rules a request may break (answered 422 rule_violated, the code clients see), by name.
 * A rule refusal without a name carries its own pair (params en and id); new refusals take a name.
 */
export const rules = {
  // Sidak (inspections), their findings, evidence, corrective actions and addenda.
  inspection_times_invalid: t(
    () => 'started_at and ended_at must be real times.',
    () => 'started_at dan ended_at harus waktu yang sah.',
  ),
  inspection_ends_before_start: t(
    () => 'ended_at must be after started_at.',
    () => 'ended_at harus setelah started_at.',
  ),
  inspection_starts_in_future: t(
    () => 'started_at lies in the future.',
    () => 'started_at berada di masa depan.',
  ),
  inspection_lead_unknown: t(
    () => 'lead_organisation_id names no organisation.',
    () => 'lead_organisation_id tidak merujuk organisasi mana pun.',
  ),
  inspection_unknown_person_with_id: t(
    () => 'An unknown person has no id.',
    () => 'Orang tak dikenal tidak memiliki id.',
  ),
  inspection_person_needs_id: t(
    (p) => `A ${p.type} needs an id.`,
    (p) => `${capital(entity(p.type))} memerlukan id.`,
  ),
  inspection_person_elsewhere: t(
    (p) => `people/${p.index} is not a ${p.type} of the inspected facility.`,
    (p) => `people/${p.index} bukan ${entity(p.type)} dari Lapas/Rutan yang disidak.`,
  ),
  evidence_seal_number_required: t(
    () => 'A seized item needs its seal number.',
    () => 'Barang sitaan memerlukan nomor segel.',
  ),
  evidence_file_required: t(
    (p) => `A ${p.kind} needs its file (multipart).`,
    (p) => `Bukti ${p.kind} memerlukan berkasnya (multipart).`,
  ),
  evidence_handed_at_outside: t(
    () => 'handed_at must fall between the start of the inspection and now.',
    () => 'handed_at harus di antara awal sidak dan saat ini.',
  ),
  action_due_before_inspection: t(
    () => 'due_date is before the inspection.',
    () => 'due_date sebelum tanggal sidak.',
  ),
  action_finding_elsewhere: t(
    () => 'finding_id is not a finding of this inspection.',
    () => 'finding_id bukan temuan sidak ini.',
  ),
  action_owner_organisation_unknown: t(
    () => 'owner_organisation_id names no organisation.',
    () => 'owner_organisation_id tidak merujuk organisasi mana pun.',
  ),
  action_owner_officer_elsewhere: t(
    () => 'owner_officer_id is not an officer of this facility.',
    () => 'owner_officer_id bukan petugas Lapas/Rutan ini.',
  ),
  action_transition: t(
    (p) => `An action cannot go from ${p.from} to ${p.to}.`,
    (p) => `Tindakan korektif tidak dapat berpindah dari ${p.from} ke ${p.to}.`,
  ),
  action_closing_comment_required: t(
    () => 'Closing an action needs a closing_comment.',
    () => 'Menutup tindakan korektif memerlukan closing_comment.',
  ),
  addendum_corrects_elsewhere: t(
    () => 'corrects_id is not part of this report.',
    () => 'corrects_id bukan bagian dari laporan sidak ini.',
  ),
  // The other modules' rules, by module.
  account_not_staff_role: t(
    () => 'Not a staff role.',
    () => 'Bukan peran staf.',
  ),
  account_organisation_id_names_organisation: t(
    () => 'organisation_id names no organisation.',
    () => 'organisation_id tidak merujuk organisasi mana pun.',
  ),
  campaign_own_organisation_one_organisers: t(
    () => 'Your own organisation must be one of the organisers.',
    () => 'Organisasi Anda sendiri harus menjadi salah satu penyelenggara.',
  ),
  campaign_place_outside_area: t(
    () => "The place is outside your organisation's area.",
    () => 'Tempat kegiatan berada di luar wilayah organisasi Anda.',
  ),
  campaign_facility_id_names_facility_province: t(
    () => 'facility_id names no facility in this province and regency.',
    () => 'facility_id tidak merujuk Lapas/Rutan di provinsi dan kabupaten/kota ini.',
  ),
  campaign_mou_with_facility_covering: t(
    (p) => `No MoU with the facility covering socialization was in force on ${p.held_on}.`,
    (p) => `Tidak ada MoU dengan Lapas/Rutan ini berlingkup sosialisasi yang berlaku pada ${p.held_on}.`,
  ),
  campaign_held_on_still_come_campaign: t(
    () => 'held_on is still to come: a campaign is recorded once held.',
    () => 'held_on belum tiba: sosialisasi dicatat setelah dilaksanakan.',
  ),
  scorecard_period_not_ended: t(
    (p) => `The period ${p.code} has not ended yet.`,
    (p) => `Periode ${p.code} belum berakhir.`,
  ),
  meeting_recorded_by_organiser: t(
    () => 'A meeting is recorded by the officers of its organiser.',
    () => 'Rakor dicatat oleh petugas penyelenggaranya.',
  ),
  meeting_place_outside_area: t(
    () => "The place is outside your organisation's area.",
    () => 'Tempat rakor berada di luar wilayah organisasi Anda.',
  ),
  meeting_action_item_due_before: t(
    (p) => `An action item is due on ${p.earliest_due}, before the new meeting date.`,
    (p) => `Ada rencana aksi yang jatuh tempo ${p.earliest_due}, sebelum tanggal rakor yang baru.`,
  ),
  meeting_these_organisations_own_action: t(
    (p) => `These organisations own action items of the meeting and must stay: ${p.orphaned}.`,
    (p) => `Organisasi ini memiliki rencana aksi rakor dan harus tetap: ${p.orphaned}.`,
  ),
  meeting_due_on_before_meeting: t(
    (p) => `due_on is before the meeting (${p.meeting_held_on}).`,
    (p) => `due_on sebelum tanggal rakor (${p.meeting_held_on}).`,
  ),
  meeting_owner_organiser_participant_meeting: t(
    () => 'The owner must be the organiser or a participant of the meeting.',
    () => 'Penanggung jawab harus penyelenggara atau peserta rakor.',
  ),
  meeting_owner_reports_status_progress: t(
    () => "The owner reports status and progress; the description, due date and owner are the organiser's to change.",
    () =>
      'Penanggung jawab melaporkan status dan kemajuan; uraian, tenggat dan penanggung jawab diubah oleh penyelenggara.',
  ),
  meeting_noted_on_still_come: t(
    () => 'noted_on is still to come.',
    () => 'noted_on belum tiba.',
  ),
  meeting_noted_on_before_meeting: t(
    () => 'noted_on is before the meeting.',
    () => 'noted_on sebelum tanggal rakor.',
  ),
  facility_time_zone_of_province: t(
    (p) => `${p.timezone} is not the time zone of this province (${p.zone}).`,
    (p) => `${p.timezone} bukan zona waktu provinsi ini (${p.zone}).`,
  ),
  facility_kanwil_of_province: t(
    () => "kanwil_id must be the Kanwil of the facility's province, and that Kanwil must exist.",
    () => 'kanwil_id harus Kanwil provinsi tempat Lapas/Rutan berada, dan Kanwil itu harus sudah ada.',
  ),
  inmate_transfer_target_out_of_reach: t(
    () => 'to_facility_id is not a facility you may transfer to.',
    () => 'to_facility_id bukan Lapas/Rutan tujuan pemindahan yang dapat Anda jangkau.',
  ),
  inmate_person_already_held_at: t(
    () => 'The person is already held at that facility.',
    () => 'Orang tersebut sudah berada di Lapas/Rutan itu.',
  ),
  inmate_transferred_on_fall_within_current: t(
    () => 'transferred_on must fall within the current stay and not in the future.',
    () => 'transferred_on harus dalam masa penahanan saat ini dan tidak di masa depan.',
  ),
  kotan_year_not_begun: t(
    () => 'The year has not begun.',
    () => 'Tahun tersebut belum dimulai.',
  ),
  kotan_assessed_on_still_come: t(
    () => 'assessed_on is still to come.',
    () => 'assessed_on belum tiba.',
  ),
  kotan_assessed_on_before_year_assessed: t(
    () => 'assessed_on is before the year assessed.',
    () => 'assessed_on sebelum tahun yang dinilai.',
  ),
  kotan_name_assessing_organisation: t(
    () => 'Name the assessing organisation.',
    () => 'Sebutkan organisasi penilai.',
  ),
  kotan_assessment_recorded_by_officers: t(
    () => 'An assessment is recorded by the officers of the assessing organisation.',
    () => 'Penilaian dicatat oleh petugas organisasi penilai.',
  ),
  kotan_regency_city_outside_organisation: t(
    () => "The regency or city is outside your organisation's area.",
    () => 'Kabupaten/kota berada di luar wilayah organisasi Anda.',
  ),
  mou_signature_by_admin: t(
    () => "An MoU's signature, and the terms of a signed MoU, are recorded by an administrator.",
    () => 'Tanda tangan MoU, dan isi MoU yang sudah ditandatangani, dicatat oleh administrator.',
  ),
  mou_valid_until_after_valid_from: t(
    () => 'valid_until must be after valid_from.',
    () => 'valid_until harus setelah valid_from.',
  ),
  mou_bnn_unit_id_name_bnn_unit: t(
    () => 'bnn_unit_id must name a BNN unit.',
    () => 'bnn_unit_id harus merujuk unit BNN.',
  ),
  mou_facility_unknown: t(
    (p) => `No such facility: ${p.missing}.`,
    (p) => `Lapas/Rutan tidak ditemukan: ${p.missing}.`,
  ),
  mou_sign_for_facilities_own: t(
    (p) => `${p.name} may only sign for facilities in its own regency or province; not for ${p.names}.`,
    (p) =>
      `${p.name} hanya dapat bekerja sama dengan Lapas/Rutan di kabupaten/kota atau provinsinya sendiri; bukan ${p.names}.`,
  ),
  mou_you_record_agreements_own: t(
    () => 'You may only record agreements of your own BNN unit.',
    () => 'Anda hanya dapat mencatat kerja sama unit BNN Anda sendiri.',
  ),
  organisation_unknown: t(
    (p) => `No such organisation: ${p.missing}.`,
    (p) => `Organisasi tidak ditemukan: ${p.missing}.`,
  ),
  organisation_bnn_level_required: t(
    () => 'A BNN unit needs bnn_level.',
    () => 'Unit BNN memerlukan bnn_level.',
  ),
  organisation_bnn_level_only_bnn: t(
    () => 'Only a BNN unit has bnn_level.',
    () => 'Hanya unit BNN yang memiliki bnn_level.',
  ),
  organisation_kanwil_bnnp_bnnk_regional: t(
    () => 'A Kanwil, BNNP, BNNK or regional government needs province_code.',
    () => 'Kanwil, BNNP, BNNK atau pemerintah daerah memerlukan province_code.',
  ),
  organisation_bnnk_regency_city: t(
    () => 'A BNNK needs its regency or city.',
    () => 'BNNK memerlukan kabupaten/kotanya.',
  ),
  organisation_parent_id_names_organisation: t(
    () => 'parent_id names no organisation.',
    () => 'parent_id tidak merujuk organisasi mana pun.',
  ),
  training_bnn_unit_s_trainings: t(
    () =>
      "A BNN unit's trainings are recorded by its own officers; facility staff record their facility's and the Kanwil's.",
    () =>
      'Pelatihan unit BNN dicatat oleh petugasnya sendiri; staf Lapas/Rutan mencatat pelatihan Lapas/Rutannya dan Kanwil.',
  ),
  training_facility_out_of_reach: t(
    (p) => `No such facility within your reach: ${p.missing}.`,
    (p) => `Lapas/Rutan tidak ditemukan dalam cakupan Anda: ${p.missing}.`,
  ),
  training_facility_organises_trainings_for: t(
    () => 'A facility organises trainings for its own officers: organiser_id must be one of facility_ids.',
    () => 'Lapas/Rutan menyelenggarakan pelatihan bagi petugasnya sendiri: organiser_id harus salah satu facility_ids.',
  ),
  training_organiser_id_kanwil_every_facility: t(
    () => 'organiser_id must be the Kanwil of every facility taking part.',
    () => 'organiser_id harus Kanwil dari setiap Lapas/Rutan peserta.',
  ),
  training_bnn_unit_mou_force: t(
    (p) => `The BNN unit has no MoU in force with training in scope for: ${p.outside}.`,
    (p) => `Unit BNN tidak memiliki MoU berlaku dengan lingkup pelatihan untuk: ${p.outside}.`,
  ),
  training_ends_on_before_starts_on: t(
    () => 'ends_on is before starts_on.',
    () => 'ends_on sebelum starts_on.',
  ),
  training_facilities_within_reach_taken: t(
    () => 'Only facilities within your reach may be taken out of a training.',
    () => 'Hanya Lapas/Rutan dalam cakupan Anda yang dapat dikeluarkan dari pelatihan.',
  ),
  training_capacity_fall_below_participants: t(
    (p) => `capacity may not fall below the ${p.participants} participants already added.`,
    (p) => `capacity tidak boleh kurang dari ${p.participants} peserta yang sudah ada.`,
  ),
  training_new_dates_would_leave: t(
    () => 'The new dates would leave recorded attendance outside the training.',
    () => 'Tanggal baru membuat kehadiran yang tercatat berada di luar pelatihan.',
  ),
  training_hours_fall_below_hours: t(
    () => 'hours may not fall below the hours a participant is recorded to have attended.',
    () => 'hours tidak boleh kurang dari jam kehadiran yang sudah tercatat.',
  ),
  training_facility_whose_officers_already: t(
    () => 'A facility whose officers already take part cannot be removed.',
    () => 'Lapas/Rutan yang petugasnya sudah menjadi peserta tidak dapat dihapus.',
  ),
  training_pass_mark_cannot_change_once: t(
    () => 'pass_mark cannot change once post-test scores are recorded.',
    () => 'pass_mark tidak dapat diubah setelah nilai post-test dicatat.',
  ),
  training_not_started: t(
    (p) => `The training starts on ${p.starts_on}: nothing is recorded before it starts.`,
    (p) => `Pelatihan dimulai ${p.starts_on}: belum ada yang dapat dicatat sebelum dimulai.`,
  ),
  training_give_attendance_per_day: t(
    () => 'Give attendance per day or in total hours, not both.',
    () => 'Isi kehadiran per hari atau total jam, tidak keduanya.',
  ),
  training_day_before_start: t(
    (p) => `${p.day} is before the training starts.`,
    (p) => `${p.day} sebelum pelatihan dimulai.`,
  ),
  training_day_after_end: t(
    (p) => `${p.day} is after the training ends.`,
    (p) => `${p.day} setelah pelatihan berakhir.`,
  ),
  training_day_in_future: t(
    (p) => `${p.day} has not come yet.`,
    (p) => `${p.day} belum tiba.`,
  ),
  training_attended_hours_exceeds_training_s: t(
    (p) => `attended_hours exceeds the training's ${p.hours} hours.`,
    (p) => `attended_hours melebihi ${p.hours} jam pelatihan.`,
  ),
  training_participant_who_passed_post: t(
    (p) => `Only a participant who passed (post-test at least ${p.pass_mark}) gets a certificate.`,
    (p) => `Hanya peserta yang lulus (post-test minimal ${p.pass_mark}) yang mendapat sertifikat.`,
  ),
  urine_give_exactly_one_assessment: t(
    () => 'Give exactly one of assessment, decision, closure.',
    () => 'Isi tepat satu dari assessment, decision, closure.',
  ),
  urine_case_date_before_previous: t(
    (p) => `The date is before ${p.previous}.`,
    (p) => `Tanggal sebelum ${p.previous}.`,
  ),
  urine_case_date_in_future: t(
    () => 'The date lies in the future.',
    () => 'Tanggal di masa depan.',
  ),
  urine_round_subjects_only: t(
    (p) => `This round tests ${p.subjects} only.`,
    (p) => `Putaran tes urine ini hanya menguji ${p.subjects === 'inmates' ? 'WBP' : 'petugas'}.`,
  ),
  urine_draw_asks_for_population: t(
    (p) => `The draw asks for ${p.size} of a population of ${p.length}.`,
    (p) => `Undian meminta ${p.size} dari populasi ${p.length}.`,
  ),
  urine_person_was_drawn_round: t(
    () => 'This person was not drawn in this round.',
    () => 'Orang ini tidak terundi pada putaran ini.',
  ),
  urine_run_by_organisation_id_bnn_unit_whose: t(
    () => 'run_by_organisation_id must be a BNN unit whose MoU in force covers urine testing at this facility.',
    () => 'run_by_organisation_id harus unit BNN yang MoU-nya berlaku dan mencakup tes urine di Lapas/Rutan ini.',
  ),
  urine_bnn_officer_records_rounds: t(
    () => 'A BNN officer records rounds run by their own unit: set run_by_organisation_id to it.',
    () => 'Petugas BNN mencatat putaran yang dijalankan unitnya sendiri: isi run_by_organisation_id dengan unit itu.',
  ),
  urine_presumptive_positive_confirmed_test: t(
    (p) => `Only a presumptive positive is confirmed; this test is ${p.outcome}.`,
    (p) => `Hanya hasil positif sementara yang dikonfirmasi; tes ini ${p.outcome}.`,
  ),
  urine_class_not_screen_positive: t(
    (p) => `${p.class} was not positive on the screen.`,
    (p) => `${p.class} tidak positif pada skrining.`,
  ),
  urine_confirmation_cutoff_configured_for: t(
    () => 'No confirmation cutoff is configured for this class: give cutoff_ng_ml.',
    () => 'Tidak ada cutoff konfirmasi untuk kelas ini: isi cutoff_ng_ml.',
  ),
  campaign_co_organisers_elsewhere: t(
    (p) => `A co-organiser works where the event was held; these do not: ${p.names}.`,
    (p) => `Penyelenggara bersama bekerja di tempat kegiatan; yang berikut tidak: ${p.names}.`,
  ),
  campaign_co_organiser_elsewhere: t(
    (p) => `${p.name} does not work in ${p.regency}.`,
    (p) => `${p.name} tidak bekerja di ${p.regency}.`,
  ),
  campaign_inside_needs_party_organiser: t(
    () =>
      "A campaign inside a facility needs among its organisers the facility's Kanwil or a BNN unit whose MoU in force on the day held covers socialization there.",
    () =>
      'Sosialisasi di dalam Lapas/Rutan memerlukan Kanwil Lapas/Rutan itu atau unit BNN dengan MoU berlingkup sosialisasi yang berlaku pada hari pelaksanaan sebagai penyelenggara.',
  ),
  campaign_inside_recorded_by_party: t(
    () =>
      "A campaign inside a facility is recorded by the facility's Kanwil or by a BNN unit whose MoU in force on the day held covers socialization there.",
    () =>
      'Sosialisasi di dalam Lapas/Rutan dicatat oleh Kanwil Lapas/Rutan itu atau unit BNN dengan MoU berlingkup sosialisasi yang berlaku pada hari pelaksanaan.',
  ),
  meeting_item_drop_needs_note: t(
    () => 'Dropping an item needs a note saying why.',
    () => 'Membatalkan rencana aksi memerlukan catatan alasannya.',
  ),
  meeting_item_reopen_needs_note: t(
    () => 'Reopening an item needs a note saying why.',
    () => 'Membuka kembali rencana aksi memerlukan catatan alasannya.',
  ),
  // Urine-test results, one field error a row; the problem's detail counts them.
  urine_results_refused: t(
    (p) => `${p.count} problem(s) in the results; nothing was recorded.`,
    (p) => `${p.count} masalah pada hasil tes urine; tidak ada yang dicatat.`,
  ),
  urine_result_subjects_only: t(
    (p) => `this round tests ${p.subjects} only`,
    (p) => `putaran tes urine ini hanya menguji ${p.subjects === 'inmates' ? 'WBP' : 'petugas'}`,
  ),
  urine_result_collected_off_day: t(
    (p) => `collected_at is not on the round's day (${p.day}, facility time)`,
    (p) => `collected_at tidak pada hari putaran (${p.day}, waktu Lapas/Rutan)`,
  ),
  urine_result_collected_in_future: t(
    () => 'collected_at lies in the future',
    () => 'collected_at berada di masa depan',
  ),
  urine_result_class_off_panel: t(
    (p) => `${p.class} is not on this kit's panel`,
    (p) => `${p.class} tidak ada pada panel kit ini`,
  ),
  urine_result_class_twice: t(
    () => 'a class is given twice',
    () => 'satu kelas diisi dua kali',
  ),
  urine_result_refusal_with_results: t(
    () => 'a refusal has no panel results',
    () => 'penolakan tidak memiliki hasil panel',
  ),
  urine_result_missing_classes: t(
    (p) => `no result for ${p.missing} of the kit's panel`,
    (p) => `tidak ada hasil untuk ${p.missing} dari panel kit`,
  ),
  urine_result_same_person: t(
    (p) => `the same person as row ${p.row}`,
    (p) => `orang yang sama dengan baris ${p.row}`,
  ),
  urine_result_same_specimen: t(
    (p) => `the same specimen as row ${p.row}`,
    (p) => `spesimen yang sama dengan baris ${p.row}`,
  ),
  urine_result_not_on_register: t(
    (p) => `not a current ${p.type} of this facility's register`,
    (p) => `bukan ${p.type === 'inmate' ? 'WBP' : 'petugas'} yang kini terdaftar di Lapas/Rutan ini`,
  ),
  urine_result_already_tested: t(
    () => 'already tested in this round',
    () => 'sudah dites pada putaran ini',
  ),
  urine_result_specimen_used: t(
    () => 'this specimen id is already used in this round',
    () => 'id spesimen ini sudah dipakai pada putaran ini',
  ),
  training_participants_refused: t(
    (p) => `${p.count} officer(s) cannot take part; nobody was added.`,
    (p) => `${p.count} petugas tidak dapat menjadi peserta; tidak ada yang ditambahkan.`,
  ),
  training_participant_not_taking_part: t(
    () => 'not an officer of a facility taking part in this training',
    () => 'bukan petugas Lapas/Rutan peserta pelatihan ini',
  ),
  training_participant_not_in_service: t(
    () => 'not in service during the training',
    () => 'tidak bertugas selama pelatihan',
  ),
  training_participant_already: t(
    () => 'already a participant',
    () => 'sudah menjadi peserta',
  ),
  // Social rehabilitation: programmes, sessions, slots, enrolments.
  rehab_inmate_not_held: t(
    () => 'No such inmate at this facility.',
    () => 'Tidak ada WBP tersebut di Lapas/Rutan ini.',
  ),
  rehab_inmate_not_held_now: t(
    (p) => `The person is ${p.status}.`,
    (p) => `WBP tersebut berstatus ${p.status}.`,
  ),
  rehab_enrolment_reason_required: t(
    () => 'Neither a confirmed positive test nor a narcotics_user case type: give the reason for enrolling.',
    () => 'Tidak ada hasil positif terkonfirmasi maupun jenis perkara pengguna narkotika: isi alasan pendaftaran.',
  ),
  rehab_withdrawal_note_required: t(
    () => 'Say why the enrolment is withdrawn.',
    () => 'Jelaskan alasan pengunduran diri.',
  ),
  rehab_completion_rule_unmet: t(
    (p) =>
      `The completion rule is not met: attended ${p.attended} of ${p.held} held sessions (at least ${p.percent}% needed)${p.last ? ', and the last session' : ''}.`,
    (p) =>
      `Syarat kelulusan belum terpenuhi: hadir ${p.attended} dari ${p.held} sesi yang diadakan (minimal ${p.percent}%)${p.last ? ', dan sesi terakhir' : ''}.`,
  ),
  rehab_attendance_before_start: t(
    (p) => `The session starts at ${p.starts}: attendance is recorded once it has begun.`,
    (p) => `Sesi dimulai ${p.starts}: kehadiran dicatat setelah sesi dimulai.`,
  ),
  rehab_held_session_not_begun: t(
    () => 'A session written up afterwards has begun already; book one still to come as a session.',
    () => 'Sesi yang dicatat kemudian harus sudah dimulai; jadwalkan sesi yang akan datang sebagai sesi biasa.',
  ),
  rehab_held_session_too_old: t(
    (p) => `A session held on ${p.earliest} or later may be written up (${p.days} days).`,
    (p) => `Sesi yang diadakan pada ${p.earliest} atau sesudahnya dapat dicatat (${p.days} hari).`,
  ),
  rehab_curriculum_item_unknown: t(
    (p) => `The curriculum has ${p.items} items.`,
    (p) => `Kurikulum memiliki ${p.items} materi.`,
  ),
  rehab_mou_not_yours: t(
    () => 'No such MoU of your unit.',
    () => 'MoU unit Anda tidak ditemukan.',
  ),
  rehab_mou_not_covering: t(
    () => 'The MoU must be in force, have rehabilitation in scope and cover the facility.',
    () => 'MoU harus berlaku, mencakup rehabilitasi sosial, dan meliputi Lapas/Rutan ini.',
  ),
  rehab_facility_out_of_reach: t(
    () => 'No such facility within your reach.',
    () => 'Lapas/Rutan tidak ditemukan dalam cakupan Anda.',
  ),
  rehab_programme_ends_before_start: t(
    () => 'ends_on is before starts_on.',
    () => 'ends_on sebelum starts_on.',
  ),
  rehab_programme_outside_mou: t(
    (p) => `A programme runs within its MoU (${p.from} to ${p.until}).`,
    (p) => `Program berjalan dalam masa MoU-nya (${p.from} sampai ${p.until}).`,
  ),
  rehab_facilitators_not_of_unit: t(
    (p) => `Facilitators are active officers of the MoU's BNN unit; not ${p.strangers}.`,
    (p) => `Fasilitator adalah petugas aktif unit BNN pada MoU; bukan ${p.strangers}.`,
  ),
  rehab_capacity_below_active: t(
    (p) => `capacity may not fall below the ${p.active} active enrolments.`,
    (p) => `capacity tidak boleh kurang dari ${p.active} peserta aktif.`,
  ),
  rehab_programme_end_outside: t(
    () => 'ends_on lies between the start and the end of the MoU.',
    () => 'ends_on harus di antara awal program dan akhir MoU.',
  ),
  rehab_session_after_new_end: t(
    (p) => `Session ${p.session} is scheduled after that date; cancel it first.`,
    (p) => `Sesi ${p.session} terjadwal setelah tanggal itu; batalkan dahulu.`,
  ),
  rehab_session_in_past: t(
    () => 'A session is booked for a time still to come.',
    () => 'Sesi dijadwalkan untuk waktu yang akan datang.',
  ),
  rehab_day_outside_programme: t(
    (p) => `${p.day} is outside the programme (${p.from} to ${p.until}).`,
    (p) => `${p.day} di luar masa program (${p.from} sampai ${p.until}).`,
  ),
  rehab_mou_not_in_force_on: t(
    (p) => `The MoU is not in force on ${p.day}.`,
    (p) => `MoU tidak berlaku pada ${p.day}.`,
  ),
  rehab_room_unknown: t(
    (p) => `room must be one of the programme's: ${p.rooms}.`,
    (p) => `room harus salah satu ruangan program: ${p.rooms}.`,
  ),
  rehab_facilitator_unknown: t(
    () => "facilitator_id must be one of the programme's facilitators.",
    () => 'facilitator_id harus salah satu fasilitator program.',
  ),
  rehab_time_does_not_exist: t(
    (p) => `${p.time} is not a time that exists.`,
    (p) => `${p.time} bukan waktu yang ada.`,
  ),
  rehab_slot_from_past: t(
    () => 'Sessions are not generated for past days.',
    () => 'Sesi tidak dibuat untuk hari yang telah lewat.',
  ),
  rehab_curriculum_full: t(
    (p) => `Every item of the curriculum (${p.items}) has a session; send beyond_curriculum: true for more.`,
    (p) => `Setiap materi kurikulum (${p.items}) sudah memiliki sesi; kirim beyond_curriculum: true untuk menambah.`,
  ),
  rehab_slot_no_day: t(
    () => 'The slot falls on no day of the programme still to come.',
    () => 'Slot tidak jatuh pada hari program yang akan datang.',
  ),
} satisfies Record<string, Sentence>;
export type RuleName = keyof typeof rules;

function ruleText(p: Params, locale: Locale): string {
  const rule = typeof p.rule === 'string' ? (rules as Record<string, Sentence>)[p.rule] : undefined;
  return rule ? rule[locale](p) : String(p[locale]);
}

/** A named rule's sentence in both languages, for a field error beside the problem's detail. */
export const ruleSentence = (rule: RuleName, p: Params = {}): Localized => {
  const sentence: Sentence = rules[rule];
  return { en: sentence.en(p), id: sentence.id(p) };
};

/**
 * Field errors our own refinements and checks raise (zod's own issues are worded by its locales):
 * each has a stable code, kept in the zod issue's params as `text`, and a sentence in both languages.
 */
export const fieldTexts = {
  not_on_session: t(
    () => 'not enrolled on this session',
    () => 'tidak terdaftar pada sesi ini',
  ),
  enrolments_missing: t(
    (p) => `missing enrolments: ${p.missing}`,
    (p) => `peserta yang belum dicatat: ${p.missing}`,
  ),
  not_active_enrolment: t(
    (p) => `not an enrolment of this programme active on ${p.day}`,
    (p) => `bukan peserta program ini yang aktif pada ${p.day}`,
  ),
  date_range: t(
    () => 'a date between 1900 and 2199',
    () => 'tanggal antara 1900 dan 2199',
  ),
  bidi_control: t(
    (p) => `must not contain ${p.char}, a bidirectional control character`,
    (p) => `tidak boleh berisi ${p.char}, karakter kendali arah teks (bidirectional)`,
  ),
  invisible: t(
    (p) => `must not contain ${p.char}, an invisible character`,
    (p) => `tidak boleh berisi ${p.char}, karakter tak terlihat`,
  ),
  surrogate: t(
    (p) => `must not contain ${p.char}, an unpaired surrogate`,
    (p) => `tidak boleh berisi ${p.char}, surrogate tanpa pasangan`,
  ),
  control: t(
    (p) => `must not contain ${p.char}, a control character`,
    (p) => `tidak boleh berisi ${p.char}, karakter kendali`,
  ),
  control_or_line_break: t(
    (p) => `must not contain ${p.char}, a control character or line break`,
    (p) => `tidak boleh berisi ${p.char}, karakter kendali atau pindah baris`,
  ),
  not_repeated: t(
    (p) => `${p.field} must not repeat`,
    (p) => `${p.field} tidak boleh berisi nilai yang sama dua kali`,
  ),
  panel_classes_repeated: t(
    () => 'panel classes must not repeat',
    () => 'kelas narkoba pada panel tidak boleh berulang',
  ),
  curriculum_in_order: t(
    () => 'sessions are numbered 1, 2, 3, … in order',
    () => 'sesi diberi nomor 1, 2, 3, … secara berurutan',
  ),
  facilitator_once: t(
    () => 'a facilitator once',
    () => 'setiap fasilitator hanya sekali',
  ),
  one_row_per_enrolment: t(
    () => 'one row per enrolment',
    () => 'satu baris untuk setiap peserta rehabilitasi sosial',
  ),
  size_or_percent: t(
    () => 'give size or percent, not both',
    () => 'isi size atau percent, tidak keduanya',
  ),
  basic_not_pair: t(
    () => 'Basic client credentials: not client_id:client_secret',
    () => 'Kredensial klien Basic: bukan client_id:client_secret',
  ),
  basic_not_urlencoded: t(
    () => 'Basic client credentials: not form-urlencoded',
    () => 'Kredensial klien Basic: bukan form-urlencoded',
  ),
  basic_differs: t(
    (p) => `Basic client credentials: ${p.field} differs from the body's`,
    (p) => `Kredensial klien Basic: ${p.field} berbeda dengan yang ada di isi permintaan`,
  ),
  refusal_needs_time: t(
    () => 'a refusal needs its time',
    () => 'penolakan tes urine memerlukan waktunya',
  ),
  period_code: t(
    () => 'a year (2026), a quarter (2026-Q3) or a month (2026-07), from 2000',
    () => 'tahun (2026), triwulan (2026-Q3) atau bulan (2026-07), mulai 2000',
  ),
  period_pattern: t(
    () => 'a year (2026), a quarter (2026-Q3) or a month (2026-07)',
    () => 'tahun (2026), triwulan (2026-Q3) atau bulan (2026-07)',
  ),
  nip_digits: t(
    () => 'NIP must be 18 digits',
    () => 'NIP harus 18 digit angka',
  ),
  local_time: t(
    () => 'a local time HH:MM, 00:00 to 23:59',
    () => 'jam setempat HH:MM, 00:00 sampai 23:59',
  ),
  period_not_begun: t(
    (p) => `the period ${p.code} has not begun`,
    (p) => `periode ${p.code} belum dimulai`,
  ),
  database_value: t(
    () => 'a value the database cannot store',
    () => 'nilai yang tidak dapat disimpan basis data',
  ),
  // What the framework refused before our schemas saw the request: its own English, a sentence in Indonesian.
  prototype_field_name: t(
    () => 'prototype property is not allowed as field name',
    () => 'nama field __proto__, constructor atau prototype tidak diizinkan',
  ),
  request_refused: t(
    (p) => String(p.message),
    () => 'permintaan ini tidak dapat diproses',
  ),
  // zod's own issue, worded by us in both languages: zod's English names a JavaScript value.
  required: t(
    () => 'Required',
    () => 'Wajib diisi',
  ),
  // The registers' checks (WBP, petugas): a field error of a form, a rejected row of an import.
  in_future: t(
    (p) => `${p.field} lies in the future`,
    (p) => `${p.field} berada di masa depan`,
  ),
  before_field: t(
    (p) => `${p.field} is before ${p.other}`,
    (p) => `${p.field} sebelum ${p.other}`,
  ),
  officer_active_left: t(
    () => 'an active officer has no left_on',
    () => 'petugas aktif tidak memiliki left_on',
  ),
  field_required_for_status: t(
    (p) => `${p.field} is required when status is ${p.status}`,
    (p) => `${p.field} wajib diisi untuk status ${p.status}`,
  ),
  // A rejected row of an import, after the name of the column it is about.
  row_repeats_line: t(
    (p) => `repeats line ${p.line}`,
    (p) => `sudah ada di baris ${p.line}`,
  ),
  row_required_for_status: t(
    (p) => `required when status is ${p.status}`,
    (p) => `wajib diisi untuk status ${p.status}`,
  ),
  row_only_for_status: t(
    (p) => `only for status ${p.status}`,
    (p) => `hanya untuk status ${p.status}`,
  ),
  row_inmate_transferred_out: t(
    () => 'this person was transferred out of this facility',
    () => 'WBP ini sudah dipindahkan dari Lapas/Rutan ini',
  ),
  row_inmate_return: t(
    (p) => `the person is ${p.status} here; a return is a new admission`,
    (p) => `WBP ini ${statusId(p.status)}; bila kembali, dicatat sebagai penerimaan baru`,
  ),
  row_officer_elsewhere: t(
    () => 'belongs to an officer of another facility',
    () => 'milik petugas Lapas/Rutan lain',
  ),
} satisfies Record<string, Sentence>;
export type FieldTextCode = keyof typeof fieldTexts;

export const fieldSentence = (code: FieldTextCode, p: Params = {}): Localized => {
  const sentence: Sentence = fieldTexts[code];
  return { en: sentence.en(p), id: sentence.id(p) };
};

// ---- zod's own issues, in Indonesian ----
// zod's `id` locale reads as a word-for-word translation ("diharapkan string, diterima number",
// "Kunci tidak dikenali s"). English stays zod's own wording; these are the Indonesian, by issue code.
// A missing field is neither: fieldTexts.required, in both languages.

type ZodIssueCode = z.core.$ZodIssue['code'];
/** An issue as the error map sees it: zod's fields, and `received`, the input's type (src/http/schemas.ts). */
export type IssueFields = Record<string, unknown>;

const TYPE_ID: Record<string, string> = {
  string: 'teks',
  number: 'angka',
  int: 'bilangan bulat',
  bigint: 'bilangan bulat',
  boolean: 'true atau false',
  array: 'daftar (array)',
  set: 'daftar (array)',
  object: 'objek',
  record: 'objek',
  map: 'objek',
  date: 'tanggal',
  file: 'berkas',
  null: 'null',
  nan: 'NaN',
};
const FORMAT_ID: Record<string, string> = {
  uuid: 'UUID',
  guid: 'GUID',
  date: 'tanggal ISO (YYYY-MM-DD)',
  datetime: 'tanggal dan waktu ISO 8601',
  time: 'jam ISO',
  duration: 'durasi ISO 8601',
  email: 'alamat email',
  url: 'URL',
  ipv4: 'alamat IPv4',
  ipv6: 'alamat IPv6',
  base64: 'teks base64',
  base64url: 'teks base64url',
  json_string: 'teks JSON',
  jwt: 'JWT',
};
/** What a length counts, and the words for too long and too short. */
const SIZE_ID: Record<string, [unit: string, big: string, small: string]> = {
  string: ['karakter', 'Terlalu panjang', 'Terlalu pendek'],
  array: ['item', 'Terlalu banyak', 'Terlalu sedikit'],
  set: ['item', 'Terlalu banyak', 'Terlalu sedikit'],
  map: ['entri', 'Terlalu banyak', 'Terlalu sedikit'],
  file: ['byte', 'Terlalu besar', 'Terlalu kecil'],
};
const typeId = (type: unknown) => TYPE_ID[String(type)] ?? String(type);
// As zod writes a value in its messages: strings quoted.
const shown = (v: unknown) => (typeof v === 'string' ? `"${v}"` : typeof v === 'bigint' ? `${v}n` : String(v));
const listed = (vs: unknown, separator: string) => (Array.isArray(vs) ? vs.map(shown).join(separator) : '');

function sizeId(i: IssueFields, big: boolean): string {
  const limit = String(big ? i.maximum : i.minimum);
  const size = SIZE_ID[String(i.origin)];
  if (!size) {
    if (big) return `Terlalu besar: ${i.inclusive ? `maksimal ${limit}` : `harus kurang dari ${limit}`}`;
    return `Terlalu kecil: ${i.inclusive ? `minimal ${limit}` : `harus lebih dari ${limit}`}`;
  }
  const [unit, bigWord, smallWord] = size;
  if (i.exact) return `Harus tepat ${limit} ${unit}`;
  if (!big && i.inclusive && limit === '1' && i.origin === 'string') return 'Tidak boleh kosong';
  if (big) return `${bigWord}: ${i.inclusive ? 'maksimal' : 'kurang dari'} ${limit} ${unit}`;
  return `${smallWord}: ${i.inclusive ? 'minimal' : 'lebih dari'} ${limit} ${unit}`;
}

export const zodIssuesId = {
  invalid_type: (i) => {
    const expected = typeId(i.expected);
    // A class name (instanceof), a number that is not whole, a value coerced to NaN: the received type says nothing more.
    if (/^[A-Z]/.test(String(i.expected)) || i.received === 'nan' || (i.expected === 'int' && i.received === 'number'))
      return `Harus berupa ${expected}`;
    return `Harus berupa ${expected}, bukan ${typeId(i.received)}`;
  },
  too_big: (i) => sizeId(i, true),
  too_small: (i) => sizeId(i, false),
  invalid_format: (i) => {
    if (i.format === 'starts_with') return `Harus diawali "${i.prefix}"`;
    if (i.format === 'ends_with') return `Harus diakhiri "${i.suffix}"`;
    if (i.format === 'includes') return `Harus memuat "${i.includes}"`;
    if (i.format === 'regex') return `Tidak sesuai pola ${i.pattern}`;
    return `Bukan ${FORMAT_ID[String(i.format)] ?? String(i.format)} yang sah`;
  },
  not_multiple_of: (i) => `Harus kelipatan ${i.divisor}`,
  unrecognized_keys: (i) => `Field tidak dikenal: ${listed(i.keys, ', ')}`,
  invalid_key: () => 'Nama field tidak sah',
  invalid_union: (i) => {
    if (Array.isArray(i.options) && i.options.length > 0)
      return `Pilihan tidak sah: harus salah satu dari ${i.options.map((o) => `'${o}'`).join(' | ')}`;
    if (i.inclusive === false) return 'Nilai cocok dengan lebih dari satu bentuk yang diterima';
    return 'Nilai tidak sah';
  },
  invalid_element: () => 'Ada nilai yang tidak sah di dalamnya',
  invalid_value: (i) =>
    Array.isArray(i.values) && i.values.length === 1
      ? `Harus ${shown(i.values[0])}`
      : `Pilihan tidak sah: harus salah satu dari ${listed(i.values, '|')}`,
  // Our refinements name a field text; one that does not is worded here.
  custom: () => 'Nilai tidak sah',
} satisfies Record<ZodIssueCode, (issue: IssueFields) => string>;
