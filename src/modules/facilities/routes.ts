import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { createFacility, listFacilities, readFacility, updateFacility } from './facilities.ts';
import { Facility, FacilityCreate, FacilityListQuery, FacilityPage, FacilityUpdate } from './schemas.ts';

const tags = ['Organisations and agreements'];

export async function facilityRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/facilities',
    {
      schema: {
        tags,
        operationId: 'listFacilities',
        summary: 'List facilities',
        description:
          'Rutan, Lapas and their kin that the caller may see: all for administrators, the province for Kanwil/BNNP viewers, their own for facility staff, those under active MoUs for BNN officers.',
        querystring: FacilityListQuery,
        response: { 200: FacilityPage },
      },
    },
    async (request) => listFacilities(app.db, principalOf(request), request.query, app.now()),
  );

  r.get(
    '/v1/facilities/:facilityId',
    {
      schema: {
        tags,
        operationId: 'getFacility',
        summary: 'Get a facility',
        description: 'One facility the caller may see (404 otherwise, as for a missing one), with its version as ETag.',
        params: IdParams('facilityId'),
        response: { 200: Facility },
      },
    },
    async (request) => readFacility(app.db, principalOf(request), request.params.facilityId, app.now()),
  );

  r.post(
    '/v1/facilities',
    {
      schema: {
        tags,
        operationId: 'createFacility',
        summary: 'Create a facility',
        description:
          "Administrators only. The time zone must be one of Indonesia's three and that of the province; the parent Kanwil is the province's. Honours Idempotency-Key.",
        body: FacilityCreate,
        response: { 201: Facility },
      },
    },
    async (request, reply) => performWrite(request, reply, app.db, createFacility(principalOf(request), request.body)),
  );

  r.patch(
    '/v1/facilities/:facilityId',
    {
      schema: {
        tags,
        operationId: 'updateFacility',
        summary: 'Update a facility',
        description: 'Administrators only: name, class, capacity. Requires If-Match (428 without, 412 when stale).',
        params: IdParams('facilityId'),
        body: FacilityUpdate,
        response: { 200: Facility },
      },
    },
    async (request, reply) =>
      performWrite(
        request,
        reply,
        app.db,
        updateFacility(principalOf(request), request.params.facilityId, () => expectedVersion(request), request.body),
      ),
  );
}
