// Problem titles and details, in English and Indonesian. A code is stable: clients may rely on it.
type Params = Record<string, unknown>;
interface Message {
  title: string;
  en: (p: Params) => string;
  id: (p: Params) => string;
}

const m = (title: string, en: Message['en'], id: Message['id']): Message => ({ title, en, id });

export const messages = {
  validation_failed: m(
    'Invalid request',
    () => 'The request does not match what this endpoint accepts; see errors.',
    () => 'Permintaan tidak sesuai dengan yang diterima endpoint ini; lihat errors.',
  ),
  malformed_json: m(
    'Malformed JSON',
    () => 'The request body is not valid JSON.',
    () => 'Isi permintaan bukan JSON yang sah.',
  ),
  json_too_deep: m(
    'JSON nested too deeply',
    (p) => `The JSON body nests arrays and objects deeper than ${p.limit} levels.`,
    (p) => `Isi JSON bersarang (array dan objek) lebih dari ${p.limit} tingkat.`,
  ),
  malformed_url: m(
    'Malformed URL',
    () => 'The URL is not valid percent-encoded UTF-8.',
    () => 'URL bukan UTF-8 dengan percent-encoding yang sah.',
  ),
  uri_too_long: m(
    'URI too long',
    (p) => `A segment of the path is longer than ${p.limit} characters.`,
    (p) => `Salah satu segmen path lebih panjang dari ${p.limit} karakter.`,
  ),
  headers_too_large: m(
    'Request headers too large',
    (p) => `The request line and headers are larger than the limit of ${p.limit} bytes.`,
    (p) => `Baris permintaan dan header melebihi batas ${p.limit} byte.`,
  ),
  malformed_request: m(
    'Malformed request',
    (p) => `The request is not valid HTTP: ${p.reason}.`,
    (p) => `Permintaan bukan HTTP yang sah: ${p.reason_id}.`,
  ),
  request_timeout: m(
    'Request timeout',
    () => 'The request did not arrive whole in time; nothing was changed.',
    () => 'Permintaan tidak tiba utuh tepat waktu; tidak ada yang diubah.',
  ),
  body_too_large: m(
    'Request body too large',
    (p) => `The request body is larger than the limit of ${p.limit} bytes.`,
    (p) => `Isi permintaan melebihi batas ${p.limit} byte.`,
  ),
  too_many_parts: m(
    'Too many parts',
    () => 'An upload carries one file and a few fields; this one has more.',
    () => 'Unggahan berisi satu berkas dan beberapa field; yang ini lebih.',
  ),
  malformed_multipart: m(
    'Malformed multipart body',
    (p) => `The multipart/form-data body cannot be read: ${p.reason}. Nothing was stored.`,
    (p) => `Isi multipart/form-data tidak dapat dibaca: ${p.reason}. Tidak ada yang disimpan.`,
  ),
  unsupported_media_type: m(
    'Unsupported media type',
    (p) => `Content type ${p.type} is not accepted here; send application/json.`,
    (p) => `Tipe konten ${p.type} tidak diterima di sini; kirim application/json.`,
  ),
  unauthenticated: m(
    'Authentication required',
    (p) => `A valid bearer token is required (${p.reason}).`,
    (p) => `Token bearer yang sah diperlukan (${p.reason}).`,
  ),
  forbidden: m(
    'Not allowed',
    () => 'Your role may not perform this action.',
    () => 'Peran Anda tidak diizinkan melakukan tindakan ini.',
  ),
  not_found: m(
    'Not found',
    (p) => `No ${p.entity} with this id exists, or it is outside what you may see.`,
    (p) => `Tidak ada ${p.entity} dengan id ini, atau berada di luar cakupan akses Anda.`,
  ),
  route_not_found: m(
    'Not found',
    (p) => `There is no endpoint ${p.method} ${p.path}.`,
    (p) => `Tidak ada endpoint ${p.method} ${p.path}.`,
  ),
  method_not_allowed: m(
    'Method not allowed',
    (p) => `${p.method} is not allowed here.`,
    (p) => `${p.method} tidak diizinkan di sini.`,
  ),
  already_exists: m(
    'Already exists',
    (p) => `A record with the same ${p.field} already exists.`,
    (p) => `Data dengan ${p.field} yang sama sudah ada.`,
  ),
  conflict: m(
    'Conflict',
    (p) => `The request conflicts with the current state: ${p.reason}.`,
    (p) => `Permintaan bertentangan dengan keadaan saat ini: ${p.reason}.`,
  ),
  precondition_required: m(
    'Precondition required',
    () => 'Send If-Match with the ETag you last read, so that a concurrent change is not overwritten.',
    () => 'Kirim If-Match berisi ETag terakhir yang Anda baca, agar perubahan bersamaan tidak tertimpa.',
  ),
  precondition_failed: m(
    'Precondition failed',
    (p) => `The record has changed since you read it (now version ${p.current}); read it again.`,
    (p) => `Data telah berubah sejak Anda membacanya (kini versi ${p.current}); baca ulang.`,
  ),
  idempotency_key_invalid: m(
    'Invalid Idempotency-Key',
    () => 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
    () => 'Idempotency-Key harus 1 sampai 255 karakter ASCII yang terlihat.',
  ),
  idempotency_key_required: m(
    'Idempotency-Key required',
    () => 'This endpoint requires an Idempotency-Key header so that retries are safe.',
    () => 'Endpoint ini memerlukan header Idempotency-Key agar pengulangan aman.',
  ),
  idempotency_key_reused: m(
    'Idempotency-Key reused',
    () => 'This Idempotency-Key was already used with a different request.',
    () => 'Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.',
  ),
  idempotency_in_flight: m(
    'Request in progress',
    () => 'A request with this Idempotency-Key is still being processed; retry shortly.',
    () => 'Permintaan dengan Idempotency-Key ini masih diproses; coba lagi sebentar lagi.',
  ),
  invalid_cursor: m(
    'Invalid cursor',
    () => 'The cursor is not one this service issued.',
    () => 'Cursor tidak berasal dari layanan ini.',
  ),
  invalid_csv: m(
    'Unreadable CSV',
    (p) => `The CSV file cannot be imported: ${p.reason}.`,
    (p) => `Berkas CSV tidak dapat diimpor: ${p.reason}.`,
  ),
  import_rejected: m(
    'Import rejected',
    (p) => `${p.count} row(s) were rejected and atomic=true was asked, so nothing was written; see errors.`,
    (p) => `${p.count} baris ditolak dan atomic=true diminta, sehingga tidak ada yang ditulis; lihat errors.`,
  ),
  rule_violated: m(
    'Rule violated',
    (p) => String(p.en),
    (p) => String(p.id),
  ),
  invalid_grant: m(
    'Invalid grant',
    (p) => `The credentials or token were not accepted (${p.reason}).`,
    (p) => `Kredensial atau token tidak diterima (${p.reason}).`,
  ),
  invalid_client: m(
    'Invalid client',
    () => 'The client id or secret was not accepted.',
    () => 'Client id atau secret tidak diterima.',
  ),
  too_many_requests: m(
    'Too many requests',
    (p) => `Too many requests; retry after ${p.after}.`,
    (p) => `Terlalu banyak permintaan; coba lagi setelah ${p.after}.`,
  ),
  sign_in_throttled: m(
    'Too many failed sign-ins',
    (p) => `Too many failed attempts for this account or client; retry after ${p.seconds} seconds.`,
    (p) => `Terlalu banyak percobaan gagal untuk akun atau klien ini; coba lagi setelah ${p.seconds} detik.`,
  ),
  issuer_unavailable: m(
    'Token issuer unavailable',
    () => 'The keys of the token issuer cannot be fetched right now, so the token cannot be checked. Retry later.',
    () => 'Kunci penerbit token sedang tidak dapat diambil, sehingga token belum dapat diperiksa. Coba lagi nanti.',
  ),
  database_unavailable: m(
    'Service unavailable',
    () => 'The database cannot be reached right now; nothing was changed. Retry later.',
    () => 'Basis data sedang tidak dapat dijangkau; tidak ada yang diubah. Coba lagi nanti.',
  ),
  overloaded: m(
    'Service overloaded',
    () => 'The service is too busy to answer now; nothing was changed. Retry later.',
    () => 'Layanan sedang terlalu sibuk; tidak ada yang diubah. Coba lagi nanti.',
  ),
  internal_error: m(
    'Internal error',
    () => 'Something went wrong on our side; nothing was changed. The request id identifies it in our logs.',
    () => 'Terjadi kesalahan di sisi kami; tidak ada yang diubah. Id permintaan menandainya di log kami.',
  ),
} satisfies Record<string, Message>;

export type ProblemCode = keyof typeof messages;
export type Locale = 'en' | 'id';
