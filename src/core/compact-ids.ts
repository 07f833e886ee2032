import { type SQL, sql } from 'drizzle-orm';

// The ids a read event names, kept compact: a list's event names a page of people, and as UUID
// text its row outgrew the size PostgreSQL keeps inline, so each one wrote to the TOAST table too.
// Stored as `ids_b64`, each UUID's sixteen bytes in unpadded base64url; the audit API answers
// them as `ids`, UUIDs again (modules/audit/dto.ts). Ids that are not UUIDs stay as `ids`.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COMPACT = /^[A-Za-z0-9_-]{22}$/;

/** `{ ids_b64: [...] }` when every id is a UUID, else `{ ids: [...] }` as given. */
export function compactIds(ids: readonly string[]): { ids_b64: string[] } | { ids: string[] } {
  if (!ids.every((id) => UUID.test(id))) return { ids: [...ids] };
  return { ids_b64: ids.map((id) => Buffer.from(id.replaceAll('-', ''), 'hex').toString('base64url')) };
}

/** The UUIDs of `ids_b64`, in their order; null when one of them is not a compact UUID. */
export function expandIds(compact: unknown): string[] | null {
  if (!Array.isArray(compact) || !compact.every((c) => typeof c === 'string' && COMPACT.test(c))) return null;
  return compact.map((c: string) => {
    const hex = Buffer.from(c, 'base64url').toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  });
}

/** The same array in SQL: the aggregate of the uuid expression `id` in the order of `n`. */
export function compactIdsSql(id: SQL, n: SQL): SQL {
  return sql`jsonb_agg(translate(encode(uuid_send(${id}), 'base64'), '+/=', '-_') ORDER BY ${n})`;
}
