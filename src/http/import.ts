import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { Problem } from './problem.ts';

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
    throw new Problem(400, 'invalid_csv', { reason: 'the file is not UTF-8 text' });
  }
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (!firstLine.trim()) throw new Problem(400, 'invalid_csv', { reason: 'the file has no header row' });
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  try {
    const records = parse(text, {
      bom: true,
      delimiter,
      columns: (header: string[]) => {
        const columns = header.map((h) => h.trim().toLowerCase());
        const missing = required.filter((c) => !columns.includes(c));
        if (missing.length) throw new Problem(400, 'invalid_csv', { reason: `missing columns: ${missing.join(', ')}` });
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
    const where = e.lines ? ` at line ${e.lines}` : '';
    const reason =
      e.code === 'CSV_QUOTE_NOT_CLOSED'
        ? `a quoted field never closes${where}`
        : `the file cannot be read as CSV${where}`;
    throw new Problem(400, 'invalid_csv', { reason });
  }
}

export const ImportQuery = z.strictObject({
  dry_run: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .meta({ description: 'Report what would happen without writing' }),
  atomic: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .meta({ description: 'All rows or none: any rejected row makes it a 422 and nothing is written' }),
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

export function lineOf(row: ImportRow, index: number): number {
  const line = row[LINE];
  return typeof line === 'number' ? line : index + 1;
}
