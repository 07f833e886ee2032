import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { createMeeting, listMeetings, readMeeting, updateMeeting } from './meetings.ts';
import { Meeting, MeetingCreate, MeetingListQuery, MeetingPage, MeetingUpdate } from './schemas.ts';

export const tags = ['Beyond the walls (P4GN)'];
export const READERS =
  'BNN officers and regional government officers read the meetings in their own area and those their organisation organised, took part in or owns an item of; Kanwil and BNNP viewers their province; administrators all. API clients and facility roles may not (403): minutes and promises are working papers.';
export const MeetingParams = IdParams('meetingId');

/** Coordination meetings: each route its schema and one service command. The ETag hook sets the version. */
export const meetingRoutes = {
  listCoordinationMeetings: (r: Router) =>
    r.get(
      '/v1/coordination-meetings',
      {
        schema: {
          tags,
          operationId: 'listCoordinationMeetings',
          summary: 'List coordination meetings (rakor)',
          description: `${READERS} Filters: organisation (organiser or participant), province, regency, period.`,
          querystring: MeetingListQuery,
          response: { 200: MeetingPage },
        },
      },
      async (request) => listMeetings(r.db, principalOf(request), request.query, r.now()),
    ),

  createCoordinationMeeting: (r: Router) =>
    r.post(
      '/v1/coordination-meetings',
      {
        schema: {
          tags,
          operationId: 'createCoordinationMeeting',
          summary: 'Record a coordination meeting',
          description:
            "The officers of the organiser (a BNN unit or a regional government) record it, in their own area: a regency meeting names its regency, a province meeting leaves it out (a BNNK or a regency's government only the former). Participants are organisations. Honours Idempotency-Key.",
          body: MeetingCreate,
          response: { 201: Meeting },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        return performWrite(request, reply, r.db, async (change) => {
          const body = await createMeeting(change, principal, request.body);
          return { status: 201, body, headers: { location: `/v1/coordination-meetings/${body.id}` } };
        });
      },
    ),

  getCoordinationMeeting: (r: Router) =>
    r.get(
      '/v1/coordination-meetings/:meetingId',
      {
        schema: {
          tags,
          operationId: 'getCoordinationMeeting',
          summary: 'Get a coordination meeting',
          description: `One meeting with its participants and its action plan in counts (404 outside reach). ${READERS}`,
          params: MeetingParams,
          response: { 200: Meeting },
        },
      },
      async (request) => readMeeting(r.db, principalOf(request), request.params.meetingId, r.now()),
    ),

  updateCoordinationMeeting: (r: Router) =>
    r.patch(
      '/v1/coordination-meetings/:meetingId',
      {
        schema: {
          tags,
          operationId: 'updateCoordinationMeeting',
          summary: 'Update a coordination meeting',
          description:
            "The organiser's officers (or an administrator) add the minutes, correct the date (not after an item's due date) or the participants (an item's owner stays). Requires If-Match with the ETag last read (428 without, 412 when stale).",
          params: MeetingParams,
          body: MeetingUpdate,
          response: { 200: Meeting },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const version = expectedVersion(request);
        return performWrite(request, reply, r.db, async (change) => ({
          status: 200,
          body: await updateMeeting(change, principal, request.params.meetingId, version, request.body),
        }));
      },
    ),
};
