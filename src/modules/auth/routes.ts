import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { apiClientRoutes } from './api-client-routes.ts';
import { tokenRoutes } from './token-routes.ts';
import { userRoutes } from './user-routes.ts';

// The contract lists the operations in the order they are registered: tokens, users, API clients.
export async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  tokenRoutes(r);
  userRoutes(r);
  apiClientRoutes(r);
}
