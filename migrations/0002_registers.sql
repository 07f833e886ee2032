CREATE TYPE "public"."case_type" AS ENUM('narcotics_user', 'narcotics_dealer', 'narcotics_courier', 'non_narcotics');--> statement-breakpoint
CREATE TYPE "public"."inmate_status" AS ENUM('detained', 'sentenced', 'released', 'transferred', 'deceased');--> statement-breakpoint
CREATE TYPE "public"."sex" AS ENUM('male', 'female');--> statement-breakpoint
CREATE TYPE "public"."officer_status" AS ENUM('active', 'inactive', 'transferred', 'retired');--> statement-breakpoint
CREATE TABLE "inmate_placements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"inmate_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"registration_number" text NOT NULL,
	"from_date" date NOT NULL,
	"until_date" date,
	"end_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inmates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"pseudonym" text NOT NULL,
	"facility_id" uuid NOT NULL,
	"registration_number" text NOT NULL,
	"name" text NOT NULL,
	"sex" "sex" NOT NULL,
	"birth_date" date NOT NULL,
	"case_type" "case_type" NOT NULL,
	"admission_date" date NOT NULL,
	"expected_release_date" date,
	"block" text,
	"cell" text,
	"status" "inmate_status" NOT NULL,
	"released_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "inmates_release_after_admission_ck" CHECK ("inmates"."released_on" IS NULL OR "inmates"."released_on" >= "inmates"."admission_date"),
	CONSTRAINT "inmates_expected_release_ck" CHECK ("inmates"."expected_release_date" IS NULL OR "inmates"."expected_release_date" >= "inmates"."admission_date")
);
--> statement-breakpoint
CREATE TABLE "officers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"pseudonym" text NOT NULL,
	"facility_id" uuid NOT NULL,
	"nip" text NOT NULL,
	"name" text NOT NULL,
	"sex" "sex" NOT NULL,
	"position" text NOT NULL,
	"unit" text NOT NULL,
	"status" "officer_status" NOT NULL,
	"joined_on" date NOT NULL,
	"left_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "officers_nip_ck" CHECK ("officers"."nip" ~ '^[0-9]{18}$'),
	CONSTRAINT "officers_left_after_joined_ck" CHECK ("officers"."left_on" IS NULL OR "officers"."left_on" >= "officers"."joined_on")
);
--> statement-breakpoint
ALTER TABLE "inmate_placements" ADD CONSTRAINT "inmate_placements_inmate_id_inmates_id_fk" FOREIGN KEY ("inmate_id") REFERENCES "public"."inmates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inmate_placements" ADD CONSTRAINT "inmate_placements_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inmates" ADD CONSTRAINT "inmates_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "officers" ADD CONSTRAINT "officers_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inmate_placements_inmate_idx" ON "inmate_placements" USING btree ("inmate_id","from_date");--> statement-breakpoint
CREATE INDEX "inmate_placements_facility_idx" ON "inmate_placements" USING btree ("facility_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inmate_placements_open_key" ON "inmate_placements" USING btree ("inmate_id") WHERE "inmate_placements"."until_date" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "inmates_pseudonym_key" ON "inmates" USING btree ("pseudonym");--> statement-breakpoint
CREATE UNIQUE INDEX "inmates_facility_registration_key" ON "inmates" USING btree ("facility_id","registration_number");--> statement-breakpoint
CREATE INDEX "inmates_facility_id_idx" ON "inmates" USING btree ("facility_id","id");--> statement-breakpoint
CREATE INDEX "inmates_facility_name_idx" ON "inmates" USING btree ("facility_id",lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "inmates_facility_status_idx" ON "inmates" USING btree ("facility_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "officers_pseudonym_key" ON "officers" USING btree ("pseudonym");--> statement-breakpoint
CREATE UNIQUE INDEX "officers_nip_key" ON "officers" USING btree ("nip");--> statement-breakpoint
CREATE INDEX "officers_facility_id_idx" ON "officers" USING btree ("facility_id","id");--> statement-breakpoint
CREATE INDEX "officers_facility_name_idx" ON "officers" USING btree ("facility_id",lower("name") text_pattern_ops);