import { type Column, type ColumnsSelection, getTableColumns, is, sql, Table } from 'drizzle-orm';
import type { TypedQueryBuilder } from 'drizzle-orm/query-builders/query-builder';
import type { Actor } from './change.ts';
import { compactIdsSql } from './compact-ids.ts';
import type { Db } from './executor.ts';

// A list that names people, and the audit event of its read, in one statement.

/** The record a read of named people leaves; absent when it leaves none (see http/personal-data.ts). */
export interface ReadRecord {
  actor: Actor;
  /** `urine_test.viewed` */
  action: string;
  entityType: string;
  url: string;
}

/** Which of a page's columns say whom a row names and at which facility, and how many rows are shown. */
export interface NamedRows {
  id: Column;
  facilityId: Column;
  /** The page's limit: the query fetches one row more, to tell whether another page follows, and that row is not shown. */
  shown: number;
}

/** A drizzle select: awaited, its rows. */
type Select<Rows> = TypedQueryBuilder<ColumnsSelection, Rows> & PromiseLike<Rows>;

/**
 * Runs `page` and, when `record` is given, leaves one audit event for each facility whose people
 * the shown rows name, exactly as recordReads would, in the same statement: one round trip and one
 * commit where a query and then an INSERT took two (or three in a transaction). The page is a
 * materialised CTE, complete before the INSERT below it draws its first row, so the chain's lock
 * (taken by the INSERT's trigger) is held only from that INSERT to the commit, as before; and the
 * commit does not wait for the disk, for the reasons given at recordReads. An empty page writes
 * nothing. A CTE is scanned in the order its query produced its rows: the page keeps its order,
 * and the rows shown are its first `shown`. `db` must be the pool, never a write's transaction.
 */
export async function readNamed<Rows>(
  db: Db,
  page: Select<Rows>,
  named: NamedRows,
  record: ReadRecord | undefined,
): Promise<Rows> {
  if (!record) return page;
  const rows = db.$with('named_page', columnsOf(page)).as(page.getSQL());
  const id = sql.identifier(named.id.name);
  const facilityId = sql.identifier(named.facilityId.name);
  const logged = db.$with('named_read', {}).as(
    sql`INSERT INTO audit_events (id, actor_type, actor_id, actor_role, request_id, action, entity_type, entity_id, facility_id, after)
        SELECT ${uuidv7Sql}, ${record.actor.type}, ${record.actor.id}, ${record.actor.role}, ${record.actor.requestId},
               ${record.action}, ${record.entityType},
               CASE WHEN count(*) = 1 THEN min(shown.id::text) END, shown.facility_id,
               jsonb_build_object('ids_b64', ${compactIdsSql(sql`shown.id`, sql`shown.n`)}, 'url', ${record.url}::text)
          FROM (SELECT ${id} AS id, ${facilityId} AS facility_id, row_number() OVER () AS n
                  FROM named_page LIMIT ${named.shown}) AS shown
         CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous
         GROUP BY shown.facility_id
         ORDER BY min(shown.n)`,
  );
  return db.with(rows, logged).select().from(rows) as unknown as Promise<Rows>;
}

// A UUIDv7 made by the database (PostgreSQL 15 has no uuidv7()): the clock's milliseconds over a
// random UUID's first six bytes, and its version nibble set from 4 to 7.
const uuidv7Sql = sql`encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
        52, 1), 53, 1), 'hex')::uuid`;

/**
 * A select's fields with each whole table (`{ row: urineTests }`) spelled out as its columns: a
 * CTE's fields are read through it by name, and drizzle does so for columns, not for tables.
 */
function columnsOf(page: TypedQueryBuilder<ColumnsSelection, unknown>): ColumnsSelection {
  const spell = (fields: ColumnsSelection): ColumnsSelection =>
    Object.fromEntries(
      Object.entries(fields).map(([key, value]) => [key, is(value, Table) ? getTableColumns(value) : value]),
    );
  return spell((page as unknown as { getSelectedFields(): ColumnsSelection }).getSelectedFields());
}
