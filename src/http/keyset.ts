import { page } from './pagination.ts';
import { Problem } from './problem.ts';

/**
 * Keyset cursors over an order other than the id alone (a due date, a ranking): the cursor carries
 * the sort values and the id, joined by "|", and is checked against the expected shape.
 */
export function decodeKeyCursor(cursor: string | undefined, shape: RegExp): string[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof value.after === 'string' && shape.test(value.after)) return value.after.split('|');
  } catch {
    // fall through
  }
  throw new Problem(400, 'invalid_cursor');
}

/** A page of rows fetched with limit + 1, its cursor made of the last row's sort values and id. */
export const keysetPage = <R, T>(
  rows: R[],
  limit: number,
  keyOf: (row: R) => (string | number)[],
  map: (row: R) => T,
) => page(rows, limit, (row) => keyOf(row).join('|'), map);
