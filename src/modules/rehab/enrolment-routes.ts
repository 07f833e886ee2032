import { auditPersonalRead } from '../../http/personal-data.ts';
import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { scheduleOf } from './attendance.ts';
import { changeEnrolment, enrol, listEnrolments, readEnrolment } from './enrolments.ts';
import {
  Enrolment,
  EnrolmentCreate,
  EnrolmentListQuery,
  EnrolmentPage,
  EnrolmentUpdate,
  Schedule,
  tags,
} from './schemas.ts';

/** Enrolments and a person's schedule: each route its schema and one call. */
export const enrolmentRoutes = {
  listRehabEnrolments: (r: Router) =>
    r.get(
      '/v1/rehab-programmes/:programmeId/enrolments',
      {
        schema: {
          tags,
          operationId: 'listRehabEnrolments',
          summary: "A programme's enrolments, with progress",
          description:
            'Each with sessions held, attended, rate and whether the completion rule is met. Names need personal_data; reads with it are audited.',
          params: IdParams('programmeId'),
          querystring: EnrolmentListQuery,
          response: { 200: EnrolmentPage },
        },
      },
      async (request) =>
        listEnrolments(r.db, principalOf(request), r.now(), request.params.programmeId, request.query, (people) =>
          auditPersonalRead(r.db, request, 'inmate', people),
        ),
    ),
  enrolInRehab: (r: Router) =>
    r.post(
      '/v1/rehab-programmes/:programmeId/enrolments',
      {
        schema: {
          tags,
          operationId: 'enrolInRehab',
          summary: 'Enrol an inmate',
          description:
            "An inmate held at the programme's facility. One with neither a confirmed positive nor a narcotics_user case type needs a reason. active (the default) takes a place — a full programme is a 409 — and puts them on the sessions still to come (an inmate already booked at one of those times is a 409); awaiting waits. Honours Idempotency-Key.",
          params: IdParams('programmeId'),
          body: EnrolmentCreate,
          response: { 201: Enrolment },
        },
      },
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) => {
          const body = await enrol(change, principalOf(request), request.params.programmeId, request.body);
          return {
            status: 201,
            body,
            headers: { location: `/v1/rehab-enrolments/${body.id}` },
          };
        }),
    ),
  getRehabEnrolment: (r: Router) =>
    r.get(
      '/v1/rehab-enrolments/:enrolmentId',
      {
        schema: {
          tags,
          operationId: 'getRehabEnrolment',
          summary: 'Get an enrolment with its progress',
          description: 'One enrolment in reach (404 otherwise). A read with personal_data is audited.',
          params: IdParams('enrolmentId'),
          response: { 200: Enrolment },
        },
      },
      async (request) =>
        readEnrolment(r.db, principalOf(request), r.now(), request.params.enrolmentId, (people) =>
          auditPersonalRead(r.db, request, 'inmate', people),
        ),
    ),
  changeRehabEnrolment: (r: Router) =>
    r.patch(
      '/v1/rehab-enrolments/:enrolmentId',
      {
        schema: {
          tags,
          operationId: 'changeRehabEnrolment',
          summary: "Change an enrolment's status",
          description:
            'awaiting → active (a place; the coming sessions), active → completed (only when the completion rule is met, else 422), awaiting or active → withdrawn (with a note). released and transferred follow the register by themselves. Requires If-Match.',
          params: IdParams('enrolmentId'),
          body: EnrolmentUpdate,
          response: { 200: Enrolment },
        },
      },
      async (request, reply) => {
        const version = expectedVersion(request);
        return performWrite(request, reply, r.db, async (change) => {
          const body = await changeEnrolment(
            change,
            principalOf(request),
            request.params.enrolmentId,
            version,
            request.body,
          );
          return { status: 200, body };
        });
      },
    ),
  getInmateSchedule: (r: Router) =>
    r.get(
      '/v1/inmates/:inmateId/schedule',
      {
        schema: {
          tags,
          operationId: 'getInmateSchedule',
          summary: "A person's coming sessions",
          description: "The sessions they are on that have not ended, in the facility's local time.",
          params: IdParams('inmateId'),
          response: { 200: Schedule },
        },
      },
      async (request) => scheduleOf(r.db, principalOf(request), r.now(), request.params.inmateId),
    ),
};
