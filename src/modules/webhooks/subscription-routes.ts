import type { FastifyInstance } from 'fastify';

/** /v1/webhook-subscriptions: an API client's own subscriptions. */
export async function subscriptionRoutes(_app: FastifyInstance) {}
