-- A kept answer is only ever replayed: text is stored several times faster than jsonb (a batch of
-- 1,000 urine results answers with about 940 kB).
ALTER TABLE "idempotency_keys" ALTER COLUMN "response_body" SET DATA TYPE text USING "response_body"::text;
