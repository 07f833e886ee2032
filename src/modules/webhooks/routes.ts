import type { FastifyInstance } from 'fastify';
import { deliveryRoutes } from './delivery-routes.ts';
import { subscriptionRoutes } from './subscription-routes.ts';
import { deliveryWorker } from './worker.ts';

export async function webhookRoutes(app: FastifyInstance) {
  await subscriptionRoutes(app);
  await deliveryRoutes(app);
  await deliveryWorker(app);
}
