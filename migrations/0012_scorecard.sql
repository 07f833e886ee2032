CREATE TABLE "scorecard_snapshots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"period" text NOT NULL,
	"revision" integer NOT NULL,
	"score" numeric(5, 1) NOT NULL,
	"status" text NOT NULL,
	"body" jsonb NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	"taken_by" uuid NOT NULL
);
--> statement-breakpoint
DROP INDEX "urine_tests_subject_idx";--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "scorecard_snapshots" ADD CONSTRAINT "scorecard_snapshots_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "scorecard_snapshots_revision_key" ON "scorecard_snapshots" USING btree ("facility_id","period","revision");--> statement-breakpoint
CREATE INDEX "scorecard_snapshots_period_idx" ON "scorecard_snapshots" USING btree ("period","facility_id");--> statement-breakpoint
CREATE INDEX "scorecard_snapshots_taken_idx" ON "scorecard_snapshots" USING btree ("facility_id","period","taken_at" DESC);--> statement-breakpoint
CREATE INDEX "rehab_enrolments_facility_ended_idx" ON "rehab_enrolments" USING btree ("facility_id","ended_on");--> statement-breakpoint
CREATE INDEX "urine_tests_confirmed_positive_idx" ON "urine_tests" USING btree ("subject_type","subject_id","collected_at") WHERE "urine_tests"."confirmation" = 'confirmed_positive';--> statement-breakpoint
CREATE INDEX "urine_tests_subject_idx" ON "urine_tests" USING btree ("subject_id","subject_type","collected_at");--> statement-breakpoint
-- Snapshots are history: a correction is a new revision, never an edit.
CREATE TRIGGER scorecard_snapshots_append_only BEFORE UPDATE OR DELETE ON scorecard_snapshots FOR EACH ROW EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER scorecard_snapshots_no_truncate BEFORE TRUNCATE ON scorecard_snapshots FOR EACH STATEMENT EXECUTE FUNCTION append_only();
--> statement-breakpoint
-- Actions already done keep when they were done: the first audited change that made them done,
-- else their last change. The guard that keeps verified actions final is lifted for this one fill.
ALTER TABLE corrective_actions DISABLE TRIGGER corrective_actions_guard;
--> statement-breakpoint
UPDATE corrective_actions a
   SET closed_at = coalesce(
         (SELECT min(e.occurred_at) FROM audit_events e
           WHERE e.entity_type = 'corrective_action' AND e.entity_id = a.id::text
             AND e.action = 'corrective_action.updated' AND e.after->>'status' IN ('done', 'verified')),
         a.updated_at)
 WHERE a.status IN ('done', 'verified');
--> statement-breakpoint
ALTER TABLE corrective_actions ENABLE TRIGGER corrective_actions_guard;
