-- Positive rates under the old rule (confirmed positives over everyone tested) and issue 16's rule
-- (refused and adulterated count as positive; invalid-only people are not counted), per period in
-- facility-local dates. Run: psql -h 127.0.0.1 -U postgres bersinar_bench -f bench/positive-rates.sql
WITH periods(label, p0, p1) AS (VALUES ('2025-Q3', date '2025-07-01', date '2025-09-30'), ('2025', date '2025-01-01', date '2025-12-31')),
per AS (
  SELECT p.label, t.facility_id, t.subject_type, t.subject_id,
         bool_or(t.outcome <> 'invalid') AS judged,
         bool_or(t.confirmation IS NOT DISTINCT FROM 'confirmed_positive') AS pos_old,
         bool_or(t.outcome IN ('refused', 'adulterated') OR t.confirmation IS NOT DISTINCT FROM 'confirmed_positive') AS pos_new
    FROM periods p JOIN urine_tests t ON t.collected_at >= p.p0 - interval '1 day' AND t.collected_at < p.p1 + interval '2 days'
    JOIN facilities f ON f.id = t.facility_id
   WHERE (t.collected_at AT TIME ZONE f.timezone::text)::date BETWEEN p.p0 AND p.p1
   GROUP BY 1, 2, 3, 4),
fac AS (
  SELECT label, facility_id,
         count(*) FILTER (WHERE subject_type = 'inmate') AS tested,
         count(*) FILTER (WHERE subject_type = 'inmate' AND judged) AS judged,
         count(*) FILTER (WHERE subject_type = 'inmate' AND pos_old) AS old_pos,
         count(*) FILTER (WHERE subject_type = 'inmate' AND pos_new) AS new_pos,
         count(*) FILTER (WHERE subject_type = 'officer' AND pos_old) AS off_old,
         count(*) FILTER (WHERE subject_type = 'officer' AND pos_new) AS off_new
    FROM per GROUP BY 1, 2)
SELECT label, count(*) AS facilities,
       sum(old_pos) || '/' || sum(tested) || ' = ' || round(100.0 * sum(old_pos) / sum(tested), 2) || '%' AS inmates_before,
       sum(new_pos) || '/' || sum(judged) || ' = ' || round(100.0 * sum(new_pos) / sum(judged), 2) || '%' AS inmates_after,
       count(*) FILTER (WHERE old_pos * 100 > 5 * tested) AS over5_before,
       count(*) FILTER (WHERE new_pos * 100 > 5 * judged) AS over5_after,
       sum(off_old) AS officers_before, sum(off_new) AS officers_after
  FROM fac GROUP BY label ORDER BY label;
