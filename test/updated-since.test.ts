import t from 'tap';
import { loadConfig } from '../src/config.ts';
import { loadLivingDemo } from '../src/demo/living.ts';
import { loadSigningKey } from '../src/http/keys.ts';
import { build, PASSWORD } from './helpers/app.ts';

// Every paginated list takes updated_since: only rows stamped at or after it, in the list's order.
// The living demo gives each list records of its own, written through HTTP.
t.setTimeout(300_000);
const h = await build(t);
await loadLivingDemo({
  config: loadConfig({ LOG_LEVEL: 'silent', EVIDENCE_DIR: h.app.config.EVIDENCE_DIR }),
  database: h.test.database,
  signingKey: loadSigningKey({ log: () => undefined }),
  password: PASSWORD,
  world: h.world,
});

// Where the demo holds one record, a copy under a new id makes the second (unique keys moved aside).
const copies: [table: string, where: string, overrides: Record<string, unknown>][] = [
  ['trainings', 'true', {}],
  ['rehab_programmes', 'true', {}],
  ['campaigns', 'true', {}],
  ['coordination_meetings', 'true', {}],
  ['kotan_assessments', 'true', { year: 2001 }],
  ['api_clients', 'true', { client_id: 'sync.copy' }],
  ['urine_test_rounds', `facility_id = '${h.world.facilities.kupang}'`, {}],
];
for (const [table, where, overrides] of copies) {
  await h.rows(
    `INSERT INTO ${table} SELECT (jsonb_populate_record(NULL::${table}, to_jsonb(x) || jsonb_build_object('id', gen_random_uuid()) || $1::jsonb)).* FROM ${table} x WHERE ${where} LIMIT 1`,
    [JSON.stringify(overrides)],
  );
}
const onPglite = h.test.kind === 'pglite' ? 'needs a PostgreSQL server' : false;

// biome-ignore lint/suspicious/noExplicitAny: response bodies, read as a user would
type Json = Record<string, any>;

// Stamps later than anything the demo or the test writes, so that only the two rows set here pass.
const EARLIER = '2090-01-01T00:00:00.000Z';
const LATER = '2090-01-02T00:00:00.000Z';
const BETWEEN = '2090-01-01T12:00:00+07:00';
const AFTER_BOTH = '2090-01-03T00:00:00Z';

interface ListRoute {
  name: string;
  table: string;
  /** The stamp the filter reads. */
  column?: string;
  /** A parent with at least two rows in the list, found in SQL. */
  parent?: string;
  path: (parent: string) => string;
  user?: string;
}

const havingTwo = (column: string, table: string) =>
  `SELECT ${column}::text AS parent FROM ${table} GROUP BY ${column} HAVING count(*) >= 2 ORDER BY 1 LIMIT 1`;

const routes: ListRoute[] = [
  { name: 'organisations', table: 'organisations', path: () => '/v1/organisations' },
  { name: 'facilities', table: 'facilities', path: () => '/v1/facilities' },
  { name: 'mous', table: 'mous', path: () => '/v1/mous' },
  {
    name: 'facility inmates',
    table: 'inmates',
    parent: havingTwo('facility_id', 'inmates'),
    path: (p) => `/v1/facilities/${p}/inmates`,
  },
  { name: 'inmates', table: 'inmates', path: () => '/v1/inmates' },
  {
    name: 'facility officers',
    table: 'officers',
    parent: havingTwo('facility_id', 'officers'),
    path: (p) => `/v1/facilities/${p}/officers`,
  },
  { name: 'officers', table: 'officers', path: () => '/v1/officers' },
  {
    name: 'facility inspections',
    table: 'inspections',
    parent: havingTwo('facility_id', 'inspections'),
    path: (p) => `/v1/facilities/${p}/inspections`,
  },
  { name: 'inspections', table: 'inspections', path: () => '/v1/inspections' },
  {
    name: 'inspection actions',
    table: 'corrective_actions',
    parent: havingTwo('inspection_id', 'corrective_actions'),
    path: (p) => `/v1/inspections/${p}/actions`,
  },
  { name: 'corrective actions', table: 'corrective_actions', path: () => '/v1/corrective-actions' },
  {
    name: 'facility urine rounds',
    table: 'urine_test_rounds',
    parent: havingTwo('facility_id', 'urine_test_rounds'),
    path: (p) => `/v1/facilities/${p}/urine-test-rounds`,
  },
  { name: 'urine rounds', table: 'urine_test_rounds', path: () => '/v1/urine-test-rounds' },
  { name: 'urine tests', table: 'urine_tests', column: 'created_at', path: () => '/v1/urine-tests' },
  { name: 'follow-up cases', table: 'follow_up_cases', path: () => '/v1/follow-up-cases' },
  { name: 'trainings', table: 'trainings', path: () => '/v1/trainings' },
  {
    name: 'training participants',
    table: 'training_participants',
    parent: havingTwo('training_id', 'training_participants'),
    path: (p) => `/v1/trainings/${p}/participants`,
  },
  { name: 'rehab programmes', table: 'rehab_programmes', path: () => '/v1/rehab-programmes' },
  {
    name: 'programme sessions',
    table: 'rehab_sessions',
    parent: havingTwo('programme_id', 'rehab_sessions'),
    path: (p) => `/v1/rehab-programmes/${p}/sessions`,
  },
  {
    name: 'facility sessions',
    table: 'rehab_sessions',
    // The facility and the first local day of its sessions: the calendar spans at most 62 days.
    parent: `SELECT facility_id::text || '&from=' || min(starts_at AT TIME ZONE 'Asia/Jakarta')::date AS parent
               FROM rehab_sessions GROUP BY facility_id HAVING count(*) >= 2 ORDER BY 1 LIMIT 1`,
    path: (p) => {
      const from = p.split('&from=')[1] as string;
      const to = new Date(Date.parse(from) + 60 * 86_400_000).toISOString().slice(0, 10);
      return `/v1/rehab-sessions?facility_id=${p}&to=${to}`;
    },
  },
  {
    name: 'enrolments',
    table: 'rehab_enrolments',
    parent: havingTwo('programme_id', 'rehab_enrolments'),
    path: (p) => `/v1/rehab-programmes/${p}/enrolments`,
  },
  { name: 'campaigns', table: 'campaigns', path: () => '/v1/campaigns' },
  { name: 'meetings', table: 'coordination_meetings', path: () => '/v1/coordination-meetings' },
  {
    name: 'meeting action items',
    table: 'action_items',
    parent: havingTwo('meeting_id', 'action_items'),
    path: (p) => `/v1/coordination-meetings/${p}/action-items`,
  },
  { name: 'action items', table: 'action_items', path: () => '/v1/action-items' },
  { name: 'kotan assessments', table: 'kotan_assessments', path: () => '/v1/kotan-assessments' },
  { name: 'users', table: 'users', path: () => '/v1/users' },
  { name: 'colleagues', table: 'users', path: () => '/v1/colleagues' },
  { name: 'api clients', table: 'api_clients', path: () => '/v1/api-clients' },
  { name: 'audit events', table: 'audit_events', column: 'occurred_at', path: () => '/v1/audit-events' },
];

const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;

async function ids(token: string, path: string): Promise<string[]> {
  const res = await h.call('GET', withQuery(path, 'limit=200'), { token });
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
  return res.json().data.map((row: Json) => row.id as string);
}

/**
 * Stamps two rows apart, after moving back what an earlier subtest stamped. Triggers that refuse
 * changes (the audit chain, signed-off reports) are lifted for the stamp.
 */
async function stamp(table: string, column: string, earlier: string, later: string) {
  await h.rows(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
  try {
    await h.rows(`UPDATE ${table} SET ${column} = '2000-01-01T00:00:00Z' WHERE ${column} >= $1::timestamptz`, [
      EARLIER,
    ]);
    await h.rows(
      `UPDATE ${table} SET ${column} = CASE id WHEN $1::uuid THEN $2::timestamptz ELSE $3::timestamptz END WHERE id IN ($4::uuid, $5::uuid)`,
      [earlier, EARLIER, LATER, earlier, later],
    );
  } finally {
    await h.rows(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
  }
}

for (const route of routes) {
  t.test(
    `${route.name}: updated_since narrows the list to rows stamped at or after it`,
    { skip: onPglite },
    async (t) => {
      const token = await h.login(route.user ?? 'admin');
      let parent = '';
      if (route.parent) {
        const [row] = await h.rows<{ parent: string }>(route.parent);
        if (!row) throw new Error(`${route.name}: no parent with two rows in the demo`);
        parent = row.parent;
      }
      const path = route.path(parent);
      const all = await ids(token, path);
      const [earlier, later] = all;
      if (!earlier || !later) throw new Error(`${route.name}: fewer than two rows in the demo`);
      await stamp(route.table, route.column ?? 'updated_at', earlier, later);

      const since = async (value: string) => ids(token, withQuery(path, `updated_since=${encodeURIComponent(value)}`));
      t.same(
        await since(EARLIER),
        all.filter((id) => id === earlier || id === later),
        'both, in the list order',
      );
      t.same(await since(BETWEEN), [later], 'only the later');
      t.same(await since(LATER), [later], 'inclusive');
      t.same(await since(AFTER_BOTH), [], 'none after both');

      const bad = await h.call('GET', withQuery(path, 'updated_since=yesterday'), { token });
      t.equal(bad.statusCode, 400);
      t.match(bad.headers['content-type'], /^application\/problem\+json/);
      t.same(
        bad.json().errors.map((e: Json) => [e.in, e.pointer]),
        [['querystring', '/updated_since']],
      );
    },
  );
}

// A facility user of another facility: the nested list answers 404, the national one leaves them out.
const reachRoutes = [
  { name: 'inmates', table: 'inmates', nested: 'inmates', top: '/v1/inmates' },
  { name: 'officers', table: 'officers', nested: 'officers', top: '/v1/officers' },
  { name: 'urine rounds', table: 'urine_test_rounds', nested: 'urine-test-rounds', top: '/v1/urine-test-rounds' },
];

for (const route of reachRoutes) {
  t.test(`${route.name}: updated_since keeps to the caller's reach`, { skip: onPglite }, async (t) => {
    const kupang = h.world.facilities.kupang as string;
    const rows = await h.rows<{ id: string }>(
      `SELECT id FROM ${route.table} WHERE facility_id = $1 ORDER BY id LIMIT 2`,
      [kupang],
    );
    const [earlier, later] = rows.map((r) => r.id);
    if (!earlier || !later) throw new Error(`${route.name}: fewer than two rows in Kupang`);
    await stamp(route.table, 'updated_at', earlier, later);

    const kupangStaff = await h.login('staff.kupang');
    t.same(await ids(kupangStaff, `${route.top}?updated_since=${encodeURIComponent(BETWEEN)}`), [later], 'their own');

    const other = await h.login('staff.banjarnegara');
    const nested = await h.call(
      'GET',
      `/v1/facilities/${kupang}/${route.nested}?updated_since=${encodeURIComponent(EARLIER)}`,
      {
        token: other,
      },
    );
    t.equal(nested.statusCode, 404);
    t.same(await ids(other, `${route.top}?updated_since=${encodeURIComponent(EARLIER)}`), [], 'none of Kupang');
  });
}
