-- The audit trail, partitioned by month of occurred_at (declarative range partitioning), so that
-- the months being written and read stay in the cache and older months rest on disk.
--
-- Design:
-- * The primary key becomes (seq, occurred_at): a partitioned table's unique keys must hold the
--   partition key. seq stays unique because one sequence draws it under the chain's lock; nothing
--   refers to audit_events by key (no foreign key, no ON CONFLICT).
-- * Months are cut in UTC. Partitions live in the schema audit_months, so that public lists only
--   the tables the service names; they are named mYYYY_MM.
-- * The chain's last link is kept in a one-row table, audit_chain_head, by the chain trigger under
--   the same advisory lock: finding the highest seq across every month at each insert would probe
--   one index per partition. Chain order stays commit order: seq, the link and the head move
--   together under the lock, which is held to commit.
-- * occurred_at is the transaction's start, so an event whose transaction began just before
--   midnight on the last day of a month can land in that month with a higher seq than the first
--   events of the next. Months therefore do not split seq into disjoint ranges, and verification
--   walks the parent in seq order (one index scan per partition, merged), never month by month.
-- * Partitions are made ahead: this migration makes every month the existing trail spans up to the
--   next month; the chore audit-months (src/modules/audit/months.ts) keeps the coming months made.
--   A DEFAULT partition catches any event outside them (a clock far off, say): it is chained and
--   verified like the rest, but audit_month_partition will not make a month whose events already
--   sit in DEFAULT (PostgreSQL could not attach it); those events stay there, and so do that
--   month's later ones, until an operator moves them by hand.
-- * Append-only: the row triggers on the parent (the chain, and the refusal of UPDATE and DELETE)
--   are cloned to every partition, so a partition named directly refuses them too. A statement
--   trigger is not cloned, so each partition gets its own TRUNCATE refusal. Dropping or detaching
--   a partition needs ownership of the table: the service's role must not own the trail in
--   production (see README); the chore makes months through audit_month_partition, which runs as
--   the owner. Should one go anyway, verification reports its missing events (the broken link
--   after them, the chain head, or the checkpoint they were under).
-- * Verification checkpoints: after a whole walk verifies, audit_checkpoints records each
--   partition's last event, its hash and how many events it held up to it. A later walk must find
--   them again, so a rewrite that recomputes every hash after an edit is still caught.
-- * Existing events are copied month by month into the new partitions with their seq, links and
--   hashes untouched (the chain trigger is created after the copy), then the old table is dropped.
CREATE TABLE "audit_chain_head" (
	"one" boolean PRIMARY KEY DEFAULT true NOT NULL CHECK ("one"),
	"seq" bigint,
	"id" uuid,
	"hash" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_checkpoints" (
	"partition" text NOT NULL,
	"last_seq" bigint NOT NULL,
	"last_id" uuid NOT NULL,
	"last_hash" text NOT NULL,
	"events" bigint NOT NULL,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_checkpoints_partition_last_seq_pk" PRIMARY KEY("partition","last_seq")
);
--> statement-breakpoint
-- One refusal for the trail, its partitions and its checkpoints, naming the table refused.
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE SCHEMA IF NOT EXISTS audit_months;
--> statement-breakpoint
ALTER TABLE audit_events RENAME TO audit_events_unpartitioned;
--> statement-breakpoint
ALTER INDEX audit_events_pkey RENAME TO audit_events_unpartitioned_pkey;
--> statement-breakpoint
ALTER INDEX audit_events_entity_idx RENAME TO audit_events_unpartitioned_entity_idx;
--> statement-breakpoint
ALTER INDEX audit_events_facility_idx RENAME TO audit_events_unpartitioned_facility_idx;
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"seq" bigint DEFAULT 0 NOT NULL,
	"id" uuid NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_role" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"facility_id" uuid,
	"request_id" text,
	"before" jsonb,
	"after" jsonb,
	"prev_hash" text DEFAULT '' NOT NULL,
	"hash" text DEFAULT '' NOT NULL
) PARTITION BY RANGE ("occurred_at");
--> statement-breakpoint
CREATE TABLE audit_months.m_default PARTITION OF audit_events DEFAULT;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_months.m_default
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
-- The hash of an event's fields, unchanged from the unpartitioned trail. A row trigger on a
-- partition sees the partition's row type, not audit_events', so the trigger passes the fields.
CREATE OR REPLACE FUNCTION audit_event_hash_of(
  prev_hash text, seq bigint, id uuid, occurred_at timestamptz, actor_type text, actor_id text,
  actor_role text, action text, entity_type text, entity_id text, facility_id uuid, request_id text,
  before jsonb, after jsonb
) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  -- A JSON array of the fields: no value can shift into its neighbour, and SQL NULL stays distinct from ''.
  SELECT encode(sha256(convert_to(jsonb_build_array(
    prev_hash, seq, id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    actor_type, actor_id, actor_role, action, entity_type, entity_id, facility_id, request_id, before, after
  )::text, 'UTF8')), 'hex')
$$;
--> statement-breakpoint
DROP FUNCTION audit_event_hash(audit_events_unpartitioned);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_event_hash(e audit_events) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT audit_event_hash_of(e.prev_hash, e.seq, e.id, e.occurred_at, e.actor_type, e.actor_id, e.actor_role,
                             e.action, e.entity_type, e.entity_id, e.facility_id, e.request_id, e.before, e.after)
$$;
--> statement-breakpoint
-- Makes the partition of the month that holds `month` (UTC), unless it exists: true when made.
-- Made apart and then attached, which locks the parent less than CREATE TABLE ... PARTITION OF.
-- SECURITY DEFINER: it runs as the role that migrates (the trail's owner), so a service role that
-- does not own the trail can still have its months made by the chore, and nothing more.
CREATE OR REPLACE FUNCTION audit_month_partition(month timestamptz) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  lo timestamptz := date_trunc('month', month AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  hi timestamptz := (date_trunc('month', month AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
  name text := 'm' || to_char(month AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
  IF to_regclass(format('audit_months.%I', name)) IS NOT NULL THEN
    RETURN false;
  END IF;
  IF EXISTS (SELECT 1 FROM audit_months.m_default WHERE occurred_at >= lo AND occurred_at < hi) THEN
    RAISE WARNING 'audit month % not made: its events are in audit_months.m_default', name;
    RETURN false;
  END IF;
  EXECUTE format('CREATE TABLE audit_months.%I (LIKE public.audit_events INCLUDING DEFAULTS)', name);
  EXECUTE format('ALTER TABLE public.audit_events ATTACH PARTITION audit_months.%I FOR VALUES FROM (%L) TO (%L)',
                 name, lo, hi);
  EXECUTE format('CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_months.%I
                  FOR EACH STATEMENT EXECUTE FUNCTION public.audit_events_refuse_change()', name);
  RETURN true;
END
$$;
--> statement-breakpoint
-- Every month from the oldest event's to the month after this one.
DO $$
DECLARE
  month timestamptz := date_trunc('month', coalesce(
    (SELECT min(occurred_at) FROM audit_events_unpartitioned), now()) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
BEGIN
  WHILE month <= now() + interval '1 month' LOOP
    PERFORM audit_month_partition(month);
    month := (month AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC';
  END LOOP;
END
$$;
--> statement-breakpoint
INSERT INTO audit_events (seq, id, occurred_at, actor_type, actor_id, actor_role, action, entity_type, entity_id,
                          facility_id, request_id, before, after, prev_hash, hash)
SELECT seq, id, occurred_at, actor_type, actor_id, actor_role, action, entity_type, entity_id,
       facility_id, request_id, before, after, prev_hash, hash
  FROM audit_events_unpartitioned;
--> statement-breakpoint
INSERT INTO audit_chain_head (one, seq, id, hash)
SELECT true, h.seq, h.id, coalesce(h.hash, '')
  FROM (SELECT 1) one
  LEFT JOIN (SELECT seq, id, hash FROM audit_events_unpartitioned ORDER BY seq DESC LIMIT 1) h ON true;
--> statement-breakpoint
DROP TABLE audit_events_unpartitioned;
--> statement-breakpoint
ALTER TABLE audit_events ADD CONSTRAINT "audit_events_pkey" PRIMARY KEY ("seq", "occurred_at");
--> statement-breakpoint
CREATE INDEX "audit_events_entity_idx" ON "audit_events" USING btree ("entity_type","entity_id","seq");
--> statement-breakpoint
CREATE INDEX "audit_events_facility_idx" ON "audit_events" USING btree ("facility_id","seq");
--> statement-breakpoint
-- As before, but the link comes from the head row, which moves with each event.
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  last_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(4242000001);
  -- By its key: a seq scan would read every dead version the head's updates leave behind.
  SELECT hash INTO last_hash FROM public.audit_chain_head WHERE one;
  NEW.seq := nextval('public.audit_events_seq_seq');
  NEW.prev_hash := coalesce(last_hash, '');
  NEW.hash := public.audit_event_hash_of(NEW.prev_hash, NEW.seq, NEW.id, NEW.occurred_at, NEW.actor_type,
                NEW.actor_id, NEW.actor_role, NEW.action, NEW.entity_type, NEW.entity_id, NEW.facility_id,
                NEW.request_id, NEW.before, NEW.after);
  UPDATE public.audit_chain_head SET seq = NEW.seq, id = NEW.id, hash = NEW.hash WHERE one;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
