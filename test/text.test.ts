import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import t from 'tap';
import { migrationsFolder, openPg } from '../src/db/client.ts';
import * as schema from '../src/db/schema.ts';
import { build } from './helpers/app.ts';

// Hostile text: bidirectional controls and invisible characters are refused with the field named,
// and text is kept in NFC, so a name typed (or pasted) decomposed is stored and found one way.
const h = await build(t);
const fac = h.world.facilities;
const org = h.world.organisations;
const banjarnegara = fac.banjarnegara as string;

const RLO = '\u202E';
const nfd = (s: string) => s.normalize('NFD');
const nfc = (s: string) => s.normalize('NFC');
const NAME = 'Réné Siregar';

const person = (over: Record<string, unknown> = {}) => ({
  registration_number: `TX-${Math.random().toString(36).slice(2, 8)}/2024`,
  name: 'Budi Santoso',
  sex: 'male',
  birth_date: '1990-04-17',
  case_type: 'narcotics_user',
  admission_date: '2024-03-02',
  ...over,
});
const officer = (over: Record<string, unknown> = {}) => ({
  nip: `1985041720101210${Math.floor(Math.random() * 90 + 10)}`,
  name: 'Agus Prasetyo',
  sex: 'male',
  position: 'Kepala Pengamanan Rutan',
  unit: 'KPR',
  joined_on: '2010-12-01',
  ...over,
});
const staff = () => h.login('staff.banjarnegara');
const inmatesUrl = `/v1/facilities/${banjarnegara}/inmates`;
const officersUrl = `/v1/facilities/${banjarnegara}/officers`;

t.test('a name with a right-to-left override is refused naming /name, and nothing is stored', async (t) => {
  const before = await h.count('inmates');
  const auditBefore = await h.count('audit_events');
  const res = await h.call('POST', inmatesUrl, {
    token: await staff(),
    body: person({ name: `Budi ${RLO}otnaS`, registration_number: 'TX-RLO/2024' }),
  });
  t.equal(res.statusCode, 400);
  t.equal(res.json().code, 'validation_failed');
  t.same(res.json().errors, [
    { in: 'body', pointer: '/name', detail: 'must not contain U+202E, a bidirectional control character' },
  ]);
  t.equal(await h.count('inmates'), before);
  t.equal(await h.count('audit_events'), auditBefore);

  // A registration number with a zero-width space, a block with an isolate, a line break in a name.
  const hidden = await h.call('POST', inmatesUrl, {
    token: await staff(),
    body: person({ registration_number: 'TX-0\u200B1/2024', block: 'A\u2067', name: 'Budi\nSantoso' }),
  });
  t.equal(hidden.statusCode, 400);
  t.same(
    hidden.json().errors.map((e: { pointer: string; detail: string }) => [e.pointer, e.detail]),
    [
      ['/registration_number', 'must not contain U+200B, an invisible character'],
      ['/name', 'must not contain U+000A, a control character or line break'],
      ['/block', 'must not contain U+2067, a bidirectional control character'],
    ],
  );
  t.equal(await h.count('inmates'), before);

  // An unpaired surrogate is named too, not left to the database to refuse.
  const lone = await h.call('POST', inmatesUrl, { token: await staff(), body: person({ name: 'Budi \uD800' }) });
  t.equal(lone.statusCode, 400);
  t.same(lone.json().errors, [
    { in: 'body', pointer: '/name', detail: 'must not contain U+D800, an unpaired surrogate' },
  ]);
  t.equal(await h.count('inmates'), before);
});

t.test('an NFD name and registration number are stored NFC and found by the NFC search', async (t) => {
  const token = await staff();
  const created = await h.call('POST', inmatesUrl, {
    token,
    body: person({ name: nfd(NAME), registration_number: nfd('TX-Ñ1/2024') }),
  });
  t.equal(created.statusCode, 201);
  t.equal(created.json().name, nfc(NAME));
  t.equal(created.json().registration_number, 'TX-Ñ1/2024');
  const [row] = await h.rows<{ name: string; registration_number: string; placed: string }>(
    `SELECT i.name, i.registration_number, p.registration_number AS placed
       FROM inmates i JOIN inmate_placements p ON p.inmate_id = i.id WHERE i.id = $1`,
    [created.json().id],
  );
  t.same(row, { name: nfc(NAME), registration_number: 'TX-Ñ1/2024', placed: 'TX-Ñ1/2024' });

  for (const q of [nfc('Réné'), nfd('Réné')]) {
    const found = await h.call('GET', `${inmatesUrl}?name=${encodeURIComponent(q)}`, { token });
    t.equal(found.statusCode, 200);
    t.same(
      found.json().data.map((i: { id: string }) => i.id),
      [created.json().id],
      `found by ${q === nfc(q) ? 'NFC' : 'NFD'}`,
    );
  }
  const byNumber = await h.call('GET', `${inmatesUrl}?registration_number=${encodeURIComponent('TX-Ñ1/2024')}`, {
    token,
  });
  t.same(
    byNumber.json().data.map((i: { id: string }) => i.id),
    [created.json().id],
  );
  // The same number typed composed is the same number: refused as a duplicate.
  const again = await h.call('POST', inmatesUrl, { token, body: person({ registration_number: 'TX-Ñ1/2024' }) });
  t.equal(again.statusCode, 409);

  const bad = await h.call('GET', `${inmatesUrl}?name=${encodeURIComponent(`Bu${RLO}di`)}`, { token });
  t.equal(bad.statusCode, 400);
  t.same(bad.json().errors, [
    { in: 'querystring', pointer: '/name', detail: 'must not contain U+202E, a bidirectional control character' },
  ]);
});

t.test('an MoU number: an override refused, NFD stored NFC and unique as NFC', async (t) => {
  const token = await h.login('bnnk.purbalingga');
  const draft = (number: string) => ({
    number,
    title: 'Tes urine bersama',
    bnn_unit_id: org['bnnk.purbalingga'],
    facility_ids: [fac.purwokerto],
    scope: ['urine_testing'],
    valid_from: '2026-01-05',
    valid_until: '2028-01-04',
  });
  const before = await h.count('mous');
  const spoof = await h.call('POST', '/v1/mous', { token, body: draft(`PKS/${RLO}2026/01`) });
  t.equal(spoof.statusCode, 400);
  t.same(spoof.json().errors, [
    { in: 'body', pointer: '/number', detail: 'must not contain U+202E, a bidirectional control character' },
  ]);
  t.equal(await h.count('mous'), before);

  const number = 'PKS/BNNK-PBG/Pérjanjian/2026';
  const created = await h.call('POST', '/v1/mous', { token, body: draft(nfd(number)) });
  t.equal(created.statusCode, 201);
  t.equal(created.json().number, nfc(number));
  const [row] = await h.rows<{ number: string }>('SELECT number FROM mous WHERE id = $1', [created.json().id]);
  t.equal(row?.number, nfc(number));
  const twin = await h.call('POST', '/v1/mous', { token, body: draft(nfc(number)) });
  t.equal(twin.statusCode, 409, 'the composed form is the same number');
  t.equal(await h.count('mous'), before + 1);
});

t.test('an officer: NIP with an invisible character refused, NFD name stored NFC and found', async (t) => {
  const token = await staff();
  const before = await h.count('officers');
  const zw = await h.call('POST', officersUrl, { token, body: officer({ nip: '19850417201012\u200D1002' }) });
  t.equal(zw.statusCode, 400);
  t.same(
    zw.json().errors.map((e: { pointer: string; detail: string }) => [e.pointer, e.detail]),
    [
      ['/nip', 'must not contain U+200D, an invisible character'],
      ['/nip', 'Too big: expected string to have <=18 characters'],
      ['/nip', 'NIP must be 18 digits'],
    ],
  );
  const rlo = await h.call('POST', officersUrl, { token, body: officer({ name: `Agus ${RLO}oyteserP` }) });
  t.equal(rlo.statusCode, 400);
  t.same(rlo.json().errors, [
    { in: 'body', pointer: '/name', detail: 'must not contain U+202E, a bidirectional control character' },
  ]);
  t.equal(await h.count('officers'), before);

  const created = await h.call('POST', officersUrl, {
    token,
    body: officer({ name: nfd('Ñoman Sudarsâna'), unit: nfd('Pengamanan Pintu Utama (P2U) — Blok É') }),
  });
  t.equal(created.statusCode, 201);
  const [row] = await h.rows<{ name: string; unit: string }>('SELECT name, unit FROM officers WHERE id = $1', [
    created.json().id,
  ]);
  t.same(row, { name: nfc('Ñoman Sudarsâna'), unit: nfc('Pengamanan Pintu Utama (P2U) — Blok É') });
  const found = await h.call('GET', `${officersUrl}?name=${encodeURIComponent(nfc('Ñoman'))}`, { token });
  t.same(
    found.json().data.map((o: { id: string }) => o.id),
    [created.json().id],
  );
});

t.test('notes keep line breaks; names refuse them', async (t) => {
  const token = await staff();
  const admitted = await h.call('POST', inmatesUrl, { token, body: person() });
  const released = await h.call('POST', `/v1/inmates/${admitted.json().id}/release`, {
    token,
    body: { released_on: '2026-01-05', reason: 'other', note: `Line one\n\tLine ${nfd('twó')}` },
  });
  t.equal(released.statusCode, 200);
  const [event] = await h.rows<{ note: string }>(
    `SELECT after->>'note' AS note FROM audit_events WHERE entity_id = $1 AND action = 'inmate.released'`,
    [admitted.json().id],
  );
  t.equal(event?.note, `Line one\n\tLine ${nfc('twó')}`, 'the note is kept, normalised');
  const rlo = await h.call('POST', `/v1/inmates/${admitted.json().id}/release`, {
    token,
    body: { released_on: '2026-01-05', reason: 'other', note: `a\u2066b` },
  });
  t.equal(rlo.statusCode, 400);
  t.same(rlo.json().errors, [
    { in: 'body', pointer: '/note', detail: 'must not contain U+2066, a bidirectional control character' },
  ]);
});

t.test('an import row with a bidi control is rejected naming line and field; NFD rows are stored NFC', async (t) => {
  const token = await staff();
  const csv = [
    'registration_number;name;sex;birth_date;case_type;admission_date',
    `${nfd('TX-IMP-É1/2024')};${nfd('Dédé Kurniawan')};male;1990-04-17;narcotics_user;2024-03-02`,
    `TX-IMP-2/2024;Budi ${RLO}otnaS;male;1990-04-17;narcotics_user;2024-03-02`,
    `TX-IMP-${RLO}3/2024;Budi Santoso;male;1990-04-17;narcotics_user;2024-03-02`,
    '',
  ].join('\n');
  const res = await h.call('POST', `${inmatesUrl}/import`, {
    token,
    payload: csv,
    headers: { 'content-type': 'text/csv' },
  });
  t.equal(res.statusCode, 200);
  t.same(res.json(), {
    dry_run: false,
    total: 3,
    created: 1,
    updated: 0,
    unchanged: 0,
    rejected: [
      { line: 3, key: 'TX-IMP-2/2024', errors: ['name: must not contain U+202E, a bidirectional control character'] },
      {
        line: 4,
        key: 'TX-IMP-<U+202E>3/2024',
        errors: ['registration_number: must not contain U+202E, a bidirectional control character'],
      },
    ],
  });
  t.same(await h.rows(`SELECT registration_number, name FROM inmates WHERE registration_number LIKE 'TX-IMP-%'`), [
    { registration_number: nfc('TX-IMP-É1/2024'), name: nfc('Dédé Kurniawan') },
  ]);

  // JSON rows: the composed form of a kept number matches it, and the NFD name compares equal.
  const json = await h.call('POST', `/v1/facilities/${banjarnegara}/officers/import`, {
    token,
    body: [
      officer({ nip: '198001012005011001', name: nfd('Ñyoman Ádi'), status: 'active' }),
      officer({ nip: '198001012005011002', name: `Wayan\u200BAdi`, status: 'active' }),
    ],
  });
  t.equal(json.statusCode, 200);
  t.same(json.json().rejected, [
    { line: 2, key: '198001012005011002', errors: ['name: must not contain U+200B, an invisible character'] },
  ]);
  t.same(await h.rows(`SELECT name FROM officers WHERE nip LIKE '19800101200501100_'`), [{ name: nfc('Ñyoman Ádi') }]);
  const again = await h.call('POST', `/v1/facilities/${banjarnegara}/officers/import`, {
    token,
    body: [officer({ nip: '198001012005011001', name: nfc('Ñyoman Ádi'), status: 'active' })],
  });
  t.match(again.json(), { created: 0, updated: 0, unchanged: 1 });
});

const migrationSql = readFileSync(join(migrationsFolder, '0016_text_nfc.sql'), 'utf8');

t.test(
  'the migration normalises stored rows, and leaves and reports collisions and frozen rows',
  { skip: h.test.url ? false : 'hears the warnings from a PostgreSQL server; the PGlite test covers the rows' },
  async (t) => {
    const [staffUser] = await h.rows<{ id: string }>(`SELECT id FROM users WHERE username = 'staff.banjarnegara'`);
    const insertInmate = (id: string, registration: string, name: string) =>
      h.rows(
        `INSERT INTO inmates (id, pseudonym, facility_id, registration_number, name, sex, birth_date, case_type,
                            admission_date, status)
       VALUES ($1, $2, $3, $4, $5, 'male', '1990-04-17', 'narcotics_user', '2024-03-02', 'detained')`,
        [id, `WBP-MIG${id.slice(-5)}`, banjarnegara, registration, name],
      );
    const ids = {
      plain: '01938a6e-0000-7000-8000-000000000001',
      kept: '01938a6e-0000-7000-8000-000000000002',
      twin: '01938a6e-0000-7000-8000-000000000003',
      inspection: '01938a6e-0000-7000-8000-000000000004',
    };
    await insertInmate(ids.plain, nfd('MIG-É1/2024'), nfd('Ádi Nugróho'));
    await insertInmate(ids.kept, nfc('MIG-É2/2024'), 'Budi Santoso');
    await insertInmate(ids.twin, nfd('MIG-É2/2024'), nfd('Búdi Santoso'));
    // A signed-off report is frozen by its guard: its text stays as it was signed.
    await h.rows(
      `INSERT INTO inspections (id, facility_id, kind, team, started_at, ended_at, areas, inmates_searched,
                              officers_searched, summary, status, created_by)
     VALUES ($1, $2, 'joint', $3::jsonb, '2024-12-13T02:00:00Z', '2024-12-13T04:00:00Z', $4::jsonb, 1, 1, $5,
             'signed_off', $6)`,
      [
        ids.inspection,
        banjarnegara,
        JSON.stringify([{ name: nfd('Tím'), agency: 'facility' }]),
        JSON.stringify([{ kind: 'block', name: nfd('Blók A') }]),
        nfd('Rangkúman'),
        staffUser?.id,
      ],
    );
    const auditBefore = await h.rows('SELECT seq, hash FROM audit_events ORDER BY seq');

    const client = new pg.Client({ connectionString: h.test.url });
    await client.connect();
    const warnings: string[] = [];
    client.on('notice', (n) => {
      if (n.severity === 'WARNING') warnings.push(n.message ?? '');
    });
    try {
      await client.query('BEGIN');
      for (const statement of migrationSql.split('--> statement-breakpoint')) await client.query(statement);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }

    t.same(
      await h.rows(`SELECT id, registration_number, name FROM inmates WHERE id IN ($1, $2, $3) ORDER BY id`, [
        ids.plain,
        ids.kept,
        ids.twin,
      ]),
      [
        { id: ids.plain, registration_number: nfc('MIG-É1/2024'), name: nfc('Ádi Nugróho') },
        { id: ids.kept, registration_number: nfc('MIG-É2/2024'), name: 'Budi Santoso' },
        // Its number would collide with the one kept: left as stored; its name is normalised.
        { id: ids.twin, registration_number: nfd('MIG-É2/2024'), name: nfc('Búdi Santoso') },
      ],
    );
    t.same(await h.rows('SELECT summary, team, areas FROM inspections WHERE id = $1', [ids.inspection]), [
      {
        summary: nfd('Rangkúman'),
        team: [{ name: nfd('Tím'), agency: 'facility' }],
        areas: [{ kind: 'block', name: nfd('Blók A') }],
      },
    ]);
    t.same(warnings.sort(), [
      `nfc: inmates.registration_number of ${ids.twin} left as stored: normalised it would collide with ${ids.kept} (value ${nfc('MIG-É2/2024')})`,
      `nfc: inspections.areas of ${ids.inspection} left as stored: the row is frozen (inspection ${ids.inspection} is signed off and frozen)`,
      `nfc: inspections.summary of ${ids.inspection} left as stored: the row is frozen (inspection ${ids.inspection} is signed off and frozen)`,
      `nfc: inspections.team of ${ids.inspection} left as stored: the row is frozen (inspection ${ids.inspection} is signed off and frozen)`,
    ]);
    t.same(await h.rows('SELECT seq, hash FROM audit_events ORDER BY seq'), auditBefore, 'the audit trail untouched');
  },
);

/** A copy of the migrations that ends before (or with) the one tagged, and that one's timestamp. */
function migrationsUpTo(tag: string, including: boolean) {
  const folder = mkdtempSync(join(tmpdir(), 'bersinar-nfc-'));
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string; when: number }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  const when = journal.entries[at]?.when;
  journal.entries = journal.entries.slice(0, including ? at + 1 : at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return { folder, when };
}

t.test(
  "the migrator writes the migration's warnings to the log",
  { skip: h.test.url ? false : 'needs a PostgreSQL server' },
  async (t) => {
    const kept = '01938a6e-0000-7000-8000-000000000010';
    const id = '01938a6e-0000-7000-8000-000000000011';
    const number = 'PKS/Lóg/2026';
    for (const [mou, form] of [
      [kept, nfc(number)],
      [id, nfd(number)],
    ]) {
      await h.rows(
        `INSERT INTO mous (id, number, title, bnn_unit_id, scope, valid_from, valid_until)
         SELECT $1, $2, 'Tes', bnn_unit_id, scope, valid_from, valid_until FROM mous LIMIT 1`,
        [mou, form],
      );
    }
    // As if the database had been built before the migration: the migrator runs it once more
    // (from a copy of the migrations that ends with it, since later ones are already applied).
    const through = migrationsUpTo('0016_text_nfc', true);
    t.teardown(() => rmSync(through.folder, { recursive: true, force: true }));
    await h.rows(`DELETE FROM drizzle.__drizzle_migrations WHERE created_at >= $1`, [through.when]);
    const logged: unknown[] = [];
    const database = openPg({
      url: h.test.url as string,
      poolMax: 1,
      statementTimeoutMs: 30_000,
      connectTimeoutMs: 5_000,
      logger: { error: () => undefined, warn: (...args: unknown[]) => logged.push(args) } as never,
    });
    try {
      await database.migrate(through.folder);
    } finally {
      await database.close();
    }
    const about = (entry: unknown) => JSON.stringify(entry).includes('mous.number');
    t.same(logged.filter(about), [
      [
        {
          notice: `nfc: mous.number of ${id} left as stored: normalised it would collide with ${kept} (value ${nfc(number)})`,
        },
        'migration warning',
      ],
    ]);
  },
);

t.test('on PGlite, a database built before the migration is normalised by the migrator', async (t) => {
  // The migrations up to the one before, as a database made before it would have run them.
  const { folder: before } = migrationsUpTo('0016_text_nfc', false);
  t.teardown(() => rmSync(before, { recursive: true, force: true }));

  const client = new PGlite({ extensions: { btree_gist } });
  t.teardown(() => client.close());
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: before });
  const kanwil = '01938a6e-0000-7000-8000-0000000000e1';
  const facility = '01938a6e-0000-7000-8000-0000000000f1';
  await client.query(`INSERT INTO organisations (id, type, name, province_code) VALUES ($1, 'kanwil', $2, '33')`, [
    kanwil,
    nfd('Kanwil Jáwa Tengah'),
  ]);
  await client.query(
    `INSERT INTO facilities (id, type, class, name, province_code, regency, capacity, timezone, kanwil_id)
     VALUES ($1, 'rutan', 'IIB', $2, '33', $3, 100, 'Asia/Jakarta', $4)`,
    [facility, nfd('Rutan Bánjarnegara'), nfd('Bánjarnegara'), kanwil],
  );
  const insert = (id: string, registration: string, name: string) =>
    client.query(
      `INSERT INTO inmates (id, pseudonym, facility_id, registration_number, name, sex, birth_date, case_type,
                            admission_date, status)
       VALUES ($1, $2, $3, $4, $5, 'male', '1990-04-17', 'narcotics_user', '2024-03-02', 'detained')`,
      [id, `WBP-PGL${id.slice(-3)}`, facility, registration, name],
    );
  await insert('01938a6e-0000-7000-8000-000000000101', nfd('PG-É1/2024'), nfd('Ádi'));
  await insert('01938a6e-0000-7000-8000-000000000102', nfc('PG-É2/2024'), 'Budi');
  await insert('01938a6e-0000-7000-8000-000000000103', nfd('PG-É2/2024'), nfd('Búdi'));

  await migrate(db, { migrationsFolder });

  t.same((await client.query('SELECT name, regency FROM facilities WHERE id = $1', [facility])).rows, [
    { name: nfc('Rutan Bánjarnegara'), regency: nfc('Bánjarnegara') },
  ]);
  t.same((await client.query('SELECT registration_number, name FROM inmates ORDER BY id')).rows, [
    { registration_number: nfc('PG-É1/2024'), name: nfc('Ádi') },
    { registration_number: nfc('PG-É2/2024'), name: 'Budi' },
    { registration_number: nfd('PG-É2/2024'), name: nfc('Búdi') },
  ]);
  // Its warnings are raised on PGlite too (heard here by running the statement again).
  const warnings: string[] = [];
  await client.exec(migrationSql, {
    onNotice: (n) => {
      if (n.severity === 'WARNING') warnings.push(n.message ?? '');
    },
  });
  t.same(warnings, [
    `nfc: inmates.registration_number of 01938a6e-0000-7000-8000-000000000103 left as stored: normalised it would collide with 01938a6e-0000-7000-8000-000000000102 (value ${nfc('PG-É2/2024')})`,
  ]);
});
