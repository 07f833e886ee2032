import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { reachFor } from '../../core/access.ts';
import { ImportBody, ImportQuery, ImportReport } from '../../http/import.ts';
import { keysetOf, page } from '../../http/pagination.ts';
import { auditPersonalRead, presentPerson, seesPersonalData } from '../../http/personal-data.ts';
import { type Principal, principalOf } from '../../http/principal.ts';
import { forbidden, localeOf } from '../../http/problem.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { getFacility, registerFacility } from '../facilities/service.ts';
import {
  OFFICER_CSV_COLUMNS,
  Officer,
  OfficerCreate,
  OfficerListQuery,
  OfficerPage,
  OfficerTopListQuery,
  OfficerUpdate,
} from './schemas.ts';
import { createOfficer, getOfficer, importOfficers, listOfficers, toOfficerDto, updateOfficer } from './service.ts';

const tags = ['People'];

export async function officerRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  // A BNN officer reaches a register only under an MoU whose work needs the people in it.
  const registerReach = reachFor(db, () => app.now(), 'officers');
  const present = (principal: Principal, row: Parameters<typeof toOfficerDto>[0]) =>
    presentPerson(principal, 'officers', toOfficerDto(row));

  async function list(request: FastifyRequest, q: z.infer<typeof OfficerTopListQuery>) {
    const principal = principalOf(request);
    if ((q.name || q.nip) && !seesPersonalData(principal)) throw forbidden();
    const rows = await listOfficers(db, await registerReach(principal), {
      facilityId: q.facility_id,
      namePrefix: q.name,
      nip: q.nip,
      status: q.status,
      unit: q.unit,
      ...keysetOf(q),
    });
    const answer = page(
      rows,
      q.limit,
      (row) => row.id,
      (row) => present(principal, row),
    );
    await auditPersonalRead(db, request, 'officer', answer.data);
    return answer;
  }

  const listDescription =
    'Officers (petugas) of the facilities in reach. NIP and name are null without the personal_data scope, and filtering by them needs it (403). Reads with the scope are audited.';

  r.get(
    '/v1/facilities/:facilityId/officers',
    {
      schema: {
        tags,
        operationId: 'listFacilityOfficers',
        summary: "List a facility's officers",
        description: listDescription,
        params: IdParams('facilityId'),
        querystring: OfficerListQuery,
        response: { 200: OfficerPage },
      },
    },
    async (request) => {
      await getFacility(db, await registerReach(principalOf(request)), request.params.facilityId);
      return list(request, { ...request.query, facility_id: request.params.facilityId });
    },
  );

  r.get(
    '/v1/officers',
    {
      schema: {
        tags,
        operationId: 'listOfficers',
        summary: 'List officers',
        description: `${listDescription} facility_id narrows to one facility.`,
        querystring: OfficerTopListQuery,
        response: { 200: OfficerPage },
      },
    },
    async (request) => list(request, request.query),
  );

  r.get(
    '/v1/officers/:officerId',
    {
      schema: {
        tags,
        operationId: 'getOfficer',
        summary: 'Get an officer',
        description:
          'One officer in reach (404 otherwise). Personal fields are null without personal_data; a read with it is audited.',
        params: IdParams('officerId'),
        response: { 200: Officer },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const row = await getOfficer(db, await registerReach(principal), request.params.officerId);
      await auditPersonalRead(db, request, 'officer', [{ id: row.id, facility_id: row.facilityId }]);
      return present(principal, row);
    },
  );

  r.post(
    '/v1/facilities/:facilityId/officers',
    {
      schema: {
        tags,
        operationId: 'createOfficer',
        summary: 'Add an officer to the register',
        description:
          'Facility staff and heads of that facility, or administrators. NIP is 18 digits and unique nationally (409). Honours Idempotency-Key.',
        params: IdParams('facilityId'),
        body: OfficerCreate,
        response: { 201: Officer },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const facility = await registerFacility(db, principal, await registerReach(principal), request.params.facilityId);
      return performWrite(request, reply, db, async (change) => {
        const row = await createOfficer(change, facility, request.body);
        return {
          status: 201,
          body: present(principal, row),
          headers: { location: `/v1/officers/${row.id}` },
        };
      });
    },
  );

  r.patch(
    '/v1/officers/:officerId',
    {
      schema: {
        tags,
        operationId: 'updateOfficer',
        summary: 'Update an officer',
        description:
          'Staff of the facility or administrators: position, unit, status (a left_on is required for transferred or retired). Requires If-Match.',
        params: IdParams('officerId'),
        body: OfficerUpdate,
        response: { 200: Officer },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request);
      const principal = principalOf(request);
      const reach = await registerReach(principal);
      const officer = await getOfficer(db, reach, request.params.officerId);
      const facility = await registerFacility(db, principal, reach, officer.facilityId);
      return performWrite(request, reply, db, async (change) => {
        const row = await updateOfficer(change, facility, officer, version, request.body);
        return { status: 200, body: present(principal, row) };
      });
    },
  );

  r.post(
    '/v1/facilities/:facilityId/officers/import',
    {
      bodyLimit: app.config.IMPORT_BODY_LIMIT_BYTES,
      config: { csvColumns: OFFICER_CSV_COLUMNS.required },
      schema: {
        tags,
        operationId: 'importOfficers',
        summary: 'Import the officers register (CSV or JSON)',
        description: `Upserts by NIP. text/csv (UTF-8, header row, ; or , separated) with columns ${OFFICER_CSV_COLUMNS.required.join(', ')} and optionally ${OFFICER_CSV_COLUMNS.optional.join(', ')}; or a JSON array of objects with those fields. A NIP kept by another facility is a rejected row. dry_run=true writes nothing; atomic=true writes nothing unless every row is good (else 422). Audited as one event. Honours Idempotency-Key.`,
        params: IdParams('facilityId'),
        querystring: ImportQuery,
        body: ImportBody,
        response: { 200: ImportReport },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const facility = await registerFacility(db, principal, await registerReach(principal), request.params.facilityId);
      const { dry_run: dryRun, atomic } = request.query;
      const options = { dryRun, atomic, locale: localeOf(request.headers) };
      return performWrite(request, reply, db, async (change) => ({
        status: 200,
        body: await importOfficers(change, facility, request.body, options),
      }));
    },
  );
}
