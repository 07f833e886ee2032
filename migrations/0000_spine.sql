CREATE TYPE "public"."user_role" AS ENUM('admin', 'regional_viewer', 'facility_staff', 'facility_head', 'bnn_officer');--> statement-breakpoint
CREATE TYPE "public"."facility_class" AS ENUM('I', 'IIA', 'IIB', 'III');--> statement-breakpoint
CREATE TYPE "public"."facility_type" AS ENUM('rutan', 'lapas', 'lapas_narkotika', 'lpp', 'lpka');--> statement-breakpoint
CREATE TYPE "public"."mou_scope" AS ENUM('rehabilitation', 'urine_testing', 'inspection', 'training', 'socialization');--> statement-breakpoint
CREATE TYPE "public"."bnn_level" AS ENUM('national', 'province', 'district');--> statement-breakpoint
CREATE TYPE "public"."organisation_type" AS ENUM('ministry', 'kanwil', 'bnn');--> statement-breakpoint
CREATE TYPE "public"."time_zone" AS ENUM('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"seq" bigint PRIMARY KEY DEFAULT 0 NOT NULL,
	"id" uuid NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_role" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"facility_id" uuid,
	"request_id" text,
	"before" jsonb,
	"after" jsonb,
	"prev_hash" text DEFAULT '' NOT NULL,
	"hash" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_clients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"name" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"organisation_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"family_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"secret_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"spent_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "user_role" NOT NULL,
	"organisation_id" uuid,
	"facility_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "users_affiliation_ck" CHECK (CASE "users"."role"
        WHEN 'admin' THEN true
        WHEN 'facility_staff' THEN "users"."facility_id" IS NOT NULL
        WHEN 'facility_head' THEN "users"."facility_id" IS NOT NULL
        ELSE "users"."organisation_id" IS NOT NULL END)
);
--> statement-breakpoint
CREATE TABLE "facilities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" "facility_type" NOT NULL,
	"class" "facility_class" NOT NULL,
	"name" text NOT NULL,
	"province_code" text NOT NULL,
	"regency" text NOT NULL,
	"capacity" integer NOT NULL,
	"timezone" time_zone NOT NULL,
	"kanwil_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mou_facilities" (
	"mou_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	CONSTRAINT "mou_facilities_mou_id_facility_id_pk" PRIMARY KEY("mou_id","facility_id")
);
--> statement-breakpoint
CREATE TABLE "mous" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"title" text NOT NULL,
	"bnn_unit_id" uuid NOT NULL,
	"scope" "mou_scope"[] NOT NULL,
	"signed_on" date,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"terminated_at" timestamp with time zone,
	"termination_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "mous_validity_ck" CHECK ("mous"."valid_until" > "mous"."valid_from"),
	CONSTRAINT "mous_scope_ck" CHECK (cardinality("mous"."scope") > 0),
	CONSTRAINT "mous_termination_ck" CHECK (("mous"."terminated_at" IS NULL) = ("mous"."termination_reason" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" "organisation_type" NOT NULL,
	"bnn_level" "bnn_level",
	"name" text NOT NULL,
	"province_code" text,
	"regency" text,
	"timezone" time_zone DEFAULT 'Asia/Jakarta' NOT NULL,
	"parent_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "organisations_bnn_level_ck" CHECK (("organisations"."type" = 'bnn') = ("organisations"."bnn_level" IS NOT NULL)),
	CONSTRAINT "organisations_province_ck" CHECK ("organisations"."type" = 'ministry' OR "organisations"."bnn_level" = 'national' OR "organisations"."province_code" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"principal" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer NOT NULL,
	"response_body" jsonb,
	"response_headers" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_principal_key_pk" PRIMARY KEY("principal","key")
);
--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_kanwil_id_organisations_id_fk" FOREIGN KEY ("kanwil_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mou_facilities" ADD CONSTRAINT "mou_facilities_mou_id_mous_id_fk" FOREIGN KEY ("mou_id") REFERENCES "public"."mous"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mou_facilities" ADD CONSTRAINT "mou_facilities_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mous" ADD CONSTRAINT "mous_bnn_unit_id_organisations_id_fk" FOREIGN KEY ("bnn_unit_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_entity_idx" ON "audit_events" USING btree ("entity_type","entity_id","seq");--> statement-breakpoint
CREATE INDEX "audit_events_facility_idx" ON "audit_events" USING btree ("facility_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "api_clients_client_id_key" ON "api_clients" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_family_idx" ON "refresh_tokens" USING btree ("family_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_user_idx" ON "refresh_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_key" ON "users" USING btree ("username");--> statement-breakpoint
CREATE UNIQUE INDEX "facilities_name_key" ON "facilities" USING btree ("name");--> statement-breakpoint
CREATE INDEX "facilities_province_idx" ON "facilities" USING btree ("province_code");--> statement-breakpoint
CREATE INDEX "facilities_kanwil_idx" ON "facilities" USING btree ("kanwil_id");--> statement-breakpoint
CREATE INDEX "mou_facilities_facility_idx" ON "mou_facilities" USING btree ("facility_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mous_number_key" ON "mous" USING btree ("number");--> statement-breakpoint
CREATE INDEX "mous_bnn_unit_idx" ON "mous" USING btree ("bnn_unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_name_key" ON "organisations" USING btree ("name");--> statement-breakpoint
CREATE INDEX "organisations_province_idx" ON "organisations" USING btree ("province_code");--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_kanwil_province_key" ON "organisations" USING btree ("province_code") WHERE "organisations"."type" = 'kanwil';