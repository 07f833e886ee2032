// Field errors our own refinements and checks raise (zod's own issues are worded by its locales,
// and in Indonesian by zod-id.ts): each has a stable code, kept in the zod issue's params as `text`,
// and a sentence in both languages.
import { statusId } from './glossary.ts';
import { filledIn, fixed, type Localized, type Params, type Sentence, sentence } from './text.ts';

export const fieldTexts = {
  not_on_session: fixed('not enrolled on this session', 'tidak terdaftar pada sesi ini'),
  enrolments_missing: sentence(
    (p) => `missing enrolments: ${p.missing}`,
    (p) => `peserta yang belum dicatat: ${p.missing}`,
  ),
  not_active_enrolment: sentence(
    (p) => `not an enrolment of this programme active on ${p.day}`,
    (p) => `bukan peserta program ini yang aktif pada ${p.day}`,
  ),
  date_range: fixed('a date between 1900 and 2199', 'tanggal antara 1900 dan 2199'),
  bidi_control: sentence(
    (p) => `must not contain ${p.char}, a bidirectional control character`,
    (p) => `tidak boleh berisi ${p.char}, karakter kendali arah teks (bidirectional)`,
  ),
  invisible: sentence(
    (p) => `must not contain ${p.char}, an invisible character`,
    (p) => `tidak boleh berisi ${p.char}, karakter tak terlihat`,
  ),
  surrogate: sentence(
    (p) => `must not contain ${p.char}, an unpaired surrogate`,
    (p) => `tidak boleh berisi ${p.char}, surrogate tanpa pasangan`,
  ),
  control: sentence(
    (p) => `must not contain ${p.char}, a control character`,
    (p) => `tidak boleh berisi ${p.char}, karakter kendali`,
  ),
  control_or_line_break: sentence(
    (p) => `must not contain ${p.char}, a control character or line break`,
    (p) => `tidak boleh berisi ${p.char}, karakter kendali atau pindah baris`,
  ),
  not_repeated: sentence(
    (p) => `${p.field} must not repeat`,
    (p) => `${p.field} tidak boleh berisi nilai yang sama dua kali`,
  ),
  panel_classes_repeated: fixed('panel classes must not repeat', 'kelas narkoba pada panel tidak boleh berulang'),
  curriculum_in_order: fixed(
    'sessions are numbered 1, 2, 3, … in order',
    'sesi diberi nomor 1, 2, 3, … secara berurutan',
  ),
  facilitator_once: fixed('a facilitator once', 'setiap fasilitator hanya sekali'),
  one_row_per_enrolment: fixed('one row per enrolment', 'satu baris untuk setiap peserta rehabilitasi sosial'),
  size_or_percent: fixed('give size or percent, not both', 'isi size atau percent, tidak keduanya'),
  basic_not_pair: fixed(
    'Basic client credentials: not client_id:client_secret',
    'Kredensial klien Basic: bukan client_id:client_secret',
  ),
  basic_not_urlencoded: fixed(
    'Basic client credentials: not form-urlencoded',
    'Kredensial klien Basic: bukan form-urlencoded',
  ),
  basic_differs: sentence(
    (p) => `Basic client credentials: ${p.field} differs from the body's`,
    (p) => `Kredensial klien Basic: ${p.field} berbeda dengan yang ada di isi permintaan`,
  ),
  refusal_needs_time: fixed('a refusal needs its time', 'penolakan tes urine memerlukan waktunya'),
  period_code: fixed(
    'a year (2026), a quarter (2026-Q3) or a month (2026-07), from 2000',
    'tahun (2026), triwulan (2026-Q3) atau bulan (2026-07), mulai 2000',
  ),
  period_pattern: fixed(
    'a year (2026), a quarter (2026-Q3) or a month (2026-07)',
    'tahun (2026), triwulan (2026-Q3) atau bulan (2026-07)',
  ),
  nip_digits: fixed('NIP must be 18 digits', 'NIP harus 18 digit angka'),
  local_time: fixed('a local time HH:MM, 00:00 to 23:59', 'jam setempat HH:MM, 00:00 sampai 23:59'),
  period_not_begun: sentence(
    (p) => `the period ${p.code} has not begun`,
    (p) => `periode ${p.code} belum dimulai`,
  ),
  database_value: fixed('a value the database cannot store', 'nilai yang tidak dapat disimpan basis data'),
  // What the framework refused before our schemas saw the request: its own English, a sentence in Indonesian.
  prototype_field_name: fixed(
    'prototype property is not allowed as field name',
    'nama field __proto__, constructor atau prototype tidak diizinkan',
  ),
  request_refused: sentence(
    (p) => String(p.message),
    () => 'permintaan ini tidak dapat diproses',
  ),
  // zod's own issue, worded by us in both languages: zod's English names a JavaScript value.
  required: fixed('Required', 'Wajib diisi'),
  // The registers' checks (WBP, petugas): a field error of a form, a rejected row of an import.
  in_future: sentence(
    (p) => `${p.field} lies in the future`,
    (p) => `${p.field} berada di masa depan`,
  ),
  before_field: sentence(
    (p) => `${p.field} is before ${p.other}`,
    (p) => `${p.field} sebelum ${p.other}`,
  ),
  span_at_most: sentence(
    (p) => `at most ${p.days} days from ${p.other} to ${p.field}, both included`,
    (p) => `paling banyak ${p.days} hari dari ${p.other} sampai ${p.field}, keduanya termasuk`,
  ),
  officer_active_left: fixed('an active officer has no left_on', 'petugas aktif tidak memiliki left_on'),
  field_required_for_status: sentence(
    (p) => `${p.field} is required when status is ${p.status}`,
    (p) => `${p.field} wajib diisi untuk status ${p.status}`,
  ),
  // A rejected row of an import, after the name of the column it is about.
  row_repeats_line: sentence(
    (p) => `repeats line ${p.line}`,
    (p) => `sudah ada di baris ${p.line}`,
  ),
  row_required_for_status: sentence(
    (p) => `required when status is ${p.status}`,
    (p) => `wajib diisi untuk status ${p.status}`,
  ),
  row_only_for_status: sentence(
    (p) => `only for status ${p.status}`,
    (p) => `hanya untuk status ${p.status}`,
  ),
  row_inmate_transferred_out: fixed(
    'this person was transferred out of this facility',
    'WBP ini sudah dipindahkan dari Lapas/Rutan ini',
  ),
  row_inmate_return: sentence(
    (p) => `the person is ${p.status} here; a return is a new admission`,
    (p) => `WBP ini ${statusId(p.status)}; bila kembali, dicatat sebagai penerimaan baru`,
  ),
  row_officer_elsewhere: fixed('belongs to an officer of another facility', 'milik petugas Lapas/Rutan lain'),
  // Webhook subscriptions.
  unknown_event_type: sentence(
    (p) => `${p.type} is not an event type of the catalogue (the webhooks section of openapi.yaml)`,
    (p) => `${p.type} bukan jenis event dalam katalog (bagian webhooks di openapi.yaml)`,
  ),
} satisfies Record<string, Sentence>;
export type FieldTextCode = keyof typeof fieldTexts;

export const fieldSentence = (code: FieldTextCode, p: Params = {}): Localized => filledIn(fieldTexts[code], p);
