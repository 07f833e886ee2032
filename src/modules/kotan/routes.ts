import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { expectedVersion, performWrite } from '../../http/write.ts';
import { createAssessment, readAssessment, updateAssessment } from './assessments.ts';
import { toInstrumentDto } from './dto.ts';
import { kotanInstrument } from './instrument.ts';
import { listAssessments } from './ranking.ts';
import {
  Assessment,
  AssessmentCreate,
  AssessmentListQuery,
  AssessmentPage,
  AssessmentUpdate,
  Instrument,
} from './schemas.ts';

const tags = ['Beyond the walls (P4GN)'];
const AssessmentParams = IdParams('assessmentId');

/** KOTAN: each route its schema and one service command. */
export async function kotanRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const instrument = kotanInstrument(app.config.KOTAN_CONFIG);

  r.get(
    '/v1/kotan-instrument',
    {
      schema: {
        tags,
        operationId: 'getKotanInstrument',
        summary: 'The KOTAN instrument',
        description:
          'The five variables with their weights, the indicators of each with weight and score range (all from KOTAN_CONFIG over the defaults), the bands and how the index is rounded. Any signed-in caller.',
        response: { 200: Instrument },
      },
    },
    async () => toInstrumentDto(instrument),
  );

  r.get(
    '/v1/kotan-assessments',
    {
      schema: {
        tags,
        operationId: 'listKotanAssessments',
        summary: 'Rank KOTAN assessments',
        description:
          "The ranking: newest year first, then the highest index; ?province_code=&year= ranks a province's regencies and cities, each with its rank in the province, its band and the change since last year. Administrators and national API clients read all; Kanwil and BNNP viewers and API clients of an organisation their province; BNN and regional government officers their own area and what their organisation assessed. API clients get no evidence notes. Facility roles may not (403).",
        querystring: AssessmentListQuery,
        response: { 200: AssessmentPage },
      },
    },
    async (request) => listAssessments(db, principalOf(request), request.query),
  );

  r.post(
    '/v1/kotan-assessments',
    {
      schema: {
        tags,
        operationId: 'createKotanAssessment',
        summary: 'Record a KOTAN assessment',
        description:
          "One assessment per regency or city and year (a second is 409). BNN officers and regional government officers record it for a regency or city in their organisation's area, as the assessor; administrators name the assessing organisation. Every variable and every indicator of the instrument is scored within its range; the service derives each variable's score, the index (two decimals) and the band, and keeps the instrument used. The year must have begun and assessed_on lie between its start and today at the place. Honours Idempotency-Key.",
        body: AssessmentCreate,
        response: { 201: Assessment },
      },
    },
    async (request, reply) =>
      performWrite(request, reply, db, async (change) => {
        const body = await createAssessment(change, principalOf(request), instrument, request.body, app.now());
        return { status: 201, body, headers: { location: `/v1/kotan-assessments/${body.id}` } };
      }),
  );

  r.get(
    '/v1/kotan-assessments/:assessmentId',
    {
      schema: {
        tags,
        operationId: 'getKotanAssessment',
        summary: 'Get a KOTAN assessment',
        description:
          "One assessment in reach (404 otherwise), with its variables, index, band, rank in the province and the comparison with last year's.",
        params: AssessmentParams,
        response: { 200: Assessment },
      },
    },
    async (request) => readAssessment(db, principalOf(request), request.params.assessmentId),
  );

  r.patch(
    '/v1/kotan-assessments/:assessmentId',
    {
      schema: {
        tags,
        operationId: 'updateKotanAssessment',
        summary: 'Correct a KOTAN assessment',
        description:
          'The officers of the assessing organisation (or an administrator) correct the scores (scored again with the instrument first used), the date, the assessor or the evidence notes. Requires If-Match with the ETag last read (428 without, 412 when stale).',
        params: AssessmentParams,
        body: AssessmentUpdate,
        response: { 200: Assessment },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request);
      return performWrite(request, reply, db, async (change) => ({
        status: 200,
        body: await updateAssessment(
          change,
          principalOf(request),
          request.params.assessmentId,
          version,
          request.body,
          app.now(),
        ),
      }));
    },
  );
}
