CREATE TYPE "public"."training_mode" AS ENUM('in_person', 'online');--> statement-breakpoint
CREATE TYPE "public"."training_organiser_type" AS ENUM('bnn_unit', 'kanwil', 'facility');--> statement-breakpoint
CREATE TYPE "public"."training_topic" AS ENUM('early_detection', 'p4gn_awareness', 'search_techniques', 'assessment_and_counselling', 'urine_testing_procedure', 'other');--> statement-breakpoint
CREATE SEQUENCE "public"."training_certificate_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "training_facilities" (
	"training_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	CONSTRAINT "training_facilities_training_id_facility_id_pk" PRIMARY KEY("training_id","facility_id")
);
--> statement-breakpoint
CREATE TABLE "training_participants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"training_id" uuid NOT NULL,
	"officer_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"attended_days" date[],
	"attended_hours" numeric(5, 1),
	"pre_test_score" numeric(5, 2),
	"post_test_score" numeric(5, 2),
	"certificate_number" text,
	"certificate_issued_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "training_participants_pre_ck" CHECK ("training_participants"."pre_test_score" BETWEEN 0 AND 100),
	CONSTRAINT "training_participants_post_ck" CHECK ("training_participants"."post_test_score" BETWEEN 0 AND 100),
	CONSTRAINT "training_participants_hours_ck" CHECK ("training_participants"."attended_hours" >= 0),
	CONSTRAINT "training_participants_certificate_ck" CHECK (("training_participants"."certificate_number" IS NULL) = ("training_participants"."certificate_issued_at" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "trainings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"topic" "training_topic" NOT NULL,
	"organiser_type" "training_organiser_type" NOT NULL,
	"organiser_organisation_id" uuid,
	"organiser_facility_id" uuid,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"hours" numeric(5, 1) NOT NULL,
	"venue" text NOT NULL,
	"mode" "training_mode" NOT NULL,
	"trainers" text[] NOT NULL,
	"capacity" integer NOT NULL,
	"pass_mark" numeric(5, 2) NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "trainings_dates_ck" CHECK ("trainings"."ends_on" >= "trainings"."starts_on"),
	CONSTRAINT "trainings_hours_ck" CHECK ("trainings"."hours" > 0),
	CONSTRAINT "trainings_capacity_ck" CHECK ("trainings"."capacity" > 0),
	CONSTRAINT "trainings_pass_mark_ck" CHECK ("trainings"."pass_mark" BETWEEN 0 AND 100),
	CONSTRAINT "trainings_organiser_ck" CHECK (("trainings"."organiser_type" = 'facility') = ("trainings"."organiser_facility_id" IS NOT NULL)
          AND ("trainings"."organiser_type" = 'facility') = ("trainings"."organiser_organisation_id" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "training_facilities" ADD CONSTRAINT "training_facilities_training_id_trainings_id_fk" FOREIGN KEY ("training_id") REFERENCES "public"."trainings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_facilities" ADD CONSTRAINT "training_facilities_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_participants" ADD CONSTRAINT "training_participants_training_id_trainings_id_fk" FOREIGN KEY ("training_id") REFERENCES "public"."trainings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_participants" ADD CONSTRAINT "training_participants_officer_id_officers_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."officers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_participants" ADD CONSTRAINT "training_participants_training_facility_fk" FOREIGN KEY ("training_id","facility_id") REFERENCES "public"."training_facilities"("training_id","facility_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainings" ADD CONSTRAINT "trainings_organiser_organisation_id_organisations_id_fk" FOREIGN KEY ("organiser_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainings" ADD CONSTRAINT "trainings_organiser_facility_id_facilities_id_fk" FOREIGN KEY ("organiser_facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "training_facilities_facility_idx" ON "training_facilities" USING btree ("facility_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_participants_training_officer_key" ON "training_participants" USING btree ("training_id","officer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_participants_certificate_key" ON "training_participants" USING btree ("certificate_number");--> statement-breakpoint
CREATE INDEX "training_participants_officer_idx" ON "training_participants" USING btree ("officer_id","training_id","post_test_score");--> statement-breakpoint
CREATE INDEX "training_participants_facility_idx" ON "training_participants" USING btree ("facility_id");--> statement-breakpoint
CREATE INDEX "trainings_ends_on_idx" ON "trainings" USING btree ("ends_on");--> statement-breakpoint
CREATE INDEX "trainings_organiser_organisation_idx" ON "trainings" USING btree ("organiser_organisation_id");--> statement-breakpoint
-- A certificate is issued once: from then on the participant's record (attendance, scores, the
-- certificate itself) is frozen, here as well as in the service, and the participant stays.
CREATE OR REPLACE FUNCTION training_participants_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.certificate_number IS NOT NULL THEN
    RAISE EXCEPTION 'participant % holds certificate % and is frozen', OLD.id, OLD.certificate_number
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
--> statement-breakpoint
CREATE TRIGGER training_participants_guard BEFORE UPDATE OR DELETE ON training_participants FOR EACH ROW EXECUTE FUNCTION training_participants_guard();
