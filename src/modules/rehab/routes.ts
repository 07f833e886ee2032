import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Router } from '../../http/router.ts';
import { enrolmentRoutes } from './enrolment-routes.ts';
import { programmeRoutes } from './programme-routes.ts';
import { sessionRoutes } from './session-routes.ts';

// The contract lists the operations in the order they are registered: this order keeps it as it was.
const ORDER: ((r: Router) => unknown)[] = [
  programmeRoutes.listRehabProgrammes,
  programmeRoutes.createRehabProgramme,
  programmeRoutes.getRehabProgramme,
  programmeRoutes.updateRehabProgramme,
  programmeRoutes.listRehabSlots,
  programmeRoutes.addRehabSlot,
  sessionRoutes.listRehabSessions,
  sessionRoutes.addRehabSession,
  sessionRoutes.recordRehabHeldSession,
  sessionRoutes.listFacilityRehabSessions,
  sessionRoutes.getRehabSession,
  sessionRoutes.moveRehabSession,
  sessionRoutes.cancelRehabSession,
  sessionRoutes.getRehabAttendance,
  sessionRoutes.recordRehabAttendance,
  enrolmentRoutes.listRehabEnrolments,
  enrolmentRoutes.enrolInRehab,
  enrolmentRoutes.getRehabEnrolment,
  enrolmentRoutes.changeRehabEnrolment,
  enrolmentRoutes.getInmateSchedule,
  programmeRoutes.listBlackoutDates,
  programmeRoutes.addBlackoutDate,
];

export async function rehabRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const register of ORDER) register(r);
}
