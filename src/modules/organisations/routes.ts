import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { createOrganisation, listOrganisations, readOrganisation, updateOrganisation } from './organisations.ts';
import {
  Organisation,
  OrganisationCreate,
  OrganisationListQuery,
  OrganisationPage,
  OrganisationUpdate,
} from './schemas.ts';

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
    async (request) => listOrganisations(db, request.query),
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
    async (request) => readOrganisation(db, request.params.organisationId),
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
    async (request, reply) => performWrite(request, reply, db, createOrganisation(principalOf(request), request.body)),
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
    async (request, reply) =>
      performWrite(
        request,
        reply,
        db,
        updateOrganisation(
          principalOf(request),
          request.params.organisationId,
          () => expectedVersion(request),
          request.body,
        ),
      ),
  );
}
