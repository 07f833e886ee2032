import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { createApiClient, listApiClients, readApiClient, updateApiClient } from './api-clients.ts';
import {
  ApiClient,
  ApiClientCreate,
  ApiClientCreated,
  ApiClientPage,
  ApiClientUpdate,
  ListQuery,
  tags,
} from './schemas.ts';

/** API clients: each route its schema and one service command. */
export function apiClientRoutes(r: Router) {
  r.get(
    '/v1/api-clients',
    {
      schema: {
        tags,
        operationId: 'listApiClients',
        summary: 'List API clients',
        description: 'Administrators only.',
        querystring: ListQuery,
        response: { 200: ApiClientPage },
      },
    },
    async (request) => listApiClients(r.db, principalOf(request), request.query),
  );

  r.get(
    '/v1/api-clients/:clientId',
    {
      schema: {
        tags,
        operationId: 'getApiClient',
        summary: 'Get an API client',
        description: 'Administrators only.',
        params: IdParams('clientId'),
        response: { 200: ApiClient },
      },
    },
    async (request) => readApiClient(r.db, principalOf(request), request.params.clientId),
  );

  r.post(
    '/v1/api-clients',
    {
      // The answer holds a secret: never kept for replays.
      config: { idempotency: 'off' },
      schema: {
        tags,
        operationId: 'createApiClient',
        summary: 'Register an API client',
        description:
          'Administrators only. The answer holds the client secret, shown this once, so Idempotency-Key is not honoured here. Without personal_data in its scopes a client sees pseudonymous ids only.',
        body: ApiClientCreate,
        response: { 201: ApiClientCreated },
      },
    },
    async (request, reply) =>
      performWrite(request, reply, r.db, async (change) => {
        const body = await createApiClient(change, principalOf(request), request.body);
        return { status: 201, body, headers: { location: `/v1/api-clients/${body.id}` } };
      }),
  );

  r.patch(
    '/v1/api-clients/:clientId',
    {
      schema: {
        tags,
        operationId: 'updateApiClient',
        summary: 'Update an API client',
        description: 'Administrators only: name, scopes, active. Requires If-Match.',
        params: IdParams('clientId'),
        body: ApiClientUpdate,
        response: { 200: ApiClient },
      },
    },
    async (request, reply) =>
      performWrite(request, reply, r.db, async (change) => {
        const body = await updateApiClient(
          change,
          principalOf(request),
          request.params.clientId,
          () => expectedVersion(request),
          request.body,
        );
        return { status: 200, body };
      }),
  );
}
