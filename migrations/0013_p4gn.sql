CREATE TYPE "public"."campaign_audience_kind" AS ENUM('inmates', 'officers', 'students', 'youth', 'community', 'government', 'private_sector');--> statement-breakpoint
CREATE TYPE "public"."campaign_kind" AS ENUM('socialization', 'education', 'joint_campaign');--> statement-breakpoint
CREATE TYPE "public"."action_item_status" AS ENUM('planned', 'in_progress', 'done', 'dropped');--> statement-breakpoint
CREATE TYPE "public"."kotan_band" AS ENUM('not_responsive', 'fairly_responsive', 'responsive', 'very_responsive');--> statement-breakpoint
ALTER TYPE "public"."user_role" ADD VALUE 'regional_government_officer';--> statement-breakpoint
ALTER TYPE "public"."organisation_type" ADD VALUE 'regional_government';--> statement-breakpoint
CREATE TABLE "campaign_organisers" (
	"campaign_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	CONSTRAINT "campaign_organisers_campaign_id_organisation_id_pk" PRIMARY KEY("campaign_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" "campaign_kind" NOT NULL,
	"topic" text NOT NULL,
	"held_on" date NOT NULL,
	"province_code" text NOT NULL,
	"regency" text NOT NULL,
	"venue" text NOT NULL,
	"facility_id" uuid,
	"audience_kind" "campaign_audience_kind" NOT NULL,
	"audience_count" integer NOT NULL,
	"notes" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "campaigns_audience_ck" CHECK ("campaigns"."audience_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "action_item_notes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"noted_on" date NOT NULL,
	"note" text NOT NULL,
	"status_after" "action_item_status" NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "action_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"meeting_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"description" text NOT NULL,
	"due_on" date NOT NULL,
	"status" "action_item_status" DEFAULT 'planned' NOT NULL,
	"closed_on" date,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "action_items_closed_ck" CHECK (("action_items"."status" IN ('done', 'dropped')) = ("action_items"."closed_on" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "coordination_meetings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organiser_id" uuid NOT NULL,
	"title" text NOT NULL,
	"held_on" date NOT NULL,
	"province_code" text NOT NULL,
	"regency" text,
	"venue" text NOT NULL,
	"agenda" text NOT NULL,
	"minutes" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coordination_meeting_participants" (
	"meeting_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	CONSTRAINT "coordination_meeting_participants_meeting_id_organisation_id_pk" PRIMARY KEY("meeting_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "kotan_assessments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"province_code" text NOT NULL,
	"regency" text NOT NULL,
	"year" integer NOT NULL,
	"assessor_organisation_id" uuid NOT NULL,
	"assessor_name" text,
	"assessed_on" date NOT NULL,
	"indicator_scores" jsonb NOT NULL,
	"instrument" jsonb NOT NULL,
	"family_resilience" numeric(5, 2) NOT NULL,
	"community_resilience" numeric(5, 2) NOT NULL,
	"territory" numeric(5, 2) NOT NULL,
	"institutions" numeric(5, 2) NOT NULL,
	"law" numeric(5, 2) NOT NULL,
	"index" numeric(5, 2) NOT NULL,
	"band" "kotan_band" NOT NULL,
	"evidence_notes" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "kotan_assessments_index_ck" CHECK ("kotan_assessments"."index" BETWEEN 0 AND 100),
	CONSTRAINT "kotan_assessments_year_ck" CHECK ("kotan_assessments"."year" BETWEEN 2000 AND 2199),
	CONSTRAINT "kotan_assessments_band_ck" CHECK ("kotan_assessments"."band" = CASE WHEN "kotan_assessments"."index" <= 25 THEN 'not_responsive'::kotan_band
                            WHEN "kotan_assessments"."index" <= 50 THEN 'fairly_responsive'::kotan_band
                            WHEN "kotan_assessments"."index" <= 75 THEN 'responsive'::kotan_band
                            ELSE 'very_responsive'::kotan_band END)
);
--> statement-breakpoint
ALTER TABLE "campaign_organisers" ADD CONSTRAINT "campaign_organisers_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_organisers" ADD CONSTRAINT "campaign_organisers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_item_notes" ADD CONSTRAINT "action_item_notes_item_id_action_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."action_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_meeting_id_coordination_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."coordination_meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_owner_id_organisations_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coordination_meetings" ADD CONSTRAINT "coordination_meetings_organiser_id_organisations_id_fk" FOREIGN KEY ("organiser_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coordination_meeting_participants" ADD CONSTRAINT "coordination_meeting_participants_meeting_id_coordination_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."coordination_meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coordination_meeting_participants" ADD CONSTRAINT "coordination_meeting_participants_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kotan_assessments" ADD CONSTRAINT "kotan_assessments_assessor_organisation_id_organisations_id_fk" FOREIGN KEY ("assessor_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_organisers_organisation_idx" ON "campaign_organisers" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "campaigns_held_on_idx" ON "campaigns" USING btree ("held_on");--> statement-breakpoint
CREATE INDEX "campaigns_place_idx" ON "campaigns" USING btree ("province_code","regency");--> statement-breakpoint
CREATE INDEX "campaigns_facility_idx" ON "campaigns" USING btree ("facility_id","held_on") WHERE "campaigns"."facility_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "action_item_notes_item_idx" ON "action_item_notes" USING btree ("item_id","noted_on");--> statement-breakpoint
CREATE INDEX "action_items_meeting_idx" ON "action_items" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "action_items_owner_open_idx" ON "action_items" USING btree ("owner_id","due_on") WHERE "action_items"."status" IN ('planned', 'in_progress');--> statement-breakpoint
CREATE INDEX "coordination_meetings_held_on_idx" ON "coordination_meetings" USING btree ("held_on");--> statement-breakpoint
CREATE INDEX "coordination_meetings_place_idx" ON "coordination_meetings" USING btree ("province_code","regency");--> statement-breakpoint
CREATE INDEX "coordination_meetings_organiser_idx" ON "coordination_meetings" USING btree ("organiser_id");--> statement-breakpoint
CREATE INDEX "coordination_meeting_participants_organisation_idx" ON "coordination_meeting_participants" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "kotan_assessments_regency_year_key" ON "kotan_assessments" USING btree ("province_code",lower("regency"),"year");--> statement-breakpoint
CREATE INDEX "kotan_assessments_year_idx" ON "kotan_assessments" USING btree ("year","province_code");