import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../http/principal.ts';
import { registerRoutes } from '../../http/register-routes.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { performWrite } from '../../http/write.ts';
import { importInmates } from './imports.ts';
import { releaseInmate, transferInmate } from './movements.ts';
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
import { createInmate, keepInmate, keepInmateRegister, listInmates, readInmate, updateInmate } from './service.ts';

const tags = ['People'];

const listDescription =
  'Inmates (WBP) of the facilities in reach. Names, registration numbers and birth dates are null without the personal_data scope, and filtering by them needs it (403). Reads with the scope are audited.';

const register = registerRoutes({
  tags,
  plural: 'inmates',
  idParam: 'inmateId',
  entity: 'inmate',
  csvColumns: INMATE_CSV_COLUMNS.required,
  schemas: {
    listQuery: InmateListQuery,
    topListQuery: InmateTopListQuery,
    page: InmatePage,
    one: InmateWithHistory,
    item: Inmate,
    create: InmateCreate,
    update: InmateUpdate,
  },
  docs: {
    listFacility: {
      operationId: 'listFacilityInmates',
      summary: "List a facility's inmates",
      description: listDescription,
    },
    list: {
      operationId: 'listInmates',
      summary: 'List inmates',
      description: `${listDescription} facility_id narrows to one facility.`,
    },
    get: {
      operationId: 'getInmate',
      summary: 'Get an inmate, with where they were held',
      description:
        'One person in reach (404 otherwise), with the history of their stays. Personal fields are null without personal_data; a read with it is audited.',
    },
    create: {
      operationId: 'createInmate',
      summary: 'Admit an inmate to the register',
      description:
        "Facility staff and heads of that facility, or administrators. The registration number is unique within the facility (409); dates are checked against the facility's calendar (422). Honours Idempotency-Key.",
    },
    update: {
      operationId: 'updateInmate',
      summary: 'Correct a register entry',
      description:
        'Staff of the holding facility or administrators; not once released, transferred or deceased (409). Status moves only between detained and sentenced here. Requires If-Match.',
    },
    import: {
      operationId: 'importInmates',
      summary: 'Import the register from SDP (CSV or JSON)',
      description: `Upserts by registration number. text/csv (UTF-8, header row, ; or , separated) with columns ${INMATE_CSV_COLUMNS.required.join(', ')} and optionally ${INMATE_CSV_COLUMNS.optional.join(', ')}; or a JSON array of objects with those fields. Dates are YYYY-MM-DD; status is detained, sentenced or released (with released_on). Answers a report: created, updated, unchanged, and each rejected row with its line and why. dry_run=true writes nothing; atomic=true writes nothing unless every row is good (else 422). Audited as one event. Honours Idempotency-Key.`,
    },
  },
  commands: {
    list: listInmates,
    read: readInmate,
    keep: keepInmateRegister,
    keepPerson: keepInmate,
    create: createInmate,
    update: updateInmate,
    import: importInmates,
  },
});

/** Release and transfer: the inmates' own routes, beside the register's shared ones. */
const movementRoutes = {
  releaseInmate: (r: Router) =>
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
        const kept = await keepInmate(r.db, principalOf(request), request.params.inmateId, r.now());
        return performWrite(request, reply, r.db, async (change) => ({
          status: 200,
          body: await releaseInmate(change, kept, request.body, r.now()),
        }));
      },
    ),

  transferInmate: (r: Router) =>
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
        const kept = await keepInmate(r.db, principalOf(request), request.params.inmateId, r.now());
        return performWrite(request, reply, r.db, async (change) => ({
          status: 200,
          body: await transferInmate(change, kept, request.body, r.now()),
        }));
      },
    ),
};

// The contract lists the operations in the order they are registered: this order keeps it as it was.
const ORDER: ((r: Router) => unknown)[] = [
  register.listFacility,
  register.list,
  register.get,
  register.create,
  register.update,
  movementRoutes.releaseInmate,
  movementRoutes.transferInmate,
  register.import,
];

export async function inmateRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const route of ORDER) route(r);
}
