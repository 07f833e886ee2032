import type { FastifyInstance } from 'fastify';

/** A subscription's delivery log, redelivery by hand and the test ping. */
export async function deliveryRoutes(_app: FastifyInstance) {}
