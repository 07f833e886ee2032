ALTER TABLE "rehab_enrolments" ADD COLUMN "activated_on" date;--> statement-breakpoint
ALTER TABLE "rehab_sessions" ADD COLUMN "number" integer;--> statement-breakpoint
ALTER TABLE "rehab_sessions" ADD COLUMN "recorded_afterwards" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Sessions keep the numbers they were shown until now: their place among the programme's sessions
-- not cancelled, in time order (then id), as the code computed them.
UPDATE "rehab_sessions" s SET "number" = n.number
  FROM (SELECT id, row_number() OVER (PARTITION BY programme_id ORDER BY starts_at, id)::int AS number
          FROM "rehab_sessions" WHERE status = 'scheduled') n
 WHERE s.id = n.id;
--> statement-breakpoint
-- The day an enrolment became active: the day of its activation in the audit trail, else the day
-- it was enrolled when it was enrolled active; awaiting ones, and those withdrawn while waiting, have none.
UPDATE "rehab_enrolments" e SET "activated_on" = coalesce(
    (SELECT (min(a.occurred_at) AT TIME ZONE f.timezone::text)::date FROM audit_events a
      WHERE a.entity_type = 'rehab_enrolment' AND a.entity_id = e.id::text AND a.action = 'rehab.enrolment_active'),
    CASE WHEN EXISTS (SELECT 1 FROM audit_events a
                       WHERE a.entity_type = 'rehab_enrolment' AND a.entity_id = e.id::text
                         AND a.action = 'rehab.enrolled' AND a.after->>'status' = 'active')
         THEN e.enrolled_on END)
  FROM "facilities" f
 WHERE f.id = e.facility_id AND e.status <> 'awaiting';
