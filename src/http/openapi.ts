import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import '../modules/inspections/schemas.ts'; // registers EvidenceCreate, used by the evidence upload
import './schemas.ts'; // registers the Problem component
import { DOCS_CSP } from './security.ts';

type Doc = { components?: Record<string, unknown>; paths?: Record<string, unknown> };
type Operation = { security?: unknown[]; responses?: Record<string, unknown>; parameters?: unknown[] };

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const COMMON: Record<string, string> = {
  '400': 'Malformed request: bad JSON, unknown fields, wrong types, bad ids or enum values',
  '404': 'Not found, or outside what the caller may see',
  '429': 'Too many requests',
  '500': 'Internal error (nothing was changed)',
  '503': 'Database unavailable; retry after the Retry-After seconds',
};
const SECURED: Record<string, string> = { '401': 'No valid bearer token', '403': 'The role may not do this' };
const WRITES: Record<string, string> = {
  '409': 'Conflict with the current state, or an Idempotency-Key still in flight',
  '413': 'Body too large',
  '415': 'Unsupported content type',
  '422': 'A domain rule was broken, or an Idempotency-Key was reused with another body',
};
const UPDATES: Record<string, string> = {
  '412': 'If-Match does not match the current version',
  '428': 'If-Match is required',
};

const ALSO_PRODUCES: Record<string, Record<string, unknown>> = {
  getFacilityScorecard: {
    'text/html': { schema: { type: 'string', description: 'A printable page with the score over eight periods' } },
  },
  listScorecards: {
    'text/csv': { schema: { type: 'string', description: 'The ranking, a header row and a row each' } },
  },
};

/** Adds what every operation shares: problem responses, security, and the write headers. */
function finalize(doc: Doc): Doc {
  doc.components ??= {};
  const components = doc.components as Record<string, Record<string, unknown>>;
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const secured = !(Array.isArray(op.security) && op.security.length === 0);
      const codes = {
        ...COMMON,
        ...(secured ? SECURED : {}),
        ...(method !== 'get' ? WRITES : {}),
        ...(method === 'patch' || method === 'put' ? UPDATES : {}),
        // The token endpoint is public but refuses bad client credentials with 401 invalid_client.
        ...(path === '/v1/auth/token' ? { '401': 'Client id or secret not accepted' } : {}),
      };
      op.responses ??= {};
      for (const [code, description] of Object.entries(codes)) op.responses[code] ??= problemResponse(description);
      op.parameters ??= [];
      if (method === 'post' && path.startsWith('/v1/') && !path.startsWith('/v1/auth/')) {
        op.parameters.push({
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Makes a retry safe: the same key and body return the first answer',
          schema: { type: 'string', maxLength: 255 },
        });
      }
      if (method === 'patch' || method === 'put') {
        op.parameters.push({
          name: 'If-Match',
          in: 'header',
          required: true,
          description: 'The ETag last read',
          schema: { type: 'string' },
        });
      }
      if (op.parameters.length === 0) delete op.parameters;
      if (path === '/v1/evidence/{evidenceId}/file' && method === 'get') {
        op.responses['200'] = {
          description: 'The evidence file, in its own media type; Repr-Digest carries its SHA-256',
          content: { '*/*': { schema: { type: 'string', format: 'binary' }, example: '(the bytes of the file)' } },
        };
      }
      if (path.endsWith('/evidence') && method === 'post') {
        // Evidence comes as JSON (a seized item without a file) or multipart with its one file.
        const fields = { $ref: '#/components/schemas/EvidenceCreateInput' };
        (op as { requestBody?: unknown }).requestBody = {
          required: true,
          content: {
            'application/json': { schema: fields },
            'multipart/form-data': {
              schema: {
                allOf: [fields, { type: 'object', properties: { file: { type: 'string', format: 'binary' } } }],
              },
            },
          },
        };
      }
      // Reports also answer as a page or a spreadsheet, by Accept.
      const also = ALSO_PRODUCES[(op as { operationId?: string }).operationId ?? ''];
      const ok = op.responses?.['200'] as { content?: Record<string, unknown> } | undefined;
      if (also && ok?.content) Object.assign(ok.content, also);
      // Imports take CSV as well as JSON (the csv content-type parser turns it into rows).
      const body = (op as { requestBody?: { content?: Record<string, unknown> } }).requestBody;
      if (path.endsWith('/import') && body?.content) {
        body.content['text/csv'] = {
          schema: {
            type: 'string',
            description: 'UTF-8, a header row, ; or , separated; columns as in the description',
          },
        };
      }
    }
  }
  pruneUnusedSchemas(doc, components.schemas as Record<string, unknown>);
  return doc;
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
          },
        },
        security: [{ bearerAuth: [] }],
        tags: [
          { name: 'Service', description: 'Health and metadata' },
          { name: 'Access', description: 'Tokens, users and API clients' },
          { name: 'Organisations and agreements', description: 'Organisations, facilities and MoUs' },
          { name: 'People', description: 'Inmate (WBP) and officer (petugas) registers, personal data guarded' },
          { name: 'Urine testing', description: 'Rounds, results and their derived outcomes' },
          { name: 'Inspections', description: 'Surprise inspections (sidak): findings, evidence, actions, sign-off' },
          { name: 'Audit', description: 'The hash-chained audit trail' },
        ],
      },
      transform: jsonSchemaTransform,
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
