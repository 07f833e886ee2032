import { holidayCalendar } from '../../core/calendar/index.ts';
import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { addBlackout, listBlackouts } from './blackouts.ts';
import { createProgramme, listProgrammes, readProgramme, updateProgramme } from './programmes.ts';
import {
  Blackout,
  BlackoutCreate,
  BlackoutList,
  Programme,
  ProgrammeCreate,
  ProgrammeListQuery,
  ProgrammePage,
  ProgrammeUpdate,
  Slot,
  SlotCreate,
  SlotList,
  tags,
} from './schemas.ts';
import { addSlot, listSlots } from './slots.ts';

/** Programmes, their weekly slots and the facilities' blackout dates: each route its schema and one call. */
export const programmeRoutes = {
  listRehabProgrammes: (r: Router) =>
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
      async (request) => listProgrammes(r.db, principalOf(request), r.now(), request.query),
    ),
  createRehabProgramme: (r: Router) =>
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
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) => {
          const body = await createProgramme(change, principalOf(request), request.body);
          return {
            status: 201,
            body,
            headers: { location: `/v1/rehab-programmes/${body.id}` },
          };
        }),
    ),
  getRehabProgramme: (r: Router) =>
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
      async (request) => readProgramme(r.db, principalOf(request), r.now(), request.params.programmeId),
    ),
  updateRehabProgramme: (r: Router) =>
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
        return performWrite(request, reply, r.db, async (change) => {
          const body = await updateProgramme(
            change,
            principalOf(request),
            request.params.programmeId,
            version,
            request.body,
          );
          return { status: 200, body };
        });
      },
    ),
  listRehabSlots: (r: Router) =>
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
      async (request) => listSlots(r.db, principalOf(request), r.now(), request.params.programmeId),
    ),
  addRehabSlot: (r: Router) => {
    // The holiday calendar is read once, when the route is registered.
    const calendar = holidayCalendar(r.config.NATIONAL_HOLIDAYS);
    return r.post(
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
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) => ({
          status: 201,
          body: await addSlot(change, principalOf(request), request.params.programmeId, request.body, calendar),
        })),
    );
  },
  listBlackoutDates: (r: Router) =>
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
      async (request) => listBlackouts(r.db, principalOf(request), r.now(), request.params.facilityId),
    ),
  addBlackoutDate: (r: Router) =>
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
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) => ({
          status: 201,
          body: await addBlackout(change, principalOf(request), request.params.facilityId, request.body),
        })),
    ),
};
