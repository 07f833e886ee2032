// The catalogue of every sentence a client may be shown: problem titles and details, rule refusals
// and field errors, each in English and Indonesian (Indonesian with the glossary's words, DOMAIN.md).
// A code is stable: clients may rely on it. Texts may change; codes may not.
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
    (p) => `Content type ${p.type} is not accepted here; send application/json.`,
    (p) => `Tipe konten ${p.type} tidak diterima di sini; kirim application/json.`,
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
    (p) => `Terlalu banyak permintaan; coba lagi setelah ${p.after}.`,
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
} satisfies Record<string, Localized>;

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
  database_value: t(
    () => 'a value the database cannot store',
    () => 'nilai yang tidak dapat disimpan basis data',
  ),
} satisfies Record<string, Sentence>;
export type FieldTextCode = keyof typeof fieldTexts;

export const fieldSentence = (code: FieldTextCode, p: Params = {}): Localized => {
  const sentence: Sentence = fieldTexts[code];
  return { en: sentence.en(p), id: sentence.id(p) };
};
