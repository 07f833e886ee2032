-- The people a facility held in a period, and of those held at its end the ones rehabilitation is
-- for, counted from one index over the stays, kept exact in each writing transaction by triggers.
--
-- prev_until: the latest until_date of the same person's earlier stays at the same facility, in
-- the order (from_date, id), 'infinity' while one of them is open; NULL for their first stay there.
-- Of a person's stays at a facility that overlap a period, only the first has prev_until NULL or
-- before the period's first day (all before it ended before that day; every later one has that
-- first one before it), so counting those stays counts the people, exactly, whatever the stays
-- (touching, on one day, back again in the same period, even overlapping), with no DISTINCT: a
-- range of the index below, read alone. Chosen over a table by facility and day, which cannot
-- give the people of a period without a row a person (or a day) to read and keep: a write here
-- recomputes only the stays of the people it touches.
--
-- narcotics_user: the person's case type is narcotics_user, as their entry says now (the rule
-- reads it so); a copy of the entry's case type on each of their stays, so that the count of those
-- held at the end reads no entries.
DROP INDEX "inmate_placements_facility_idx";--> statement-breakpoint
ALTER TABLE "inmate_placements" ADD COLUMN "prev_until" date;--> statement-breakpoint
ALTER TABLE "inmate_placements" ADD COLUMN "narcotics_user" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE inmate_placements p SET prev_until = w.prev_until
  FROM (SELECT q.id, max(coalesce(q.until_date, 'infinity'::date)) OVER (
                 PARTITION BY q.inmate_id, q.facility_id ORDER BY q.from_date, q.id
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_until
          FROM inmate_placements q) w
 WHERE p.id = w.id AND w.prev_until IS NOT NULL;
--> statement-breakpoint
UPDATE inmate_placements p SET narcotics_user = true
  FROM inmates i WHERE i.id = p.inmate_id AND i.case_type = 'narcotics_user';
--> statement-breakpoint
CREATE INDEX "inmate_placements_facility_until_idx" ON "inmate_placements" USING btree ("facility_id",coalesce("until_date", 'infinity'::date),"from_date","prev_until","until_date","narcotics_user","inmate_id");
--> statement-breakpoint
-- prev_until, whatever writes the stays (the service, an import, a set-based fill): each statement
-- recomputes the stays of the people whose stays it changed (person, facility or dates). Its own
-- update changes none of those, so the trigger it fires stops there.
CREATE FUNCTION inmate_placements_prev_until() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  people uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    people := ARRAY(SELECT DISTINCT n.inmate_id FROM new_rows n);
  ELSIF TG_OP = 'DELETE' THEN
    people := ARRAY(SELECT DISTINCT o.inmate_id FROM old_rows o);
  ELSE
    people := ARRAY(
      SELECT DISTINCT c.inmate_id FROM (
        (SELECT n.id, n.inmate_id, n.facility_id, n.from_date, n.until_date FROM new_rows n
         EXCEPT SELECT o.id, o.inmate_id, o.facility_id, o.from_date, o.until_date FROM old_rows o)
        UNION ALL
        (SELECT o.id, o.inmate_id, o.facility_id, o.from_date, o.until_date FROM old_rows o
         EXCEPT SELECT n.id, n.inmate_id, n.facility_id, n.from_date, n.until_date FROM new_rows n)) c);
  END IF;
  IF cardinality(people) = 0 THEN
    RETURN NULL;
  END IF;
  UPDATE inmate_placements p SET prev_until = w.prev_until
    FROM (SELECT x.id, x.prev_until FROM (
            SELECT q.id, q.prev_until AS kept, max(coalesce(q.until_date, 'infinity'::date)) OVER (
                     PARTITION BY q.inmate_id, q.facility_id ORDER BY q.from_date, q.id
                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_until
              FROM inmate_placements q
             WHERE q.inmate_id IN (SELECT unnest(people))) x
           WHERE x.prev_until IS DISTINCT FROM x.kept) w
   WHERE p.id = w.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER inmate_placements_prev_until_insert AFTER INSERT ON inmate_placements
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION inmate_placements_prev_until();
--> statement-breakpoint
CREATE TRIGGER inmate_placements_prev_until_update AFTER UPDATE ON inmate_placements
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION inmate_placements_prev_until();
--> statement-breakpoint
CREATE TRIGGER inmate_placements_prev_until_delete AFTER DELETE ON inmate_placements
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION inmate_placements_prev_until();
--> statement-breakpoint
-- narcotics_user from the entry, on every stay written, whatever sets it: the entry's row is locked
-- (FOR SHARE) so that a change of its case type waits for this stay, which it then updates.
CREATE FUNCTION inmate_placements_narcotics_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.narcotics_user := coalesce(
    (SELECT i.case_type = 'narcotics_user' FROM inmates i WHERE i.id = NEW.inmate_id FOR SHARE), false);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER inmate_placements_narcotics_user BEFORE INSERT OR UPDATE OF inmate_id, narcotics_user
  ON inmate_placements FOR EACH ROW EXECUTE FUNCTION inmate_placements_narcotics_user();
--> statement-breakpoint
-- A change of an entry's case type, on all of the person's stays.
CREATE FUNCTION inmates_case_type_to_placements() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE inmate_placements p SET narcotics_user = (n.case_type = 'narcotics_user')
    FROM new_rows n JOIN old_rows o ON o.id = n.id
   WHERE n.case_type IS DISTINCT FROM o.case_type AND p.inmate_id = n.id
     AND p.narcotics_user IS DISTINCT FROM (n.case_type = 'narcotics_user');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER inmates_case_type_to_placements AFTER UPDATE ON inmates
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION inmates_case_type_to_placements();
