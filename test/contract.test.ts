import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import t from 'tap';
import { parse } from 'yaml';
import { build, PASSWORD } from './helpers/app.ts';
import { checkContract } from './helpers/contract.ts';
import { multipart, PNG_HEAD } from './helpers/multipart.ts';
import { phoneFinding, surpriseReport } from './helpers/reports.ts';

// The contract as a validating gateway reads it: its request schemas compiled on their own, the
// response headers it declares, shared parts by $ref, OAuth 2 flows and tags.

const h = await build(t);
const fac = h.world.facilities;
// biome-ignore lint/suspicious/noExplicitAny: the parsed contract, read as a gateway would
type Json = Record<string, any>;
const doc = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8'), { maxAliasCount: -1 }) as Json;

const ajv = new Ajv2020({ strict: false, allErrors: true });
const withFormats = addFormats as unknown as { default?: (a: Ajv2020) => void } & ((a: Ajv2020) => void);
(withFormats.default ?? withFormats)(ajv);
ajv.addFormat('binary', true); // a file part: any bytes
ajv.addSchema(doc, 'openapi');
const pointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/** The request schema of an operation for a media type, compiled from the contract alone. */
function requestSchema(path: string, method: string, mediaType: string) {
  const content = doc.paths[path]?.[method]?.requestBody?.content ?? {};
  if (!content[mediaType]) return () => false; // a body the contract does not take
  return ajv.compile({
    $ref: `openapi#/paths/${pointer(path)}/${method}/requestBody/content/${pointer(mediaType)}/schema`,
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const inspection = surpriseReport;
const finding = (over: Record<string, unknown> = {}) => ({ ...phoneFinding, ...over });

t.test('the request schemas take what the service takes, and refuse what it refuses', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const valid = (path: string, method: string, mediaType: string, body: unknown) => {
    const validate = requestSchema(path, method, mediaType);
    const ok = validate(body) as boolean;
    return ok || `${ajv.errorsText((validate as { errors?: never }).errors)}`;
  };

  // An inspection.
  const inspectionPath = '/v1/facilities/{facilityId}/inspections';
  t.equal(valid(inspectionPath, 'post', 'application/json', inspection()), true, 'an inspection');
  const opened = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inspections`, {
    token: staff,
    body: inspection(),
  });
  t.equal(opened.statusCode, 201);
  const inspectionId = opened.json().id as string;
  const negative = inspection({ inmates_searched: -1 });
  t.not(valid(inspectionPath, 'post', 'application/json', negative), true, 'a negative count fails the schema');
  const refusedInspection = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inspections`, {
    token: staff,
    body: negative,
  });
  t.equal(refusedInspection.statusCode, 400, 'and the service');

  // A finding.
  const findingPath = '/v1/inspections/{inspectionId}/findings';
  t.equal(valid(findingPath, 'post', 'application/json', finding()), true, 'a finding');
  const found = await h.call('POST', `/v1/inspections/${inspectionId}/findings`, { token: staff, body: finding() });
  t.equal(found.statusCode, 201);
  const findingId = found.json().id as string;
  const extra = finding({ colour: 'hitam' });
  t.not(valid(findingPath, 'post', 'application/json', extra), true, 'an unknown field fails the schema');
  const refusedFinding = await h.call('POST', `/v1/inspections/${inspectionId}/findings`, {
    token: staff,
    body: extra,
  });
  t.equal(refusedFinding.statusCode, 400, 'and the service');

  // Evidence: JSON for a seized item without a file, multipart with its file.
  const evidencePath = '/v1/inspections/{inspectionId}/findings/{findingId}/evidence';
  const evidenceUrl = `/v1/inspections/${inspectionId}/findings/${findingId}/evidence`;
  const seized = { kind: 'seized_item', description: 'Telepon genggam merek X', seal_number: 'SEGEL-BNJ-2026-0101' };
  t.equal(valid(evidencePath, 'post', 'application/json', seized), true, 'evidence as JSON');
  t.equal((await h.call('POST', evidenceUrl, { token: staff, body: seized })).statusCode, 201);

  const fields = { kind: 'photo', description: 'Foto temuan di lokasi' };
  const bytes = Buffer.concat([PNG_HEAD, randomBytes(200)]);
  // A gateway sees the parts of a form as its fields, the file among them.
  t.equal(
    valid(evidencePath, 'post', 'multipart/form-data', { ...fields, file: bytes.toString('latin1') }),
    true,
    'the fields and the file of an upload',
  );
  const uploaded = await h.call('POST', evidenceUrl, {
    token: staff,
    ...multipart(fields, { name: 'temuan.png', type: 'image/png', data: bytes }),
  });
  t.equal(uploaded.statusCode, 201, 'the upload is taken');
  const stray = { ...fields, colour: 'hitam' };
  t.not(
    valid(evidencePath, 'post', 'multipart/form-data', { ...stray, file: 'x' }),
    true,
    'an unknown field fails the schema',
  );
  const refusedUpload = await h.call('POST', evidenceUrl, {
    token: staff,
    ...multipart(stray, { name: 'lain.png', type: 'image/png', data: Buffer.concat([PNG_HEAD, randomBytes(100)]) }),
  });
  t.equal(refusedUpload.statusCode, 400, 'and the service');
  const noKind = { description: 'Foto tanpa jenis', file: 'x' };
  t.not(valid(evidencePath, 'post', 'multipart/form-data', noKind), true, 'a form without kind fails the schema');

  // A batch of urine results.
  const inmates: string[] = [];
  for (const n of [1, 2]) {
    const admitted = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inmates`, {
      token: staff,
      body: {
        registration_number: `K.${n}/2024`,
        name: `Warga Binaan Kontrak ${n}`,
        sex: 'male',
        birth_date: '1990-04-17',
        case_type: 'narcotics_user',
        admission_date: '2024-03-02',
        expected_release_date: '2027-03-01',
        block: 'A',
        status: 'sentenced',
      },
    });
    t.equal(admitted.statusCode, 201);
    inmates.push(admitted.json().id);
  }
  const round = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/urine-test-rounds`, {
    token: staff,
    body: {
      tested_on: '2025-03-10',
      reason: 'random',
      subjects: 'inmates',
      kit: { brand: 'Rapid 6 Panel', lot: 'L2503-07', expiry: '2026-06-30', panel: ['AMP', 'MET', 'THC'] },
    },
  });
  t.equal(round.statusCode, 201);
  const resultOf = (subjectId: string, n: number) => ({
    subject_type: 'inmate',
    subject_id: subjectId,
    specimen_id: `KTR-${n}`,
    collected_at: '2025-03-10T09:12:00',
    temperature_c: 34.5,
    results: ['AMP', 'MET', 'THC'].map((c) => ({ class: c, result: 'negative' })),
  });
  const batch = { results: inmates.map((id, n) => resultOf(id, n)) };
  const resultsPath = '/v1/urine-test-rounds/{roundId}/results';
  t.equal(valid(resultsPath, 'post', 'application/json', batch), true, 'a batch of results');
  const recorded = await h.call('POST', `/v1/urine-test-rounds/${round.json().id}/results`, {
    token: staff,
    body: batch,
    headers: { 'idempotency-key': `contract-${randomUUID()}` },
  });
  t.equal(recorded.statusCode, 201);
  t.equal(recorded.json().data.length, 2);
  const empty = { results: [] };
  t.not(valid(resultsPath, 'post', 'application/json', empty), true, 'an empty batch fails the schema');
  const refusedBatch = await h.call('POST', `/v1/urine-test-rounds/${round.json().id}/results`, {
    token: staff,
    body: empty,
    headers: { 'idempotency-key': `contract-${randomUUID()}` },
  });
  t.equal(refusedBatch.statusCode, 400, 'and the service');

  // A token request, as JSON and as a form.
  const grant = { grant_type: 'password', username: 'staff.kupang', password: PASSWORD };
  for (const mediaType of ['application/json', 'application/x-www-form-urlencoded']) {
    t.equal(valid('/v1/auth/token', 'post', mediaType, grant), true, `a token request as ${mediaType}`);
  }
  t.equal((await h.call('POST', '/v1/auth/token', { body: grant })).statusCode, 200, 'as JSON');
  const byForm = await h.call('POST', '/v1/auth/token', { payload: form(grant), headers: FORM });
  t.equal(byForm.statusCode, 200, 'as a form');
  const implicit = { grant_type: 'implicit', username: 'staff.kupang', password: PASSWORD };
  t.not(valid('/v1/auth/token', 'post', 'application/x-www-form-urlencoded', implicit), true, 'an unknown grant');
  const refusedGrant = await h.call('POST', '/v1/auth/token', { payload: form(implicit), headers: FORM });
  t.equal(refusedGrant.statusCode, 400, 'and the service');
  const revoke = { token: byForm.json().refresh_token as string };
  t.equal(valid('/v1/auth/revoke', 'post', 'application/x-www-form-urlencoded', revoke), true, 'a revocation');
  const revoked = await h.call('POST', '/v1/auth/revoke', { payload: form(revoke), headers: FORM });
  t.equal(revoked.statusCode, 200);
  t.same(revoked.json(), { revoked: true });
});

t.test('the OAuth 2 flows are declared for the docs page to fetch a token', async (t) => {
  const schemes = doc.components.securitySchemes;
  t.same(schemes.oauth2.flows.password, { tokenUrl: '/v1/auth/token', refreshUrl: '/v1/auth/token', scopes: {} });
  t.same(Object.keys(schemes.oauth2.flows.clientCredentials.scopes), ['read', 'personal_data', 'audit', 'webhooks']);
  t.equal(schemes.oauth2.flows.clientCredentials.tokenUrl, '/v1/auth/token');
  t.same(doc.security, [{ bearerAuth: [] }, { oauth2: [] }], 'either scheme, the same token');
  for (const path of ['/v1/auth/token', '/v1/auth/revoke']) {
    t.same(
      Object.keys(doc.paths[path].post.requestBody.content),
      ['application/json', 'application/x-www-form-urlencoded'],
      path,
    );
  }
  // Swagger UI posts the password grant as a form, with an empty Basic client when none is given.
  const asSwaggerUi = await h.call('POST', '/v1/auth/token', {
    payload: form({ grant_type: 'password', username: 'staff.kupang', password: PASSWORD }),
    headers: { ...FORM, authorization: `Basic ${Buffer.from(':').toString('base64')}` },
  });
  t.equal(asSwaggerUi.statusCode, 200);
});

t.test('every tag an operation uses is declared', async (t) => {
  const declared = new Set((doc.tags as { name: string; description: string }[]).map((tag) => tag.name));
  for (const tag of doc.tags) t.ok(tag.description, `${tag.name} is described`);
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      for (const tag of op.tags ?? []) t.ok(declared.has(tag), `${method.toUpperCase()} ${path}: ${tag}`);
    }
  }
});

t.test('shared answers and ids: the problem responses and the UUID schema are said once', async (t) => {
  const text = readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8');
  t.equal(text.split('[0-9a-fA-F]{8}-').length - 1, 1, 'the UUID pattern once, in #/components/schemas/Id');
  t.equal(doc.components.schemas.Id.format, 'uuid');
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      for (const [code, response] of Object.entries(op.responses as Json)) {
        if (code.startsWith('2')) continue;
        t.ok(
          response.$ref?.startsWith('#/components/responses/'),
          `${method.toUpperCase()} ${path} ${code} is a shared response`,
        );
      }
    }
  }
  t.same(doc.paths['/v1/inspections/{inspectionId}'].get.responses['404'], {
    $ref: '#/components/responses/NotFound',
  });
  t.same(doc.paths['/v1/auth/token'].post.responses['401'], { $ref: '#/components/responses/InvalidClient' });
});

t.test('the response headers clients rely on are declared where they are sent', async (t) => {
  const headers = (response: Json): string[] => {
    const resolved = response.$ref
      ? doc.components.responses[response.$ref.replace('#/components/responses/', '')]
      : response;
    return Object.keys(resolved.headers ?? {});
  };
  t.same(Object.keys(doc.components.headers).sort(), [
    'ContentDisposition',
    'ETag',
    'IdempotentReplayed',
    'Location',
    'RateLimitLimit',
    'RateLimitRemaining',
    'RateLimitReset',
    'ReprDigest',
    'RetryAfter',
    'WWWAuthenticate',
    'XRequestId',
  ]);
  const limits = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];
  const every = ['X-Request-Id', ...limits];
  t.same(headers(doc.components.responses.TooManyRequests), ['Retry-After', ...every]);
  t.same(headers(doc.components.responses.ServiceUnavailable), ['Retry-After', ...every]);
  t.same(headers(doc.components.responses.Unauthenticated), ['WWW-Authenticate', ...every]);
  t.same(headers(doc.components.responses.InvalidClient), ['WWW-Authenticate', ...every]);
  const op = (path: string, method: string) => doc.paths[path][method].responses;
  t.same(
    headers(op('/v1/inspections/{inspectionId}', 'get')['200']),
    ['X-Request-Id', 'ETag', ...limits],
    'a read with a version',
  );
  t.same(headers(op('/v1/inspections/{inspectionId}', 'patch')['200']), [
    'X-Request-Id',
    'ETag',
    'Location',
    ...limits,
  ]);
  t.same(headers(op('/v1/organisations', 'get')['200']), every, 'a list has no ETag');
  t.same(
    headers(op('/v1/inspections', 'get')['200']),
    ['X-Request-Id', 'Content-Disposition', ...limits],
    'a list that also comes as CSV names its file',
  );
  t.same(
    headers(op('/v1/inspections/{inspectionId}/findings', 'post')['201']),
    ['X-Request-Id', 'Location', 'Idempotent-Replayed', ...limits],
    'a create',
  );
  t.same(headers(op('/v1/evidence/{evidenceId}/file', 'get')['200']), ['Repr-Digest', 'Content-Disposition', ...every]);
  t.same(
    headers(op('/v1/auth/token', 'post')['200']),
    ['Set-Cookie', ...every],
    'the token endpoint is rate-limited, and may set the refresh cookie',
  );
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, operation] of Object.entries(item as Json)) {
      const created = operation.responses['201'];
      if (created) t.ok(headers(created).includes('Location'), `${method.toUpperCase()} ${path} 201 has Location`);
    }
  }
});

t.test('the contract check fails an answer with a header its operation does not declare', async (t) => {
  const staff = await h.login('staff.banjarnegara');
  const opened = await h.call('POST', `/v1/facilities/${fac.banjarnegara}/inspections`, {
    token: staff,
    body: inspection(),
  });
  const url = `/v1/inspections/${opened.json().id}`;
  const read = await h.call('GET', url, { token: staff });
  t.equal(read.headers.etag, '"1"');
  t.doesNotThrow(() => checkContract('GET', url, read), 'a report read declares its ETag');

  const list = await h.app.inject({
    method: 'GET',
    url: '/v1/inspections',
    headers: { authorization: `Bearer ${staff}` },
  });
  t.doesNotThrow(() => checkContract('GET', '/v1/inspections', list));
  const withHeader = (res: LightMyRequestResponse, name: string, value: string) =>
    ({ ...res, headers: { ...res.headers, [name]: value }, json: () => res.json() }) as LightMyRequestResponse;
  t.throws(
    () => checkContract('GET', '/v1/inspections', withHeader(list, 'etag', '"1"')),
    /GET \/v1\/inspections 200 sent etag, which the contract does not declare/,
  );
  t.throws(
    () => checkContract('GET', '/v1/inspections', withHeader(list, 'location', '/v1/inspections')),
    /sent location, which the contract does not declare/,
  );
  t.throws(
    () => checkContract('GET', url, withHeader(read, 'retry-after', '5')),
    /sent retry-after, which the contract does not declare/,
  );

  // A shared problem answer is read through its $ref: its headers, and its body checked.
  const missing = await h.app.inject({
    method: 'GET',
    url: `/v1/inspections/${randomUUID()}`,
    headers: { authorization: `Bearer ${staff}` },
  });
  t.equal(missing.statusCode, 404);
  t.doesNotThrow(() => checkContract('GET', url, missing));
  t.doesNotThrow(() => checkContract('GET', url, withHeader(missing, 'ratelimit-limit', '100')));
  t.throws(() => checkContract('GET', url, withHeader(missing, 'etag', '"1"')), /404 sent etag/);
  const broken = { ...missing, json: () => ({ status: 404 }) } as LightMyRequestResponse;
  t.throws(() => checkContract('GET', url, broken), /404 body breaks the contract/);
});
