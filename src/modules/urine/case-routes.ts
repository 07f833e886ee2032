import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { advanceFollowUpCase, listCasePage, readCase } from './cases.ts';
import { CaseListQuery, CasePage, CaseUpdate, FollowUpCase, tags } from './schemas.ts';

/** Follow-up cases: each route its schema and one service command. */
export const caseRoutes = {
  listFollowUpCases: (r: Router) =>
    r.get(
      '/v1/follow-up-cases',
      {
        schema: {
          tags,
          operationId: 'listFollowUpCases',
          summary: 'List follow-up cases',
          description:
            "Cases opened by a confirmed positive, an unconfirmed presumptive positive past its days, a refusal, or an adulterated or substituted specimen, across the caller's reach; filters facility, round (the cases its tests opened; a round out of reach lists nothing, as a facility does), status, subject type and overdue (assessment past due by the facility's calendar).",
          querystring: CaseListQuery,
          response: { 200: CasePage },
        },
      },
      async (request) => listCasePage(r.db, principalOf(request), request.query, r.now()),
    ),
  getFollowUpCase: (r: Router) =>
    r.get(
      '/v1/follow-up-cases/:caseId',
      {
        schema: {
          tags,
          operationId: 'getFollowUpCase',
          summary: 'Get a follow-up case',
          description: 'One case in reach, with its version as ETag.',
          params: IdParams('caseId'),
          response: { 200: FollowUpCase },
        },
      },
      async (request) => readCase(r.db, principalOf(request), request.params.caseId, r.now()),
    ),
  advanceFollowUpCase: (r: Router) =>
    r.patch(
      '/v1/follow-up-cases/:caseId',
      {
        schema: {
          tags,
          operationId: 'advanceFollowUpCase',
          summary: 'Record the assessment, the decision or the closure',
          description:
            'One step at a time: assessment (awaiting_assessment → assessed), decision (→ decided: rehabilitation, counselling, no_action, disciplinary), closure (→ closed); each dated no earlier than the one before. Requires If-Match.',
          params: IdParams('caseId'),
          body: CaseUpdate,
          response: { 200: FollowUpCase },
        },
      },
      async (request, reply) => {
        // If-Match first (428), then the case's reach (404) and the caller's role (403).
        const version = expectedVersion(request);
        return performWrite(request, reply, r.db, async (change) => ({
          status: 200,
          body: await advanceFollowUpCase(change, principalOf(request), request.params.caseId, version, request.body),
        }));
      },
    ),
};
