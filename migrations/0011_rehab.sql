CREATE TYPE "public"."rehab_attendance_reason" AS ENUM('sick', 'refused', 'clash', 'court', 'released', 'other');--> statement-breakpoint
CREATE TYPE "public"."rehab_attendance_status" AS ENUM('attended', 'late', 'excused', 'absent', 'refused');--> statement-breakpoint
CREATE TYPE "public"."rehab_enrolment_status" AS ENUM('awaiting', 'active', 'completed', 'withdrawn', 'released', 'transferred');--> statement-breakpoint
CREATE TYPE "public"."rehab_facilitator_role" AS ENUM('lead', 'regular', 'cover');--> statement-breakpoint
CREATE TYPE "public"."rehab_modality" AS ENUM('therapeutic_community', 'group_counselling', 'cbt', 'individual_counselling', 'vocational', 'spiritual');--> statement-breakpoint
CREATE TYPE "public"."rehab_session_status" AS ENUM('scheduled', 'cancelled');--> statement-breakpoint
CREATE TABLE "facility_blackout_dates" (
	"facility_id" uuid NOT NULL,
	"day" date NOT NULL,
	"reason" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "facility_blackout_dates_facility_id_day_pk" PRIMARY KEY("facility_id","day")
);
--> statement-breakpoint
CREATE TABLE "rehab_attendance" (
	"session_id" uuid NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"inmate_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"status" "rehab_attendance_status" NOT NULL,
	"reason" "rehab_attendance_reason",
	"note" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rehab_attendance_session_id_enrolment_id_pk" PRIMARY KEY("session_id","enrolment_id")
);
--> statement-breakpoint
CREATE TABLE "rehab_enrolments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"programme_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"inmate_id" uuid NOT NULL,
	"status" "rehab_enrolment_status" NOT NULL,
	"reason" text,
	"enrolled_on" date NOT NULL,
	"ended_on" date,
	"end_note" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rehab_programme_facilitators" (
	"programme_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "rehab_facilitator_role" NOT NULL,
	CONSTRAINT "rehab_programme_facilitators_programme_id_user_id_pk" PRIMARY KEY("programme_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "rehab_programmes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"mou_id" uuid NOT NULL,
	"bnn_unit_id" uuid NOT NULL,
	"title" text NOT NULL,
	"modality" "rehab_modality" NOT NULL,
	"curriculum" jsonb NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"capacity" integer NOT NULL,
	"rooms" text[] NOT NULL,
	"completion_min_rate" numeric(4, 3) DEFAULT '0.8' NOT NULL,
	"completion_requires_last" boolean DEFAULT true NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "rehab_programmes_dates_ck" CHECK ("rehab_programmes"."ends_on" >= "rehab_programmes"."starts_on"),
	CONSTRAINT "rehab_programmes_capacity_ck" CHECK ("rehab_programmes"."capacity" > 0),
	CONSTRAINT "rehab_programmes_rate_ck" CHECK ("rehab_programmes"."completion_min_rate" BETWEEN 0 AND 1)
);
--> statement-breakpoint
CREATE TABLE "rehab_session_inmates" (
	"session_id" uuid NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"inmate_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rehab_session_inmates_session_id_enrolment_id_pk" PRIMARY KEY("session_id","enrolment_id")
);
--> statement-breakpoint
CREATE TABLE "rehab_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"programme_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"slot_id" uuid,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"room" text NOT NULL,
	"facilitator_id" uuid NOT NULL,
	"status" "rehab_session_status" DEFAULT 'scheduled' NOT NULL,
	"cancel_reason" text,
	"attendance_version" integer DEFAULT 0 NOT NULL,
	"attendance_recorded_by" uuid,
	"attendance_recorded_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "rehab_sessions_times_ck" CHECK ("rehab_sessions"."ends_at" > "rehab_sessions"."starts_at"),
	CONSTRAINT "rehab_sessions_cancel_ck" CHECK (("rehab_sessions"."status" = 'cancelled') = ("rehab_sessions"."cancel_reason" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "rehab_slots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"programme_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"weekday" integer NOT NULL,
	"start_time" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"room" text NOT NULL,
	"facilitator_id" uuid NOT NULL,
	"sessions" integer NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rehab_slots_weekday_ck" CHECK ("rehab_slots"."weekday" BETWEEN 1 AND 7)
);
--> statement-breakpoint
ALTER TABLE "facility_blackout_dates" ADD CONSTRAINT "facility_blackout_dates_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_attendance" ADD CONSTRAINT "rehab_attendance_session_id_rehab_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."rehab_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_attendance" ADD CONSTRAINT "rehab_attendance_enrolment_id_rehab_enrolments_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."rehab_enrolments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_enrolments" ADD CONSTRAINT "rehab_enrolments_programme_id_rehab_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."rehab_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_enrolments" ADD CONSTRAINT "rehab_enrolments_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_enrolments" ADD CONSTRAINT "rehab_enrolments_inmate_id_inmates_id_fk" FOREIGN KEY ("inmate_id") REFERENCES "public"."inmates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_programme_facilitators" ADD CONSTRAINT "rehab_programme_facilitators_programme_id_rehab_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."rehab_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_programme_facilitators" ADD CONSTRAINT "rehab_programme_facilitators_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_programmes" ADD CONSTRAINT "rehab_programmes_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_programmes" ADD CONSTRAINT "rehab_programmes_mou_id_mous_id_fk" FOREIGN KEY ("mou_id") REFERENCES "public"."mous"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_programmes" ADD CONSTRAINT "rehab_programmes_bnn_unit_id_organisations_id_fk" FOREIGN KEY ("bnn_unit_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_session_inmates" ADD CONSTRAINT "rehab_session_inmates_session_id_rehab_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."rehab_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_session_inmates" ADD CONSTRAINT "rehab_session_inmates_enrolment_id_rehab_enrolments_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."rehab_enrolments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_sessions" ADD CONSTRAINT "rehab_sessions_programme_id_rehab_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."rehab_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_sessions" ADD CONSTRAINT "rehab_sessions_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_sessions" ADD CONSTRAINT "rehab_sessions_slot_id_rehab_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."rehab_slots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_sessions" ADD CONSTRAINT "rehab_sessions_facilitator_id_users_id_fk" FOREIGN KEY ("facilitator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_slots" ADD CONSTRAINT "rehab_slots_programme_id_rehab_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."rehab_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rehab_slots" ADD CONSTRAINT "rehab_slots_facilitator_id_users_id_fk" FOREIGN KEY ("facilitator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rehab_attendance_enrolment_idx" ON "rehab_attendance" USING btree ("enrolment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rehab_enrolments_programme_inmate_key" ON "rehab_enrolments" USING btree ("programme_id","inmate_id");--> statement-breakpoint
CREATE INDEX "rehab_enrolments_inmate_idx" ON "rehab_enrolments" USING btree ("inmate_id");--> statement-breakpoint
CREATE INDEX "rehab_enrolments_programme_idx" ON "rehab_enrolments" USING btree ("programme_id","status");--> statement-breakpoint
CREATE INDEX "rehab_programmes_facility_idx" ON "rehab_programmes" USING btree ("facility_id","starts_on");--> statement-breakpoint
CREATE INDEX "rehab_programmes_unit_idx" ON "rehab_programmes" USING btree ("bnn_unit_id");--> statement-breakpoint
CREATE INDEX "rehab_session_inmates_enrolment_idx" ON "rehab_session_inmates" USING btree ("enrolment_id");--> statement-breakpoint
CREATE INDEX "rehab_sessions_programme_idx" ON "rehab_sessions" USING btree ("programme_id","starts_at");--> statement-breakpoint
CREATE INDEX "rehab_sessions_facility_idx" ON "rehab_sessions" USING btree ("facility_id","starts_at");--> statement-breakpoint
CREATE INDEX "rehab_slots_programme_idx" ON "rehab_slots" USING btree ("programme_id");--> statement-breakpoint
-- Double bookings are refused by the database: of two requests racing for the same room,
-- facilitator or inmate at overlapping times, exactly one commits. Cancelled sessions free their time.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "rehab_sessions" ADD CONSTRAINT "rehab_sessions_room_excl"
  EXCLUDE USING gist ("facility_id" WITH =, "room" WITH =, tstzrange("starts_at", "ends_at") WITH &&)
  WHERE ("status" = 'scheduled');
--> statement-breakpoint
ALTER TABLE "rehab_sessions" ADD CONSTRAINT "rehab_sessions_facilitator_excl"
  EXCLUDE USING gist ("facilitator_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&)
  WHERE ("status" = 'scheduled');
--> statement-breakpoint
ALTER TABLE "rehab_session_inmates" ADD CONSTRAINT "rehab_session_inmates_inmate_excl"
  EXCLUDE USING gist ("inmate_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&);
