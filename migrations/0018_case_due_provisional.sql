ALTER TABLE "follow_up_cases" ADD COLUMN "assessment_due_provisional" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Open cases counted into 2027 were counted before any 2027 holidays were known: the sweep counts them again.
UPDATE "follow_up_cases" SET "assessment_due_provisional" = true
 WHERE "status" = 'awaiting_assessment' AND "assessment_due" > '2026-12-31';
