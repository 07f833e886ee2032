import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HOUR_MS } from '../../core/chores.ts';
import { principalOf } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { tellMouExpiry } from './expiry.ts';
import { createMou, listMous, readMou, terminateMou, updateMou } from './mous.ts';
import { Mou, MouCreate, MouListQuery, MouPage, MouTerminate, MouUpdate } from './schemas.ts';

const tags = ['Organisations and agreements'];

export async function mouRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  app.addChore({ name: 'mou-expiry', everyMs: HOUR_MS, run: tellMouExpiry });

  r.get(
    '/v1/mous',
    {
      schema: {
        tags,
        operationId: 'listMous',
        summary: 'List MoUs',
        description:
          'Agreements (nota kesepahaman / PKS) between a BNN unit and facilities. A BNN officer sees those of their unit; others those covering a facility they reach. Status is derived from the dates. Ordered by id; with expiring_within_days, the MoUs in force ending within that many days, by valid_until then id.',
        querystring: MouListQuery,
        response: { 200: MouPage },
      },
    },
    async (request) => listMous(db, principalOf(request), request.query, app.now()),
  );

  r.get(
    '/v1/mous/:mouId',
    {
      schema: {
        tags,
        operationId: 'getMou',
        summary: 'Get an MoU',
        description: 'One agreement the caller may see (404 otherwise), with its version as ETag.',
        params: IdParams('mouId'),
        response: { 200: Mou },
      },
    },
    async (request) => readMou(db, principalOf(request), request.params.mouId, app.now()),
  );

  r.post(
    '/v1/mous',
    {
      schema: {
        tags,
        operationId: 'createMou',
        summary: 'Record an MoU',
        description:
          'Administrators, or officers of the BNN unit itself. A BNNP or BNNK may only sign for facilities in its own province (422 otherwise); valid_until must follow valid_from. Honours Idempotency-Key.',
        body: MouCreate,
        response: { 201: Mou },
      },
    },
    async (request, reply) => performWrite(request, reply, db, createMou(principalOf(request), request.body)),
  );

  r.patch(
    '/v1/mous/:mouId',
    {
      schema: {
        tags,
        operationId: 'updateMou',
        summary: 'Update an MoU',
        description:
          'Administrators or officers of the unit; not once terminated (409). Requires If-Match (428 without, 412 when stale).',
        params: IdParams('mouId'),
        body: MouUpdate,
        response: { 200: Mou },
      },
    },
    async (request, reply) =>
      performWrite(
        request,
        reply,
        db,
        updateMou(principalOf(request), request.params.mouId, () => expectedVersion(request), request.body),
      ),
  );

  r.post(
    '/v1/mous/:mouId/terminate',
    {
      schema: {
        tags,
        operationId: 'terminateMou',
        summary: 'Terminate an MoU',
        description:
          'Ends an agreement early, with a reason. Administrators, officers of the unit, or the head of a covered facility. Honours Idempotency-Key.',
        params: IdParams('mouId'),
        body: MouTerminate,
        response: { 200: Mou },
      },
    },
    async (request, reply) =>
      performWrite(request, reply, db, terminateMou(principalOf(request), request.params.mouId, request.body.reason)),
  );
}
