import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { addAddendum, readAddendum } from './addenda.ts';
import type { ReportDto } from './dto.ts';
import {
  editInspection,
  listFacilityInspections,
  listInspections,
  openInspection,
  readReport,
  signOffInspection,
  submitInspection,
} from './reports.ts';
import {
  AddendumCreate,
  AddendumRecord,
  InspectionCreate,
  InspectionListQuery,
  InspectionPage,
  InspectionReport,
  InspectionTopListQuery,
  InspectionUpdate,
  tags,
} from './schemas.ts';

const listDescription =
  "Surprise and scheduled inspections (sidak) of the facilities in reach (for BNN officers: under an MoU with inspection in scope). Filters: kind, status, period (from/to, the facility's local dates), has_findings, category.";

/** A change to the report answers the whole report, its version as ETag. */
const report = (body: ReportDto, status = 200) => ({
  status,
  body,
  headers: { location: `/v1/inspections/${body.id}` },
});

/** The report itself and its addenda: each route its schema and one service command. */
export const reportRoutes = {
  listFacilityInspections: (r: Router) =>
    r.get(
      '/v1/facilities/:facilityId/inspections',
      {
        schema: {
          tags,
          operationId: 'listFacilityInspections',
          summary: "List a facility's inspections",
          description: listDescription,
          params: IdParams('facilityId'),
          querystring: InspectionListQuery,
          response: { 200: InspectionPage },
        },
      },
      async (request) =>
        listFacilityInspections(r.db, principalOf(request), request.params.facilityId, request.query, r.now()),
    ),

  listInspections: (r: Router) =>
    r.get(
      '/v1/inspections',
      {
        schema: {
          tags,
          operationId: 'listInspections',
          summary: 'List inspections',
          description: `${listDescription} facility_id narrows to one facility.`,
          querystring: InspectionTopListQuery,
          response: { 200: InspectionPage },
        },
      },
      async (request) => listInspections(r.db, principalOf(request), request.query, r.now()),
    ),

  getInspection: (r: Router) =>
    r.get(
      '/v1/inspections/:inspectionId',
      {
        schema: {
          tags,
          operationId: 'getInspection',
          summary: 'Get an inspection report',
          description:
            'The whole report: findings with evidence and its chain of custody, corrective actions, addenda, submission and sign-off. Team names need personal_data.',
          params: IdParams('inspectionId'),
          response: { 200: InspectionReport },
        },
      },
      async (request) => {
        const body = await readReport(r.db, principalOf(request), request.params.inspectionId, r.now());
        return body;
      },
    ),

  createInspection: (r: Router) =>
    r.post(
      '/v1/facilities/:facilityId/inspections',
      {
        schema: {
          tags,
          operationId: 'createInspection',
          summary: 'Open an inspection report',
          description:
            "Facility staff and heads, administrators, or BNN officers under an MoU with inspection in scope. A draft until submitted. Times without an offset are the facility's local time; ended_at must follow started_at. Honours Idempotency-Key.",
          params: IdParams('facilityId'),
          body: InspectionCreate,
          response: { 201: InspectionReport },
        },
      },
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) =>
          report(
            await openInspection(change, principalOf(request), request.params.facilityId, request.body, r.now()),
            201,
          ),
        ),
    ),

  updateInspection: (r: Router) =>
    r.patch(
      '/v1/inspections/:inspectionId',
      {
        schema: {
          tags,
          operationId: 'updateInspection',
          summary: 'Edit a draft inspection',
          description:
            'Only while draft (409 after). Requires If-Match with the report ETag (428 without, 412 when stale).',
          params: IdParams('inspectionId'),
          body: InspectionUpdate,
          response: { 200: InspectionReport },
        },
      },
      async (request, reply) => {
        const version = expectedVersion(request);
        return performWrite(request, reply, r.db, async (change) =>
          report(
            await editInspection(
              change,
              principalOf(request),
              request.params.inspectionId,
              version,
              request.body,
              r.now(),
            ),
          ),
        );
      },
    ),

  submitInspection: (r: Router) =>
    r.post(
      '/v1/inspections/:inspectionId/submit',
      {
        schema: {
          tags,
          operationId: 'submitInspection',
          summary: 'Submit a draft for sign-off',
          description: 'draft → submitted; nothing can be edited after. Honours Idempotency-Key.',
          params: IdParams('inspectionId'),
          response: { 200: InspectionReport },
        },
      },
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) =>
          report(await submitInspection(change, principalOf(request), request.params.inspectionId, r.now())),
        ),
    ),

  signOffInspection: (r: Router) =>
    r.post(
      '/v1/inspections/:inspectionId/sign-off',
      {
        schema: {
          tags,
          operationId: 'signOffInspection',
          summary: 'Sign a submitted report off',
          description:
            'Only the head (Karutan/Kalapas) of the inspected facility (403 for anyone else). submitted → signed_off: the report is frozen; corrections are addenda. Honours Idempotency-Key.',
          params: IdParams('inspectionId'),
          response: { 200: InspectionReport },
        },
      },
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) =>
          report(await signOffInspection(change, principalOf(request), request.params.inspectionId, r.now())),
        ),
    ),

  addAddendum: (r: Router) =>
    r.post(
      '/v1/inspections/:inspectionId/addenda',
      {
        schema: {
          tags,
          operationId: 'addAddendum',
          summary: 'Correct a signed-off report with an addendum',
          description:
            'Only once signed off (a draft is edited directly). Names the part it corrects (the inspection, a finding, evidence or an action of this report), with reason and text; the author is the caller. Answers the addendum, with Location. Honours Idempotency-Key.',
          params: IdParams('inspectionId'),
          body: AddendumCreate,
          response: { 201: AddendumRecord },
        },
      },
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) => {
          const body = await addAddendum(change, principalOf(request), request.params.inspectionId, request.body);
          return { status: 201, body, headers: { location: `/v1/addenda/${body.id}` } };
        }),
    ),

  getAddendum: (r: Router) =>
    r.get(
      '/v1/addenda/:addendumId',
      {
        schema: {
          tags,
          operationId: 'getAddendum',
          summary: 'Get an addendum',
          description: 'One correction of a signed-off report in reach (404 otherwise).',
          params: IdParams('addendumId'),
          response: { 200: AddendumRecord },
        },
      },
      async (request) => readAddendum(r.db, principalOf(request), request.params.addendumId, r.now()),
    ),
};
