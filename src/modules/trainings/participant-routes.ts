import type { FastifyRequest } from 'fastify';
import { auditPersonalRead } from '../../http/personal-data.ts';
import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import type { SeenBy } from './participants.ts';
import {
  addParticipants,
  issueCertificate,
  listParticipants,
  readParticipant,
  updateParticipant,
} from './participants.ts';
import {
  Participant,
  ParticipantList,
  ParticipantListQuery,
  ParticipantPage,
  ParticipantsAdd,
  ParticipantUpdate,
  TrainingParams,
  tags,
} from './schemas.ts';

const ParticipantParams = TrainingParams.extend(IdParams('participantId').shape);

/** Reads of officers' personal data are audited against the request that made them. */
export const seenBy =
  (r: Router, request: FastifyRequest): SeenBy =>
  (people) =>
    auditPersonalRead(r.db, request, 'officer', people);

/** Participants: each route its schema and one service command. */
export const participantRoutes = {
  listTrainingParticipants: (r: Router) =>
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
      async (request) =>
        listParticipants(
          r.db,
          principalOf(request),
          r.now(),
          request.params.trainingId,
          request.query,
          seenBy(r, request),
        ),
    ),
  addTrainingParticipants: (r: Router) =>
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
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) => {
          const body = await addParticipants(
            change,
            principalOf(request),
            request.params.trainingId,
            request.body.officer_ids,
          );
          return { status: 201, body };
        }),
    ),
  getTrainingParticipant: (r: Router) =>
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
      async (request) => {
        const { trainingId, participantId } = request.params;
        return readParticipant(r.db, principalOf(request), r.now(), trainingId, participantId, seenBy(r, request));
      },
    ),
  updateTrainingParticipant: (r: Router) =>
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
        const { trainingId, participantId } = request.params;
        return performWrite(request, reply, r.db, async (change) => {
          const body = await updateParticipant(
            change,
            principalOf(request),
            trainingId,
            participantId,
            version,
            request.body,
          );
          return { status: 200, body };
        });
      },
    ),
  issueTrainingCertificate: (r: Router) =>
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
        const { trainingId, participantId } = request.params;
        return performWrite(request, reply, r.db, async (change) => {
          const body = await issueCertificate(change, principalOf(request), trainingId, participantId);
          return { status: 201, body };
        });
      },
    ),
};
