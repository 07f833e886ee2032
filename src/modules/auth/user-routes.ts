import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import {
  ColleagueListQuery,
  ColleaguePage,
  tags,
  User,
  UserCreate,
  UserListQuery,
  UserPage,
  UserUpdate,
} from './schemas.ts';
import { createUser, listColleagues, listUsers, readUser, updateUser } from './users.ts';

/** Staff users and colleagues: each route its schema and one service command. */
export function userRoutes(r: Router) {
  r.get(
    '/v1/users',
    {
      schema: {
        tags,
        operationId: 'listUsers',
        summary: 'List staff users',
        description:
          'Administrators only, with every field. Other staff find the users of their own organisation or facility at GET /v1/colleagues.',
        querystring: UserListQuery,
        response: { 200: UserPage },
      },
    },
    async (request) => listUsers(r.db, principalOf(request), request.query),
  );

  // A separate path, not a second shape of /v1/users: one schema per operation keeps generated
  // clients' types plain, and the administrators' filters do not apply here.
  r.get(
    '/v1/colleagues',
    {
      schema: {
        tags,
        operationId: 'listColleagues',
        summary: 'List colleagues',
        description:
          "The active users of the caller's own organisation, or for facility staff and heads of their facility (administrators: every active user), with id, display name and role only: to find the id of a facilitator or an owner. Ordered by display name, then id. API clients may not (403).",
        querystring: ColleagueListQuery,
        response: { 200: ColleaguePage },
      },
    },
    async (request) => listColleagues(r.db, principalOf(request), request.query),
  );

  r.get(
    '/v1/users/:userId',
    {
      schema: {
        tags,
        operationId: 'getUser',
        summary: 'Get a staff user',
        description: 'Administrators only.',
        params: IdParams('userId'),
        response: { 200: User },
      },
    },
    async (request) => readUser(r.db, principalOf(request), request.params.userId),
  );

  r.post(
    '/v1/users',
    {
      schema: {
        tags,
        operationId: 'createUser',
        summary: 'Create a staff user',
        description:
          'Administrators only. Facility roles name a facility; BNN officers a BNN unit; regional viewers a Kanwil or BNNP. Honours Idempotency-Key.',
        body: UserCreate,
        response: { 201: User },
      },
    },
    async (request, reply) =>
      performWrite(request, reply, r.db, async (change) => {
        const body = await createUser(change, principalOf(request), request.body);
        return { status: 201, body, headers: { location: `/v1/users/${body.id}` } };
      }),
  );

  r.patch(
    '/v1/users/:userId',
    {
      schema: {
        tags,
        operationId: 'updateUser',
        summary: 'Update a staff user',
        description:
          'Administrators only: name, password, active. Disabling or a new password revokes the refresh tokens. Requires If-Match.',
        params: IdParams('userId'),
        body: UserUpdate,
        response: { 200: User },
      },
    },
    async (request, reply) =>
      performWrite(request, reply, r.db, async (change) => {
        const body = await updateUser(
          change,
          principalOf(request),
          request.params.userId,
          () => expectedVersion(request),
          request.body,
        );
        return { status: 200, body };
      }),
  );
}
