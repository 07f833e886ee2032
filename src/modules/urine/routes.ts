import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HOUR_MS } from '../../core/chores.ts';
import type { Router } from '../../http/router.ts';
import { caseRoutes } from './case-routes.ts';
import { openUnconfirmedCases, recountProvisionalDueDates, tellOverdueCases } from './cases.ts';
import { drawRoutes } from './draw-routes.ts';
import { resultRoutes } from './result-routes.ts';
import { roundRoutes } from './round-routes.ts';
import { type UrineSettings, urineSettings } from './settings.ts';
import { testRoutes } from './test-routes.ts';

// The contract lists the operations in the order they are registered: this order keeps it as it was.
const ORDER: ((r: Router, s: UrineSettings) => unknown)[] = [
  roundRoutes.listFacilityUrineRounds,
  roundRoutes.listUrineRounds,
  roundRoutes.createUrineRound,
  roundRoutes.getUrineRound,
  resultRoutes.recordUrineResults,
  drawRoutes.drawUrineRound,
  drawRoutes.getUrineRoundDraw,
  drawRoutes.recordNotTested,
  testRoutes.listUrineTests,
  testRoutes.getUrineTest,
  resultRoutes.confirmUrineTest,
  caseRoutes.listFollowUpCases,
  caseRoutes.getFollowUpCase,
  caseRoutes.advanceFollowUpCase,
];

export async function urineRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const settings = urineSettings(app.config);
  for (const register of ORDER) register(r, settings);
  app.addChore({
    name: 'urine-unconfirmed-cases',
    everyMs: HOUR_MS,
    run: (change) => openUnconfirmedCases(change.tx, change.now, app.config.URINE_CONFIRMATION_DAYS, settings.rules),
  });
  app.addChore({
    name: 'urine-due-recount',
    everyMs: HOUR_MS,
    run: (change) => recountProvisionalDueDates(change.tx, change.now, settings.rules),
  });
  app.addChore({ name: 'urine-overdue-cases', everyMs: HOUR_MS, run: tellOverdueCases });
}
