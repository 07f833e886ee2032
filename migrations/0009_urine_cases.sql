CREATE TYPE "public"."follow_up_decision" AS ENUM('rehabilitation', 'counselling', 'no_action', 'disciplinary');--> statement-breakpoint
CREATE TYPE "public"."follow_up_kind" AS ENUM('assessment', 'kanwil_referral');--> statement-breakpoint
CREATE TYPE "public"."follow_up_status" AS ENUM('awaiting_assessment', 'assessed', 'decided', 'closed');--> statement-breakpoint
CREATE TYPE "public"."follow_up_trigger" AS ENUM('confirmed_positive', 'unconfirmed_presumptive', 'refused');--> statement-breakpoint
CREATE TYPE "public"."urine_confirmation_status" AS ENUM('pending', 'confirmed_positive', 'confirmed_negative', 'medically_explained');--> statement-breakpoint
CREATE TABLE "follow_up_cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"test_id" uuid NOT NULL,
	"subject_type" "urine_subject_type" NOT NULL,
	"subject_id" uuid NOT NULL,
	"kind" "follow_up_kind" NOT NULL,
	"trigger" "follow_up_trigger" NOT NULL,
	"status" "follow_up_status" DEFAULT 'awaiting_assessment' NOT NULL,
	"opened_on" date NOT NULL,
	"assessment_due" date NOT NULL,
	"assessed_on" date,
	"assessment_notes" text,
	"decision" "follow_up_decision",
	"decided_on" date,
	"closed_on" date,
	"closing_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "urine_confirmations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"test_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"drug_class" text NOT NULL,
	"method" text NOT NULL,
	"lab" text NOT NULL,
	"value_ng_ml" numeric(12, 2) NOT NULL,
	"cutoff_ng_ml" numeric(12, 2) NOT NULL,
	"positive" boolean NOT NULL,
	"prescription_reference" text,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "urine_tests" ADD COLUMN "confirmation" "urine_confirmation_status";--> statement-breakpoint
ALTER TABLE "follow_up_cases" ADD CONSTRAINT "follow_up_cases_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_cases" ADD CONSTRAINT "follow_up_cases_test_id_urine_tests_id_fk" FOREIGN KEY ("test_id") REFERENCES "public"."urine_tests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urine_confirmations" ADD CONSTRAINT "urine_confirmations_test_id_urine_tests_id_fk" FOREIGN KEY ("test_id") REFERENCES "public"."urine_tests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urine_confirmations" ADD CONSTRAINT "urine_confirmations_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "follow_up_cases_test_key" ON "follow_up_cases" USING btree ("test_id");--> statement-breakpoint
CREATE INDEX "follow_up_cases_facility_status_idx" ON "follow_up_cases" USING btree ("facility_id","status","assessment_due");--> statement-breakpoint
CREATE INDEX "follow_up_cases_subject_idx" ON "follow_up_cases" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "urine_confirmations_test_class_key" ON "urine_confirmations" USING btree ("test_id","drug_class");