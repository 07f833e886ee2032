import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { performWrite } from '../../http/write.ts';
import { facilityToTest, listFacilityRounds, listRounds, openRound, readRound } from './rounds.ts';
import { Round, RoundCreate, RoundListQuery, RoundPage, RoundTopListQuery, tags } from './schemas.ts';
import type { UrineSettings } from './settings.ts';

// Reach and role are judged before the write begins, as before: a caller out of reach or in the
// wrong role hears so (404, 403) before what the write itself checks first, a missing
// Idempotency-Key where one is required (400) or a retry still in flight (409).

/** Rounds: each route its schema and one service command. */
export const roundRoutes = {
  listFacilityUrineRounds: (r: Router) =>
    r.get(
      '/v1/facilities/:facilityId/urine-test-rounds',
      {
        schema: {
          tags,
          operationId: 'listFacilityUrineRounds',
          summary: "List a facility's urine-test rounds",
          description:
            'Rounds of a facility in reach (for BNN officers: under an MoU covering urine_testing); filters reason and period.',
          params: IdParams('facilityId'),
          querystring: RoundListQuery,
          response: { 200: RoundPage },
        },
      },
      async (request) =>
        listFacilityRounds(r.db, principalOf(request), request.params.facilityId, request.query, r.now()),
    ),
  listUrineRounds: (r: Router) =>
    r.get(
      '/v1/urine-test-rounds',
      {
        schema: {
          tags,
          operationId: 'listUrineRounds',
          summary: 'List urine-test rounds',
          description: 'Rounds of every facility in reach; facility_id narrows to one.',
          querystring: RoundTopListQuery,
          response: { 200: RoundPage },
        },
      },
      async (request) => listRounds(r.db, principalOf(request), request.query, r.now()),
    ),
  createUrineRound: (r: Router, s: UrineSettings) =>
    r.post(
      '/v1/facilities/:facilityId/urine-test-rounds',
      {
        schema: {
          tags,
          operationId: 'createUrineRound',
          summary: 'Open a urine-test round',
          description:
            "A testing event at a facility on one day: reason, who ran it, the kit (brand, lot, expiry, panel) and the cutoffs then in force (configuration, with the kit's own for kit-dependent classes). Facility staff and heads, administrators, or BNN officers under an MoU covering urine_testing (for their own unit). Honours Idempotency-Key.",
          params: IdParams('facilityId'),
          body: RoundCreate,
          response: { 201: Round },
        },
      },
      async (request, reply) => {
        const target = await facilityToTest(r.db, principalOf(request), request.params.facilityId, r.now());
        return performWrite(request, reply, r.db, async (change) => {
          const body = await openRound(change, target, request.body, s.cutoffs);
          return { status: 201, body, headers: { location: `/v1/urine-test-rounds/${body.id}` } };
        });
      },
    ),
  getUrineRound: (r: Router) =>
    r.get(
      '/v1/urine-test-rounds/:roundId',
      {
        schema: {
          tags,
          operationId: 'getUrineRound',
          summary: 'Get a urine-test round',
          description: 'One round in reach, with its kit, cutoffs and the number of results so far.',
          params: IdParams('roundId'),
          response: { 200: Round },
        },
      },
      async (request) => readRound(r.db, principalOf(request), request.params.roundId, r.now()),
    ),
};
