// A quick request rate for a few endpoints against a running server with the demo data.
// Usage: npm start (or DATABASE_URL=... npm start after npm run db:seed), then
//   BASE=http://127.0.0.1:3000 DEMO_PASSWORD=... npm run bench:quick
// It imports 5,000 synthetic inmates into Rutan Banjarnegara first when the register is empty.
import autocannon from 'autocannon';

const base = process.env.BASE ?? 'http://127.0.0.1:3000';
const password = process.env.DEMO_PASSWORD ?? 'bersinar-demo-2026';
const seconds = Number(process.env.SECONDS ?? 10);
const connections = Number(process.env.CONNECTIONS ?? 32);

async function token(body: Record<string, string>): Promise<string> {
  const res = await fetch(`${base}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

const admin = await token({ grant_type: 'password', username: 'admin', password });
const staff = await token({ grant_type: 'password', username: 'staff.banjarnegara', password });
const client = await token({ grant_type: 'client_credentials', client_id: 'dashboard.demo', client_secret: password });
const me = (await (await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${staff}` } })).json()) as {
  facility_id: string;
};
const inmatesUrl = `/v1/facilities/${me.facility_id}/inmates`;

const existing = (await (
  await fetch(`${base}${inmatesUrl}?limit=1`, { headers: { authorization: `Bearer ${staff}` } })
).json()) as {
  data: unknown[];
};
if (existing.data.length === 0) {
  const header = 'registration_number;name;sex;birth_date;case_type;admission_date;block';
  const lines = Array.from({ length: 5000 }, (_, i) => {
    const n = String(i + 1).padStart(5, '0');
    return `BENCH-${n};Warga Binaan ${n};${i % 5 ? 'male' : 'female'};1990-01-01;${i % 3 ? 'narcotics_user' : 'non_narcotics'};2024-01-01;${'ABCD'[i % 4]}`;
  });
  const started = performance.now();
  const res = await fetch(`${base}${inmatesUrl}/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${staff}`, 'content-type': 'text/csv' },
    body: [header, ...lines].join('\n'),
  });
  console.log(`import of 5,000 inmates: ${res.status} in ${Math.round(performance.now() - started)} ms`);
}

const scenarios = [
  { name: 'GET /health/live (framework ceiling)', path: '/health/live', token: admin },
  { name: 'GET /v1/facilities (admin)', path: '/v1/facilities', token: admin },
  { name: 'GET /v1/mous (admin)', path: '/v1/mous', token: admin },
  { name: 'GET inmates, 50 a page (API client, pseudonymous)', path: `${inmatesUrl}?limit=50`, token: client },
  { name: 'GET inmates, 50 a page (staff: named, read audited)', path: `${inmatesUrl}?limit=50`, token: staff },
];

console.log(`| scenario | req/s | p50 ms | p97.5 ms | p99 ms | non-2xx | errors |`);
console.log(`| --- | --- | --- | --- | --- | --- | --- |`);
for (const s of scenarios) {
  const result = await autocannon({
    url: `${base}${s.path}`,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${s.token}` },
  });
  const l = result.latency;
  console.log(
    `| ${s.name} | ${Math.round(result.requests.average)} | ${l.p50} | ${l.p97_5} | ${l.p99} | ${result.non2xx} | ${result.errors} |`,
  );
}
