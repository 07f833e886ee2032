import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { keysetOf, page } from '../../http/pagination.ts';
import { requireRole } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import {
  Organisation,
  OrganisationCreate,
  OrganisationListQuery,
  OrganisationPage,
  OrganisationUpdate,
} from './schemas.ts';
import {
  createOrganisation,
  getOrganisation,
  listOrganisations,
  toOrganisationDto,
  updateOrganisation,
} from './service.ts';

const tags = ['Organisations and agreements'];

export async function organisationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

  r.get(
    '/v1/organisations',
    {
      schema: {
        tags,
        operationId: 'listOrganisations',
        summary: 'List organisations',
        description:
          'The ministry, Kanwil offices, BNN units (BNN RI, BNNP, BNNK) and regional governments. Any signed-in caller may read them.',
        querystring: OrganisationListQuery,
        response: { 200: OrganisationPage },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listOrganisations(db, {
        type: q.type,
        bnnLevel: q.bnn_level,
        provinceCode: q.province_code,
        ...keysetOf(q),
      });
      return page(rows, q.limit, (row) => row.id, toOrganisationDto);
    },
  );

  r.get(
    '/v1/organisations/:organisationId',
    {
      schema: {
        tags,
        operationId: 'getOrganisation',
        summary: 'Get an organisation',
        description: 'One organisation, with its version as ETag.',
        params: IdParams('organisationId'),
        response: { 200: Organisation },
      },
    },
    async (request) => {
      const row = await getOrganisation(db, request.params.organisationId);
      return toOrganisationDto(row);
    },
  );

  r.post(
    '/v1/organisations',
    {
      schema: {
        tags,
        operationId: 'createOrganisation',
        summary: 'Create an organisation',
        description:
          'Administrators only. A BNN unit needs bnn_level; a Kanwil, BNNP, BNNK or regional government its province (one Kanwil per province); a BNNK its regency; a regional government of a regency or city its regency (one government per province and per regency). Honours Idempotency-Key.',
        body: OrganisationCreate,
        response: { 201: Organisation },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      return performWrite(request, reply, db, async (change) => {
        const row = await createOrganisation(change, request.body);
        return {
          status: 201,
          body: toOrganisationDto(row),
          headers: { location: `/v1/organisations/${row.id}` },
        };
      });
    },
  );

  r.patch(
    '/v1/organisations/:organisationId',
    {
      schema: {
        tags,
        operationId: 'updateOrganisation',
        summary: 'Update an organisation',
        description: 'Administrators only. Requires If-Match with the ETag last read (428 without, 412 when stale).',
        params: IdParams('organisationId'),
        body: OrganisationUpdate,
        response: { 200: Organisation },
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      const version = expectedVersion(request);
      return performWrite(request, reply, db, async (change) => {
        const row = await updateOrganisation(change, request.params.organisationId, version, request.body);
        return { status: 200, body: toOrganisationDto(row) };
      });
    },
  );
}
