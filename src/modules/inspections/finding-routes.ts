import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { performWrite } from '../../http/write.ts';
import { addFinding, listFindings, readFinding } from './findings.ts';
import { FindingCreate, FindingPage, FindingRecord, tags } from './schemas.ts';

/** Findings: each route its schema and one service command. */
export const findingRoutes = {
  addFinding: (r: Router) =>
    r.post(
      '/v1/inspections/:inspectionId/findings',
      {
        schema: {
          tags,
          operationId: 'addFinding',
          summary: 'Record a finding',
          description:
            'On a draft only. People involved come from the registers of the inspected facility (422 otherwise). Narcotics flag the report and create the 48-hour hand-over action by themselves. Answers the finding, with Location; the report has a new version (read it again before editing it). Honours Idempotency-Key.',
          params: IdParams('inspectionId'),
          body: FindingCreate,
          response: { 201: FindingRecord },
        },
      },
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) => {
          const body = await addFinding(
            change,
            principalOf(request),
            request.params.inspectionId,
            request.body,
            r.now(),
          );
          return { status: 201, body, headers: { location: `/v1/findings/${body.id}` } };
        }),
    ),

  listInspectionFindings: (r: Router) =>
    r.get(
      '/v1/inspections/:inspectionId/findings',
      {
        schema: {
          tags,
          operationId: 'listInspectionFindings',
          summary: "List an inspection's findings",
          description:
            'The findings of one report in reach, with their evidence and chain of custody, oldest first; one page.',
          params: IdParams('inspectionId'),
          response: { 200: FindingPage },
        },
      },
      async (request) => listFindings(r.db, principalOf(request), request.params.inspectionId, r.now()),
    ),

  getFinding: (r: Router) =>
    r.get(
      '/v1/findings/:findingId',
      {
        schema: {
          tags,
          operationId: 'getFinding',
          summary: 'Get a finding',
          description:
            'One finding of a report in reach (404 otherwise), with its evidence and their chain of custody; the custodians are named only with personal_data.',
          params: IdParams('findingId'),
          response: { 200: FindingRecord },
        },
      },
      async (request) => readFinding(r.db, principalOf(request), request.params.findingId, r.now()),
    ),
};
