import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { deliveryRoutes } from './delivery-routes.ts';
import { subscriptionRoutes } from './subscription-routes.ts';
import { deliveryWorker } from './worker.ts';

// Not encapsulated: the worker's app.deliverWebhooks and app.wakeWebhooks belong to the whole app.
export const webhookRoutes = fp(
  async (app: FastifyInstance) => {
    await subscriptionRoutes(app);
    await deliveryRoutes(app);
    await deliveryWorker(app);
  },
  { name: 'webhooks' },
);
