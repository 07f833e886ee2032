CREATE TYPE "public"."urine_round_reason" AS ENUM('random', 'targeted', 'admission', 'follow_up', 'joint_operation');--> statement-breakpoint
CREATE TYPE "public"."urine_round_subjects" AS ENUM('inmates', 'officers', 'both');--> statement-breakpoint
CREATE TYPE "public"."urine_subject_type" AS ENUM('inmate', 'officer');--> statement-breakpoint
CREATE TYPE "public"."urine_outcome" AS ENUM('negative', 'presumptive_positive', 'invalid', 'dilute', 'adulterated', 'refused');--> statement-breakpoint
CREATE TABLE "urine_test_rounds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"tested_on" date NOT NULL,
	"reason" "urine_round_reason" NOT NULL,
	"run_by_organisation_id" uuid,
	"subjects" "urine_round_subjects" NOT NULL,
	"kit" jsonb NOT NULL,
	"cutoffs" jsonb NOT NULL,
	"note" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "urine_tests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"round_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"subject_type" "urine_subject_type" NOT NULL,
	"subject_id" uuid NOT NULL,
	"specimen_id" text NOT NULL,
	"collected_at" timestamp with time zone NOT NULL,
	"refused" boolean DEFAULT false NOT NULL,
	"temperature_c" numeric(4, 1),
	"temperature_in_range" boolean,
	"creatinine_mg_dl" numeric(8, 2),
	"specific_gravity" numeric(6, 4),
	"ph" numeric(4, 2),
	"nitrite_ug_ml" numeric(8, 1),
	"classes" jsonb NOT NULL,
	"outcome" "urine_outcome" NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "urine_tests_refused_ck" CHECK (NOT "urine_tests"."refused" OR "urine_tests"."outcome" = 'refused')
);
--> statement-breakpoint
ALTER TABLE "urine_test_rounds" ADD CONSTRAINT "urine_test_rounds_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urine_test_rounds" ADD CONSTRAINT "urine_test_rounds_run_by_organisation_id_organisations_id_fk" FOREIGN KEY ("run_by_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urine_tests" ADD CONSTRAINT "urine_tests_round_id_urine_test_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."urine_test_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urine_tests" ADD CONSTRAINT "urine_tests_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "urine_test_rounds_facility_idx" ON "urine_test_rounds" USING btree ("facility_id","tested_on");--> statement-breakpoint
CREATE UNIQUE INDEX "urine_tests_round_subject_key" ON "urine_tests" USING btree ("round_id","subject_type","subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "urine_tests_round_specimen_key" ON "urine_tests" USING btree ("round_id","specimen_id");--> statement-breakpoint
CREATE INDEX "urine_tests_facility_collected_idx" ON "urine_tests" USING btree ("facility_id","collected_at");--> statement-breakpoint
CREATE INDEX "urine_tests_subject_idx" ON "urine_tests" USING btree ("subject_type","subject_id","collected_at");--> statement-breakpoint
CREATE INDEX "urine_tests_facility_outcome_idx" ON "urine_tests" USING btree ("facility_id","outcome");