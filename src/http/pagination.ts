import { Problem } from './problem.ts';

// Keyset pagination over UUIDv7 ids (time-ordered): the cursor is the last id seen, made opaque.
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof value.after === 'string' && /^[0-9a-f-]{36}$/.test(value.after)) return value.after;
  } catch {
    // fall through
  }
  throw new Problem(400, 'invalid_cursor');
}

export function encodeCursor(after: string | number): string {
  return Buffer.from(JSON.stringify({ after })).toString('base64url');
}

/** Rows were fetched with limit + 1: the extra one says whether another page exists. */
export function page<R, T>(rows: R[], limit: number, keyOf: (row: R) => string | number, map: (row: R) => T) {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown[shown.length - 1];
  return { data: shown.map(map), next_cursor: more && last ? encodeCursor(keyOf(last)) : null };
}

export function decodeSeqCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof value.after === 'number' && Number.isSafeInteger(value.after)) return value.after;
  } catch {
    // fall through
  }
  throw new Problem(400, 'invalid_cursor');
}

/** The keyset a list query asks for: the rows after its cursor (400 when unreadable), at most its limit. */
export function keysetOf(q: { cursor?: string | undefined; limit: number }): {
  after: string | undefined;
  limit: number;
} {
  return { after: decodeCursor(q.cursor), limit: q.limit };
}
