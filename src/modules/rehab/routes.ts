import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { reachFor } from '../../core/access.ts';
import { holidayCalendar } from '../../core/calendar/index.ts';
import { decodeCursor, page } from '../../http/pagination.ts';
import { auditPersonalRead, presentPerson } from '../../http/personal-data.ts';
import { type Principal, principalOf } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { etag, expectedVersion, performWrite } from '../../http/write.ts';
import { getFacility, registerFacility } from '../facilities/service.ts';
import { addBlackout, listBlackouts, toBlackoutDto } from './blackouts.ts';
import {
  attendanceOf,
  changeEnrolment,
  type EnrolmentView,
  enrol,
  getEnrolment,
  listEnrolments,
  progressOf,
  recordAttendance,
  scheduleOf,
  toEnrolmentDto,
} from './enrolments.ts';
import { recordHeldSession } from './held.ts';
import {
  Attendance,
  AttendancePut,
  Blackout,
  BlackoutCreate,
  BlackoutList,
  Enrolment,
  EnrolmentCreate,
  EnrolmentListQuery,
  EnrolmentPage,
  EnrolmentUpdate,
  HeldSession,
  HeldSessionCreate,
  Programme,
  ProgrammeCreate,
  ProgrammeListQuery,
  ProgrammePage,
  ProgrammeUpdate,
  Schedule,
  Session,
  SessionCancel,
  SessionCreate,
  SessionListQuery,
  SessionPage,
  SessionUpdate,
  Slot,
  SlotCreate,
  SlotList,
} from './schemas.ts';
import { createProgramme, getProgramme, listProgrammes, toProgrammeDto, updateProgramme } from './service.ts';
import { addSession, cancelSession, getSession, listSessions, moveSession, toSessionDto } from './sessions.ts';
import { addSlot, listSlots, toSlotDto } from './slots.ts';

const tags = ['Rehabilitation'];

export async function rehabRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const calendar = holidayCalendar(app.config.NATIONAL_HOLIDAYS);
  // A BNN officer reaches a facility's programmes only under an MoU in force with rehabilitation in scope.
  const reachOf = reachFor(db, () => app.now(), 'rehab');
  const person = (principal: Principal, inmate: { id: string; pseudonym: string; name: string }) =>
    presentPerson(principal, 'inmates', inmate);

  /** Enrolments with their progress (one query for all), names shown only with personal_data, reads audited. */
  async function presentEnrolments(request: FastifyRequest, views: EnrolmentView[]) {
    const principal = principalOf(request);
    const progress = await progressOf(
      db,
      views.map((v) => v.enrolment.id),
    );
    await auditPersonalRead(
      db,
      request,
      'inmate',
      views.map((v) => ({ id: v.enrolment.inmateId, facility_id: v.enrolment.facilityId })),
    );
    return views.map((v) => {
      const dto = toEnrolmentDto(v, progress.get(v.enrolment.id));
      return { ...dto, inmate: person(principal, dto.inmate) };
    });
  }

  // ---- programmes ----

  r.get(
    '/v1/rehab-programmes',
    {
      schema: {
        tags,
        operationId: 'listRehabProgrammes',
        summary: 'List rehabilitation programmes',
        description:
          'Programmes at the facilities in reach (for BNN officers: under an MoU in force with rehabilitation in scope). Filters: facility, modality, running on a date.',
        querystring: ProgrammeListQuery,
        response: { 200: ProgrammePage },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listProgrammes(db, await reachOf(principalOf(request)), {
        facilityId: q.facility_id,
        modality: q.modality,
        activeOn: q.active_on,
        after: decodeCursor(q.cursor),
        limit: q.limit,
      });
      return page(rows, q.limit, (v) => v.programme.id, toProgrammeDto);
    },
  );

  r.post(
    '/v1/rehab-programmes',
    {
      schema: {
        tags,
        operationId: 'createRehabProgramme',
        summary: 'Create a rehabilitation programme',
        description:
          "At one facility, under an MoU in force with rehabilitation in scope covering it, and within the MoU's dates. A curriculum of numbered sessions, rooms, facilitators (active officers of the MoU's BNN unit) and a completion rule. Administrators or the unit's officers. Honours Idempotency-Key.",
        body: ProgrammeCreate,
        response: { 201: Programme },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      return performWrite(request, reply, db, async (change) => {
        const view = await createProgramme(change, principal, reach, request.body);
        return {
          status: 201,
          body: toProgrammeDto(view),
          headers: { location: `/v1/rehab-programmes/${view.programme.id}`, etag: etag(view.programme.version) },
        };
      });
    },
  );

  r.get(
    '/v1/rehab-programmes/:programmeId',
    {
      schema: {
        tags,
        operationId: 'getRehabProgramme',
        summary: 'Get a rehabilitation programme',
        description: 'One programme in reach (404 otherwise).',
        params: IdParams('programmeId'),
        response: { 200: Programme },
      },
    },
    async (request, reply) => {
      const view = await getProgramme(db, await reachOf(principalOf(request)), request.params.programmeId);
      reply.header('etag', etag(view.programme.version));
      return toProgrammeDto(view);
    },
  );

  r.patch(
    '/v1/rehab-programmes/:programmeId',
    {
      schema: {
        tags,
        operationId: 'updateRehabProgramme',
        summary: 'Update a rehabilitation programme',
        description:
          'Title, capacity (not below the active enrolments) and end date (not after the MoU, not before a scheduled session). Requires If-Match.',
        params: IdParams('programmeId'),
        body: ProgrammeUpdate,
        response: { 200: Programme },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request);
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      return performWrite(request, reply, db, async (change) => {
        const view = await updateProgramme(change, principal, reach, request.params.programmeId, version, request.body);
        return { status: 200, body: toProgrammeDto(view), headers: { etag: etag(view.programme.version) } };
      });
    },
  );

  // ---- schedule ----

  r.get(
    '/v1/rehab-programmes/:programmeId/slots',
    {
      schema: {
        tags,
        operationId: 'listRehabSlots',
        summary: "A programme's weekly slots",
        description: 'The weekly patterns that generated its sessions.',
        params: IdParams('programmeId'),
        response: { 200: SlotList },
      },
    },
    async (request) => {
      const view = await getProgramme(db, await reachOf(principalOf(request)), request.params.programmeId);
      return { data: (await listSlots(db, view.programme.id)).map(toSlotDto) };
    },
  );

  r.post(
    '/v1/rehab-programmes/:programmeId/slots',
    {
      schema: {
        tags,
        operationId: 'addRehabSlot',
        summary: 'Add a weekly slot: its sessions are generated',
        description:
          "Every given weekday at a local time (the facility's time zone) over the programme's days still to come, skipping the facility's blackout dates, the national holidays and the collective leave days (cuti bersama) of the holiday calendar (shipped decrees, NATIONAL_HOLIDAYS over them); in a year the calendar does not cover, only blackout dates are skipped. It stops at the curriculum's last item (the sessions already numbered come first; 422 when none is left) unless beyond_curriculum is true. All sessions are booked or none: a room, facilitator or enrolled inmate already booked at one of the times is a 409 naming that session. Honours Idempotency-Key.",
        params: IdParams('programmeId'),
        body: SlotCreate,
        response: { 201: Slot },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      return performWrite(request, reply, db, async (change) => {
        const slot = await addSlot(
          change,
          principal,
          reach,
          request.params.programmeId,
          request.body,
          calendar,
          app.now(),
        );
        return { status: 201, body: toSlotDto(slot) };
      });
    },
  );

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
    async (request) => {
      const programme = await getProgramme(db, await reachOf(principalOf(request)), request.params.programmeId);
      const q = request.query;
      const rows = await listSessions(db, programme, {
        from: q.from,
        to: q.to,
        status: q.status,
        after: decodeCursor(q.cursor),
        limit: q.limit,
      });
      return page(rows, q.limit, (v) => v.session.id, toSessionDto);
    },
  );

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
    async (request, reply) => {
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      return performWrite(request, reply, db, async (change) => {
        const view = await addSession(change, principal, reach, request.params.programmeId, request.body, app.now());
        return {
          status: 201,
          body: toSessionDto(view),
          headers: { location: `/v1/rehab-sessions/${view.session.id}`, etag: etag(view.session.version) },
        };
      });
    },
  );

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
    async (request, reply) => {
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      return performWrite(request, reply, db, async (change) => {
        const { view, attendance } = await recordHeldSession(
          change,
          principal,
          reach,
          request.params.programmeId,
          request.body,
          app.now(),
          app.config.REHAB_RECORD_WINDOW_DAYS,
        );
        return {
          status: 201,
          body: { ...toSessionDto(view), attendance: presentAttendance(principal, attendance) },
          headers: { location: `/v1/rehab-sessions/${view.session.id}`, etag: etag(view.session.version) },
        };
      });
    },
  );

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
    async (request, reply) => {
      const view = await getSession(db, await reachOf(principalOf(request)), request.params.sessionId);
      reply.header('etag', etag(view.session.version));
      return toSessionDto(view);
    },
  );

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
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      return performWrite(request, reply, db, async (change) => {
        const view = await moveSession(
          change,
          principal,
          reach,
          request.params.sessionId,
          version,
          request.body,
          app.now(),
        );
        return { status: 200, body: toSessionDto(view), headers: { etag: etag(view.session.version) } };
      });
    },
  );

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
    async (request, reply) => {
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      return performWrite(request, reply, db, async (change) => {
        const view = await cancelSession(change, principal, reach, request.params.sessionId, request.body.reason);
        return { status: 200, body: toSessionDto(view), headers: { etag: etag(view.session.version) } };
      });
    },
  );

  // ---- attendance ----

  const presentAttendance = (principal: Principal, a: Awaited<ReturnType<typeof attendanceOf>>) => ({
    ...a,
    records: a.records.map((x) => ({ ...x, inmate: person(principal, x.inmate) })),
  });
  const auditAttendanceRead = (
    request: FastifyRequest,
    a: Awaited<ReturnType<typeof attendanceOf>>,
    facilityId: string,
  ) =>
    auditPersonalRead(
      db,
      request,
      'inmate',
      a.records.map((x) => ({ id: x.inmate.id, facility_id: facilityId })),
    );

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
    async (request, reply) => {
      const principal = principalOf(request);
      const session = await getSession(db, await reachOf(principal), request.params.sessionId);
      const answer = await attendanceOf(db, session);
      await auditAttendanceRead(request, answer, session.session.facilityId);
      reply.header('etag', etag(answer.version));
      return presentAttendance(principal, answer);
    },
  );

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
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      return performWrite(request, reply, db, async (change) => {
        const answer = await recordAttendance(
          change,
          principal,
          reach,
          request.params.sessionId,
          version,
          request.body,
          app.now(),
        );
        return { status: 200, body: presentAttendance(principal, answer), headers: { etag: etag(answer.version) } };
      });
    },
  );

  // ---- enrolments ----

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
    async (request) => {
      const programme = await getProgramme(db, await reachOf(principalOf(request)), request.params.programmeId);
      const q = request.query;
      const rows = await listEnrolments(db, programme.programme.id, {
        status: q.status,
        after: decodeCursor(q.cursor),
        limit: q.limit,
      });
      const answer = page(
        rows,
        q.limit,
        (v) => v.enrolment.id,
        (v) => v,
      );
      return { data: await presentEnrolments(request, answer.data), next_cursor: answer.next_cursor };
    },
  );

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
    async (request, reply) => {
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      return performWrite(request, reply, db, async (change) => {
        const view = await enrol(change, principal, reach, request.params.programmeId, request.body, app.now());
        const progress = (await progressOf(change.tx, [view.enrolment.id])).get(view.enrolment.id);
        const dto = toEnrolmentDto(view, progress);
        return {
          status: 201,
          body: { ...dto, inmate: person(principal, dto.inmate) },
          headers: { location: `/v1/rehab-enrolments/${view.enrolment.id}`, etag: etag(view.enrolment.version) },
        };
      });
    },
  );

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
    async (request, reply) => {
      const view = await getEnrolment(db, await reachOf(principalOf(request)), request.params.enrolmentId);
      reply.header('etag', etag(view.enrolment.version));
      return (await presentEnrolments(request, [view]))[0];
    },
  );

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
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      return performWrite(request, reply, db, async (change) => {
        const view = await changeEnrolment(
          change,
          principal,
          reach,
          request.params.enrolmentId,
          version,
          request.body,
          app.now(),
        );
        const progress = (await progressOf(change.tx, [view.enrolment.id])).get(view.enrolment.id);
        const dto = toEnrolmentDto(view, progress);
        return {
          status: 200,
          body: { ...dto, inmate: person(principal, dto.inmate) },
          headers: { etag: etag(view.enrolment.version) },
        };
      });
    },
  );

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
    async (request) => {
      const schedule = await scheduleOf(db, await reachOf(principalOf(request)), request.params.inmateId, app.now());
      return { inmate_id: schedule.inmate.id, data: schedule.data };
    },
  );

  // ---- blackout dates ----

  r.get(
    '/v1/facilities/:facilityId/blackout-dates',
    {
      schema: {
        tags,
        operationId: 'listBlackoutDates',
        summary: "A facility's blackout dates",
        description: 'Days on which no programme sessions are generated there.',
        params: IdParams('facilityId'),
        response: { 200: BlackoutList },
      },
    },
    async (request) => {
      const facility = await getFacility(db, await reachOf(principalOf(request)), request.params.facilityId);
      return { data: (await listBlackouts(db, facility.id)).map(toBlackoutDto) };
    },
  );

  r.post(
    '/v1/facilities/:facilityId/blackout-dates',
    {
      schema: {
        tags,
        operationId: 'addBlackoutDate',
        summary: 'Add a blackout date',
        description:
          'Facility staff, heads and administrators. Sessions generated later skip it; sessions already booked that day are not moved (cancel or move them). A date twice is a 409. Honours Idempotency-Key.',
        params: IdParams('facilityId'),
        body: BlackoutCreate,
        response: { 201: Blackout },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const facility = await registerFacility(db, principal, await reachOf(principal), request.params.facilityId);
      return performWrite(request, reply, db, async (change) => ({
        status: 201,
        body: toBlackoutDto(await addBlackout(change, principal, facility.id, request.body)),
      }));
    },
  );
}
