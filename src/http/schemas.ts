import { z } from 'zod';
import { PROVINCE_CODES, TIME_ZONES } from '../core/provinces.ts';
import { type FieldTextCode, fieldSentence } from './messages.ts';

// zod words an issue from its input, then drops the input: the input's type is kept on the issues
// worded from it (a wrong type, a missing enum or union) so that src/http/errors.ts can word them
// again in the caller's language, and tell a missing field from a wrong one.
const WORDED_FROM_INPUT = new Set(['invalid_type', 'invalid_value', 'invalid_union']);
z.config({
  customError: (issue) => {
    if (WORDED_FROM_INPUT.has(issue.code ?? '')) {
      Object.assign(issue, { received: z.core.util.parsedType(issue.input) });
    }
    return undefined;
  },
});

// Building blocks shared by every module's contract.
export const Id = z.uuid().meta({ id: 'Id', description: 'UUIDv7', example: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d' });
export const IdParams = <K extends string>(name: K) => z.strictObject({ [name]: Id } as Record<K, typeof Id>);
export const Timestamp = z.iso.datetime({ offset: true }).meta({ example: '2024-12-13T09:30:00+07:00' });
// Years the records can hold: nothing before 1900 or after 2199 is a real date here.
export const LocalDate = z.iso
  .date()
  .refine((d) => d >= '1900-01-01' && d <= '2199-12-31', {
    message: fieldSentence('date_range').en,
    params: { text: 'date_range' satisfies FieldTextCode },
  })
  .meta({ example: '2024-12-13' });
/** A refinement's message from the catalogue: English as raised, the code kept for other languages. */
export const refusal = (text: FieldTextCode, params: Record<string, string> = {}) => ({
  message: fieldSentence(text, params).en,
  params: { text, ...params },
});
/** Our arrays of ids and choices: each at most once. */
export const notRepeated = (field: string) => refusal('not_repeated', { field });
export const ProvinceCode = z.enum(PROVINCE_CODES).meta({ description: 'Kemendagri/BPS province code', example: '33' });
export const TimeZone = z.enum(TIME_ZONES).meta({ description: 'WIB, WITA or WIT', example: 'Asia/Jakarta' });

// Characters that change how the text around them is shown, or are not shown at all: a name or a
// number holding one can pass for another on screen. Line breaks and tabs only in multi-line text.
// An unpaired surrogate is no character at all: the database refuses it.
const BIDI_CONTROLS = /\p{Bidi_Control}/u;
const INVISIBLE = /[\u200B-\u200D\u2060-\u2064\uFEFF]/u;
const CONTROLS = /[\p{Cc}\u2028\u2029]/u;
const CONTROLS_BUT_LINES = /[^\P{Cc}\t\n\r]|[\u2028\u2029]/u;
const SURROGATE = /\p{Cs}/u;
/** Every character the text fields refuse, for showing refused input safely. */
export const HIDDEN = /[\p{Bidi_Control}\p{Cc}\p{Cs}\u200B-\u200D\u2060-\u2064\uFEFF\u2028\u2029]/gu;

export const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a text is refused (a catalogue code and the first character at fault); undefined when it may be kept. */
export function refusedCharacter(value: string, multiline = false): { text: FieldTextCode; char: string } | undefined {
  const bidi = BIDI_CONTROLS.exec(value)?.[0];
  if (bidi) return { text: 'bidi_control', char: codePoint(bidi) };
  const invisible = INVISIBLE.exec(value)?.[0];
  if (invisible) return { text: 'invisible', char: codePoint(invisible) };
  const surrogate = SURROGATE.exec(value)?.[0];
  if (surrogate) return { text: 'surrogate', char: codePoint(surrogate) };
  const control = (multiline ? CONTROLS_BUT_LINES : CONTROLS).exec(value)?.[0];
  if (control) return { text: multiline ? 'control' : 'control_or_line_break', char: codePoint(control) };
  return undefined;
}

export interface TextOptions {
  min?: number;
  max: number;
  /** Notes and descriptions: line breaks and tabs are kept. */
  multiline?: boolean;
  /** Surrounding white space removed (the default); search terms are taken as given. */
  trim?: boolean;
}

/**
 * Human-entered text: trimmed, normalised to NFC (so one name is stored, compared and found one
 * way), refusing bidirectional controls, invisible characters and control characters.
 */
export function text({ min = 0, max, multiline = false, trim = true }: TextOptions) {
  const checked = (trim ? z.string().trim() : z.string()).normalize('NFC').superRefine((value, ctx) => {
    const refusal = refusedCharacter(value, multiline);
    if (refusal) {
      ctx.addIssue({
        code: 'custom',
        message: fieldSentence(refusal.text, refusal).en,
        params: refusal,
        input: value,
      });
    }
  });
  return (min > 0 ? checked.min(min) : checked).max(max);
}

/**
 * A yes/no query parameter, as the services take it. Exactly `true` or `false` (what the contract
 * has always listed): not z.stringbool(), which would also take yes, 1 and on.
 */
export const QueryFlag = z.enum(['true', 'false']).transform((v) => v === 'true');
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Page size, 1 to 200' }),
  cursor: z.string().max(200).optional().meta({
    description:
      'next_cursor of the previous page, asked with the same filters. A cursor issued for another order of the list (a date or updated_since filter added or dropped, or one from before that order) is a 400 invalid_cursor: ask for the first page again.',
  }),
};

/** One text for every list's updated_since: how a client re-syncs without missing a row. */
export const RESYNC_OVERLAP =
  'A row is stamped when its write runs and its transaction commits a little later, so a row can appear stamped before a moment you already read past: keep the time you started each sync, and next time ask for updated_since = that time minus two minutes. Rows seen twice are fine; rows are never missed.';
/** A list's re-sync filter, on updated_at. */
export const UpdatedSince = Timestamp.optional().meta({
  description: `Only rows changed at or after this instant (inclusive). ${RESYNC_OVERLAP}`,
});
/** updated_since on a list that it then orders by updated_at, then id, so that an index serves each page. */
export const OrderingUpdatedSince = Timestamp.optional().meta({
  description: `Only rows changed at or after this instant (inclusive). The list is then ordered by updated_at, then id (unless a date filter orders it). ${RESYNC_OVERLAP}`,
});
/** The same filter for records never changed once written: it reads the column stamped at the write. */
export const WrittenSince = (column: 'created_at' | 'occurred_at', orders = false) =>
  Timestamp.optional().meta({
    description: `Only rows written at or after this instant (inclusive); these records are never changed afterwards, so this filters on ${column}.${orders ? ` The list is then ordered by ${column}, then id (unless a date filter orders it).` : ''} ${RESYNC_OVERLAP}`,
  });

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    next_cursor: z.string().nullable().meta({ description: 'Pass as cursor for the next page; null on the last' }),
  });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string(),
    request_id: z.string(),
    errors: z
      .array(
        z.object({
          in: z.enum(['body', 'querystring', 'params', 'headers']),
          pointer: z.string(),
          detail: z.string(),
        }),
      )
      .optional(),
  })
  .meta({
    id: 'Problem',
    description: 'RFC 9457 problem details; detail in Indonesian when Accept-Language prefers id',
  });
