CREATE TABLE "facility_data_pending" (
	"xact" bigint NOT NULL,
	"facility_id" uuid NOT NULL,
	CONSTRAINT "facility_data_pending_xact_facility_id_pk" PRIMARY KEY("xact","facility_id")
);
--> statement-breakpoint
CREATE TABLE "facility_data_versions" (
	"facility_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
-- Facility data versions. Each server process keeps the scorecard's figures of a facility for as
-- long as that facility's version stands; so every write to a table the figures read must move the
-- version of every facility whose figures it may change, in the same transaction. Triggers on
-- those tables do it, rather than the services or the audit trail: a write path can forget to
-- audit the right facility (and a read's audit row must move nothing), a trigger cannot be
-- forgotten, and it also sees the facilities a row reaches beyond its own (an inmate's confirmed
-- positive counts wherever the inmate is placed).
--
-- The versions move at commit, not at each statement: the statement triggers only note the
-- facilities touched (facility_data_pending, keyed by transaction, so that no two transactions
-- ever wait on each other there), and one deferred trigger moves them all in facility order just
-- before the commit. A version row is then locked only from that moment to the commit, always in
-- the same order, so two writes touching the same facilities cannot deadlock on them.
ALTER TABLE "facility_data_pending" SET UNLOGGED;
--> statement-breakpoint
-- The global version (the nil id) moves on a TRUNCATE, which names no rows.
CREATE OR REPLACE FUNCTION facility_data_touch(ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO facility_data_pending (xact, facility_id)
  SELECT DISTINCT txid_current(), id FROM unnest(ids) AS id WHERE id IS NOT NULL
  ON CONFLICT DO NOTHING
$$;
--> statement-breakpoint
-- Moves the versions of the facilities this transaction touched. It fires once a pending row,
-- at commit; the first firing moves them all and empties the transaction's rows, so the later
-- ones find nothing.
CREATE OR REPLACE FUNCTION facility_data_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  WITH done AS (DELETE FROM facility_data_pending WHERE xact = txid_current() RETURNING facility_id)
  INSERT INTO facility_data_versions AS v (facility_id, version)
  SELECT DISTINCT facility_id, 1 FROM done ORDER BY facility_id
  ON CONFLICT (facility_id) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER facility_data_bump AFTER INSERT ON facility_data_pending
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION facility_data_bump();
--> statement-breakpoint
-- A statement trigger of a source table: TG_ARGV[0] selects the facilities touched from the rows
-- of a transition table, whose name fills %1$s (the old rows, then the new ones).
CREATE OR REPLACE FUNCTION facility_data_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM facility_data_touch(ARRAY['00000000-0000-0000-0000-000000000000'::uuid]);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE format('SELECT array_agg(DISTINCT f) FROM (' || TG_ARGV[0] || ') AS s(f)', 'old_rows') INTO ids;
    PERFORM facility_data_touch(ids);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE format('SELECT array_agg(DISTINCT f) FROM (' || TG_ARGV[0] || ') AS s(f)', 'new_rows') INTO ids;
    PERFORM facility_data_touch(ids);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Every table an indicator's count or records read (src/modules/compliance: counts.ts,
-- indicators/, and trainings/coverage.ts), with the facilities a row of it bears on.
DO $$
DECLARE
  s record;
BEGIN
  FOR s IN SELECT * FROM (VALUES
    ('facilities', 'SELECT id FROM %1$s'),
    ('inmate_placements', 'SELECT facility_id FROM %1$s'),
    -- An inmate's case type counts wherever the inmate has been placed.
    ('inmates', 'SELECT p.facility_id FROM %1$s r JOIN inmate_placements p ON p.inmate_id = r.id'),
    -- A test counts at its facility; an inmate's confirmed positive also wherever the inmate is placed.
    ('urine_tests', 'SELECT facility_id FROM %1$s UNION ALL
       SELECT p.facility_id FROM %1$s r JOIN inmate_placements p ON p.inmate_id = r.subject_id
        WHERE r.subject_type = ''inmate'' AND r.confirmation = ''confirmed_positive'''),
    -- An officer's service dates judge the officer's tests at any facility.
    ('officers', 'SELECT facility_id FROM %1$s UNION ALL
       SELECT t.facility_id FROM %1$s r JOIN urine_tests t ON t.subject_type = ''officer'' AND t.subject_id = r.id'),
    ('training_participants', 'SELECT facility_id FROM %1$s UNION ALL
       SELECT o.facility_id FROM %1$s r JOIN officers o ON o.id = r.officer_id'),
    ('trainings', 'SELECT p.facility_id FROM %1$s r JOIN training_participants p ON p.training_id = r.id UNION ALL
       SELECT o.facility_id FROM %1$s r JOIN training_participants p ON p.training_id = r.id JOIN officers o ON o.id = p.officer_id'),
    ('inspections', 'SELECT facility_id FROM %1$s'),
    ('corrective_actions', 'SELECT facility_id FROM %1$s'),
    ('follow_up_cases', 'SELECT facility_id FROM %1$s'),
    -- An enrolment counts at its facility, and for its inmate wherever the inmate is placed.
    ('rehab_enrolments', 'SELECT facility_id FROM %1$s UNION ALL
       SELECT p.facility_id FROM %1$s r JOIN inmate_placements p ON p.inmate_id = r.inmate_id'),
    ('campaigns', 'SELECT facility_id FROM %1$s'),
    ('mous', 'SELECT mf.facility_id FROM %1$s r JOIN mou_facilities mf ON mf.mou_id = r.id'),
    ('mou_facilities', 'SELECT facility_id FROM %1$s')
  ) AS v(tab, touched) LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION facility_data_moved(%L)', s.tab || '_data_inserted', s.tab, s.touched);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION facility_data_moved(%L)', s.tab || '_data_updated', s.tab, s.touched);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION facility_data_moved(%L)', s.tab || '_data_deleted', s.tab, s.touched);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I
                    FOR EACH STATEMENT EXECUTE FUNCTION facility_data_moved()', s.tab || '_data_truncated', s.tab);
  END LOOP;
END
$$;
