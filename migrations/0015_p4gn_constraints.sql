DROP INDEX "action_items_owner_open_idx";--> statement-breakpoint
DROP INDEX "campaigns_place_idx";--> statement-breakpoint
DROP INDEX "coordination_meetings_place_idx";--> statement-breakpoint
CREATE INDEX "action_items_owner_idx" ON "action_items" USING btree ("owner_id","due_on","id");--> statement-breakpoint
-- Regencies are compared as stored (lower()): tidy those written before the services tidied them.
UPDATE "organisations" SET "regency" = regexp_replace(btrim("regency"), '\s+', ' ', 'g')
 WHERE "regency" IS DISTINCT FROM regexp_replace(btrim("regency"), '\s+', ' ', 'g');--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_regional_government_area_key" ON "organisations" USING btree ("province_code",coalesce(lower("regency"), '')) WHERE "organisations"."type" NOT IN ('ministry', 'kanwil', 'bnn');--> statement-breakpoint
CREATE INDEX "campaigns_place_idx" ON "campaigns" USING btree ("province_code",lower("regency"));--> statement-breakpoint
CREATE INDEX "coordination_meetings_place_idx" ON "coordination_meetings" USING btree ("province_code",lower("regency"));