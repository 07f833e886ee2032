import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { facilityReach } from '../../core/access.ts';
import { keysetOf, page } from '../../http/pagination.ts';
import { principalOf, requireRole } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { Mou, MouCreate, MouListQuery, MouPage, MouTerminate, MouUpdate } from './schemas.ts';
import { createMou, getMou, listMous, terminateMou, toMouDto, updateMou } from './service.ts';

const tags = ['Organisations and agreements'];

export async function mouRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  r.get(
    '/v1/mous',
    {
      schema: {
        tags,
        operationId: 'listMous',
        summary: 'List MoUs',
        description:
          'Agreements (nota kesepahaman / PKS) between a BNN unit and facilities. A BNN officer sees those of their unit; others those covering a facility they reach. Status is derived from the dates.',
        querystring: MouListQuery,
        response: { 200: MouPage },
      },
    },
    async (request) => {
      const q = request.query;
      const principal = principalOf(request);
      const reach = await facilityReach(db, principal, app.now());
      const rows = await listMous(
        db,
        principal,
        reach,
        {
          status: q.status,
          bnnUnitId: q.bnn_unit_id,
          facilityId: q.facility_id,
          scope: q.scope,
          ...keysetOf(q),
        },
        app.now(),
      );
      return page(rows, q.limit, (row) => row.mou.id, toMouDto);
    },
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
    async (request) => {
      const principal = principalOf(request);
      const row = await getMou(
        db,
        principal,
        await facilityReach(db, principal, app.now()),
        request.params.mouId,
        app.now(),
      );
      return toMouDto(row);
    },
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
    async (request, reply) => {
      const principal = requireRole(request, 'admin', 'bnn_officer');
      return performWrite(request, reply, db, async (change) => {
        const id = await createMou(change, principal, request.body);
        const row = await getMou(change.tx, principal, { all: true }, id, change.now);
        return {
          status: 201,
          body: toMouDto(row),
          headers: { location: `/v1/mous/${id}` },
        };
      });
    },
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
    async (request, reply) => {
      const principal = requireRole(request, 'admin', 'bnn_officer');
      const version = expectedVersion(request);
      const reach = await facilityReach(db, principal, app.now());
      return performWrite(request, reply, db, async (change) => {
        await updateMou(change, principal, reach, request.params.mouId, version, request.body);
        const row = await getMou(change.tx, principal, { all: true }, request.params.mouId, change.now);
        return { status: 200, body: toMouDto(row) };
      });
    },
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
    async (request, reply) => {
      const principal = requireRole(request, 'admin', 'bnn_officer', 'facility_head');
      const reach = await facilityReach(db, principal, app.now());
      return performWrite(request, reply, db, async (change) => {
        await terminateMou(change, principal, reach, request.params.mouId, request.body.reason);
        const row = await getMou(change.tx, principal, { all: true }, request.params.mouId, change.now);
        return { status: 200, body: toMouDto(row) };
      });
    },
  );
}
