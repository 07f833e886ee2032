import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import '../modules/inspections/schemas.ts'; // registers EvidenceCreate, used by the evidence upload
import './schemas.ts'; // registers the Problem component
import { DOCS_CSP } from './security.ts';

type Doc = { components?: Record<string, unknown>; paths?: Record<string, unknown> };
type Media = { schema?: Record<string, unknown>; encoding?: unknown; example?: unknown };
type Response = {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, Media>;
  $ref?: string;
};
type Parameter = { name?: string; in?: string; description?: string; schema?: { $ref?: string } };
type Operation = {
  operationId?: string;
  security?: unknown[];
  responses?: Record<string, Response>;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, Media> };
  'x-idempotency'?: string;
  'x-rate-limit'?: boolean;
  'x-described'?: Record<string, string>;
};

const ref = (kind: 'headers' | 'responses' | 'schemas', name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** The response headers clients rely on, declared once and named where an operation sends them. */
const HEADERS: Record<string, { name: string; header: Record<string, unknown> }> = {
  etag: {
    name: 'ETag',
    header: {
      description: 'The version of the record; send it back in If-Match to change the record',
      schema: { type: 'string', examples: ['"3"'] },
    },
  },
  location: {
    name: 'Location',
    header: { description: 'Where the record can be read', schema: { type: 'string', format: 'uri-reference' } },
  },
  'idempotent-replayed': {
    name: 'Idempotent-Replayed',
    header: {
      description: 'true when this is the stored answer to an earlier request with the same Idempotency-Key',
      schema: { type: 'string', enum: ['true'] },
    },
  },
  'retry-after': {
    name: 'Retry-After',
    header: { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } },
  },
  'repr-digest': {
    name: 'Repr-Digest',
    header: {
      description: 'The SHA-256 of the file (RFC 9530)',
      schema: { type: 'string', examples: ['sha-256=:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=:'] },
    },
  },
  'x-request-id': {
    name: 'X-Request-Id',
    header: {
      description:
        "The request's id, in the logs and the audit trail: the client's own X-Request-Id when it looks like one",
      schema: { type: 'string', maxLength: 64 },
    },
  },
  'www-authenticate': {
    name: 'WWW-Authenticate',
    header: {
      description: 'The scheme to authenticate with: Bearer for the API, Basic for a client at the token endpoint',
      schema: { type: 'string', enum: ['Bearer', 'Basic'] },
    },
  },
  'content-disposition': {
    name: 'Content-Disposition',
    header: {
      description:
        'attachment, with its file name (RFC 6266): for evidence, the name as given (without path, controls or bidi marks) with an ASCII fallback',
      schema: { type: 'string', examples: ['attachment; filename="temuan.jpg"; filename*=UTF-8\'\'temuan.jpg'] },
    },
  },
  'ratelimit-limit': {
    name: 'RateLimit-Limit',
    header: { description: 'Requests allowed in the current window', schema: { type: 'integer', minimum: 0 } },
  },
  'ratelimit-remaining': {
    name: 'RateLimit-Remaining',
    header: { description: 'Requests left in the current window', schema: { type: 'integer', minimum: 0 } },
  },
  'ratelimit-reset': {
    name: 'RateLimit-Reset',
    header: { description: 'Seconds until the window starts again', schema: { type: 'integer', minimum: 0 } },
  },
};
/** The component name of a response header (its HTTP name without dashes). */
const headerComponent = (key: string) => (HEADERS[key]?.name ?? key).replaceAll('-', '');
const headersOf = (...keys: string[]) =>
  Object.fromEntries(keys.map((key) => [HEADERS[key]?.name ?? key, ref('headers', headerComponent(key))]));
const RATE_LIMIT = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'];

/** The problem answers every operation shares, by status: [component name, description, extra headers]. */
const PROBLEMS: Record<string, [string, string, string[]?]> = {
  '400': ['BadRequest', 'Malformed request: bad JSON, unknown fields, wrong types, bad ids or enum values'],
  '401': ['Unauthenticated', 'No valid bearer token', ['www-authenticate']],
  '403': ['Forbidden', 'The role may not do this'],
  '404': ['NotFound', 'Not found, or outside what the caller may see'],
  '409': ['Conflict', 'Conflict with the current state, or an Idempotency-Key still in flight', ['retry-after']],
  '412': ['PreconditionFailed', 'If-Match does not match the current version'],
  '413': ['ContentTooLarge', 'Body too large'],
  '415': ['UnsupportedMediaType', 'Unsupported content type'],
  '422': ['UnprocessableContent', 'A domain rule was broken, or an Idempotency-Key was reused with another body'],
  '428': ['PreconditionRequired', 'If-Match is required'],
  '429': ['TooManyRequests', 'Too many requests; retry after the Retry-After seconds', ['retry-after']],
  '500': ['InternalError', 'Internal error (nothing was changed)'],
  '503': [
    'ServiceUnavailable',
    'Database unavailable or overloaded; retry after the Retry-After seconds',
    ['retry-after'],
  ],
};
// The token endpoint is public but refuses bad client credentials with 401 invalid_client.
const INVALID_CLIENT = 'InvalidClient';

const problemResponse = (description: string, headers: string[] = []) => ({
  description,
  headers: headersOf(...headers, 'x-request-id', ...RATE_LIMIT),
  content: { 'application/problem+json': { schema: ref('schemas', 'Problem') } },
});

const COMMON = ['400', '404', '429', '500', '503'];
const SECURED = ['401', '403'];
const WRITES = ['409', '413', '415', '422'];
const UPDATES = ['412', '428'];

const ALSO_PRODUCES: Record<string, Record<string, unknown>> = {
  getFacilityScorecard: {
    'text/html': { schema: { type: 'string', description: 'A printable page with the score over eight periods' } },
  },
  listScorecards: {
    'text/csv': { schema: { type: 'string', description: 'The ranking, a header row and a row each' } },
  },
};

// Answers of 200 that also say where the record lives (a report changed, or evidence sent again).
const LOCATION_ON_200 = new Set(['updateInspection', 'submitInspection', 'signOffInspection', 'addEvidence']);

/** Adds what every operation shares: problem responses, security, and the request and response headers. */
function finalize(doc: Doc): Doc {
  doc.components ??= {};
  const components = doc.components as Record<string, Record<string, unknown>>;
  components.schemas ??= {};
  const schemas = components.schemas as Record<string, Record<string, unknown>>;
  mergeIdSchemas(doc, schemas);
  components.responses = {
    ...Object.fromEntries(
      Object.values(PROBLEMS).map(([name, description, headers]) => [name, problemResponse(description, headers)]),
    ),
    [INVALID_CLIENT]: problemResponse('Client id or secret not accepted', ['www-authenticate']),
  };
  components.headers = Object.fromEntries(
    Object.entries(HEADERS).map(([key, { header }]) => [headerComponent(key), header]),
  );
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const described = op['x-described'] ?? {};
      delete op['x-described'];
      const idempotency = op['x-idempotency'] ?? 'optional';
      const rateLimited = op['x-rate-limit'] !== false;
      delete op['x-idempotency'];
      delete op['x-rate-limit'];
      const secured = !(Array.isArray(op.security) && op.security.length === 0);
      const codes = [
        ...COMMON,
        ...(secured ? SECURED : []),
        ...(method !== 'get' ? WRITES : []),
        ...(method === 'patch' || method === 'put' ? UPDATES : []),
        ...(path === '/v1/auth/token' ? ['401'] : []),
      ];
      op.responses ??= {};
      for (const code of codes) {
        const name = path === '/v1/auth/token' && code === '401' ? INVALID_CLIENT : PROBLEMS[code]?.[0];
        if (name) op.responses[code] ??= ref('responses', name);
      }
      op.parameters ??= [];
      // Path ids are the shared Id schema; the parameter keeps saying what it is.
      for (const parameter of op.parameters) {
        const schema = parameter.schema as { $ref?: string; description?: string } | undefined;
        if (schema?.$ref !== '#/components/schemas/Id') continue;
        parameter.description ??= described[parameter.name ?? ''] ?? schema.description ?? 'UUIDv7';
        delete schema.description;
      }
      const idempotent = method === 'post' && path.startsWith('/v1/') && !path.startsWith('/v1/auth/');
      if (idempotent && idempotency !== 'off') {
        op.parameters.push({
          name: 'Idempotency-Key',
          in: 'header',
          required: idempotency === 'required',
          description: 'Makes a retry safe: the same key and body return the first answer',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
        } as Parameter);
      }
      if (method === 'patch' || method === 'put') {
        op.parameters.push({
          name: 'If-Match',
          in: 'header',
          required: true,
          description: 'The ETag last read',
          schema: { type: 'string' },
        } as Parameter);
      }
      if (op.parameters.length === 0) delete op.parameters;
      if (path === '/v1/evidence/{evidenceId}/file' && method === 'get') {
        op.responses['200'] = {
          description:
            'The evidence file, in its own media type, as an attachment (sandboxed by Content-Security-Policy, never sniffed); Repr-Digest carries its SHA-256',
          headers: headersOf('repr-digest', 'content-disposition'),
          content: { '*/*': { schema: { type: 'string', format: 'binary' }, example: '(the bytes of the file)' } },
        };
      }
      if (path.endsWith('/evidence') && method === 'post') evidenceBody(op, schemas);
      // Reports also answer as a page or a spreadsheet, by Accept.
      const also = ALSO_PRODUCES[op.operationId ?? ''];
      const ok = op.responses['200'];
      if (also && ok?.content) Object.assign(ok.content, also);
      // Imports take CSV as well as JSON (the csv content-type parser turns it into rows).
      const body = op.requestBody;
      if (path.endsWith('/import') && body?.content) {
        body.content['text/csv'] = {
          schema: {
            type: 'string',
            description: 'UTF-8, a header row, ; or , separated; columns as in the description',
          },
        };
      }
      // The headers of the answers that succeed.
      for (const [code, response] of Object.entries(op.responses)) {
        if (!code.startsWith('2') || response.$ref) continue;
        const headers: string[] = ['x-request-id'];
        if (versioned(response, schemas)) headers.push('etag');
        if (code === '201' || (code === '200' && LOCATION_ON_200.has(op.operationId ?? ''))) headers.push('location');
        if (idempotent && idempotency !== 'off') headers.push('idempotent-replayed');
        // A spreadsheet comes as an attachment with its own file name.
        if (code === '200' && response.content?.['text/csv']) headers.push('content-disposition');
        if (rateLimited) headers.push(...RATE_LIMIT);
        response.headers = { ...response.headers, ...headersOf(...headers) };
      }
    }
  }
  pruneUnusedSchemas(doc, schemas);
  return doc;
}

/** A record with a version is answered with that version as its ETag. */
function versioned(response: Response, schemas: Record<string, Record<string, unknown>>): boolean {
  const schema = response.content?.['application/json']?.schema;
  const resolved =
    typeof schema?.$ref === 'string' ? schemas[schema.$ref.slice('#/components/schemas/'.length)] : schema;
  const properties = resolved?.properties as Record<string, unknown> | undefined;
  return Boolean(properties && 'version' in properties && !('data' in properties));
}

/**
 * Evidence comes as JSON (a seized item without a file) or multipart with its one file. The
 * multipart form is its own schema: the fields and the file side by side, since an allOf of a
 * closed schema (additionalProperties false) would refuse every form that carries the file.
 */
function evidenceBody(op: Operation, schemas: Record<string, Record<string, unknown>>) {
  const fields = schemas.EvidenceCreateInput as { properties: Record<string, unknown>; required?: string[] };
  schemas.EvidenceUploadInput = {
    type: 'object',
    description: 'The fields of EvidenceCreateInput and one file, as multipart/form-data',
    properties: {
      ...fields.properties,
      file: {
        type: 'string',
        format: 'binary',
        description: 'The file: its type must be one the kind allows, and what its first bytes say it is',
      },
    },
    required: fields.required ?? [],
    additionalProperties: false,
  };
  op.requestBody = {
    required: true,
    content: {
      'application/json': { schema: ref('schemas', 'EvidenceCreateInput') },
      'multipart/form-data': {
        schema: ref('schemas', 'EvidenceUploadInput'),
        encoding: {
          file: {
            contentType:
              'image/jpeg, image/png, image/webp, image/heic, image/heif, video/mp4, video/quicktime, application/pdf',
          },
        },
      },
    },
  };
}

/** Zod emits an input and an output form of the shared Id; they are the same, so one is kept. */
function mergeIdSchemas(doc: Doc, schemas: Record<string, unknown>) {
  if (!schemas.Id || !schemas.IdInput) return;
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.$ref === '#/components/schemas/IdInput') o.$ref = '#/components/schemas/Id';
    for (const value of Object.values(o)) visit(value);
  };
  visit(doc.paths);
  visit(schemas);
  delete schemas.IdInput;
}

// The transform emits an input and an output form of every registered schema; keep those in use.
function pruneUnusedSchemas(doc: Doc, schemas: Record<string, unknown>) {
  const used = new Set<string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        const name = value.slice('#/components/schemas/'.length);
        if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(value);
    }
  };
  visit(doc.paths);
  visit((doc.components as Record<string, unknown>).responses);
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}

export const openapiPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Bersinar API',
          version: '1.0.0',
          description:
            'The record of the drug-free prisons programme (Bersih dari Narkoba): facilities, MoUs with BNN units, and the work done under them. Errors are RFC 9457 problem+json; lists are keyset-paginated; POST honours Idempotency-Key; updates need If-Match.',
          license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
          contact: { name: 'Bersinar', email: 'bersinar@example.org' },
        },
        servers: [{ url: '/', description: 'This server' }],
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description: 'ES256 access token from /v1/auth/token',
            },
            // The same tokens, described as the OAuth 2 flows that issue them, so that the docs page can fetch one.
            oauth2: {
              type: 'oauth2',
              description:
                'The token endpoint: staff sign in with the password grant, outside systems with client credentials',
              flows: {
                password: { tokenUrl: '/v1/auth/token', refreshUrl: '/v1/auth/token', scopes: {} },
                clientCredentials: {
                  tokenUrl: '/v1/auth/token',
                  scopes: {
                    read: 'The records in reach',
                    personal_data: 'Names, birth dates and registration numbers',
                    audit: 'The audit trail',
                  },
                },
              },
            },
          },
        },
        security: [{ bearerAuth: [] }, { oauth2: [] }],
        tags: [
          { name: 'Service', description: 'Health and metadata' },
          { name: 'Access', description: 'Tokens, users and API clients' },
          { name: 'Organisations and agreements', description: 'Organisations, facilities and MoUs' },
          { name: 'People', description: 'Inmate (WBP) and officer (petugas) registers, personal data guarded' },
          { name: 'Urine testing', description: 'Rounds, results and their derived outcomes' },
          { name: 'Inspections', description: 'Surprise inspections (sidak): findings, evidence, actions, sign-off' },
          { name: 'Training', description: 'Trainings of officers and their participants, and coverage by facility' },
          {
            name: 'Rehabilitation',
            description: 'Rehabilitation programmes under an MoU: slots, sessions, enrolments',
          },
          { name: 'Compliance', description: 'Indicators and scorecards of the drug-free programme' },
          {
            name: 'Beyond the walls (P4GN)',
            description: 'Campaigns, coordination meetings and KOTAN assessments outside the facilities',
          },
          { name: 'Audit', description: 'The hash-chained audit trail' },
        ],
      },
      // Route settings the contract tells clients about ride along as x- keys, read by finalize.
      transform: (input) => {
        const out = jsonSchemaTransform(input);
        const config = (input.route as { config?: { idempotency?: string; rateLimit?: unknown } }).config;
        if (out.schema && config?.idempotency) Object.assign(out.schema, { 'x-idempotency': config.idempotency });
        if (out.schema && config?.rateLimit === false) Object.assign(out.schema, { 'x-rate-limit': false });
        // A parameter that names a shared schema loses what it says of itself when resolved; keep it aside.
        const described: Record<string, string> = {};
        for (const part of ['querystring', 'params', 'headers'] as const) {
          const properties = (
            out.schema?.[part] as { properties?: Record<string, { $ref?: string; description?: string }> }
          )?.properties;
          for (const [name, property] of Object.entries(properties ?? {})) {
            if (property.$ref && property.description) described[name] = property.description;
          }
        }
        if (out.schema && Object.keys(described).length > 0) Object.assign(out.schema, { 'x-described': described });
        return out;
      },
      transformObject: (input) =>
        finalize(jsonSchemaTransformObject(input) as Doc) as ReturnType<typeof jsonSchemaTransformObject>,
    });
    // The docs pages are public, like the contract they show.
    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/docs')) route.config = { ...route.config, auth: false };
    });
    // Swagger UI loads only its own static files (no inline script or style): a policy of its own.
    await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true }, staticCSP: DOCS_CSP });

    app.get('/openapi.json', { config: { auth: false }, schema: { hide: true } }, async () => app.swagger());
    app.get('/openapi.yaml', { config: { auth: false }, schema: { hide: true } }, async (_req, reply) =>
      reply.type('application/yaml').send(app.swagger({ yaml: true })),
    );
  },
  { name: 'openapi' },
);
