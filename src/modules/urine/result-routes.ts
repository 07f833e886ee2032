import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { performWrite } from '../../http/write.ts';
import { confirm, testToConfirm } from './confirmations.ts';
import { recordResults } from './results.ts';
import { roundToRecord } from './rounds.ts';
import { ConfirmationCreate, ResultsAnswer, ResultsPost, tags, UrineTest } from './schemas.ts';
import type { UrineSettings } from './settings.ts';

// Reach and role are judged before the write begins, as before: a caller out of reach or in the
// wrong role hears so (404, 403) before what the write itself checks first, a missing
// Idempotency-Key where one is required (400) or a retry still in flight (409).

/** Results and their lab confirmations: each route its schema and one service command. */
export const resultRoutes = {
  recordUrineResults: (r: Router, s: UrineSettings) =>
    r.post(
      '/v1/urine-test-rounds/:roundId/results',
      {
        bodyLimit: r.config.IMPORT_BODY_LIMIT_BYTES,
        config: { idempotency: 'required' },
        schema: {
          tags,
          operationId: 'recordUrineResults',
          summary: 'Record results: one, or a batch of up to 1,000',
          description:
            "One result per person per round: specimen, collection time on the round's day, temperature, validity checks, and a result per class of the kit's panel (or refused). The service derives the outcome; a value at or over the screen cutoff is positive whatever was reported, and both are kept. A refusal, or an adulterated or substituted specimen, opens its follow-up case at once. A batch is all or nothing: a 422 names every bad row and field. Idempotency-Key is required, so a field device may retry safely.",
          params: IdParams('roundId'),
          body: ResultsPost,
          response: { 201: ResultsAnswer },
        },
      },
      async (request, reply) => {
        const target = await roundToRecord(r.db, principalOf(request), request.params.roundId, r.now());
        return performWrite(request, reply, r.db, async (change) => ({
          status: 201,
          body: await recordResults(change, target, request.body, s.rules),
        }));
      },
    ),
  confirmUrineTest: (r: Router, s: UrineSettings) =>
    r.post(
      '/v1/urine-tests/:testId/confirmation',
      {
        schema: {
          tags,
          operationId: 'confirmUrineTest',
          summary: 'Record a lab confirmation',
          description:
            'A lab result (method, value, cutoff) for one class that was positive on the screen. It turns the presumptive positive into confirmed_positive (opening the follow-up case) or, once every positive class is confirmed below its cutoff, confirmed_negative; with a prescription reference, medically_explained. A confirmation of anything but a presumptive positive is a 422. Honours Idempotency-Key.',
          params: IdParams('testId'),
          body: ConfirmationCreate,
          response: { 201: UrineTest },
        },
      },
      async (request, reply) => {
        const target = await testToConfirm(r.db, principalOf(request), request.params.testId, r.now());
        return performWrite(request, reply, r.db, async (change) => ({
          status: 201,
          body: await confirm(change, target, request.body, s.rules),
        }));
      },
    ),
};
