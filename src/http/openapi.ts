import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import '../modules/inspections/schemas.ts'; // registers EvidenceCreate, used by the evidence upload
import './schemas.ts'; // registers the Problem component
import { webhookDocs } from '../modules/events/catalogue.ts';
import { type Doc, finalize } from './openapi/finalize.ts';
import { DOCS_CSP } from './security.ts';

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
                    webhooks: 'Its own webhook subscriptions',
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
          {
            name: 'Events and webhooks',
            description: 'Domain events: the change feed, and webhooks signed as Standard Webhooks says',
          },
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
        finalize({ ...(jsonSchemaTransformObject(input) as Doc), webhooks: webhookDocs() }) as ReturnType<
          typeof jsonSchemaTransformObject
        >,
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
