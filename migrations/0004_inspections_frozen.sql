-- A signed-off inspection report is frozen, here as well as in the service: its row, findings,
-- evidence and actions' content refuse change; addenda and custody entries are append-only.
CREATE OR REPLACE FUNCTION inspection_status_of(inspection uuid) RETURNS inspection_status
LANGUAGE sql STABLE AS $$ SELECT status FROM inspections WHERE id = inspection $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION inspections_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'inspections are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status = 'signed_off' THEN
    RAISE EXCEPTION 'inspection % is signed off and frozen', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER inspections_guard BEFORE UPDATE OR DELETE ON inspections FOR EACH ROW EXECUTE FUNCTION inspections_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION inspection_parts_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- The report a part belongs to now, and the one it would belong to: both must be drafts.
  IF TG_OP IN ('UPDATE', 'DELETE') AND inspection_status_of(OLD.inspection_id) <> 'draft' THEN
    RAISE EXCEPTION '% of inspection % may change only while it is a draft', TG_TABLE_NAME, OLD.inspection_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND inspection_status_of(NEW.inspection_id) <> 'draft' THEN
    RAISE EXCEPTION '% of inspection % may change only while it is a draft', TG_TABLE_NAME, NEW.inspection_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
--> statement-breakpoint
CREATE TRIGGER inspection_findings_guard BEFORE INSERT OR UPDATE OR DELETE ON inspection_findings FOR EACH ROW EXECUTE FUNCTION inspection_parts_guard();
--> statement-breakpoint
CREATE TRIGGER evidence_items_guard BEFORE INSERT OR UPDATE OR DELETE ON evidence_items FOR EACH ROW EXECUTE FUNCTION inspection_parts_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION corrective_actions_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'corrective actions are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'INSERT' AND inspection_status_of(NEW.inspection_id) = 'signed_off' THEN
    RAISE EXCEPTION 'inspection % is signed off: add an addendum', NEW.inspection_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- After sign-off an action still progresses (status, closing comment), but what it asks does not change.
  -- Where an action belongs never changes.
  IF TG_OP = 'UPDATE' AND (NEW.inspection_id, NEW.facility_id, NEW.automatic)
       IS DISTINCT FROM (OLD.inspection_id, OLD.facility_id, OLD.automatic) THEN
    RAISE EXCEPTION 'corrective action % stays with its report', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- A verified action is final: its outcome is not rewritten (a correction is an addendum).
  IF TG_OP = 'UPDATE' AND OLD.status = 'verified' THEN
    RAISE EXCEPTION 'corrective action % is verified and final', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'UPDATE' AND inspection_status_of(OLD.inspection_id) = 'signed_off'
     AND (NEW.description, NEW.due_date, NEW.owner_organisation_id, NEW.owner_officer_id, NEW.finding_id)
         IS DISTINCT FROM (OLD.description, OLD.due_date, OLD.owner_organisation_id, OLD.owner_officer_id, OLD.finding_id) THEN
    RAISE EXCEPTION 'corrective action % belongs to a signed-off report', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER corrective_actions_guard BEFORE INSERT OR UPDATE OR DELETE ON corrective_actions FOR EACH ROW EXECUTE FUNCTION corrective_actions_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER custody_entries_append_only BEFORE UPDATE OR DELETE ON custody_entries FOR EACH ROW EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER inspection_addenda_append_only BEFORE UPDATE OR DELETE ON inspection_addenda FOR EACH ROW EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER inspections_no_truncate BEFORE TRUNCATE ON inspections FOR EACH STATEMENT EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER inspection_findings_no_truncate BEFORE TRUNCATE ON inspection_findings FOR EACH STATEMENT EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER evidence_items_no_truncate BEFORE TRUNCATE ON evidence_items FOR EACH STATEMENT EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER custody_entries_no_truncate BEFORE TRUNCATE ON custody_entries FOR EACH STATEMENT EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER corrective_actions_no_truncate BEFORE TRUNCATE ON corrective_actions FOR EACH STATEMENT EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER inspection_addenda_no_truncate BEFORE TRUNCATE ON inspection_addenda FOR EACH STATEMENT EXECUTE FUNCTION append_only();
