import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerRoutes } from '../../http/register-routes.ts';
import type { Router } from '../../http/router.ts';
import { importOfficers } from './imports.ts';
import {
  OFFICER_CSV_COLUMNS,
  Officer,
  OfficerCreate,
  OfficerListQuery,
  OfficerPage,
  OfficerTopListQuery,
  OfficerUpdate,
} from './schemas.ts';
import {
  createOfficer,
  keepOfficer,
  keepOfficerRegister,
  listOfficers,
  readOfficer,
  updateOfficer,
} from './service.ts';

const listDescription =
  'Officers (petugas) of the facilities in reach. NIP and name are null without the personal_data scope, and filtering by them needs it (403). Reads with the scope are audited.';

const register = registerRoutes({
  tags: ['People'],
  plural: 'officers',
  idParam: 'officerId',
  entity: 'officer',
  csvColumns: OFFICER_CSV_COLUMNS.required,
  schemas: {
    listQuery: OfficerListQuery,
    topListQuery: OfficerTopListQuery,
    page: OfficerPage,
    one: Officer,
    item: Officer,
    create: OfficerCreate,
    update: OfficerUpdate,
  },
  docs: {
    listFacility: {
      operationId: 'listFacilityOfficers',
      summary: "List a facility's officers",
      description: listDescription,
    },
    list: {
      operationId: 'listOfficers',
      summary: 'List officers',
      description: `${listDescription} facility_id narrows to one facility.`,
    },
    get: {
      operationId: 'getOfficer',
      summary: 'Get an officer',
      description:
        'One officer in reach (404 otherwise). Personal fields are null without personal_data; a read with it is audited.',
    },
    create: {
      operationId: 'createOfficer',
      summary: 'Add an officer to the register',
      description:
        'Facility staff and heads of that facility, or administrators. NIP is 18 digits and unique nationally (409). Honours Idempotency-Key.',
    },
    update: {
      operationId: 'updateOfficer',
      summary: 'Update an officer',
      description:
        'Staff of the facility or administrators: position, unit, status (a left_on is required for transferred or retired). Requires If-Match.',
    },
    import: {
      operationId: 'importOfficers',
      summary: 'Import the officers register (CSV or JSON)',
      description: `Upserts by NIP. text/csv (UTF-8, header row, ; or , separated) with columns ${OFFICER_CSV_COLUMNS.required.join(', ')} and optionally ${OFFICER_CSV_COLUMNS.optional.join(', ')}; or a JSON array of objects with those fields. A NIP kept by another facility is a rejected row. dry_run=true writes nothing; atomic=true writes nothing unless every row is good (else 422). Audited as one event. Honours Idempotency-Key.`,
    },
  },
  commands: {
    list: listOfficers,
    read: readOfficer,
    keep: keepOfficerRegister,
    keepPerson: keepOfficer,
    create: createOfficer,
    update: updateOfficer,
    import: importOfficers,
  },
});

// The contract lists the operations in the order they are registered: this order keeps it as it was.
const ORDER: ((r: Router) => unknown)[] = [
  register.listFacility,
  register.list,
  register.get,
  register.create,
  register.update,
  register.import,
];

export async function officerRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const route of ORDER) route(r);
}
