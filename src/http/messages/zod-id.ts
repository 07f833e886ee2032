// zod's own issues, in Indonesian. zod's `id` locale reads as a word-for-word translation ("diharapkan
// string, diterima number", "Kunci tidak dikenali s"). English stays zod's own wording; these are the
// Indonesian, by issue code. A missing field is neither: fieldTexts.required, in both languages.
import type { z } from 'zod';

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
