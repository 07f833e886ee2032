// A country's worth of records, made by set-based INSERT … SELECT over generate_series: about 530
// facilities in 38 provinces and the three time zones, 270,000 inmates with their stays, 15,000
// officers, an MoU per facility, five years of urine-test rounds (2,000,000 results: confirmed
// positives, refusals, adulterated, dilute and invalid specimens, and their follow-up cases),
// 30,000 inspections with corrective actions, trainings with participants, and rehabilitation
// programmes with enrolments. Reproducible: every
// id and value derives from a row number or a seeded random(). Used by the benchmarks in bench/.
import pg from 'pg';
import { type Database, openPg, queryRows, sql } from '../src/db/client.ts';

export interface Scale {
  facilities: number;
  inmatesPerFacility: number;
  officersPerFacility: number;
  roundsPerFacilityYear: number;
  testsPerRound: number;
  years: number;
}

export const NATIONAL: Scale = {
  facilities: 530,
  inmatesPerFacility: 510,
  officersPerFacility: 28,
  roundsPerFacilityYear: 24,
  testsPerRound: 32,
  years: 5,
};

/** The same density of records for fewer facilities: a province (14) or one facility. */
export const SCALES: Record<string, Scale> = {
  national: NATIONAL,
  province: { ...NATIONAL, facilities: 14 },
  facility: { ...NATIONAL, facilities: 1 },
};

/** The logins the load suite uses, all with the given password: an administrator, the staff of
 * facility 1, and an officer of its province's BNN unit. */
export const BENCH_LOGINS = ['bench.admin', 'bench.staff', 'bench.bnn'] as const;

/** A fresh database named in the URL (it must start with bersinar_bench), migrated. */
export async function freshDatabase(url: string): Promise<Database> {
  const name = new URL(url).pathname.slice(1);
  if (!/^bersinar_bench\w*$/.test(name)) throw new Error('the database name must start with bersinar_bench');
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const database = openPg({ url, poolMax: 4, statementTimeoutMs: 3_600_000, connectTimeoutMs: 5_000 });
  await database.migrate();
  return database;
}

// A version-4-shaped uuid from a name, so that the API's uuid validation takes the generated ids.
const uuid = (prefix: string, n: string) => sql.raw(`bench_uuid('${prefix}' || ${n})`);

export async function fill(
  database: Database,
  s: Scale,
  passwordHash: string,
  log: (line: string) => void = console.log,
): Promise<void> {
  const db = database.db;
  const step = async (label: string, query: ReturnType<typeof sql>) => {
    const started = performance.now();
    const result = (await db.execute(query)) as unknown as { rowCount?: number };
    log(`  ${label}: ${result.rowCount ?? '?'} rows in ${Math.round(performance.now() - started)} ms`);
  };
  const F = s.facilities;
  const zone = (province: string) =>
    sql.raw(`(ARRAY['Asia/Jakarta','Asia/Makassar','Asia/Jayapura'])[1 + (${province}) % 3]::time_zone`);
  const admin = uuid('admin', "''");
  await db.execute(sql`CREATE OR REPLACE FUNCTION bench_uuid(t text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT (substr(md5(t), 1, 12) || '4' || substr(md5(t), 14, 3) || '8' || substr(md5(t), 18, 15))::uuid $$`);
  await db.execute(sql`SELECT setseed(0.42)`);
  await step(
    'organisations',
    sql`INSERT INTO organisations (id, type, bnn_level, name, province_code, timezone)
        SELECT ${uuid('kanwil', 'p')}, 'kanwil'::organisation_type, NULL::bnn_level, 'Kanwil ' || p, lpad(p::text, 2, '0'), ${zone('p')}
          FROM generate_series(11, 48) p
        UNION ALL
        SELECT ${uuid('bnnp', 'p')}, 'bnn'::organisation_type, 'province'::bnn_level, 'BNNP ' || p, lpad(p::text, 2, '0'), ${zone('p')}
          FROM generate_series(11, 48) p`,
  );
  await step(
    'facilities',
    sql`INSERT INTO facilities (id, type, class, name, province_code, regency, capacity, timezone, kanwil_id)
        SELECT ${uuid('facility', 'f')}, (ARRAY['rutan','lapas','lapas_narkotika','lpp','lpka'])[1 + f % 5]::facility_type,
               'IIA', 'Fasilitas ' || f, lpad((11 + f % 38)::text, 2, '0'), 'Kota ' || f, 500,
               ${zone('11 + f % 38')}, ${uuid('kanwil', '(11 + f % 38)')}
          FROM generate_series(1, ${F}) f`,
  );
  // Nine facilities in ten have an MoU in force with their province's BNNP, covering every kind of work.
  await step(
    'mous',
    sql`INSERT INTO mous (id, number, title, bnn_unit_id, scope, signed_on, valid_from, valid_until)
        SELECT ${uuid('mou', 'f')}, 'PKS/' || f, 'Kerja sama ' || f, ${uuid('bnnp', '(11 + f % 38)')},
               '{rehabilitation,urine_testing,inspection,training,socialization}', '2021-01-04', '2021-01-04',
               CASE WHEN f % 10 = 0 THEN date '2023-12-31' ELSE date '2029-12-31' END
          FROM generate_series(1, ${F}) f`,
  );
  await step(
    'mou facilities',
    sql`INSERT INTO mou_facilities (mou_id, facility_id)
        SELECT ${uuid('mou', 'f')}, ${uuid('facility', 'f')} FROM generate_series(1, ${F}) f`,
  );
  const I = F * s.inmatesPerFacility;
  // Inmate n is held at facility 1 + n % F; one in eight has been released; two in five use drugs.
  await step(
    'inmates',
    sql`INSERT INTO inmates (id, pseudonym, facility_id, registration_number, name, sex, birth_date, case_type,
                             admission_date, status, released_on)
        SELECT ${uuid('inmate', 'n')}, 'WBP-' || n, ${uuid('facility', `(1 + n % ${F})`)}, 'REG-' || n, 'Warga Binaan ' || n,
               CASE WHEN n % 9 = 0 THEN 'female' ELSE 'male' END::sex, date '1980-01-01' + (n % 9000),
               (ARRAY['narcotics_user','narcotics_user','narcotics_dealer','narcotics_courier','non_narcotics'])[1 + n % 5]::case_type,
               date '2020-01-01' + (n % 1800),
               CASE WHEN n % 8 = 0 THEN 'released' ELSE 'sentenced' END::inmate_status,
               CASE WHEN n % 8 = 0 THEN date '2020-01-01' + (n % 1800) + 200 END
          FROM generate_series(1, ${I}) n`,
  );
  await step(
    'stays',
    sql`INSERT INTO inmate_placements (id, inmate_id, facility_id, registration_number, from_date, until_date, end_reason)
        SELECT ${uuid('stay', 'i.id::text')}, i.id, i.facility_id, i.registration_number, i.admission_date, i.released_on,
               CASE WHEN i.released_on IS NOT NULL THEN 'end_of_sentence' END
          FROM inmates i`,
  );
  const O = F * s.officersPerFacility;
  await step(
    'officers',
    sql`INSERT INTO officers (id, pseudonym, facility_id, nip, name, sex, position, unit, status, joined_on, left_on)
        SELECT ${uuid('officer', 'o')}, 'PTG-' || o, ${uuid('facility', `(1 + o % ${F})`)}, lpad(o::text, 18, '0'),
               'Petugas ' || o, 'male', 'Penjaga', 'KPR',
               CASE WHEN o % 20 = 0 THEN 'retired' ELSE 'active' END::officer_status,
               date '2005-01-01' + (o % 7000), CASE WHEN o % 20 = 0 THEN date '2024-01-01' + (o % 600) END
          FROM generate_series(1, ${O}) o`,
  );
  await step(
    'logins',
    sql`INSERT INTO users (id, username, display_name, password_hash, role, organisation_id, facility_id)
        VALUES (${admin}, 'bench.admin', 'Bench admin', ${passwordHash}, 'admin', NULL, NULL),
               (${uuid('user', "'staff'")}, 'bench.staff', 'Bench staff', ${passwordHash}, 'facility_staff', NULL, ${uuid('facility', '1')}),
               (${uuid('user', "'bnn'")}, 'bench.bnn', 'Bench BNN', ${passwordHash}, 'bnn_officer', ${uuid('bnnp', `(11 + 1 % 38)`)}, NULL)`,
  );
  // One facilitator a facility, so that sessions of different facilities never share one.
  await step(
    'facilitators',
    sql`INSERT INTO users (id, username, display_name, password_hash, role, organisation_id)
        SELECT ${uuid('facilitator', 'f')}, 'konselor.' || f, 'Konselor ' || f, ${passwordHash}, 'bnn_officer',
               ${uuid('bnnp', '(11 + f % 38)')}
          FROM generate_series(1, ${F}) f`,
  );
  // Rounds every two weeks or so from 2021; each tests inmates of its facility, one in eight an officer.
  const R = F * s.roundsPerFacilityYear * s.years;
  await step(
    'urine rounds',
    sql`INSERT INTO urine_test_rounds (id, facility_id, tested_on, reason, subjects, kit, cutoffs, created_by)
        SELECT ${uuid('round', 'r')}, ${uuid('facility', `(1 + r % ${F})`)},
               date '2021-01-04' + ((r / ${F}) * ${Math.floor(365 / s.roundsPerFacilityYear)}), 'random', 'both',
               '{"brand":"Rapid","lot":"L1","expiry":"2030-01-01","panel":["AMP","MET","THC"]}',
               '{"AMP":{"screen":500,"confirm":250},"MET":{"screen":500,"confirm":250},"THC":{"screen":50,"confirm":15}}',
               ${admin}
          FROM generate_series(0, ${R - 1}) r`,
  );
  // Outcomes in shares a random programme meets: 2% presumptive positives (two in three confirmed),
  // then of the rest by a hash of the test, 1% refusals, 0.3% adulterated (half of them substituted:
  // creatinine below 2), 2% dilute negatives, 0.5% invalid (temperature out of range); the rest negative.
  await step(
    'urine results',
    sql`INSERT INTO urine_tests (id, round_id, facility_id, subject_type, subject_id, specimen_id, collected_at, refused,
                                 temperature_c, temperature_in_range, creatinine_mg_dl, specific_gravity, nitrite_ug_ml,
                                 classes, outcome, confirmation, created_by)
        SELECT id, round_id, facility_id, subject_type, subject_id, specimen_id, collected_at, outcome = 'refused',
               CASE WHEN outcome = 'refused' THEN NULL WHEN outcome = 'invalid' THEN 30.5 ELSE 34.5 END,
               CASE WHEN outcome = 'refused' THEN NULL ELSE outcome <> 'invalid' END,
               CASE WHEN outcome = 'dilute' THEN 15 WHEN outcome = 'adulterated' AND v % 2 = 1 THEN 1.2 END,
               CASE WHEN outcome = 'dilute' THEN 1.002 WHEN outcome = 'adulterated' AND v % 2 = 1 THEN 1.001 END,
               CASE WHEN outcome = 'adulterated' AND v % 2 = 0 THEN 650 END,
               '[]', outcome::urine_outcome, confirmation::urine_confirmation_status, ${admin}
          FROM (
            SELECT ${uuid('test', "r || '.' || k")} AS id, ${uuid('round', 'r')} AS round_id,
                   ${uuid('facility', `(1 + r % ${F})`)} AS facility_id,
                   CASE WHEN k % 8 = 7 THEN 'officer' ELSE 'inmate' END::urine_subject_type AS subject_type,
                   CASE WHEN k % 8 = 7
                        THEN ${uuid('officer', `(1 + r % ${F} + ${F} * ((r / ${F} + k) % ${s.officersPerFacility}))`)}
                        ELSE ${uuid('inmate', `(1 + r % ${F} + ${F} * ((r / ${F} * 7 + k) % ${s.inmatesPerFacility}))`)} END AS subject_id,
                   'SPC-' || r || '-' || k AS specimen_id,
                   (date '2021-01-04' + ((r / ${F}) * ${Math.floor(365 / s.roundsPerFacilityYear)}))::timestamp + interval '2 hours' + k * interval '2 minutes' AS collected_at,
                   v,
                   CASE WHEN (r * 31 + k) % 50 = 0 THEN 'presumptive_positive'
                        WHEN v < 10 THEN 'refused' WHEN v < 13 THEN 'adulterated' WHEN v < 33 THEN 'dilute'
                        WHEN v < 38 THEN 'invalid' ELSE 'negative' END AS outcome,
                   CASE WHEN (r * 31 + k) % 50 = 0 THEN
                     CASE WHEN (r * 31 + k) % 150 = 0 THEN 'confirmed_negative' ELSE 'confirmed_positive' END END AS confirmation
              FROM generate_series(0, ${R - 1}) r CROSS JOIN generate_series(0, ${s.testsPerRound - 1}) k
                   CROSS JOIN LATERAL (SELECT abs(hashtext('outcome.' || r || '.' || k)) % 1000 AS v) h) x`,
  );
  // The cases the service opens: a confirmed positive, a refusal, an adulterated specimen.
  await step(
    'follow-up cases',
    sql`INSERT INTO follow_up_cases (id, facility_id, test_id, subject_type, subject_id, kind, trigger, status, opened_on,
                                     assessment_due, assessed_on)
        SELECT ${uuid('case', 't.id::text')}, t.facility_id, t.id, t.subject_type, t.subject_id,
               CASE WHEN t.subject_type = 'inmate' THEN 'assessment' ELSE 'kanwil_referral' END::follow_up_kind,
               CASE WHEN t.outcome IN ('refused', 'adulterated') THEN t.outcome::text ELSE 'confirmed_positive' END::follow_up_trigger,
               'assessed', t.collected_at::date, t.collected_at::date + 20,
               t.collected_at::date + (10 + abs(hashtext(t.id::text)) % 20)
          FROM urine_tests t WHERE t.confirmation = 'confirmed_positive' OR t.outcome IN ('refused', 'adulterated')`,
  );
  const N = Math.round(F * 11.3 * s.years);
  await step(
    'inspections',
    sql`INSERT INTO inspections (id, facility_id, kind, team, started_at, ended_at, areas, inmates_searched, officers_searched,
                                 summary, status, narcotics_found, created_by, submitted_at, submitted_by)
        SELECT ${uuid('inspection', 'n')}, ${uuid('facility', `(1 + n % ${F})`)}, 'surprise', '[]',
               timestamp '2021-01-05 02:00' + (n / ${F}) * interval '32 days' + (n % 7) * interval '1 day',
               timestamp '2021-01-05 04:00' + (n / ${F}) * interval '32 days' + (n % 7) * interval '1 day',
               '[]', 100, 10, 'Penggeledahan', 'submitted', n % 23 = 0, ${admin}, now(), ${admin}
          FROM generate_series(0, ${N - 1}) n`,
  );
  await step(
    'corrective actions',
    sql`INSERT INTO corrective_actions (id, inspection_id, facility_id, description, due_date, status, closing_comment, closed_at)
        SELECT ${uuid('action', 'i.id::text')}, i.id, i.facility_id, 'Tindak lanjut', i.started_at::date + 14,
               CASE WHEN abs(hashtext(i.id::text)) % 5 = 0 THEN 'open' ELSE 'done' END::corrective_action_status,
               CASE WHEN abs(hashtext(i.id::text)) % 5 = 0 THEN NULL ELSE 'Selesai' END,
               CASE WHEN abs(hashtext(i.id::text)) % 5 = 0 THEN NULL
                    ELSE i.started_at + (5 + abs(hashtext(i.id::text)) % 15) * interval '1 day' END
          FROM inspections i`,
  );
  const T = F * 6 * s.years;
  await step(
    'trainings',
    sql`INSERT INTO trainings (id, title, topic, organiser_type, organiser_facility_id, starts_on, ends_on, hours, venue, mode,
                               trainers, capacity, pass_mark, created_by)
        SELECT ${uuid('training', 'n')}, 'Pelatihan ' || n, (enum_range(NULL::training_topic))[1 + n % 6], 'facility',
               ${uuid('facility', `(1 + n % ${F})`)}, date '2021-01-01' + (n * 1826 / ${T}), date '2021-01-03' + (n * 1826 / ${T}),
               24, 'Aula', 'in_person', '{}', 40, 70, ${admin}
          FROM generate_series(1, ${T}) n`,
  );
  await step(
    'training facilities',
    sql`INSERT INTO training_facilities (training_id, facility_id) SELECT id, organiser_facility_id FROM trainings`,
  );
  await step(
    'training participants',
    sql`INSERT INTO training_participants (id, training_id, officer_id, facility_id, post_test_score)
        SELECT ${uuid('participant', "t.n || '.' || k")}, ${uuid('training', 't.n')},
               ${uuid('officer', `(1 + t.n % ${F} + ${F} * ((t.n / ${F} * 5 + k) % ${s.officersPerFacility}))`)},
               ${uuid('facility', `(1 + t.n % ${F})`)}, (40 + random() * 60)::numeric(5,2)
          FROM generate_series(1, ${T}) t(n) CROSS JOIN generate_series(0, 11) k`,
  );
  const P = Math.round(F * 3.8);
  await step(
    'rehab programmes',
    sql`INSERT INTO rehab_programmes (id, facility_id, mou_id, bnn_unit_id, title, modality, curriculum, starts_on, ends_on,
                                      capacity, rooms, created_by)
        SELECT ${uuid('programme', 'n')}, ${uuid('facility', `(1 + n % ${F})`)}, ${uuid('mou', `(1 + n % ${F})`)},
               ${uuid('bnnp', `(11 + (1 + n % ${F}) % 38)`)}, 'Program ' || n, 'group_counselling', '[]',
               date '2022-01-03' + (n / ${F}) * 180, date '2022-01-03' + (n / ${F}) * 180 + 90, 30, '{Aula}', ${admin}
          FROM generate_series(0, ${P - 1}) n`,
  );
  await step(
    'rehab enrolments',
    sql`INSERT INTO rehab_enrolments (id, programme_id, facility_id, inmate_id, status, enrolled_on, ended_on, created_by)
        SELECT ${uuid('enrolment', "n || '.' || k")}, ${uuid('programme', 'n')}, ${uuid('facility', `(1 + n % ${F})`)},
               ${uuid('inmate', `(1 + n % ${F} + ${F} * (((n / ${F}) * 20 + k * 5) % ${s.inmatesPerFacility}))`)},
               (ARRAY['completed','completed','withdrawn','active'])[1 + k % 4]::rehab_enrolment_status,
               date '2022-01-03' + (n / ${F}) * 180,
               CASE WHEN k % 4 < 3 THEN date '2022-01-03' + (n / ${F}) * 180 + 90 END, ${admin}
          FROM generate_series(0, ${P - 1}) n CROSS JOIN generate_series(0, 24) k
        ON CONFLICT DO NOTHING`,
  );
  // Thirty sessions a programme, every three days at 09:00 local; the enrolled are on each one;
  // attendance is recorded for the first 25 (the last five are past but not yet recorded).
  await step(
    'rehab sessions',
    sql`INSERT INTO rehab_sessions (id, programme_id, facility_id, starts_at, ends_at, room, facilitator_id, attendance_version,
                                    created_by)
        SELECT ${uuid('session', "p.id::text || '.' || k")}, p.id, p.facility_id,
               (p.starts_on + k * 3)::timestamp AT TIME ZONE f.timezone::text + interval '9 hours',
               (p.starts_on + k * 3)::timestamp AT TIME ZONE f.timezone::text + interval '10 hours 30 minutes',
               'Aula', ${uuid('facilitator', 'substring(f.name from 11)')}, CASE WHEN k < 25 THEN 1 ELSE 0 END, ${admin}
          FROM rehab_programmes p JOIN facilities f ON f.id = p.facility_id CROSS JOIN generate_series(0, 29) k`,
  );
  await step(
    'rehab rosters',
    sql`INSERT INTO rehab_session_inmates (session_id, enrolment_id, inmate_id, facility_id, starts_at, ends_at)
        SELECT s.id, e.id, e.inmate_id, e.facility_id, s.starts_at, s.ends_at
          FROM rehab_sessions s JOIN rehab_enrolments e ON e.programme_id = s.programme_id`,
  );
  await step(
    'rehab attendance',
    sql`INSERT INTO rehab_attendance (session_id, enrolment_id, inmate_id, facility_id, status, recorded_by)
        SELECT r.session_id, r.enrolment_id, r.inmate_id, r.facility_id,
               (ARRAY['attended','attended','attended','late','excused','absent'])[1 + abs(hashtext(r.session_id::text || r.enrolment_id::text)) % 6]::rehab_attendance_status,
               ${admin}
          FROM rehab_session_inmates r JOIN rehab_sessions s ON s.id = r.session_id WHERE s.attendance_version = 1`,
  );
  // As autovacuum would have by then: statistics, and the visibility map that index-only scans use.
  await step('vacuum analyze', sql`VACUUM ANALYZE`);
  const [counts] = await queryRows<Record<string, number>>(
    db,
    sql`SELECT (SELECT count(*)::int FROM facilities) AS facilities, (SELECT count(*)::int FROM inmates) AS inmates,
               (SELECT count(*)::int FROM officers) AS officers, (SELECT count(*)::int FROM urine_tests) AS urine_tests,
               (SELECT count(*)::int FROM inspections) AS inspections, (SELECT count(*)::int FROM follow_up_cases) AS cases,
               (SELECT count(*)::int FROM training_participants) AS participants,
               (SELECT count(*)::int FROM rehab_enrolments) AS enrolments,
               (SELECT count(*)::int FROM rehab_attendance) AS attendance`,
  );
  log(`  ${JSON.stringify(counts)}`);
}
