import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { readArea } from '../../core/access.ts';
import { decodeKeyCursor, keysetPage } from '../../http/keyset.ts';
import { decodeCursor, page } from '../../http/pagination.ts';
import { principalOf } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { etag, expectedVersion, performWrite } from '../../http/write.ts';
import {
  ActionItem,
  ActionItemCreate,
  ActionItemListQuery,
  ActionItemPage,
  ActionItemUpdate,
  Meeting,
  MeetingCreate,
  MeetingItemsQuery,
  MeetingListQuery,
  MeetingPage,
  MeetingUpdate,
} from './schemas.ts';
import {
  createItem,
  createMeeting,
  getItem,
  getMeeting,
  listItems,
  listMeetings,
  toItemDto,
  toMeetingDto,
  updateItem,
  updateMeeting,
} from './service.ts';

const tags = ['Beyond the walls (P4GN)'];
const MeetingParams = IdParams('meetingId');
const ItemParams = IdParams('itemId');
const ITEM_CURSOR = /^\d{4}-\d{2}-\d{2}\|[0-9a-f-]{36}$/;
const itemPage = <R extends { due_on: string; id: string }, T>(rows: R[], limit: number, map: (row: R) => T) =>
  keysetPage(rows, limit, (row) => [row.due_on, row.id], map);

export async function coordinationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const READERS =
    'BNN officers and regional government officers read the meetings in their own area and those their organisation organised, took part in or owns an item of; Kanwil and BNNP viewers their province; administrators all. API clients and facility roles may not (403): minutes and promises are working papers.';

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
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      const rows = await listMeetings(
        db,
        principal,
        await readArea(db, principal),
        {
          organisationId: q.organisation_id,
          provinceCode: q.province_code,
          regency: q.regency,
          from: q.from,
          to: q.to,
          after: decodeCursor(q.cursor),
          limit: q.limit,
        },
        app.now(),
      );
      return page(rows, q.limit, (row) => row.id, toMeetingDto);
    },
  );

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
      return performWrite(request, reply, db, async (change) => {
        const row = await createMeeting(change, principal, request.body, app.now());
        return {
          status: 201,
          body: toMeetingDto(row),
          headers: { location: `/v1/coordination-meetings/${row.id}`, etag: etag(row.version) },
        };
      });
    },
  );

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
    async (request, reply) => {
      const principal = principalOf(request);
      const row = await getMeeting(db, principal, await readArea(db, principal), request.params.meetingId, app.now());
      reply.header('etag', etag(row.version));
      return toMeetingDto(row);
    },
  );

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
      const area = await readArea(db, principal);
      return performWrite(request, reply, db, async (change) => {
        const row = await updateMeeting(
          change,
          principal,
          area,
          request.params.meetingId,
          version,
          request.body,
          app.now(),
        );
        return { status: 200, body: toMeetingDto(row), headers: { etag: etag(row.version) } };
      });
    },
  );

  r.get(
    '/v1/coordination-meetings/:meetingId/action-items',
    {
      schema: {
        tags,
        operationId: 'listMeetingActionItems',
        summary: "List a meeting's action plan",
        description: 'The action items of one meeting in reach, by due date, with their progress notes.',
        params: MeetingParams,
        querystring: MeetingItemsQuery,
        response: { 200: ActionItemPage },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const area = await readArea(db, principal);
      const now = app.now();
      const q = request.query;
      await getMeeting(db, principal, area, request.params.meetingId, now);
      const rows = await listItems(
        db,
        principal,
        { kind: 'all' },
        {
          meetingId: request.params.meetingId,
          status: q.status,
          overdue: q.overdue,
          after: decodeKeyCursor(q.cursor, ITEM_CURSOR),
          limit: q.limit,
        },
        now,
      );
      return itemPage(rows, q.limit, toItemDto);
    },
  );

  r.post(
    '/v1/coordination-meetings/:meetingId/action-items',
    {
      schema: {
        tags,
        operationId: 'createActionItem',
        summary: 'Add an item to the action plan',
        description:
          "The organiser's officers (or an administrator) add what an agency promised: the owner is the organiser or a participant, due not before the meeting. It starts planned. Honours Idempotency-Key.",
        params: MeetingParams,
        body: ActionItemCreate,
        response: { 201: ActionItem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const area = await readArea(db, principal);
      return performWrite(request, reply, db, async (change) => {
        const row = await createItem(change, principal, area, request.params.meetingId, request.body, app.now());
        return {
          status: 201,
          body: toItemDto(row),
          headers: { location: `/v1/action-items/${row.id}`, etag: etag(row.version) },
        };
      });
    },
  );

  r.get(
    '/v1/action-items',
    {
      schema: {
        tags,
        operationId: 'listActionItems',
        summary: 'List action items',
        description:
          "What each agency promised, by due date: ?owner_id=&overdue=true shows an agency what it has not done past the due date in its own time zone. Items of meetings in reach, and every item the caller's organisation owns.",
        querystring: ActionItemListQuery,
        response: { 200: ActionItemPage },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      const rows = await listItems(
        db,
        principal,
        await readArea(db, principal),
        {
          ownerId: q.owner_id,
          meetingId: q.meeting_id,
          status: q.status,
          overdue: q.overdue,
          dueFrom: q.due_from,
          dueTo: q.due_to,
          after: decodeKeyCursor(q.cursor, ITEM_CURSOR),
          limit: q.limit,
        },
        app.now(),
      );
      return itemPage(rows, q.limit, toItemDto);
    },
  );

  r.get(
    '/v1/action-items/:itemId',
    {
      schema: {
        tags,
        operationId: 'getActionItem',
        summary: 'Get an action item',
        description: 'One action item with its progress notes and whether it is overdue (404 outside reach).',
        params: ItemParams,
        response: { 200: ActionItem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const row = await getItem(db, principal, await readArea(db, principal), request.params.itemId, app.now());
      reply.header('etag', etag(row.version));
      return toItemDto(row);
    },
  );

  r.patch(
    '/v1/action-items/:itemId',
    {
      schema: {
        tags,
        operationId: 'updateActionItem',
        summary: 'Report progress on an action item',
        description:
          "The owner's officers set the status (planned, in_progress, done, dropped) and add dated progress notes; dropping, and reopening a closed item, need a note. The organiser's officers may also change the description, the due date (not before the meeting) and the owner. closed_on is the owner's local date. Requires If-Match with the ETag last read (428 without, 412 when stale).",
        params: ItemParams,
        body: ActionItemUpdate,
        response: { 200: ActionItem },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const version = expectedVersion(request);
      const area = await readArea(db, principal);
      return performWrite(request, reply, db, async (change) => {
        const row = await updateItem(change, principal, area, request.params.itemId, version, request.body, app.now());
        return { status: 200, body: toItemDto(row), headers: { etag: etag(row.version) } };
      });
    },
  );
}
