CREATE TYPE "public"."corrective_action_status" AS ENUM('open', 'in_progress', 'done', 'verified');--> statement-breakpoint
CREATE TYPE "public"."evidence_kind" AS ENUM('photo', 'video', 'seized_item', 'document');--> statement-breakpoint
CREATE TYPE "public"."finding_category" AS ENUM('narcotics', 'drug_paraphernalia', 'mobile_phone', 'sharp_object', 'alcohol', 'cash', 'other_contraband');--> statement-breakpoint
CREATE TYPE "public"."inspection_kind" AS ENUM('surprise', 'scheduled', 'joint');--> statement-breakpoint
CREATE TYPE "public"."inspection_status" AS ENUM('draft', 'submitted', 'signed_off');--> statement-breakpoint
CREATE TYPE "public"."quantity_unit" AS ENUM('grams', 'pieces', 'millilitres', 'rupiah');--> statement-breakpoint
CREATE TABLE "inspection_addenda" (
	"id" uuid PRIMARY KEY NOT NULL,
	"inspection_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"corrects_type" text NOT NULL,
	"corrects_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"text" text NOT NULL,
	"author_id" uuid NOT NULL,
	"author_role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "corrective_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"inspection_id" uuid NOT NULL,
	"finding_id" uuid,
	"facility_id" uuid NOT NULL,
	"description" text NOT NULL,
	"owner_organisation_id" uuid,
	"owner_officer_id" uuid,
	"due_date" date NOT NULL,
	"status" "corrective_action_status" DEFAULT 'open' NOT NULL,
	"closing_comment" text,
	"automatic" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "custody_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"evidence_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"handed_by" text NOT NULL,
	"handed_to" text NOT NULL,
	"handed_at" timestamp with time zone NOT NULL,
	"note" text,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"finding_id" uuid NOT NULL,
	"inspection_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"kind" "evidence_kind" NOT NULL,
	"description" text NOT NULL,
	"seal_number" text,
	"file_sha256" text,
	"file_size" bigint,
	"file_media_type" text,
	"file_name" text,
	"storage_key" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_items_seal_ck" CHECK ("evidence_items"."kind" <> 'seized_item' OR "evidence_items"."seal_number" IS NOT NULL),
	CONSTRAINT "evidence_items_file_ck" CHECK (("evidence_items"."file_sha256" IS NULL) = ("evidence_items"."storage_key" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "inspection_findings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"inspection_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"category" "finding_category" NOT NULL,
	"description" text NOT NULL,
	"quantity" numeric(14, 3) NOT NULL,
	"unit" "quantity_unit" NOT NULL,
	"location" text NOT NULL,
	"people" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspection_findings_quantity_ck" CHECK ("inspection_findings"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"kind" "inspection_kind" NOT NULL,
	"lead_organisation_id" uuid,
	"team" jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"areas" jsonb NOT NULL,
	"inmates_searched" integer NOT NULL,
	"officers_searched" integer NOT NULL,
	"summary" text NOT NULL,
	"status" "inspection_status" DEFAULT 'draft' NOT NULL,
	"narcotics_found" boolean DEFAULT false NOT NULL,
	"created_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"signed_off_at" timestamp with time zone,
	"signed_off_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "inspections_times_ck" CHECK ("inspections"."ended_at" > "inspections"."started_at"),
	CONSTRAINT "inspections_counts_ck" CHECK ("inspections"."inmates_searched" >= 0 AND "inspections"."officers_searched" >= 0)
);
--> statement-breakpoint
ALTER TABLE "inspection_addenda" ADD CONSTRAINT "inspection_addenda_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_addenda" ADD CONSTRAINT "inspection_addenda_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_finding_id_inspection_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."inspection_findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_owner_organisation_id_organisations_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_owner_officer_id_officers_id_fk" FOREIGN KEY ("owner_officer_id") REFERENCES "public"."officers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custody_entries" ADD CONSTRAINT "custody_entries_evidence_id_evidence_items_id_fk" FOREIGN KEY ("evidence_id") REFERENCES "public"."evidence_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custody_entries" ADD CONSTRAINT "custody_entries_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_finding_id_inspection_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."inspection_findings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_findings" ADD CONSTRAINT "inspection_findings_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_findings" ADD CONSTRAINT "inspection_findings_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_lead_organisation_id_organisations_id_fk" FOREIGN KEY ("lead_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inspection_addenda_inspection_idx" ON "inspection_addenda" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "corrective_actions_facility_due_idx" ON "corrective_actions" USING btree ("facility_id","status","due_date");--> statement-breakpoint
CREATE INDEX "corrective_actions_inspection_idx" ON "corrective_actions" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "custody_entries_evidence_idx" ON "custody_entries" USING btree ("evidence_id","handed_at");--> statement-breakpoint
CREATE INDEX "evidence_items_finding_idx" ON "evidence_items" USING btree ("finding_id");--> statement-breakpoint
CREATE INDEX "evidence_items_inspection_idx" ON "evidence_items" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "inspection_findings_inspection_idx" ON "inspection_findings" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "inspection_findings_facility_category_idx" ON "inspection_findings" USING btree ("facility_id","category");--> statement-breakpoint
CREATE INDEX "inspections_facility_started_idx" ON "inspections" USING btree ("facility_id","started_at");--> statement-breakpoint
CREATE INDEX "inspections_facility_id_idx" ON "inspections" USING btree ("facility_id","id");