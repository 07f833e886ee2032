CREATE TYPE "public"."urine_draw_list" AS ENUM('main', 'reserve');--> statement-breakpoint
CREATE TYPE "public"."urine_draw_status" AS ENUM('selected', 'standby', 'tested', 'not_tested');--> statement-breakpoint
CREATE TYPE "public"."urine_not_tested_reason" AS ENUM('refused', 'released', 'court', 'sick', 'unable_to_provide');--> statement-breakpoint
CREATE TABLE "urine_draw_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"draw_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"subject_type" "urine_subject_type" NOT NULL,
	"subject_id" uuid NOT NULL,
	"list" "urine_draw_list" NOT NULL,
	"position" integer NOT NULL,
	"status" "urine_draw_status" NOT NULL,
	"not_tested_reason" "urine_not_tested_reason",
	"replaces_entry_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "urine_draws" (
	"id" uuid PRIMARY KEY NOT NULL,
	"round_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"subject_type" "urine_subject_type" NOT NULL,
	"seed" text NOT NULL,
	"params" jsonb NOT NULL,
	"population_size" integer NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "urine_draw_entries" ADD CONSTRAINT "urine_draw_entries_draw_id_urine_draws_id_fk" FOREIGN KEY ("draw_id") REFERENCES "public"."urine_draws"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urine_draw_entries" ADD CONSTRAINT "urine_draw_entries_round_id_urine_test_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."urine_test_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urine_draw_entries" ADD CONSTRAINT "urine_draw_entries_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urine_draws" ADD CONSTRAINT "urine_draws_round_id_urine_test_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."urine_test_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urine_draws" ADD CONSTRAINT "urine_draws_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "urine_draw_entries_subject_key" ON "urine_draw_entries" USING btree ("round_id","subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "urine_draw_entries_draw_idx" ON "urine_draw_entries" USING btree ("draw_id","list","position");--> statement-breakpoint
CREATE UNIQUE INDEX "urine_draws_round_subject_key" ON "urine_draws" USING btree ("round_id","subject_type");