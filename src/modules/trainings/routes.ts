import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { reachFor } from '../../core/access.ts';
import { localDate, monthsBefore } from '../../core/calendar/index.ts';
import { decodeCursor, page } from '../../http/pagination.ts';
import { auditPersonalRead, presentPerson } from '../../http/personal-data.ts';
import { type Principal, principalOf } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { etag, expectedVersion, performWrite } from '../../http/write.ts';
import { facilitiesInReach, getFacility } from '../facilities/service.ts';
import { type Counts, coverageByFacility, dueOfficers, sumCounts } from './coverage.ts';
import {
  Coverage,
  CoverageQuery,
  Participant,
  ParticipantList,
  ParticipantListQuery,
  ParticipantPage,
  ParticipantsAdd,
  ParticipantUpdate,
  ProvinceCoverage,
  ProvinceCoverageQuery,
  Training,
  TrainingCreate,
  TrainingListQuery,
  TrainingPage,
  TrainingUpdate,
} from './schemas.ts';
import {
  addParticipants,
  createTraining,
  getParticipant,
  getTraining,
  issueCertificate,
  listParticipants,
  listTrainings,
  type ParticipantView,
  type TrainingView,
  toParticipantDto,
  toTrainingDto,
  updateParticipant,
  updateTraining,
} from './service.ts';

const tags = ['Training'];
const TrainingParams = IdParams('trainingId');
const ParticipantParams = TrainingParams.extend(IdParams('participantId').shape);

export async function trainingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const { TRAINING_PASS_MARK: passMark, TRAINING_COVERAGE_MONTHS: months } = app.config;
  // A BNN officer reaches a facility's trainings, officers and coverage under an MoU with training in scope.
  const reachOf = reachFor(db, () => app.now(), 'trainings');
  const presentTraining = (principal: Principal, view: TrainingView) =>
    presentPerson(principal, 'trainings', toTrainingDto(view));
  const presentParticipant = (principal: Principal, view: ParticipantView, training: TrainingView) => {
    const dto = toParticipantDto(view, training.training);
    return { ...dto, officer: presentPerson(principal, 'officers', dto.officer) };
  };
  const auditRead = (request: FastifyRequest, views: ParticipantView[]) =>
    auditPersonalRead(
      db,
      request,
      'officer',
      views.map((v) => ({ id: v.participant.officerId, facility_id: v.participant.facilityId })),
    );

  r.get(
    '/v1/trainings',
    {
      schema: {
        tags,
        operationId: 'listTrainings',
        summary: 'List trainings',
        description:
          'Trainings in which a facility in reach takes part (for BNN officers: under an MoU with training in scope, and those their unit runs). Filters: facility, topic, organiser, period (from: ending on or after; to: starting on or before).',
        querystring: TrainingListQuery,
        response: { 200: TrainingPage },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      const rows = await listTrainings(db, principal, await reachOf(principal), {
        facilityId: q.facility_id,
        topic: q.topic,
        organiserId: q.organiser_id,
        from: q.from,
        to: q.to,
        after: decodeCursor(q.cursor),
        limit: q.limit,
      });
      return page(
        rows,
        q.limit,
        (v) => v.training.id,
        (v) => presentTraining(principal, v),
      );
    },
  );

  r.post(
    '/v1/trainings',
    {
      schema: {
        tags,
        operationId: 'createTraining',
        summary: 'Record a training',
        description:
          "A course for the officers of one or more facilities. The organiser is a BNN unit whose MoU in force covers training at every facility (recorded by that unit's officers or an administrator), the Kanwil of every facility, or one of the facilities (recorded by its staff or head). pass_mark defaults to TRAINING_PASS_MARK. Honours Idempotency-Key.",
        body: TrainingCreate,
        response: { 201: Training },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      return performWrite(request, reply, db, async (change) => {
        const view = await createTraining(change, principal, reach, request.body, passMark);
        return {
          status: 201,
          body: presentTraining(principal, view),
          headers: { location: `/v1/trainings/${view.training.id}`, etag: etag(view.training.version) },
        };
      });
    },
  );

  r.get(
    '/v1/trainings/:trainingId',
    {
      schema: {
        tags,
        operationId: 'getTraining',
        summary: 'Get a training',
        description: 'One training in reach (404 otherwise), with its facilities and the number of participants.',
        params: TrainingParams,
        response: { 200: Training },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const view = await getTraining(db, principal, await reachOf(principal), request.params.trainingId);
      reply.header('etag', etag(view.training.version));
      return presentTraining(principal, view);
    },
  );

  r.patch(
    '/v1/trainings/:trainingId',
    {
      schema: {
        tags,
        operationId: 'updateTraining',
        summary: 'Update a training',
        description:
          "The organising unit's officers, an administrator, or for a facility's or Kanwil's training the staff of a facility taking part. Capacity not below the participants; dates keeping recorded attendance inside; pass_mark fixed once post-tests are scored; topic, dates and hours fixed once a certificate is issued (409); a facility with participants stays. Requires If-Match.",
        params: TrainingParams,
        body: TrainingUpdate,
        response: { 200: Training },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request);
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      return performWrite(request, reply, db, async (change) => {
        const view = await updateTraining(change, principal, reach, request.params.trainingId, version, request.body);
        return {
          status: 200,
          body: presentTraining(principal, view),
          headers: { etag: etag(view.training.version) },
        };
      });
    },
  );

  r.get(
    '/v1/trainings/:trainingId/participants',
    {
      schema: {
        tags,
        operationId: 'listTrainingParticipants',
        summary: "List a training's participants",
        description:
          "Participants from the facilities in the caller's reach, with attendance, scores, whether they passed and their certificate. NIP and name are null without personal_data; reads with it are audited.",
        params: TrainingParams,
        querystring: ParticipantListQuery,
        response: { 200: ParticipantPage },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      const training = await getTraining(db, principal, reach, request.params.trainingId);
      const q = request.query;
      const rows = await listParticipants(db, reach, training, {
        facilityId: q.facility_id,
        passed: q.passed,
        after: decodeCursor(q.cursor),
        limit: q.limit,
      });
      const answer = page(
        rows,
        q.limit,
        (v) => v.participant.id,
        (v) => presentParticipant(principal, v, training),
      );
      await auditRead(request, rows.slice(0, q.limit));
      return answer;
    },
  );

  r.post(
    '/v1/trainings/:trainingId/participants',
    {
      schema: {
        tags,
        operationId: 'addTrainingParticipants',
        summary: 'Add participants (a batch of up to 500 officers)',
        description:
          'Officers of the facilities taking part (facility staff: their own), in service during the training and not yet participants. All or nothing: a 422 names every refused officer; over capacity is a 409. Honours Idempotency-Key.',
        params: TrainingParams,
        body: ParticipantsAdd,
        response: { 201: ParticipantList },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      return performWrite(request, reply, db, async (change) => {
        const rows = await addParticipants(
          change,
          principal,
          reach,
          request.params.trainingId,
          request.body.officer_ids,
        );
        const training = await getTraining(change.tx, principal, { all: true }, request.params.trainingId);
        return { status: 201, body: { data: rows.map((v) => presentParticipant(principal, v, training)) } };
      });
    },
  );

  r.get(
    '/v1/trainings/:trainingId/participants/:participantId',
    {
      schema: {
        tags,
        operationId: 'getTrainingParticipant',
        summary: 'Get a participant',
        description: 'One participant of a facility in reach (404 otherwise). A read with personal_data is audited.',
        params: ParticipantParams,
        response: { 200: Participant },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      const training = await getTraining(db, principal, reach, request.params.trainingId);
      const view = await getParticipant(db, reach, training.training.id, request.params.participantId);
      await auditRead(request, [view]);
      reply.header('etag', etag(view.participant.version));
      return presentParticipant(principal, view, training);
    },
  );

  r.patch(
    '/v1/trainings/:trainingId/participants/:participantId',
    {
      schema: {
        tags,
        operationId: 'updateTrainingParticipant',
        summary: "Record a participant's attendance and scores",
        description:
          "Attendance per day (dates within the training, none ahead of today) or in total hours (at most the training's), and pre- and post-test scores from 0 to 100. Nothing before the training starts; nothing after a certificate is issued (409). Audited with before and after. Requires If-Match.",
        params: ParticipantParams,
        body: ParticipantUpdate,
        response: { 200: Participant },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request);
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      const { trainingId, participantId } = request.params;
      return performWrite(request, reply, db, async (change) => {
        const { view, training } = await updateParticipant(
          change,
          principal,
          reach,
          trainingId,
          participantId,
          version,
          request.body,
          app.now(),
        );
        return {
          status: 200,
          body: presentParticipant(principal, view, training),
          headers: { etag: etag(view.participant.version) },
        };
      });
    },
  );

  r.post(
    '/v1/trainings/:trainingId/participants/:participantId/certificate',
    {
      schema: {
        tags,
        operationId: 'issueTrainingCertificate',
        summary: 'Issue the certificate of a participant who passed',
        description:
          "Once, to a participant whose post-test reached the pass mark (422 otherwise; 409 when already issued). The number comes from one national sequence (BERSINAR/PLT/<year>/<serial>); from then on the participant's record is final, in the database too. Honours Idempotency-Key.",
        params: ParticipantParams,
        response: { 201: Participant },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      const { trainingId, participantId } = request.params;
      return performWrite(request, reply, db, async (change) => {
        const { view, training } = await issueCertificate(change, principal, reach, trainingId, participantId);
        return {
          status: 201,
          body: presentParticipant(principal, view, training),
          headers: { etag: etag(view.participant.version) },
        };
      });
    },
  );

  r.get(
    '/v1/facilities/:facilityId/training-coverage',
    {
      schema: {
        tags,
        operationId: 'getFacilityTrainingCoverage',
        summary: "A facility's training coverage on a date",
        description: `Of the officers in service on the date (joined by then, not yet left, not inactive), the share who passed a training that ended in the ${months} months up to it (TRAINING_COVERAGE_MONTHS), per topic and overall, and the officers who are due, never trained first. NIP and name are null without personal_data; reads with it are audited.`,
        params: IdParams('facilityId'),
        querystring: CoverageQuery,
        response: { 200: Coverage },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const facility = await getFacility(db, await reachOf(principal), request.params.facilityId);
      const on = request.query.on ?? localDate(app.now(), facility.timezone);
      const w = { on, from: monthsBefore(on, months) };
      const counts = (await coverageByFacility(db, [facility.id], w)).get(facility.id) as Counts;
      const due = await dueOfficers(db, facility.id, w);
      await auditPersonalRead(
        db,
        request,
        'officer',
        due.map((o) => ({ id: o.id, facility_id: facility.id })),
      );
      return {
        facility_id: facility.id,
        on,
        window_months: months,
        window_from: w.from,
        ...counts,
        due: due.map((o) => presentPerson(principal, 'officers', o)),
      };
    },
  );

  r.get(
    '/v1/training-coverage',
    {
      schema: {
        tags,
        operationId: 'getTrainingCoverage',
        summary: 'Training coverage per facility and province',
        description: `The same counts as a facility's coverage for every facility in reach (province_code narrows to one province), and their sums per province, from one set-based query. The date defaults to today in WIB.`,
        querystring: ProvinceCoverageQuery,
        response: { 200: ProvinceCoverage },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      const on = q.on ?? localDate(app.now(), 'Asia/Jakarta');
      const w = { on, from: monthsBefore(on, months) };
      const list = await facilitiesInReach(db, await reachOf(principal), q.province_code);
      const counts = await coverageByFacility(
        db,
        list.map((f) => f.id),
        w,
      );
      const facilities = list.map((f) => ({
        facility_id: f.id,
        name: f.name,
        province_code: f.provinceCode,
        ...(counts.get(f.id) ?? sumCounts([])),
      }));
      const codes = [...new Set(facilities.map((f) => f.province_code))].sort();
      const provinces = codes.map((code) => {
        const parts = facilities.filter((f) => f.province_code === code);
        return { province_code: code, facilities: parts.length, ...sumCounts(parts) };
      });
      return { on, window_months: months, window_from: w.from, provinces, facilities };
    },
  );
}
