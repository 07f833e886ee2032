import { Problem } from './problem.ts';

// Keyset pagination over UUIDv7 ids (time-ordered): the cursor is the last id seen, made opaque.
// A list filtered on a date or on updated_since is ordered by that stamp, then id, so that an index
// on (…, stamp, id) serves a page without sorting every matching row: its cursor also names the
// stamp and holds its value. A cursor used with an order it was not issued for is a 400.
const ID = /^[0-9a-f-]{36}$/;
// A date (2026-12-04) or an instant to the microsecond in UTC (2026-12-04T01:02:03.000004Z).
const STAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\.\d{6}Z)?$/;

function readCursor(cursor: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const value = readCursor(cursor);
  if (value && value.by === undefined && typeof value.after === 'string' && ID.test(value.after)) return value.after;
  throw new Problem(400, 'invalid_cursor');
}

export function encodeCursor(after: string | number): string {
  return Buffer.from(JSON.stringify({ after })).toString('base64url');
}

/** Rows were fetched with limit + 1: the extra one says whether another page exists. */
export function page<R, T>(rows: R[], limit: number, keyOf: (row: R) => string | number, map: (row: R) => T) {
  return pageWith(rows, limit, (row) => encodeCursor(keyOf(row)), map);
}

/** The page shown of rows fetched with limit + 1, and the cursor of its last row when more follow. */
function pageWith<R, T>(rows: R[], limit: number, cursorOf: (row: R) => string, map: (row: R) => T) {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown[shown.length - 1];
  return { data: shown.map(map), next_cursor: more && last ? cursorOf(last) : null };
}

export function decodeSeqCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const value = readCursor(cursor);
  if (value && typeof value.after === 'number' && Number.isSafeInteger(value.after)) return value.after;
  throw new Problem(400, 'invalid_cursor');
}

/** The keyset a list query asks for: the rows after its cursor (400 when unreadable), at most its limit. */
export function keysetOf(q: { cursor?: string | undefined; limit: number }): {
  after: string | undefined;
  limit: number;
} {
  return { after: decodeCursor(q.cursor), limit: q.limit };
}

/** Where a page of a list ordered by a stamp then id starts: after this stamp and id. */
export interface StampedKeyset {
  /** The stamp the list is ordered by (a column's name), or undefined for id alone. */
  by: string | undefined;
  after: string | undefined;
  at: string | undefined;
  limit: number;
}

/**
 * The keyset of a list whose order its filter chooses: `by` names the stamp (undefined: id alone).
 * A cursor issued for another order (an old one, or one from the list with other filters) is a 400.
 */
export function stampedKeysetOf(
  q: { cursor?: string | undefined; limit: number },
  by: string | undefined,
): StampedKeyset {
  if (by === undefined) return { by, at: undefined, ...keysetOf(q) };
  if (q.cursor === undefined) return { by, after: undefined, at: undefined, limit: q.limit };
  const value = readCursor(q.cursor);
  if (
    value &&
    value.by === by &&
    typeof value.at === 'string' &&
    STAMP.test(value.at) &&
    typeof value.after === 'string' &&
    ID.test(value.after)
  )
    return { by, after: value.after, at: value.at, limit: q.limit };
  throw new Problem(400, 'invalid_cursor');
}

/** A page of rows fetched with limit + 1 in a keyset's order; `keyOf` gives a row's id and stamp. */
export function stampedPage<R, T>(
  rows: R[],
  keyset: StampedKeyset,
  keyOf: (row: R) => { id: string; at: string | null },
  map: (row: R) => T,
) {
  return pageWith(
    rows,
    keyset.limit,
    (row) => {
      const { id, at } = keyOf(row);
      return stampedCursor(keyset.by, at, id);
    },
    map,
  );
}

/** The cursor of the rows after this one, in a list ordered by `by` (undefined: id alone). */
export function stampedCursor(by: string | undefined, at: string | null, after: string): string {
  return by === undefined ? encodeCursor(after) : Buffer.from(JSON.stringify({ after, by, at })).toString('base64url');
}
