CREATE TABLE "chore_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"last_run_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "domain_events" (
	"position" bigint PRIMARY KEY DEFAULT 0 NOT NULL,
	"id" uuid NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"part" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"facility_ids" uuid[] DEFAULT '{}' NOT NULL,
	"organisation_ids" uuid[] DEFAULT '{}' NOT NULL,
	"province_code" text,
	"regency" text,
	"data" jsonb NOT NULL,
	"people" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "domain_events_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "event_marks" (
	"key" text PRIMARY KEY NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "domain_events_occurred_idx" ON "domain_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE SEQUENCE IF NOT EXISTS domain_events_position_seq;
--> statement-breakpoint
-- A position is drawn under the audit chain's lock, which every write takes with its audit row and
-- holds until commit: positions are handed out in commit order. The notice reaches listeners (the
-- webhook dispatcher) when the transaction commits, and never when it rolls back.
CREATE OR REPLACE FUNCTION domain_events_position() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(4242000001);
  NEW.position := nextval('domain_events_position_seq');
  PERFORM pg_notify('domain_events', '');
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER domain_events_position BEFORE INSERT ON domain_events FOR EACH ROW EXECUTE FUNCTION domain_events_position();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION domain_events_refuse_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'domain_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
-- Events are pruned (DELETE) after their keeping period, but never rewritten.
CREATE TRIGGER domain_events_no_update BEFORE UPDATE ON domain_events FOR EACH ROW EXECUTE FUNCTION domain_events_refuse_update();
