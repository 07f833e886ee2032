DROP INDEX "inspections_facility_started_idx";--> statement-breakpoint
DROP INDEX "urine_test_rounds_facility_idx";--> statement-breakpoint
DROP INDEX "urine_tests_facility_collected_idx";--> statement-breakpoint
CREATE INDEX "inmates_facility_updated_idx" ON "inmates" USING btree ("facility_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "inmates_updated_idx" ON "inmates" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "inspections_facility_updated_idx" ON "inspections" USING btree ("facility_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "inspections_updated_idx" ON "inspections" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "officers_facility_updated_idx" ON "officers" USING btree ("facility_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "officers_updated_idx" ON "officers" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "follow_up_cases_facility_id_idx" ON "follow_up_cases" USING btree ("facility_id","id");--> statement-breakpoint
CREATE INDEX "follow_up_cases_facility_updated_idx" ON "follow_up_cases" USING btree ("facility_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "follow_up_cases_updated_idx" ON "follow_up_cases" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "urine_test_rounds_facility_id_idx" ON "urine_test_rounds" USING btree ("facility_id","id");--> statement-breakpoint
CREATE INDEX "urine_test_rounds_facility_updated_idx" ON "urine_test_rounds" USING btree ("facility_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "urine_test_rounds_tested_idx" ON "urine_test_rounds" USING btree ("tested_on","id");--> statement-breakpoint
CREATE INDEX "urine_test_rounds_updated_idx" ON "urine_test_rounds" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "urine_tests_facility_id_idx" ON "urine_tests" USING btree ("facility_id","id");--> statement-breakpoint
CREATE INDEX "urine_tests_facility_created_idx" ON "urine_tests" USING btree ("facility_id","created_at","id");--> statement-breakpoint
CREATE INDEX "inspections_facility_started_idx" ON "inspections" USING btree ("facility_id","started_at","id");--> statement-breakpoint
CREATE INDEX "urine_test_rounds_facility_idx" ON "urine_test_rounds" USING btree ("facility_id","tested_on","id");--> statement-breakpoint
CREATE INDEX "urine_tests_facility_collected_idx" ON "urine_tests" USING btree ("facility_id","collected_at","id");