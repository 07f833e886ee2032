import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { performWrite } from '../../http/write.ts';
import { drawRound, readDraws } from './draw.ts';
import { recordNotTested, roundToMarkNotTested } from './results.ts';
import { roundToRecord } from './rounds.ts';
import { DrawCreate, Draws, NotTested, tags } from './schemas.ts';
import type { UrineSettings } from './settings.ts';

// Reach and role are judged before the write begins, as before: a caller out of reach or in the
// wrong role hears so (404, 403) before what the write itself checks first, a missing
// Idempotency-Key where one is required (400) or a retry still in flight (409).

/** A round's draws: each route its schema and one service command. */
export const drawRoutes = {
  drawUrineRound: (r: Router, s: UrineSettings) =>
    r.post(
      '/v1/urine-test-rounds/:roundId/draw',
      {
        schema: {
          tags,
          operationId: 'drawUrineRound',
          summary: 'Draw who is tested, with reserves',
          description:
            'A random main list and an ordered reserve list from a population (inmates held, by block or case type; or active officers, by unit), leaving out people tested in the days before (configurable). Reproducible: the seed is recorded, and the same seed over the same population draws the same lists. One draw per subject type per round (409). Honours Idempotency-Key.',
          params: IdParams('roundId'),
          body: DrawCreate,
          response: { 201: Draws },
        },
      },
      async (request, reply) => {
        const target = await roundToRecord(r.db, principalOf(request), request.params.roundId, r.now());
        return performWrite(request, reply, r.db, async (change) => ({
          status: 201,
          body: await drawRound(change, target, request.body, s.excludeDays),
        }));
      },
    ),
  getUrineRoundDraw: (r: Router) =>
    r.get(
      '/v1/urine-test-rounds/:roundId/draw',
      {
        schema: {
          tags,
          operationId: 'getUrineRoundDraw',
          summary: "A round's draws",
          description:
            'The main and reserve lists of each draw of the round, with who was tested, not tested (and why), or replaced.',
          params: IdParams('roundId'),
          response: { 200: Draws },
        },
      },
      async (request) => readDraws(r.db, principalOf(request), request.params.roundId, r.now()),
    ),
  recordNotTested: (r: Router, s: UrineSettings) =>
    r.post(
      '/v1/urine-test-rounds/:roundId/not-tested',
      {
        schema: {
          tags,
          operationId: 'recordNotTested',
          summary: 'Record that a drawn person was not tested',
          description:
            'Why (released, court, sick, unable_to_provide): the next reserve in order takes their place. A refusal is recorded as a refused test (with `at`, on the round day): it counts against the person, never as a negative. Honours Idempotency-Key.',
          params: IdParams('roundId'),
          body: NotTested,
          response: { 200: Draws },
        },
      },
      async (request, reply) => {
        const target = await roundToMarkNotTested(
          r.db,
          principalOf(request),
          request.params.roundId,
          request.body,
          r.now(),
        );
        return performWrite(request, reply, r.db, async (change) => ({
          status: 200,
          body: await recordNotTested(change, target, request.body, s.rules),
        }));
      },
    ),
};
