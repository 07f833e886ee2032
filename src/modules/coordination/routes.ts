import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Router } from '../../http/router.ts';
import { itemRoutes } from './item-routes.ts';
import { meetingRoutes } from './meeting-routes.ts';

// The contract lists the operations in the order they are registered: this order keeps it as it was.
const ORDER: ((r: Router) => unknown)[] = [
  meetingRoutes.listCoordinationMeetings,
  meetingRoutes.createCoordinationMeeting,
  meetingRoutes.getCoordinationMeeting,
  meetingRoutes.updateCoordinationMeeting,
  itemRoutes.listMeetingActionItems,
  itemRoutes.createActionItem,
  itemRoutes.listActionItems,
  itemRoutes.getActionItem,
  itemRoutes.updateActionItem,
];

export async function coordinationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const register of ORDER) register(r);
}
