// A quick request rate for a few spine endpoints against a running server.
// Usage: npm start (or DATABASE_URL=... npm start), then
//   BASE=http://127.0.0.1:3000 DEMO_PASSWORD=... npm run bench:quick
import autocannon from 'autocannon';

const base = process.env.BASE ?? 'http://127.0.0.1:3000';
const password = process.env.DEMO_PASSWORD ?? 'bersinar-demo-2026';
const seconds = Number(process.env.SECONDS ?? 10);
const connections = Number(process.env.CONNECTIONS ?? 32);

const res = await fetch(`${base}/v1/auth/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ grant_type: 'password', username: 'admin', password }),
});
if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
const { access_token: token } = (await res.json()) as { access_token: string };

const scenarios = [
  { name: 'GET /health/live (framework ceiling)', path: '/health/live' },
  { name: 'GET /v1/facilities (admin)', path: '/v1/facilities' },
  { name: 'GET /v1/mous (admin)', path: '/v1/mous' },
];

console.log(`| scenario | req/s | p50 ms | p97.5 ms | p99 ms | non-2xx | errors |`);
console.log(`| --- | --- | --- | --- | --- | --- | --- |`);
for (const s of scenarios) {
  const result = await autocannon({
    url: `${base}${s.path}`,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
  });
  const l = result.latency;
  console.log(
    `| ${s.name} | ${Math.round(result.requests.average)} | ${l.p50} | ${l.p97_5} | ${l.p99} | ${result.non2xx} | ${result.errors} |`,
  );
}
