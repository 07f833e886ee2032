import { auditPersonalRead } from '../../http/personal-data.ts';
import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { readAttendance, recordAttendance } from './attendance.ts';
import { recordHeldSession } from './held.ts';
import {
  Attendance,
  AttendancePut,
  CALENDAR_MAX_DAYS,
  FacilitySessionListQuery,
  HeldSession,
  HeldSessionCreate,
  Session,
  SessionCancel,
  SessionCreate,
  SessionListQuery,
  SessionPage,
  SessionUpdate,
  tags,
} from './schemas.ts';
import { addSession, cancelSession, listFacilitySessions, listSessions, moveSession, readSession } from './sessions.ts';

/** Sessions and their attendance: each route its schema and one call. */
export const sessionRoutes = {
  listRehabSessions: (r: Router) =>
    r.get(
      '/v1/rehab-programmes/:programmeId/sessions',
      {
        schema: {
          tags,
          operationId: 'listRehabSessions',
          summary: "A programme's sessions, in time order",
          description: "from and to are local dates in the facility's calendar.",
          params: IdParams('programmeId'),
          querystring: SessionListQuery,
          response: { 200: SessionPage },
        },
      },
      async (request) => listSessions(r.db, principalOf(request), r.now(), request.params.programmeId, request.query),
    ),
  addRehabSession: (r: Router) =>
    r.post(
      '/v1/rehab-programmes/:programmeId/sessions',
      {
        schema: {
          tags,
          operationId: 'addRehabSession',
          summary: 'Add one session',
          description:
            "Within the programme's dates and its MoU; a clash of room, facilitator or enrolled inmate is a 409 naming the other session (two racing bookings: exactly one wins, by the database). Honours Idempotency-Key.",
          params: IdParams('programmeId'),
          body: SessionCreate,
          response: { 201: Session },
        },
      },
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) => {
          const body = await addSession(change, principalOf(request), request.params.programmeId, request.body);
          return {
            status: 201,
            body,
            headers: { location: `/v1/rehab-sessions/${body.id}` },
          };
        }),
    ),
  recordRehabHeldSession: (r: Router) =>
    r.post(
      '/v1/rehab-programmes/:programmeId/held-sessions',
      {
        schema: {
          tags,
          operationId: 'recordRehabHeldSession',
          summary: 'Write up a session already held, with its attendance',
          description:
            "A session held but never booked (moved at short notice, or an extra one), begun at most REHAB_RECORD_WINDOW_DAYS local days before today and not later than now (else 422 at /starts_at). Its roster is its attendance: enrolments of the programme active on its local day in the facility's time zone, one row each (else 422 at /attendance/N/enrolment_id). A room, facilitator or inmate already booked then is a 409, as for a booking. Its number is curriculum_item, or else the one after the last session before it; being held, it keeps it, and the sessions still open after it follow on. Audited as rehab.session_recorded. The same people as book sessions. Honours Idempotency-Key.",
          params: IdParams('programmeId'),
          body: HeldSessionCreate,
          response: { 201: HeldSession },
        },
      },
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) => {
          const body = await recordHeldSession(
            change,
            principalOf(request),
            request.params.programmeId,
            request.body,
            r.config.REHAB_RECORD_WINDOW_DAYS,
          );
          return {
            status: 201,
            body,
            headers: { location: `/v1/rehab-sessions/${body.id}` },
          };
        }),
    ),
  listFacilityRehabSessions: (r: Router) =>
    r.get(
      '/v1/rehab-sessions',
      {
        schema: {
          tags,
          operationId: 'listFacilityRehabSessions',
          summary: "A facility's sessions between two dates, in time order",
          description: `Every programme's sessions at facility_id that start on a day from from to to, local dates in the facility's calendar, both included, at most ${CALENDAR_MAX_DAYS} days (else 400 at /to); cancelled ones too unless status says otherwise. Ordered by start, then id. Whoever reads the facility's sessions one by one reads this list (the BNN unit under an MoU in force with rehabilitation in scope, the facility's staff, the viewers of its province); a facility out of reach is a 404.`,
          querystring: FacilitySessionListQuery,
          response: { 200: SessionPage },
        },
      },
      async (request) => listFacilitySessions(r.db, principalOf(request), r.now(), request.query),
    ),
  getRehabSession: (r: Router) =>
    r.get(
      '/v1/rehab-sessions/:sessionId',
      {
        schema: {
          tags,
          operationId: 'getRehabSession',
          summary: 'Get a session',
          description: "One session in reach, its times in the facility's time zone.",
          params: IdParams('sessionId'),
          response: { 200: Session },
        },
      },
      async (request) => readSession(r.db, principalOf(request), r.now(), request.params.sessionId),
    ),
  moveRehabSession: (r: Router) =>
    r.patch(
      '/v1/rehab-sessions/:sessionId',
      {
        schema: {
          tags,
          operationId: 'moveRehabSession',
          summary: 'Move a session',
          description:
            'Another time, length, room or facilitator, with the same checks as a new session; not once cancelled or held (409). Its roster moves with it. Requires If-Match.',
          params: IdParams('sessionId'),
          body: SessionUpdate,
          response: { 200: Session },
        },
      },
      async (request, reply) => {
        const version = expectedVersion(request);
        return performWrite(request, reply, r.db, async (change) => {
          const body = await moveSession(change, principalOf(request), request.params.sessionId, version, request.body);
          return { status: 200, body };
        });
      },
    ),
  cancelRehabSession: (r: Router) =>
    r.post(
      '/v1/rehab-sessions/:sessionId/cancel',
      {
        schema: {
          tags,
          operationId: 'cancelRehabSession',
          summary: 'Cancel a session, with a reason',
          description:
            'A cancelled session frees its room, facilitator and inmates and is never counted as held. Not once its attendance is recorded (409). Honours Idempotency-Key.',
          params: IdParams('sessionId'),
          body: SessionCancel,
          response: { 200: Session },
        },
      },
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) => {
          const body = await cancelSession(change, principalOf(request), request.params.sessionId, request.body.reason);
          return { status: 200, body };
        }),
    ),
  getRehabAttendance: (r: Router) =>
    r.get(
      '/v1/rehab-sessions/:sessionId/attendance',
      {
        schema: {
          tags,
          operationId: 'getRehabAttendance',
          summary: "A session's attendance list",
          description:
            'One row per inmate on the session, with what was recorded (null until then). The ETag is the attendance version: send it as If-Match to record or amend.',
          params: IdParams('sessionId'),
          response: { 200: Attendance },
        },
      },
      async (request) =>
        readAttendance(r.db, principalOf(request), r.now(), request.params.sessionId, (people) =>
          auditPersonalRead(r.db, request, 'inmate', people),
        ),
    ),
  recordRehabAttendance: (r: Router) =>
    r.put(
      '/v1/rehab-sessions/:sessionId/attendance',
      {
        schema: {
          tags,
          operationId: 'recordRehabAttendance',
          summary: "Record (or amend) a session's attendance",
          description:
            'The whole list at once: exactly one row for each inmate on the session (attended, late, excused, absent or refused; a reason code; a short note, which is special-category data). Not for a session still to come (422) or cancelled (409). If-Match carries the attendance version ("0" the first time); an amendment is audited with before and after.',
          params: IdParams('sessionId'),
          body: AttendancePut,
          response: { 200: Attendance },
        },
      },
      async (request, reply) => {
        const version = expectedVersion(request);
        return performWrite(request, reply, r.db, async (change) => {
          const body = await recordAttendance(
            change,
            principalOf(request),
            request.params.sessionId,
            version,
            request.body,
          );
          return { status: 200, body };
        });
      },
    ),
};
