import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { readArea } from '../../core/access.ts';
import { decodeKeyCursor, keysetPage } from '../../http/keyset.ts';
import { seesPersonalData } from '../../http/personal-data.ts';
import { type Principal, principalOf } from '../../http/principal.ts';
import { IdParams } from '../../http/schemas.ts';
import { etag, expectedVersion, performWrite } from '../../http/write.ts';
import { kotanInstrument } from './instrument.ts';
import {
  Assessment,
  AssessmentCreate,
  type AssessmentDto,
  AssessmentListQuery,
  AssessmentPage,
  AssessmentUpdate,
  Instrument,
} from './schemas.ts';
import { createAssessment, getAssessment, listAssessments, toAssessmentDto, updateAssessment } from './service.ts';

const tags = ['Beyond the walls (P4GN)'];
const AssessmentParams = IdParams('assessmentId');
const RANK_CURSOR = /^\d{4}\|\d{1,3}\.\d{2}\|[0-9a-f-]{36}$/;

/** API clients read the results, not the working evidence; the assessor's name is personal data. */
function present(principal: Principal, dto: AssessmentDto): AssessmentDto {
  return {
    ...dto,
    assessor: { ...dto.assessor, name: seesPersonalData(principal) ? dto.assessor.name : null },
    evidence_notes: principal.role === 'api_client' ? null : dto.evidence_notes,
  };
}

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
    async () => ({
      variables: instrument.variables,
      bands: [
        { band: 'not_responsive' as const, from: 0, to: 25 },
        { band: 'fairly_responsive' as const, from: 25.01, to: 50 },
        { band: 'responsive' as const, from: 50.01, to: 75 },
        { band: 'very_responsive' as const, from: 75.01, to: 100 },
      ],
      rounding:
        'Each indicator is read as a share of its range (0 to 100); a variable is the weighted mean of its indicators; the index is the weighted mean of the variables, rounded half up to two decimals; the band is read from the rounded index.',
    }),
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
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      const rows = await listAssessments(db, principal, await readArea(db, principal), {
        provinceCode: q.province_code,
        year: q.year,
        regency: q.regency,
        band: q.band,
        after: decodeKeyCursor(q.cursor, RANK_CURSOR),
        limit: q.limit,
      });
      return keysetPage(
        rows,
        q.limit,
        (row) => [row.year, row.index, row.id],
        (row) => present(principal, toAssessmentDto(row)),
      );
    },
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
    async (request, reply) => {
      const principal = principalOf(request);
      return performWrite(request, reply, db, async (change) => {
        const row = await createAssessment(change, principal, instrument, request.body, app.now());
        return {
          status: 201,
          body: present(principal, toAssessmentDto(row)),
          headers: { location: `/v1/kotan-assessments/${row.id}`, etag: etag(row.version) },
        };
      });
    },
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
    async (request, reply) => {
      const principal = principalOf(request);
      const row = await getAssessment(db, principal, await readArea(db, principal), request.params.assessmentId);
      reply.header('etag', etag(row.version));
      return present(principal, toAssessmentDto(row));
    },
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
      const principal = principalOf(request);
      const version = expectedVersion(request);
      const area = await readArea(db, principal);
      return performWrite(request, reply, db, async (change) => {
        const row = await updateAssessment(
          change,
          principal,
          area,
          request.params.assessmentId,
          version,
          request.body,
          app.now(),
        );
        return { status: 200, body: present(principal, toAssessmentDto(row)), headers: { etag: etag(row.version) } };
      });
    },
  );
}
