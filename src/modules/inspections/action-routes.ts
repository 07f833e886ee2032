import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { addAction, listActions, listInspectionActions, progressAction, readAction } from './actions.ts';
import { Action, ActionCreate, ActionListQuery, ActionPage, ActionUpdate, tags } from './schemas.ts';

/** Corrective actions: each route its schema and one service command. */
export const actionRoutes = {
  addCorrectiveAction: (r: Router) =>
    r.post(
      '/v1/inspections/:inspectionId/actions',
      {
        schema: {
          tags,
          operationId: 'addCorrectiveAction',
          summary: 'Add a corrective action',
          description:
            'Until sign-off. Owner: an organisation or an officer of the facility; due no earlier than the inspection (422). Honours Idempotency-Key.',
          params: IdParams('inspectionId'),
          body: ActionCreate,
          response: { 201: Action },
        },
      },
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) => {
          const body = await addAction(
            change,
            principalOf(request),
            request.params.inspectionId,
            request.body,
            r.now(),
          );
          return {
            status: 201,
            body,
            headers: { location: `/v1/corrective-actions/${body.id}` },
          };
        }),
    ),

  listCorrectiveActions: (r: Router) =>
    r.get(
      '/v1/corrective-actions',
      {
        schema: {
          tags,
          operationId: 'listCorrectiveActions',
          summary: 'List corrective actions',
          description:
            "Across the caller's facilities. overdue=true: open or in progress past the due date by each facility's own calendar (a WITA facility's day ends an hour before a WIB one's). status filters the stored status (open, in_progress, done, verified); overdue is the derived state.",
          querystring: ActionListQuery,
          response: { 200: ActionPage },
        },
      },
      async (request) => listActions(r.db, principalOf(request), request.query, r.now()),
    ),

  listInspectionActions: (r: Router) =>
    r.get(
      '/v1/inspections/:inspectionId/actions',
      {
        schema: {
          tags,
          operationId: 'listInspectionActions',
          summary: "List an inspection's corrective actions",
          description: 'The actions of one report in reach (404 otherwise), with their derived overdue state.',
          params: IdParams('inspectionId'),
          querystring: ActionListQuery.omit({ inspection_id: true, facility_id: true }),
          response: { 200: ActionPage },
        },
      },
      async (request) =>
        listInspectionActions(r.db, principalOf(request), request.params.inspectionId, request.query, r.now()),
    ),

  getCorrectiveAction: (r: Router) =>
    r.get(
      '/v1/corrective-actions/:actionId',
      {
        schema: {
          tags,
          operationId: 'getCorrectiveAction',
          summary: 'Get a corrective action',
          description: 'One action in reach, with its derived overdue state and version as ETag.',
          params: IdParams('actionId'),
          response: { 200: Action },
        },
      },
      async (request) => {
        const body = await readAction(r.db, principalOf(request), request.params.actionId, r.now());
        return body;
      },
    ),

  updateCorrectiveAction: (r: Router) =>
    r.patch(
      '/v1/corrective-actions/:actionId',
      {
        schema: {
          tags,
          operationId: 'updateCorrectiveAction',
          summary: 'Progress a corrective action',
          description:
            'open → in_progress → done (with a closing comment) → verified; also after sign-off. Requires If-Match.',
          params: IdParams('actionId'),
          body: ActionUpdate,
          response: { 200: Action },
        },
      },
      async (request, reply) => {
        const version = expectedVersion(request);
        return performWrite(request, reply, r.db, async (change) => {
          const body = await progressAction(
            change,
            principalOf(request),
            request.params.actionId,
            version,
            request.body,
            r.now(),
          );
          return { status: 200, body };
        });
      },
    ),
};
