// Problem titles and details, by problem code (RFC 9457's title and detail, and our `code`). A code
// is stable: clients may rely on it. Texts may change; codes may not.
import { entity } from './glossary.ts';
import { ruleText } from './rules.ts';
import { inLocale, type Localized, type Params } from './text.ts';

interface Message {
  title: Localized;
  en: (p: Params) => string;
  id: (p: Params) => string;
}

const m = (title: [string, string], en: Message['en'], id: Message['id']): Message => ({
  title: { en: title[0], id: title[1] },
  en,
  id,
});

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
    (p) => `Tidak ada ${entity(p.entity)} dengan id ini, atau berada di luar cakupan akses Anda.`,
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
  console_not_built: m(
    ['Console not built', 'Konsol belum dibangun'],
    () => 'The staff console has not been built on this server: run `npm run console:build`, then start again.',
    () => 'Konsol staf belum dibangun di server ini: jalankan `npm run console:build`, lalu mulai ulang.',
  ),
  evidence_file_gone: m(
    ['Send the file again', 'Kirim berkas lagi'],
    () =>
      'The file was removed while this upload was finishing (another upload of the same bytes was refused at that moment); nothing was recorded. Send it again.',
    () =>
      'Berkas terhapus saat unggahan ini sedang diselesaikan (unggahan lain dengan isi yang sama ditolak pada saat itu); tidak ada yang dicatat. Kirim lagi.',
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
