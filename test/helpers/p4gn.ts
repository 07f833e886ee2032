import { type Harness, PASSWORD } from './app.ts';

// The organisations and logins of P4GN work outside the walls, beside the demo world: regional
// governments (a province, a city, a regency) and officers of BNN units the demo gives no login.
export interface P4gnWorld {
  org: Record<string, string>;
}

const GOVERNMENTS = [
  { key: 'pemprov.ntt', name: 'Pemerintah Provinsi Nusa Tenggara Timur', province_code: '53' },
  { key: 'pemkot.kupang', name: 'Pemerintah Kota Kupang', province_code: '53', regency: 'Kota Kupang' },
  { key: 'pemkot.mataram', name: 'Pemerintah Kota Mataram', province_code: '52', regency: 'Kota Mataram' },
  {
    key: 'pemkab.banjarnegara',
    name: 'Pemerintah Kabupaten Banjarnegara',
    province_code: '33',
    regency: 'Banjarnegara',
  },
];

export async function p4gnWorld(h: Harness): Promise<P4gnWorld> {
  const token = await h.login('admin');
  const org: Record<string, string> = { ...h.world.organisations };
  for (const g of GOVERNMENTS) {
    const { key, ...body } = g;
    const res = await h.call('POST', '/v1/organisations', { token, body: { type: 'regional_government', ...body } });
    if (res.statusCode !== 201) throw new Error(`organisation ${key}: ${res.statusCode} ${res.body}`);
    org[key] = res.json().id;
  }
  const users: [string, string, string][] = [
    ['pemprov.ntt', 'regional_government_officer', 'pemprov.ntt'],
    ['pemkot.kupang', 'regional_government_officer', 'pemkot.kupang'],
    ['pemkot.mataram', 'regional_government_officer', 'pemkot.mataram'],
    ['pemkab.banjarnegara', 'regional_government_officer', 'pemkab.banjarnegara'],
    ['bnnk.kupang', 'bnn_officer', 'bnnk.kupang'],
    ['bnnp.ntb', 'bnn_officer', 'bnnp.ntb'],
    ['bnn.ri', 'bnn_officer', 'bnn'],
    ['viewer.bnnp.jateng', 'regional_viewer', 'bnnp.jateng'],
  ];
  for (const [username, role, key] of users) {
    const res = await h.call('POST', '/v1/users', {
      token,
      body: { username, display_name: `Petugas ${username}`, password: PASSWORD, role, organisation_id: org[key] },
    });
    if (res.statusCode !== 201) throw new Error(`user ${username}: ${res.statusCode} ${res.body}`);
  }
  return { org };
}

export async function clientToken(h: Harness): Promise<string> {
  const res = await h.call('POST', '/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: PASSWORD },
  });
  return res.json().access_token as string;
}

/** A problem's status, media type, code and field pointers, for one assertion. */
export const problem = (res: {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): Record<string, unknown>;
}) => ({
  status: res.statusCode,
  type: String(res.headers['content-type']).split(';')[0],
  code: res.json().code,
  pointers: ((res.json().errors as { pointer: string }[] | undefined) ?? []).map((e) => e.pointer),
});

/**
 * The plan PostgreSQL picks for the statement a request sends (the one `pick` finds among them, with its
 * parameters) once full and bitmap scans are made expensive: with the few rows of a test every table is
 * small enough to scan, so this shows which index the request's filter can use at scale.
 */
export async function planOfRequest(h: Harness, request: () => Promise<unknown>, pick: RegExp): Promise<string> {
  const { sql } = await import('drizzle-orm');
  const picked = (await h.statementsOf(request)).filter((s) => pick.test(s.statement));
  if (picked.length !== 1) throw new Error(`${picked.length} statements match ${pick}, not one`);
  const [{ statement, params }] = picked as [{ statement: string; params: unknown[] }];
  // The statement as drizzle sent it: its $n placeholders become the same parameters again.
  const chunks = statement.split(/\$\d+/);
  if (chunks.length !== params.length + 1)
    throw new Error(`${params.length} parameters for ${chunks.length - 1} places`);
  const explained = sql.join(
    [
      sql.raw('EXPLAIN '),
      ...chunks.map((chunk, i) => (i < params.length ? sql`${sql.raw(chunk)}${params[i]}` : sql.raw(chunk))),
    ],
    sql``,
  );
  return h.test.database.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL enable_seqscan = off`);
    await tx.execute(sql`SET LOCAL enable_bitmapscan = off`);
    const result = (await tx.execute(explained)) as unknown as { rows: { 'QUERY PLAN': string }[] };
    return result.rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}
