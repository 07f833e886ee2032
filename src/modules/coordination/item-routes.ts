import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { createItem, listItems, listMeetingItems, readItem, updateItem } from './action-items.ts';
import { MeetingParams, tags } from './meeting-routes.ts';
import {
  ActionItem,
  ActionItemCreate,
  ActionItemListQuery,
  ActionItemPage,
  ActionItemUpdate,
  MeetingItemsQuery,
} from './schemas.ts';

const ItemParams = IdParams('itemId');

/** Action items: each route its schema and one service command. The ETag hook sets the version. */
export const itemRoutes = {
  listMeetingActionItems: (r: Router) =>
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
      async (request) => listMeetingItems(r.db, principalOf(request), request.params.meetingId, request.query, r.now()),
    ),

  createActionItem: (r: Router) =>
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
        return performWrite(request, reply, r.db, async (change) => {
          const body = await createItem(change, principal, request.params.meetingId, request.body);
          return { status: 201, body, headers: { location: `/v1/action-items/${body.id}` } };
        });
      },
    ),

  listActionItems: (r: Router) =>
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
      async (request) => listItems(r.db, principalOf(request), request.query, r.now()),
    ),

  getActionItem: (r: Router) =>
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
      async (request) => readItem(r.db, principalOf(request), request.params.itemId, r.now()),
    ),

  updateActionItem: (r: Router) =>
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
        return performWrite(request, reply, r.db, async (change) => ({
          status: 200,
          body: await updateItem(change, principal, request.params.itemId, version, request.body),
        }));
      },
    ),
};
