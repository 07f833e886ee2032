import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HOUR_MS } from '../../core/chores.ts';
import type { Router } from '../../http/router.ts';
import { itemRoutes } from './item-routes.ts';
import { meetingRoutes } from './meeting-routes.ts';
import { tellOverdueItems } from './overdue.ts';

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
  app.addChore({ name: 'rakor-action-items-overdue', everyMs: HOUR_MS, run: tellOverdueItems });
}
