import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'csv-parse/sync';
import t from 'tap';
import { build, PASSWORD } from './helpers/app.ts';

// The last subtest streams a hundred thousand rows: more than the suite's usual time for a file.
t.setTimeout(900_000);
const h = await build(t);
const fac = h.world.facilities;

const report = (summary: string) => ({
  kind: 'surprise',
  team: [{ name: 'Karutan Banjarnegara', agency: 'facility', role: 'ketua' }],
  started_at: '2026-03-02T09:00:00',
  ended_at: '2026-03-02T11:30:00',
  areas: [{ kind: 'block', name: 'A' }, { kind: 'kitchen' }],
  inmates_searched: 120,
  officers_searched: 15,
  summary,
});

async function openReport(summary: string, facility = fac.banjarnegara, username = 'staff.banjarnegara') {
  const res = await h.call('POST', `/v1/facilities/${facility}/inspections`, {
    token: await h.login(username),
    body: report(summary),
  });
  if (res.statusCode !== 201) throw new Error(`open: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function clientToken(): Promise<string> {
  const res = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD },
  });
  return res.json().access_token as string;
}

const a = await openReport('Penggeledahan blok hunian.');
const formula = await openReport('=HYPERLINK("http://contoh.invalid","klik")');

t.test('a list comes as CSV with the same rows as its JSON, whatever the Accept parameters', async (t) => {
  const token = await h.login('staff.banjarnegara');
  const url = `/v1/facilities/${fac.banjarnegara}/inspections`;
  const json = await h.call('GET', `${url}?limit=200`, { token });
  for (const accept of ['text/csv', 'text/csv; charset=utf-8', 'text/csv;q=1, application/json;q=0.5']) {
    const res = await h.call('GET', url, { token, headers: { accept } });
    t.equal(res.statusCode, 200, accept);
    t.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    t.equal(res.headers['content-disposition'], 'attachment; filename="bersinar-listFacilityInspections.csv"');
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    t.same(
      rows.map((r) => r.id),
      json.json().data.map((r: { id: string }) => r.id),
      'the same rows in the same order',
    );
    const first = rows.find((r) => r.id === a.id);
    t.same(
      {
        summary: first?.summary,
        areas: first?.areas,
        team: first?.team,
        status: first?.status,
        finding_count: first?.finding_count,
      },
      {
        summary: 'Penggeledahan blok hunian.',
        areas: '{"kind":"block","name":"A"} {"kind":"kitchen"}',
        team: '{"name":"Karutan Banjarnegara","role":"ketua","agency":"facility"}',
        status: 'draft',
        finding_count: '0',
      },
    );
  }
  const plain = await h.call('GET', url, { token, headers: { accept: 'application/json' } });
  t.equal(plain.headers['content-type'], 'application/json; charset=utf-8', 'JSON stays the default');
});

t.test('a cell a spreadsheet would run as a formula is kept as text', async (t) => {
  const res = await h.call('GET', `/v1/inspections?facility_id=${fac.banjarnegara}`, {
    token: await h.login('admin'),
    headers: { accept: 'text/csv' },
  });
  const rows = parse(res.body, { columns: true }) as Record<string, string>[];
  t.equal(rows.find((r) => r.id === formula.id)?.summary, `'=HYPERLINK("http://contoh.invalid","klik")`);
});

t.test('the export keeps the list reach and refusals, as problem+json', async (t) => {
  const kupang = await h.login('staff.kupang');
  const other = await h.call('GET', `/v1/facilities/${fac.banjarnegara}/inspections`, {
    token: kupang,
    headers: { accept: 'text/csv' },
  });
  t.equal(other.statusCode, 404);
  t.equal(other.headers['content-type'], 'application/problem+json; charset=utf-8');
  const all = await h.call('GET', '/v1/inspections', { token: kupang, headers: { accept: 'text/csv' } });
  const ids = (parse(all.body, { columns: true }) as Record<string, string>[]).map((r) => r.id);
  t.notOk(ids.includes(a.id), "another facility's report is not in it");
  const bad = await h.call('GET', '/v1/inspections?status=lost', { token: kupang, headers: { accept: 'text/csv' } });
  t.equal(bad.statusCode, 400);
  t.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8');
});

t.test('a named export is audited once with its filter and row count; an unnamed one not at all', async (t) => {
  const token = await h.login('admin');
  const before = await h.count('audit_events', `action LIKE 'inspection.%' AND actor_role = 'admin'`);
  const res = await h.call('GET', `/v1/inspections?facility_id=${fac.banjarnegara}&kind=surprise`, {
    token,
    headers: { accept: 'text/csv' },
  });
  const rows = parse(res.body, { columns: true }) as Record<string, string>[];
  t.equal(
    rows[0]?.team,
    '{"name":"Karutan Banjarnegara","role":"ketua","agency":"facility"}',
    'names for personal_data',
  );
  // The inspections list names its teams but writes no read event of its own; the export writes one.
  const events = await h.rows<{
    action: string;
    entity_type: string;
    facility_id: string;
    after: Record<string, unknown>;
  }>(
    `SELECT action, entity_type, facility_id, after FROM audit_events WHERE action = 'inspection.exported' ORDER BY seq`,
  );
  t.equal(events.length, 0, 'a list that audits no read is not audited as an export either');
  t.equal(await h.count('audit_events', `action LIKE 'inspection.%' AND actor_role = 'admin'`), before);

  // Urine tests are audited reads: a named export is one event, with its filter and count.
  const staff = await h.login('staff.banjarnegara');
  const people = [];
  for (const n of [1, 2]) {
    const admitted = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inmates`, {
      token: staff,
      body: {
        registration_number: `CSV.${n}/2026`,
        name: `Warga Binaan Ekspor ${n}`,
        sex: 'male',
        birth_date: '1990-04-17',
        case_type: 'narcotics_user',
        admission_date: '2026-01-02',
        expected_release_date: '2028-03-01',
        block: 'A',
        status: 'sentenced',
      },
    });
    people.push(admitted.json().id as string);
  }
  const panel = ['AMP', 'MET', 'MDMA', 'THC', 'COC', 'MOP'];
  const round = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/urine-test-rounds`, {
    token: staff,
    body: {
      tested_on: '2026-03-10',
      reason: 'random',
      subjects: 'inmates',
      kit: { brand: 'Rapid 6 Panel', lot: 'L-CSV', expiry: '2027-06-30', panel },
    },
  });
  const recorded = await h.call('POST', `/v1/urine-test-rounds/${round.json().id}/results`, {
    token: staff,
    headers: { 'idempotency-key': 'csv-export-results' },
    body: {
      results: people.map((id, i) => ({
        subject_type: 'inmate',
        subject_id: id,
        specimen_id: `CSV-${i}`,
        collected_at: '2026-03-10T09:12:00',
        temperature_c: 34.5,
        results: panel.map((c) => ({ class: c, result: 'negative' })),
      })),
    },
  });
  t.equal(recorded.statusCode, 201, recorded.body);
  const url = `/v1/urine-tests?facility_id=${fac.banjarnegara}`;
  const tests = await h.call('GET', url, { token, headers: { accept: 'text/csv' } });
  t.equal(tests.statusCode, 200);
  t.equal((parse(tests.body, { columns: true }) as unknown[]).length, 2);
  const exported = await h.rows<{ entity_type: string; facility_id: string; after: Record<string, unknown> }>(
    `SELECT entity_type, facility_id, after FROM audit_events WHERE action = 'urine_test.exported' ORDER BY seq`,
  );
  t.same(exported, [
    {
      entity_type: 'urine_test',
      facility_id: fac.banjarnegara,
      after: { filter: { facility_id: fac.banjarnegara }, rows: 2, named: 2, url },
    },
  ]);
  t.equal(
    await h.count('audit_events', `action = 'urine_test.viewed' AND actor_role = 'admin'`),
    0,
    'no read event a page',
  );
  const client = await clientToken();
  await h.call('GET', `/v1/urine-tests?facility_id=${fac.banjarnegara}`, {
    token: client,
    headers: { accept: 'text/csv' },
  });
  t.equal(await h.count('audit_events', `action = 'urine_test.exported' AND actor_type = 'api_client'`), 0);
});

t.test('a hundred thousand rows stream in flat memory', { timeout: 600_000 }, async (t) => {
  const columns = await h.rows<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'inspections' AND column_name <> 'id' ORDER BY ordinal_position`,
  );
  const list = columns.map((c) => `"${c.column_name}"`).join(', ');
  await h.rows(
    `INSERT INTO inspections (id, ${list}) SELECT gen_random_uuid(), ${list} FROM inspections i CROSS JOIN generate_series(1, 100000) WHERE i.id = $1`,
    [a.id],
  );
  const total = await h.count('inspections', `facility_id = '${fac.banjarnegara}'`);
  t.ok(total > 100_000);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = h.app.server.address() as AddressInfo;
  const token = await h.login('staff.banjarnegara');
  // What the heap holds, not the garbage it has yet to collect.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const held = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const base = held();
  let peak = 0;
  let sampled = 0;
  let bytes = 0;
  let lines = 0;
  await new Promise<void>((resolve, reject) => {
    get(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/inspections',
        headers: { accept: 'text/csv', authorization: `Bearer ${token}` },
      },
      (res) => {
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (const byte of chunk) if (byte === 10) lines++;
          if (bytes - sampled > 1_000_000) {
            sampled = bytes;
            peak = Math.max(peak, held() - base);
          }
        });
        res.on('end', resolve);
        res.on('error', reject);
      },
    ).on('error', reject);
  });
  t.equal(lines, total + 1, 'a header and every row');
  t.comment(`${bytes} bytes streamed; heap grew at most ${peak} bytes`);
  t.ok(peak < bytes / 4, 'the heap never holds the export');
});
