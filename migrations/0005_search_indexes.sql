CREATE INDEX "inmates_registration_idx" ON "inmates" USING btree ("registration_number");--> statement-breakpoint
CREATE INDEX "inmates_name_idx" ON "inmates" USING btree (lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "officers_name_idx" ON "officers" USING btree (lower("name") text_pattern_ops);