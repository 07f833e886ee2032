-- Text is kept in Unicode NFC from now on (the API normalises what it is given): the rows stored
-- before are normalised here, so that one name is stored, compared and found one way.
-- A row is left as stored, with a WARNING naming the table, the ids and the value, when
--  * normalised it would collide with another row under a unique index or an exclusion constraint;
--  * it is frozen (a signed-off inspection report and its parts, a custody entry, an addendum): the
--    database guards refuse the change, and a signed-off record stays exactly as it was signed.
-- Audit events and scorecard snapshots are history and are not touched; neither are versions and
-- updated_at (the text reads the same). Re-running it changes nothing more.
DO $nfc$
DECLARE
  -- table, column, kind (text, jsonb or text[]), how a row is named, and for a column under a
  -- unique index or an exclusion constraint, when row o holds what row r would hold normalised.
  targets CONSTANT text[][] := ARRAY[
    ['organisations', 'name', 'text', 'id::text', 'o.name = normalize(r.name, NFC)'],
    ['organisations', 'regency', 'text', 'id::text',
      'o.type NOT IN (''ministry'', ''kanwil'', ''bnn'') AND r.type NOT IN (''ministry'', ''kanwil'', ''bnn'')'
      ' AND o.province_code IS NOT DISTINCT FROM r.province_code'
      ' AND coalesce(lower(o.regency), '''') = coalesce(lower(normalize(r.regency, NFC)), '''')'],
    ['facilities', 'name', 'text', 'id::text', 'o.name = normalize(r.name, NFC)'],
    ['facilities', 'regency', 'text', 'id::text', NULL],
    ['users', 'display_name', 'text', 'id::text', NULL],
    ['api_clients', 'name', 'text', 'id::text', NULL],
    ['inmates', 'registration_number', 'text', 'id::text',
      'o.facility_id = r.facility_id AND o.registration_number = normalize(r.registration_number, NFC)'],
    ['inmates', 'name', 'text', 'id::text', NULL],
    ['inmates', 'block', 'text', 'id::text', NULL],
    ['inmates', 'cell', 'text', 'id::text', NULL],
    ['inmate_placements', 'registration_number', 'text', 'id::text', NULL],
    ['inmate_placements', 'end_reason', 'text', 'id::text', NULL],
    ['officers', 'nip', 'text', 'id::text', 'o.nip = normalize(r.nip, NFC)'],
    ['officers', 'name', 'text', 'id::text', NULL],
    ['officers', 'position', 'text', 'id::text', NULL],
    ['officers', 'unit', 'text', 'id::text', NULL],
    ['mous', 'number', 'text', 'id::text', 'o.number = normalize(r.number, NFC)'],
    ['mous', 'title', 'text', 'id::text', NULL],
    ['mous', 'termination_reason', 'text', 'id::text', NULL],
    ['campaigns', 'topic', 'text', 'id::text', NULL],
    ['campaigns', 'regency', 'text', 'id::text', NULL],
    ['campaigns', 'venue', 'text', 'id::text', NULL],
    ['campaigns', 'notes', 'text', 'id::text', NULL],
    ['coordination_meetings', 'title', 'text', 'id::text', NULL],
    ['coordination_meetings', 'regency', 'text', 'id::text', NULL],
    ['coordination_meetings', 'venue', 'text', 'id::text', NULL],
    ['coordination_meetings', 'agenda', 'text', 'id::text', NULL],
    ['coordination_meetings', 'minutes', 'text', 'id::text', NULL],
    ['action_items', 'description', 'text', 'id::text', NULL],
    ['action_item_notes', 'note', 'text', 'id::text', NULL],
    ['inspections', 'summary', 'text', 'id::text', NULL],
    ['inspections', 'team', 'jsonb', 'id::text', NULL],
    ['inspections', 'areas', 'jsonb', 'id::text', NULL],
    ['inspection_findings', 'description', 'text', 'id::text', NULL],
    ['inspection_findings', 'location', 'text', 'id::text', NULL],
    ['evidence_items', 'description', 'text', 'id::text', NULL],
    ['evidence_items', 'seal_number', 'text', 'id::text', NULL],
    ['evidence_items', 'file_name', 'text', 'id::text', NULL],
    ['custody_entries', 'handed_by', 'text', 'id::text', NULL],
    ['custody_entries', 'handed_to', 'text', 'id::text', NULL],
    ['custody_entries', 'note', 'text', 'id::text', NULL],
    ['corrective_actions', 'description', 'text', 'id::text', NULL],
    ['corrective_actions', 'closing_comment', 'text', 'id::text', NULL],
    ['inspection_addenda', 'reason', 'text', 'id::text', NULL],
    ['inspection_addenda', 'text', 'text', 'id::text', NULL],
    ['kotan_assessments', 'regency', 'text', 'id::text',
      'o.province_code = r.province_code AND o.year = r.year AND lower(o.regency) = lower(normalize(r.regency, NFC))'],
    ['kotan_assessments', 'assessor_name', 'text', 'id::text', NULL],
    ['kotan_assessments', 'evidence_notes', 'text', 'id::text', NULL],
    ['rehab_programmes', 'title', 'text', 'id::text', NULL],
    ['rehab_programmes', 'curriculum', 'jsonb', 'id::text', NULL],
    ['rehab_programmes', 'rooms', 'text[]', 'id::text', NULL],
    ['rehab_slots', 'room', 'text', 'id::text', NULL],
    ['rehab_sessions', 'room', 'text', 'id::text',
      'o.status = ''scheduled'' AND r.status = ''scheduled'' AND o.facility_id = r.facility_id'
      ' AND o.room = normalize(r.room, NFC) AND tstzrange(o.starts_at, o.ends_at) && tstzrange(r.starts_at, r.ends_at)'],
    ['rehab_sessions', 'cancel_reason', 'text', 'id::text', NULL],
    ['rehab_enrolments', 'reason', 'text', 'id::text', NULL],
    ['rehab_enrolments', 'end_note', 'text', 'id::text', NULL],
    ['rehab_attendance', 'note', 'text', 'session_id::text || ''/'' || enrolment_id::text', NULL],
    ['facility_blackout_dates', 'reason', 'text', 'facility_id::text || ''/'' || day::text', NULL],
    ['trainings', 'title', 'text', 'id::text', NULL],
    ['trainings', 'venue', 'text', 'id::text', NULL],
    ['trainings', 'trainers', 'text[]', 'id::text', NULL],
    ['urine_test_rounds', 'kit', 'jsonb', 'id::text', NULL],
    ['urine_test_rounds', 'note', 'text', 'id::text', NULL],
    ['urine_tests', 'specimen_id', 'text', 'id::text',
      'o.round_id = r.round_id AND o.specimen_id = normalize(r.specimen_id, NFC)'],
    ['urine_confirmations', 'lab', 'text', 'id::text', NULL],
    ['urine_confirmations', 'prescription_reference', 'text', 'id::text', NULL],
    ['follow_up_cases', 'assessment_notes', 'text', 'id::text', NULL],
    ['follow_up_cases', 'closing_note', 'text', 'id::text', NULL]
  ];
  target text[];
  tbl text;
  col text;
  kind text;
  ident text;
  collides text;
  stale text;
  fixed text;
  r record;
  others text;
  changed integer;
BEGIN
  IF current_setting('server_encoding') <> 'UTF8' THEN
    RAISE WARNING 'text not normalised to NFC: the database encoding is %, not UTF8', current_setting('server_encoding');
    RETURN;
  END IF;
  FOREACH target SLICE 1 IN ARRAY targets LOOP
    tbl := target[1];
    col := target[2];
    kind := target[3];
    ident := target[4];
    collides := target[5];
    IF kind = 'jsonb' THEN
      stale := format('%I::text IS NOT NFC NORMALIZED', col);
      fixed := format('normalize(%I::text, NFC)::jsonb', col);
    ELSIF kind = 'text[]' THEN
      stale := format('EXISTS (SELECT 1 FROM unnest(%I) AS e(v) WHERE v IS NOT NFC NORMALIZED)', col);
      fixed := format('ARRAY(SELECT normalize(v, NFC) FROM unnest(%I) WITH ORDINALITY AS e(v, n) ORDER BY n)', col);
    ELSE
      stale := format('%I IS NOT NFC NORMALIZED', col);
      fixed := format('normalize(%I, NFC)', col);
    END IF;
    changed := 0;
    -- Row by row, each in a subtransaction: one refused row is reported and the others go on.
    FOR r IN EXECUTE format('SELECT ctid AS tid, %s AS ident, %I::text AS value FROM %I WHERE %s', ident, col, tbl, stale) LOOP
      BEGIN
        EXECUTE format('UPDATE %I SET %I = %s WHERE ctid = $1', tbl, col, fixed) USING r.tid;
        changed := changed + 1;
      EXCEPTION
        WHEN unique_violation OR exclusion_violation THEN
          others := NULL;
          IF collides IS NOT NULL THEN
            EXECUTE format(
              'SELECT string_agg(o.nfc_ident, '', '') FROM (SELECT ctid AS nfc_tid, %s AS nfc_ident, * FROM %I) AS o, %I AS r'
              ' WHERE r.ctid = $1 AND o.nfc_tid <> r.ctid AND (%s)',
              ident, tbl, tbl, collides)
              INTO others USING r.tid;
          END IF;
          RAISE WARNING 'nfc: %.% of % left as stored: normalised it would collide with % (value %)',
            tbl, col, r.ident, coalesce(others, SQLERRM), normalize(r.value, NFC);
        WHEN insufficient_privilege THEN
          RAISE WARNING 'nfc: %.% of % left as stored: the row is frozen (%)', tbl, col, r.ident, SQLERRM;
      END;
    END LOOP;
    IF changed > 0 THEN
      RAISE NOTICE 'nfc: % rows of %.% normalised', changed, tbl, col;
    END IF;
  END LOOP;
END
$nfc$;
