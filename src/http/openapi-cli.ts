// npm run openapi: writes openapi.yaml from the route schemas (an in-memory app, no database).
import { writeFileSync } from 'node:fs';
import { buildContractApp } from './contract.ts';

const app = await buildContractApp();
writeFileSync(new URL('../../openapi.yaml', import.meta.url), app.swagger({ yaml: true }));
await app.close();
console.log('openapi.yaml written');
