import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { reachFor, recordsFacilityWork } from '../../core/access.ts';
import { holidayCalendar } from '../../core/calendar/index.ts';
import { fieldSentence } from '../../http/messages.ts';
import { keysetOf, page } from '../../http/pagination.ts';
import { auditPersonalRead } from '../../http/personal-data.ts';
import { principalOf } from '../../http/principal.ts';
import { forbidden, Problem } from '../../http/problem.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { getFacility } from '../facilities/service.ts';
import { advanceCase, getCase, listCases, toCaseDto } from './cases.ts';
import { cutoffsFrom } from './cutoffs.ts';
import { drawRound, loadDraws, markNotTested } from './draw.ts';
import {
  CaseListQuery,
  CasePage,
  CaseUpdate,
  ConfirmationCreate,
  DrawCreate,
  Draws,
  FollowUpCase,
  NotTested,
  ResultsAnswer,
  ResultsPost,
  Round,
  RoundCreate,
  RoundListQuery,
  RoundPage,
  RoundTopListQuery,
  TestListQuery,
  TestPage,
  UrineTest,
} from './schemas.ts';
import {
  confirm,
  createRound,
  getRound,
  getTest,
  listRounds,
  listTests,
  recordResults,
  testedIn,
  toRoundDto,
  toTestDto,
} from './service.ts';

const tags = ['Urine testing'];

export async function urineRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const cutoffs = cutoffsFrom(app.config.URINE_CUTOFFS);
  const rules = {
    workingDays: app.config.ASSESSMENT_WORKING_DAYS,
    calendar: holidayCalendar(app.config.NATIONAL_HOLIDAYS),
  };
  // A BNN officer reaches a facility's tests only under an MoU with urine_testing in scope.
  const reachOf = reachFor(db, () => app.now(), 'urine');

  async function rounds(request: FastifyRequest, q: z.infer<typeof RoundTopListQuery>) {
    const rows = await listRounds(db, await reachOf(principalOf(request)), {
      facilityId: q.facility_id,
      reason: q.reason,
      from: q.from,
      to: q.to,
      ...keysetOf(q),
    });
    return page(
      rows,
      q.limit,
      (x) => x.row.id,
      (x) => toRoundDto(x.row, x.tested),
    );
  }

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
    async (request) => {
      await getFacility(db, await reachOf(principalOf(request)), request.params.facilityId);
      return rounds(request, { ...request.query, facility_id: request.params.facilityId });
    },
  );

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
    async (request) => rounds(request, request.query),
  );

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
      const principal = principalOf(request);
      const facility = await getFacility(db, await reachOf(principal), request.params.facilityId);
      if (!recordsFacilityWork(principal.role)) throw forbidden();
      return performWrite(request, reply, db, async (change) => {
        const row = await createRound(change, facility, principal, request.body, cutoffs);
        return {
          status: 201,
          body: toRoundDto(row, 0),
          headers: { location: `/v1/urine-test-rounds/${row.id}` },
        };
      });
    },
  );

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
    async (request) => {
      const round = await getRound(db, await reachOf(principalOf(request)), request.params.roundId);
      return toRoundDto(round, await testedIn(db, round.id));
    },
  );

  r.post(
    '/v1/urine-test-rounds/:roundId/results',
    {
      bodyLimit: app.config.IMPORT_BODY_LIMIT_BYTES,
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
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      const round = await getRound(db, reach, request.params.roundId);
      const facility = await getFacility(db, reach, round.facilityId);
      if (!recordsFacilityWork(principal.role)) throw forbidden();
      // One result carries its subject; a batch is { results: [...] }.
      const body = request.body;
      const batch = 'subject_id' in body ? undefined : body.results;
      const inputs = 'subject_id' in body ? [body] : body.results;
      return performWrite(request, reply, db, async (change) => {
        const rows = await recordResults(
          change,
          facility,
          round,
          principal,
          inputs,
          (i) => (batch ? `/results/${i}` : ''),
          app.now(),
          rules,
        );
        return { status: 201, body: { data: rows.map((row) => toTestDto(row, facility.timezone)) } };
      });
    },
  );

  /** A round in reach, for someone who may record tests there. */
  async function testable(request: FastifyRequest, roundId: string) {
    const principal = principalOf(request);
    const reach = await reachOf(principal);
    const round = await getRound(db, reach, roundId);
    const facility = await getFacility(db, reach, round.facilityId);
    if (!recordsFacilityWork(principal.role)) throw forbidden();
    return { principal, round, facility };
  }

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
      const { principal, round, facility } = await testable(request, request.params.roundId);
      return performWrite(request, reply, db, async (change) => {
        await drawRound(change, facility, round, principal, request.body, app.config.URINE_DRAW_EXCLUDE_DAYS);
        return { status: 201, body: { data: await loadDraws(change.tx, round.id) } };
      });
    },
  );

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
    async (request) => {
      const round = await getRound(db, await reachOf(principalOf(request)), request.params.roundId);
      return { data: await loadDraws(db, round.id) };
    },
  );

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
      const { principal, round, facility } = await testable(request, request.params.roundId);
      const input = request.body;
      if (input.reason === 'refused' && !input.at) {
        throw new Problem(
          400,
          'validation_failed',
          {},
          { errors: [{ in: 'body', pointer: '/at', detail: fieldSentence('refusal_needs_time') }] },
        );
      }
      return performWrite(request, reply, db, async (change) => {
        if (input.reason === 'refused') {
          const refusal = {
            subject_type: input.subject_type,
            subject_id: input.subject_id,
            specimen_id: `REFUSED-${input.subject_id}`,
            collected_at: input.at as string,
            refused: true,
            results: [],
          };
          await recordResults(change, facility, round, principal, [refusal], () => '', app.now(), rules);
        }
        await markNotTested(change, round, input);
        return { status: 200, body: { data: await loadDraws(change.tx, round.id) } };
      });
    },
  );

  r.get(
    '/v1/urine-tests',
    {
      schema: {
        tags,
        operationId: 'listUrineTests',
        summary: 'List urine tests',
        description:
          "Results in reach; filters facility, round, subject (a person's history), outcome, class found positive, period (the facility's local dates). Results are special-category data: reads by callers with personal_data are audited.",
        querystring: TestListQuery,
        response: { 200: TestPage },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listTests(db, await reachOf(principalOf(request)), {
        facilityId: q.facility_id,
        roundId: q.round_id,
        subjectType: q.subject_type,
        subjectId: q.subject_id,
        outcome: q.outcome,
        drugClass: q.class,
        from: q.from,
        to: q.to,
        ...keysetOf(q),
      });
      const answer = page(
        rows,
        q.limit,
        (x) => x.row.id,
        (x) => toTestDto(x.row, x.timezone),
      );
      await auditPersonalRead(db, request, 'urine_test', answer.data);
      return answer;
    },
  );

  r.get(
    '/v1/urine-tests/:testId',
    {
      schema: {
        tags,
        operationId: 'getUrineTest',
        summary: 'Get a urine test',
        description: 'One result in reach (404 otherwise); audited for callers with personal_data.',
        params: IdParams('testId'),
        response: { 200: UrineTest },
      },
    },
    async (request) => {
      const reach = await reachOf(principalOf(request));
      const row = await getTest(db, reach, request.params.testId);
      const facility = await getFacility(db, { all: true }, row.facilityId);
      await auditPersonalRead(db, request, 'urine_test', [{ id: row.id, facility_id: row.facilityId }]);
      return toTestDto(row, facility.timezone);
    },
  );

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
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      const test = await getTest(db, reach, request.params.testId);
      if (!recordsFacilityWork(principal.role)) throw forbidden();
      const round = await getRound(db, reach, test.roundId);
      const facility = await getFacility(db, reach, test.facilityId);
      return performWrite(request, reply, db, async (change) => {
        const row = await confirm(change, test, round, facility.timezone, principal, request.body, rules, app.now());
        return { status: 201, body: toTestDto(row, facility.timezone) };
      });
    },
  );

  r.get(
    '/v1/follow-up-cases',
    {
      schema: {
        tags,
        operationId: 'listFollowUpCases',
        summary: 'List follow-up cases',
        description:
          "Cases opened by a confirmed positive, an unconfirmed presumptive positive past its days, a refusal, or an adulterated or substituted specimen, across the caller's reach; filters status, subject type and overdue (assessment past due by the facility's calendar).",
        querystring: CaseListQuery,
        response: { 200: CasePage },
      },
    },
    async (request) => {
      const q = request.query;
      const now = app.now();
      const rows = await listCases(
        db,
        await reachOf(principalOf(request)),
        {
          facilityId: q.facility_id,
          status: q.status,
          subjectType: q.subject_type,
          overdue: q.overdue,
          ...keysetOf(q),
        },
        now,
      );
      return page(
        rows,
        q.limit,
        (x) => x.row.id,
        (x) => toCaseDto(x.row, x.timezone, now),
      );
    },
  );

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
    async (request) => {
      const found = await getCase(db, await reachOf(principalOf(request)), request.params.caseId);
      return toCaseDto(found.row, found.timezone, app.now());
    },
  );

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
      const version = expectedVersion(request);
      const principal = principalOf(request);
      const found = await getCase(db, await reachOf(principal), request.params.caseId);
      if (!recordsFacilityWork(principal.role)) throw forbidden();
      return performWrite(request, reply, db, async (change) => {
        const row = await advanceCase(change, found.row, version, request.body, app.now(), found.timezone);
        return { status: 200, body: toCaseDto(row, found.timezone, app.now()) };
      });
    },
  );
}
