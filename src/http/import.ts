import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { issueText } from './errors.ts';
import { fieldSentence, type Locale, type Localized, reasonOf, reasons } from './messages.ts';
import { Problem, type Text, textIn } from './problem.ts';
import { codePoint, HIDDEN, QueryFlag } from './schemas.ts';

/** The line of the source file a row came from (CSV); JSON rows count from 1. */
export const LINE = '__line';

export type ImportRow = Record<string, unknown>;

/**
 * Reads a CSV upload into rows: UTF-8 (a BOM is allowed), a header row, `;` or `,` as separator.
 * Malformed files are a 400 naming the line; each row keeps its line number for the report.
 */
export function parseCsv(body: Buffer, required: readonly string[] = []): ImportRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new Problem(400, 'invalid_csv', { reason: reasons.csv_not_utf8 });
  }
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (!firstLine.trim()) throw new Problem(400, 'invalid_csv', { reason: reasons.csv_no_header });
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  try {
    const records = parse(text, {
      bom: true,
      delimiter,
      columns: (header: string[]) => {
        const columns = header.map((h) => h.trim().toLowerCase());
        const missing = required.filter((c) => !columns.includes(c));
        if (missing.length)
          throw new Problem(400, 'invalid_csv', { reason: reasonOf.csv_missing_columns(missing.join(', ')) });
        return columns;
      },
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
    }) as { record: Record<string, string>; info: { lines: number } }[];
    return records.map(({ record, info }) => ({ ...record, [LINE]: info.lines }));
  } catch (err) {
    if (err instanceof Problem) throw err;
    const e = err as { code?: string; lines?: number; message?: string };
    const reason =
      e.code === 'CSV_QUOTE_NOT_CLOSED' ? reasonOf.csv_quote_open(e.lines) : reasonOf.csv_unreadable(e.lines);
    throw new Problem(400, 'invalid_csv', { reason });
  }
}

export const ImportQuery = z.strictObject({
  dry_run: QueryFlag.prefault('false').meta({ description: 'Report what would happen without writing' }),
  atomic: QueryFlag.prefault('false').meta({
    description: 'All rows or none: any rejected row makes it a 422 and nothing is written',
  }),
});

export const ImportBody = z
  .array(z.record(z.string(), z.unknown()))
  .max(20_000)
  .meta({ description: 'Rows as JSON objects with the same fields as the CSV columns; or send text/csv' });

export const ImportReport = z
  .object({
    dry_run: z.boolean(),
    total: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.array(z.object({ line: z.number().int(), key: z.string().nullable(), errors: z.array(z.string()) })),
  })
  .meta({
    id: 'ImportReport',
    examples: [
      {
        dry_run: false,
        total: 3,
        created: 1,
        updated: 1,
        unchanged: 0,
        rejected: [{ line: 4, key: 'B.I-123/2024', errors: ['birth_date: lies in the future'] }],
      },
    ],
  });
export type ImportReportDto = z.infer<typeof ImportReport>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The columns a CSV upload to this route must have in its header. */
    csvColumns?: readonly string[];
  }
}

/** text/csv bodies arrive parsed into rows, each with its line number; a header without the route's columns is a 400. */
export const csvPlugin = fp(
  async (app: FastifyInstance, opts: { bodyLimit: number }) => {
    app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (request, body, done) => {
      try {
        done(null, parseCsv(body as Buffer, request.routeOptions.config?.csvColumns ?? []));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
  },
  { name: 'csv' },
);

/** Empty CSV cells mean absent. A NUL byte is no text the register can hold: the cell is refused. */
export function blankToUndefined(row: ImportRow): ImportRow {
  const out: ImportRow = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === LINE) continue;
    out[key] =
      value === '' || value === null ? undefined : typeof value === 'string' && value.includes('\u0000') ? 0 : value;
  }
  return out;
}

/**
 * A row's key as the report shows it: in NFC as it would be kept, and with any character the
 * register refuses written as its code point, so the report cannot be spoofed by the row it refuses.
 */
export function shownKey(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const key = value.trim().normalize('NFC');
  return key ? key.replace(HIDDEN, (c) => `<${codePoint(c)}>`) : null;
}

export function lineOf(row: ImportRow, index: number): number {
  const line = row[LINE];
  return typeof line === 'number' ? line : index + 1;
}

export interface ImportOptions {
  dryRun: boolean;
  atomic: boolean;
  /** The caller's language, in which the report names what is wrong with each rejected row. */
  locale: Locale;
}

/** A sentence of the catalogue led by the column it is about, whose name stays as the file has it. */
export const atColumn = (column: string, text: Localized): Localized => ({
  en: `${column}: ${text.en}`,
  id: `${column}: ${text.id}`,
});

/** What to do with one good row, given the record it matches (if any). */
export type RowVerdict = 'create' | 'update' | 'unchanged' | { reject: Localized };

export interface ImportSpec<F, R> {
  /** The row schema (CSV cells arrive as strings; an empty cell is absent). */
  schema: z.ZodType<F>;
  /** The column that identifies a record, e.g. registration_number or nip. */
  keyColumn: string;
  keyOf(fields: F): string;
  /** Rules beyond the schema, as short sentences in both languages; none means the row is good. */
  rules(fields: F): Localized[];
  /** The records already kept under these keys (one query for the whole file). */
  existing(keys: string[]): Promise<R[]>;
  recordKey(record: R): string;
  decide(fields: F, record: R | undefined): RowVerdict | Promise<RowVerdict>;
}

export interface ImportPlan<F, R> {
  report: ImportReportDto;
  created: F[];
  updated: { record: R; fields: F }[];
}

/**
 * The common part of every register import: each row checked on its own (schema, rules, a key
 * repeated within the file), matched against what is kept, and sorted into created, updated,
 * unchanged and rejected with line numbers. atomic=true turns any rejected row into a 422.
 * The caller writes the plan (unless a dry run) and audits it.
 */
export async function planImport<F, R>(
  rows: ImportRow[],
  options: ImportOptions,
  spec: ImportSpec<F, R>,
): Promise<ImportPlan<F, R>> {
  // Why each row is refused, worded in the caller's language for the report or the problem.
  const refused: { line: number; key: string | null; errors: Text[] }[] = [];
  const valid: { line: number; fields: F }[] = [];
  const firstLineOf = new Map<string, number>();
  rows.forEach((raw, index) => {
    const line = lineOf(raw, index);
    const key = shownKey(raw[spec.keyColumn]);
    const parsed = spec.schema.safeParse(blankToUndefined(raw));
    if (!parsed.success) {
      const where = (i: z.core.$ZodIssue) => i.path.join('.') || 'row';
      const errors = parsed.error.issues.map((i) => {
        const text = issueText(i as unknown as Parameters<typeof issueText>[0]);
        return (locale: Locale) => `${where(i)}: ${textIn(text, locale)}`;
      });
      refused.push({ line, key, errors });
      return;
    }
    const errors: Text[] = spec.rules(parsed.data);
    const earlier = firstLineOf.get(spec.keyOf(parsed.data));
    if (earlier !== undefined)
      errors.push(atColumn(spec.keyColumn, fieldSentence('row_repeats_line', { line: earlier })));
    else firstLineOf.set(spec.keyOf(parsed.data), line);
    if (errors.length) refused.push({ line, key, errors });
    else valid.push({ line, fields: parsed.data });
  });

  const kept = valid.length ? await spec.existing(valid.map((v) => spec.keyOf(v.fields))) : [];
  const byKey = new Map(kept.map((r) => [spec.recordKey(r), r]));
  const created: F[] = [];
  const updated: { record: R; fields: F }[] = [];
  let unchanged = 0;
  for (const { line, fields } of valid) {
    const record = byKey.get(spec.keyOf(fields));
    const verdict = await spec.decide(fields, record);
    if (verdict === 'create') created.push(fields);
    else if (verdict === 'unchanged') unchanged++;
    else if (verdict === 'update' && record) updated.push({ record, fields });
    else if (typeof verdict === 'object') refused.push({ line, key: spec.keyOf(fields), errors: [verdict.reject] });
  }
  refused.sort((a, b) => a.line - b.line);
  if (options.atomic && refused.length) {
    throw new Problem(
      422,
      'import_rejected',
      { count: refused.length },
      {
        errors: refused.map((r) => ({
          in: 'body',
          pointer: `/${r.line}`,
          detail: (locale: Locale) =>
            `${locale === 'id' ? 'baris' : 'line'} ${r.line}: ${r.errors.map((e) => textIn(e, locale)).join('; ')}`,
        })),
      },
    );
  }
  const rejected = refused.map((r) => ({ ...r, errors: r.errors.map((e) => textIn(e, options.locale)) }));
  return {
    report: {
      dry_run: options.dryRun,
      total: rows.length,
      created: created.length,
      updated: updated.length,
      unchanged,
      rejected,
    },
    created,
    updated,
  };
}

/** True when every field the row gives equals what is kept (absent fields keep theirs). */
export function sameAsKept(
  kept: Record<string, unknown>,
  given: Record<string, unknown>,
  columns: readonly string[],
): boolean {
  return columns.every((c) => given[c] === undefined || (kept[c] ?? null) === given[c]);
}
