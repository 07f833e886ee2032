// Fills a PostgreSQL database with a reproducible country's worth of records (bench/national.ts).
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/bersinar_bench npm run bench:data -- --scale national
// Scales: national (530 facilities, 2,000,000 urine results), province (14), facility (1). The
// database (its name must start with bersinar_bench) is dropped and made anew. The logins
// bench.admin, bench.staff and bench.bnn use DEMO_PASSWORD (default bersinar-demo-2026).
import { parseArgs } from 'node:util';
import { hashSecret } from '../src/modules/auth/passwords.ts';
import { fill, freshDatabase, SCALES } from './national.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: 'province' } } });
const scale = SCALES[values.scale ?? 'province'];
if (!scale) throw new Error(`--scale is one of ${Object.keys(SCALES).join(', ')}`);
const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to a scratch database (its name starting with bersinar_bench)');

const started = performance.now();
const database = await freshDatabase(url);
console.log(`filling at ${values.scale} scale (${scale.facilities} facilities):`);
await fill(database, scale, await hashSecret(process.env.DEMO_PASSWORD ?? 'bersinar-demo-2026'));
await database.close();
console.log(`done in ${Math.round((performance.now() - started) / 1000)} s`);
