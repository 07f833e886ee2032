import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { reaches, reachFor } from '../../core/access.ts';
import { ImportBody, ImportQuery, ImportReport } from '../../http/import.ts';
import { keysetOf, page } from '../../http/pagination.ts';
import { auditPersonalRead, presentPerson, seesPersonalData } from '../../http/personal-data.ts';
import { type Principal, principalOf } from '../../http/principal.ts';
import { forbidden, localeOf } from '../../http/problem.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { findFacilities, getFacility, registerFacility } from '../facilities/service.ts';
import {
  INMATE_CSV_COLUMNS,
  Inmate,
  InmateCreate,
  InmateListQuery,
  InmatePage,
  InmateRelease,
  InmateTopListQuery,
  InmateTransfer,
  InmateUpdate,
  InmateWithHistory,
} from './schemas.ts';
import {
  createInmate,
  getInmate,
  importInmates,
  listInmates,
  placementsOf,
  releaseInmate,
  toInmateDto,
  transferInmate,
  updateInmate,
} from './service.ts';

const tags = ['People'];

export async function inmateRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  // A BNN officer reaches a register only under an MoU whose work needs the people in it.
  const registerReach = reachFor(db, () => app.now(), 'inmates');
  const present = (principal: Principal, row: Parameters<typeof toInmateDto>[0]) =>
    presentPerson(principal, 'inmates', toInmateDto(row));

  /** The register of a facility in reach, for someone who may keep it (404 outside reach, 403 for other roles). */
  async function registerOf(request: FastifyRequest, facilityId: string) {
    const principal = principalOf(request);
    return {
      principal,
      facility: await registerFacility(db, principal, await registerReach(principal), facilityId),
    };
  }

  /** An inmate in reach, with the facility that holds them, for a write. */
  async function heldInmate(request: FastifyRequest, inmateId: string) {
    const principal = principalOf(request);
    const reach = await registerReach(principal);
    const inmate = await getInmate(db, reach, inmateId);
    const facility = await registerFacility(db, principal, reach, inmate.facilityId);
    return { principal, reach, inmate, facility };
  }

  async function list(request: FastifyRequest, q: z.infer<typeof InmateTopListQuery>) {
    const principal = principalOf(request);
    if ((q.name || q.registration_number) && !seesPersonalData(principal)) throw forbidden();
    const rows = await listInmates(db, await registerReach(principal), {
      facilityId: q.facility_id,
      namePrefix: q.name,
      registrationNumber: q.registration_number,
      status: q.status,
      caseType: q.case_type,
      block: q.block,
      ...keysetOf(q),
    });
    const answer = page(
      rows,
      q.limit,
      (row) => row.id,
      (row) => present(principal, row),
    );
    await auditPersonalRead(db, request, 'inmate', answer.data);
    return answer;
  }

  const listDescription =
    'Inmates (WBP) of the facilities in reach. Names, registration numbers and birth dates are null without the personal_data scope, and filtering by them needs it (403). Reads with the scope are audited.';

  r.get(
    '/v1/facilities/:facilityId/inmates',
    {
      schema: {
        tags,
        operationId: 'listFacilityInmates',
        summary: "List a facility's inmates",
        description: listDescription,
        params: IdParams('facilityId'),
        querystring: InmateListQuery,
        response: { 200: InmatePage },
      },
    },
    async (request) => {
      await getFacility(db, await registerReach(principalOf(request)), request.params.facilityId);
      return list(request, { ...request.query, facility_id: request.params.facilityId });
    },
  );

  r.get(
    '/v1/inmates',
    {
      schema: {
        tags,
        operationId: 'listInmates',
        summary: 'List inmates',
        description: `${listDescription} facility_id narrows to one facility.`,
        querystring: InmateTopListQuery,
        response: { 200: InmatePage },
      },
    },
    async (request) => list(request, request.query),
  );

  r.get(
    '/v1/inmates/:inmateId',
    {
      schema: {
        tags,
        operationId: 'getInmate',
        summary: 'Get an inmate, with where they were held',
        description:
          'One person in reach (404 otherwise), with the history of their stays. Personal fields are null without personal_data; a read with it is audited.',
        params: IdParams('inmateId'),
        response: { 200: InmateWithHistory },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const row = await getInmate(db, await registerReach(principal), request.params.inmateId);
      const placements = (await placementsOf(db, row.id)).map((p) => presentPerson(principal, 'inmate_placements', p));
      await auditPersonalRead(db, request, 'inmate', [{ id: row.id, facility_id: row.facilityId }]);
      return { ...present(principal, row), placements };
    },
  );

  r.post(
    '/v1/facilities/:facilityId/inmates',
    {
      schema: {
        tags,
        operationId: 'createInmate',
        summary: 'Admit an inmate to the register',
        description:
          "Facility staff and heads of that facility, or administrators. The registration number is unique within the facility (409); dates are checked against the facility's calendar (422). Honours Idempotency-Key.",
        params: IdParams('facilityId'),
        body: InmateCreate,
        response: { 201: Inmate },
      },
    },
    async (request, reply) => {
      const { principal, facility } = await registerOf(request, request.params.facilityId);
      return performWrite(request, reply, db, async (change) => {
        const row = await createInmate(change, facility, request.body);
        return {
          status: 201,
          body: present(principal, row),
          headers: { location: `/v1/inmates/${row.id}` },
        };
      });
    },
  );

  r.patch(
    '/v1/inmates/:inmateId',
    {
      schema: {
        tags,
        operationId: 'updateInmate',
        summary: 'Correct a register entry',
        description:
          'Staff of the holding facility or administrators; not once released, transferred or deceased (409). Status moves only between detained and sentenced here. Requires If-Match.',
        params: IdParams('inmateId'),
        body: InmateUpdate,
        response: { 200: Inmate },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request);
      const { principal, inmate, facility } = await heldInmate(request, request.params.inmateId);
      return performWrite(request, reply, db, async (change) => {
        const row = await updateInmate(change, facility, inmate, version, request.body);
        return { status: 200, body: present(principal, row) };
      });
    },
  );

  r.post(
    '/v1/inmates/:inmateId/release',
    {
      schema: {
        tags,
        operationId: 'releaseInmate',
        summary: 'Release an inmate',
        description:
          'Closes the stay: status released (or deceased, with that reason). Not before admission, not in the future (422); only for someone still held (409). Honours Idempotency-Key.',
        params: IdParams('inmateId'),
        body: InmateRelease,
        response: { 200: Inmate },
      },
    },
    async (request, reply) => {
      const { principal, inmate, facility } = await heldInmate(request, request.params.inmateId);
      return performWrite(request, reply, db, async (change) => {
        const row = await releaseInmate(change, facility, inmate, request.body, app.now());
        return { status: 200, body: present(principal, row) };
      });
    },
  );

  r.post(
    '/v1/inmates/:inmateId/transfer',
    {
      schema: {
        tags,
        operationId: 'transferInmate',
        summary: 'Transfer an inmate to another facility',
        description:
          'The receiving facility holds the person from then on; the history keeps both stays. The receiving facility must be in the reach of the caller as well (so, in practice, administrators transfer); another destination, or the same facility, is a 422. Honours Idempotency-Key.',
        params: IdParams('inmateId'),
        body: InmateTransfer,
        response: { 200: Inmate },
      },
    },
    async (request, reply) => {
      const { principal, reach, inmate, facility } = await heldInmate(request, request.params.inmateId);
      const [target] = await findFacilities(db, [request.body.to_facility_id]);
      // The receiving facility must be one the caller reaches too (in practice: administrators move people between facilities).
      const allowed = target && reaches(reach, target.id);
      return performWrite(request, reply, db, async (change) => {
        const row = await transferInmate(
          change,
          facility,
          allowed ? target : undefined,
          inmate,
          request.body,
          app.now(),
        );
        return { status: 200, body: present(principal, row) };
      });
    },
  );

  r.post(
    '/v1/facilities/:facilityId/inmates/import',
    {
      bodyLimit: app.config.IMPORT_BODY_LIMIT_BYTES,
      config: { csvColumns: INMATE_CSV_COLUMNS.required },
      schema: {
        tags,
        operationId: 'importInmates',
        summary: 'Import the register from SDP (CSV or JSON)',
        description: `Upserts by registration number. text/csv (UTF-8, header row, ; or , separated) with columns ${INMATE_CSV_COLUMNS.required.join(', ')} and optionally ${INMATE_CSV_COLUMNS.optional.join(', ')}; or a JSON array of objects with those fields. Dates are YYYY-MM-DD; status is detained, sentenced or released (with released_on). Answers a report: created, updated, unchanged, and each rejected row with its line and why. dry_run=true writes nothing; atomic=true writes nothing unless every row is good (else 422). Audited as one event. Honours Idempotency-Key.`,
        params: IdParams('facilityId'),
        querystring: ImportQuery,
        body: ImportBody,
        response: { 200: ImportReport },
      },
    },
    async (request, reply) => {
      const { facility } = await registerOf(request, request.params.facilityId);
      const { dry_run: dryRun, atomic } = request.query;
      const options = { dryRun, atomic, locale: localeOf(request.headers) };
      return performWrite(request, reply, db, async (change) => ({
        status: 200,
        body: await importInmates(change, facility, request.body, options),
      }));
    },
  );
}
