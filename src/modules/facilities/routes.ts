import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { facilityReach } from '../../core/access.ts';
import { keysetOf, page } from '../../http/pagination.ts';
import { principalOf, requireRole } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { Facility, FacilityCreate, FacilityListQuery, FacilityPage, FacilityUpdate } from './schemas.ts';
import { createFacility, getFacility, listFacilities, toFacilityDto, updateFacility } from './service.ts';

const tags = ['Organisations and agreements'];

export async function facilityRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

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
    async (request) => {
      const q = request.query;
      const reach = await facilityReach(db, principalOf(request), app.now());
      const rows = await listFacilities(db, reach, {
        type: q.type,
        provinceCode: q.province_code,
        timezone: q.timezone,
        kanwilId: q.kanwil_id,
        namePrefix: q.name,
        ...keysetOf(q),
      });
      return page(rows, q.limit, (row) => row.id, toFacilityDto);
    },
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
    async (request) => {
      const reach = await facilityReach(db, principalOf(request), app.now());
      const row = await getFacility(db, reach, request.params.facilityId);
      return toFacilityDto(row);
    },
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
    async (request, reply) => {
      requireRole(request, 'admin');
      return performWrite(request, reply, db, async (change) => {
        const row = await createFacility(change, request.body);
        return {
          status: 201,
          body: toFacilityDto(row),
          headers: { location: `/v1/facilities/${row.id}` },
        };
      });
    },
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
    async (request, reply) => {
      const principal = requireRole(request, 'admin');
      const version = expectedVersion(request);
      const reach = await facilityReach(db, principal, app.now());
      return performWrite(request, reply, db, async (change) => {
        const row = await updateFacility(change, reach, request.params.facilityId, version, request.body);
        return { status: 200, body: toFacilityDto(row) };
      });
    },
  );
}
