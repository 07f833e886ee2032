import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../http/principal.ts';
import type { Router } from '../../http/router.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { facilityCoverage, provinceCoverage } from './coverage.ts';
import { participantRoutes, seenBy } from './participant-routes.ts';
import {
  Coverage,
  CoverageQuery,
  ProvinceCoverage,
  ProvinceCoverageQuery,
  Training,
  TrainingCreate,
  TrainingListQuery,
  TrainingPage,
  TrainingParams,
  TrainingUpdate,
  tags,
} from './schemas.ts';
import { createTraining, listTrainings, readTraining, updateTraining } from './trainings.ts';

/** Trainings: each route its schema and one service command. */
const trainingOps = {
  listTrainings: (r: Router) =>
    r.get(
      '/v1/trainings',
      {
        schema: {
          tags,
          operationId: 'listTrainings',
          summary: 'List trainings',
          description:
            'Trainings in which a facility in reach takes part (for BNN officers: under an MoU with training in scope, and those their unit runs). Filters: facility, topic, organiser, period (from: ending on or after; to: starting on or before).',
          querystring: TrainingListQuery,
          response: { 200: TrainingPage },
        },
      },
      async (request) => listTrainings(r.db, principalOf(request), r.now(), request.query),
    ),
  createTraining: (r: Router) =>
    r.post(
      '/v1/trainings',
      {
        schema: {
          tags,
          operationId: 'createTraining',
          summary: 'Record a training',
          description:
            "A course for the officers of one or more facilities. The organiser is a BNN unit whose MoU in force covers training at every facility (recorded by that unit's officers or an administrator), the Kanwil of every facility, or one of the facilities (recorded by its staff or head). pass_mark defaults to TRAINING_PASS_MARK. Honours Idempotency-Key.",
          body: TrainingCreate,
          response: { 201: Training },
        },
      },
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) => {
          const body = await createTraining(change, principalOf(request), request.body, r.config.TRAINING_PASS_MARK);
          return {
            status: 201,
            body,
            headers: { location: `/v1/trainings/${body.id}` },
          };
        }),
    ),
  getTraining: (r: Router) =>
    r.get(
      '/v1/trainings/:trainingId',
      {
        schema: {
          tags,
          operationId: 'getTraining',
          summary: 'Get a training',
          description: 'One training in reach (404 otherwise), with its facilities and the number of participants.',
          params: TrainingParams,
          response: { 200: Training },
        },
      },
      async (request) => readTraining(r.db, principalOf(request), r.now(), request.params.trainingId),
    ),
  updateTraining: (r: Router) =>
    r.patch(
      '/v1/trainings/:trainingId',
      {
        schema: {
          tags,
          operationId: 'updateTraining',
          summary: 'Update a training',
          description:
            "The organising unit's officers, an administrator, or for a facility's or Kanwil's training the staff of a facility taking part. Capacity not below the participants; dates keeping recorded attendance inside; pass_mark fixed once post-tests are scored; topic, dates and hours fixed once a certificate is issued (409); a facility with participants stays. Requires If-Match.",
          params: TrainingParams,
          body: TrainingUpdate,
          response: { 200: Training },
        },
      },
      async (request, reply) => {
        const version = expectedVersion(request);
        return performWrite(request, reply, r.db, async (change) => {
          const body = await updateTraining(
            change,
            principalOf(request),
            request.params.trainingId,
            version,
            request.body,
          );
          return { status: 200, body };
        });
      },
    ),
};

/** Coverage: set-based counts per facility and province. */
const coverageRoutes = {
  getFacilityTrainingCoverage: (r: Router) =>
    r.get(
      '/v1/facilities/:facilityId/training-coverage',
      {
        schema: {
          tags,
          operationId: 'getFacilityTrainingCoverage',
          summary: "A facility's training coverage on a date",
          description: `Of the officers in service on the date (joined by then, not yet left, not inactive), the share who passed a training that ended in the ${r.config.TRAINING_COVERAGE_MONTHS} months up to it (TRAINING_COVERAGE_MONTHS), per topic and overall, and the officers who are due, never trained first. NIP and name are null without personal_data; reads with it are audited.`,
          params: IdParams('facilityId'),
          querystring: CoverageQuery,
          response: { 200: Coverage },
        },
      },
      async (request) =>
        facilityCoverage(
          r.db,
          principalOf(request),
          r.now(),
          request.params.facilityId,
          request.query,
          r.config.TRAINING_COVERAGE_MONTHS,
          seenBy(r, request),
          (run) => r.reports.read(run),
        ),
    ),
  getTrainingCoverage: (r: Router) =>
    r.get(
      '/v1/training-coverage',
      {
        schema: {
          tags,
          operationId: 'getTrainingCoverage',
          summary: 'Training coverage per facility and province',
          description: `The same counts as a facility's coverage for every facility in reach (province_code narrows to one province), and their sums per province, from one set-based query. The date defaults to today in WIB.`,
          querystring: ProvinceCoverageQuery,
          response: { 200: ProvinceCoverage },
        },
      },
      async (request) =>
        provinceCoverage(r.db, principalOf(request), r.now(), request.query, r.config.TRAINING_COVERAGE_MONTHS, (run) =>
          r.reports.read(run),
        ),
    ),
};

export async function trainingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const register of Object.values(trainingOps)) register(r);
  for (const register of Object.values(participantRoutes)) register(r);
  for (const register of Object.values(coverageRoutes)) register(r);
}
