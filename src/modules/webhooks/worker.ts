import type { FastifyInstance } from 'fastify';

/** Fans events out to subscriptions and sends what is due, outside the request path. */
export async function deliveryWorker(_app: FastifyInstance) {}
