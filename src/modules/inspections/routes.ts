import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HOUR_MS } from '../../core/chores.ts';
import { loggableError } from '../../http/errors.ts';
import type { Router } from '../../http/router.ts';
import { actionRoutes } from './action-routes.ts';
import { tellOverdueActions } from './actions.ts';
import { evidenceRoutes } from './evidence-routes.ts';
import { SWEEP_EVERY_MS } from './evidence-store.ts';
import { findingRoutes } from './finding-routes.ts';
import { reportRoutes } from './report-routes.ts';

// The contract lists the operations in the order they are registered: this order keeps it as it was.
const ORDER: ((r: Router) => unknown)[] = [
  reportRoutes.listFacilityInspections,
  reportRoutes.listInspections,
  reportRoutes.getInspection,
  reportRoutes.createInspection,
  reportRoutes.updateInspection,
  reportRoutes.submitInspection,
  reportRoutes.signOffInspection,
  findingRoutes.addFinding,
  evidenceRoutes.addEvidence,
  evidenceRoutes.getEvidenceFile,
  evidenceRoutes.addCustodyEntry,
  actionRoutes.addCorrectiveAction,
  actionRoutes.listCorrectiveActions,
  actionRoutes.listInspectionActions,
  findingRoutes.listInspectionFindings,
  actionRoutes.getCorrectiveAction,
  actionRoutes.updateCorrectiveAction,
  reportRoutes.addAddendum,
  findingRoutes.getFinding,
  reportRoutes.getAddendum,
  evidenceRoutes.getCustodyEntry,
];

export async function inspectionRoutes(app: FastifyInstance) {
  // Files of uploads that never finished (a process stopped mid-upload) are swept from the store's
  // incoming/ at start and then now and again, for as long as the app runs.
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = async () => {
    try {
      const removed = (await app.evidenceStore.sweep?.()) ?? 0;
      if (removed) app.log.info({ removed }, 'unfinished evidence uploads swept');
    } catch (err) {
      app.log.warn({ err: loggableError(err) }, 'evidence sweep failed');
    }
  };
  // Not awaited: a store that does not answer must not keep the process from serving.
  app.addHook('onReady', async () => {
    void sweep();
    sweeper = setInterval(sweep, SWEEP_EVERY_MS);
    sweeper.unref();
  });
  app.addHook('onClose', async () => clearInterval(sweeper));

  app.addChore({ name: 'inspection-actions-overdue', everyMs: HOUR_MS, run: tellOverdueActions });

  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const register of ORDER) register(r);
}
