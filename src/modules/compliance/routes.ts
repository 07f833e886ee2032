import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import Negotiator from 'negotiator';
import type { MouScopeValue } from '../../core/access.ts';
import { facilityReach, reaches } from '../../core/access.ts';
import { localDate, type Period, periodsUpTo, previousPeriod } from '../../core/calendar/index.ts';
import type { Db } from '../../db/client.ts';
import { principalOf, requireRole } from '../../http/principal.ts';
import { localeOf, notFound } from '../../http/problem.ts';
import { IdParams } from '../../http/schemas.ts';
import { performWrite } from '../../http/write.ts';
import { facilitiesInReach, getFacility } from '../facilities/service.ts';
import { FiguresCache } from './figures.ts';
import { renderScorecard, SCORECARD_CSP } from './html.ts';
import { scorecardRules } from './indicators.ts';
import { CloseBody, CloseResult, IndicatorList, Ranking, RankingQuery, Scorecard, ScorecardQuery } from './schemas.ts';
import {
  type Context,
  closePeriod,
  comparable,
  facilityScorecard,
  periodFrom,
  ranking,
  type Scorecard as ScorecardValue,
  scorecards,
  snapshotMeta,
  snapshotOf,
} from './service.ts';

const tags = ['Compliance'];

/**
 * What the client asked for among what a route can give; JSON unless it prefers another. Each is
 * offered with its charset, so that an Accept naming one (text/csv; charset=utf-8) still matches.
 */
function preferred(request: FastifyRequest, types: string[]): string {
  const offered = types.map((type) => `${type}; charset=utf-8`);
  return new Negotiator(request).mediaType(['application/json', ...offered])?.split(';')[0] ?? 'application/json';
}

export async function complianceRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;
  const rules = scorecardRules(app.config.SCORECARD_CONFIG);
  // This process's figures, each kept under its facility's data version (figures.ts).
  const figures = new FiguresCache();
  const context = (): Context => ({
    rules,
    trainingMonths: app.config.TRAINING_COVERAGE_MONTHS,
    now: app.now(),
    figures,
  });
  // A period that has ended in the facility's calendar is a report: it may be read from the replica.
  // A running one stays on the primary, where a record just written counts at once. Reach is
  // always judged on the primary: an MoU just ended must hide its facilities at once.
  const readPeriod = <T>(timezone: string, period: Period, run: (on: Db) => Promise<T>): Promise<T> =>
    localDate(app.now(), timezone) > period.to ? app.reports.read(run) : run(db);

  r.get(
    '/v1/compliance/indicators',
    {
      schema: {
        tags,
        operationId: 'listComplianceIndicators',
        summary: 'The scorecard’s indicators, weights and thresholds',
        description:
          'What each indicator counts (numerator and denominator), its target and weight (SCORECARD_CONFIG), the status thresholds, and the indicators that cap the status.',
        response: { 200: IndicatorList },
      },
    },
    async () => ({ thresholds: rules.thresholds, caps: rules.caps, indicators: rules.indicators }),
  );

  r.get(
    '/v1/facilities/:facilityId/scorecard',
    {
      schema: {
        tags,
        operationId: 'getFacilityScorecard',
        summary: "A facility's Bersinar scorecard for a period",
        description:
          "Each indicator's value, numerator, denominator, target, whether met and its points; the score (0 to 100), the status, the caps; for each indicator not met, links to the records behind it. Periods are read in the facility's calendar; a running period counts up to today. The latest closing is shown beside it, and whether the records have changed since. as_of shows the closed snapshot in force at that instant instead. Accept: text/html gives a printable page with the score over the last eight periods.",
        params: IdParams('facilityId'),
        querystring: ScorecardQuery,
        response: { 200: Scorecard },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const facility = await getFacility(db, await facilityReach(db, principal, app.now()), request.params.facilityId);
      const ctx = context();
      const period = periodFrom(request.query.period, facility.timezone, ctx.now);
      let card: ScorecardValue & {
        closed: ReturnType<typeof snapshotMeta> | null;
        differs_from_closed: boolean | null;
      };
      if (request.query.as_of) {
        const asOf = new Date(request.query.as_of);
        // The closing itself from the primary: one indexed row, and whoever just closed sees it.
        const snapshot = await snapshotOf(db, facility.id, period.code, asOf);
        if (!snapshot) throw notFound('closed scorecard');
        card = {
          ...(snapshot.body as unknown as ScorecardValue),
          closed: snapshotMeta(snapshot),
          differs_from_closed: null,
        };
      } else {
        // A BNN unit follows records only of the work its MoU covers; other roles reach the facility whole.
        // (One reach query a purpose, however many indicators share it.)
        const asked = new Map<MouScopeValue, Promise<boolean>>();
        const mayList = async (purpose: MouScopeValue | null) => {
          if (principal.role !== 'bnn_officer' || !purpose) return true;
          if (!asked.has(purpose)) {
            asked.set(
              purpose,
              facilityReach(db, principal, app.now(), purpose).then((r) => reaches(r, facility.id)),
            );
          }
          return asked.get(purpose) as Promise<boolean>;
        };
        const [live, snapshot] = await Promise.all([
          readPeriod(facility.timezone, period, (on) => facilityScorecard(on, facility, period, ctx, mayList)),
          snapshotOf(db, facility.id, period.code),
        ]);
        const differs = snapshot ? comparable(snapshot.body as unknown as ScorecardValue) !== comparable(live) : null;
        card = { ...live, closed: snapshot ? snapshotMeta(snapshot) : null, differs_from_closed: differs };
      }
      if (preferred(request, ['text/html']) !== 'text/html') return card;
      const periods = periodsUpTo(period, 8);
      const history = [];
      for (const p of periods) {
        const [c] = await readPeriod(facility.timezone, p, (on) => scorecards(on, [facility], p, ctx));
        history.push({ period: p.code, score: c?.score ?? 0 });
      }
      // The page was Indonesian before it followed the language: without Accept-Language it stays so.
      const locale = request.headers['accept-language'] ? localeOf(request.headers) : 'id';
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', SCORECARD_CSP)
        .header('content-language', locale)
        .header('vary', 'Accept, Accept-Language')
        .send(renderScorecard(card, history, rules, locale) as never);
    },
  );

  r.get(
    '/v1/scorecards',
    {
      schema: {
        tags,
        operationId: 'listScorecards',
        summary: 'Rank the facilities in reach',
        description:
          'Every facility the caller can see (province_code narrows), ranked by score, with the status and the change since the previous period; computed with a few set-based queries for all of them at once. Accept: text/csv gives the same as CSV.',
        querystring: RankingQuery,
        response: { 200: Ranking },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const ctx = context();
      const period = periodFrom(request.query.period, 'Asia/Jakarta', ctx.now);
      const list = await facilitiesInReach(
        db,
        await facilityReach(db, principal, app.now()),
        request.query.province_code,
      );
      const data = await app.reports.read((on) => ranking(on, list, period, ctx));
      const answer = { period: period.code, previous_period: previousPeriod(period).code, data };
      if (preferred(request, ['text/csv']) !== 'text/csv') return answer;
      const csv = stringify(
        // A name starting with = + - @ would be a formula to a spreadsheet: it is quoted as text.
        data.map((row) => ({
          period: period.code,
          ...row,
          facility_name: /^[=+\-@]/.test(row.facility_name) ? `'${row.facility_name}` : row.facility_name,
          capped_by: row.capped_by.join(' '),
        })),
        {
          header: true,
          columns: [
            'period',
            'rank',
            'facility_id',
            'facility_name',
            'province_code',
            'score',
            'status',
            'capped_by',
            'closed_score',
            'previous_score',
            'previous_status',
            'change',
          ],
        },
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="bersinar-${period.code}.csv"`)
        .send(csv as never);
    },
  );

  r.post(
    '/v1/scorecards/close',
    {
      schema: {
        tags,
        operationId: 'closeScorecardPeriod',
        summary: 'Close a period: store each facility’s scorecard as it stands',
        description:
          'Administrators. For every facility (province_code narrows): the scorecard is stored as revision 1; closing again after the records were corrected stores the next revision, so history is never changed silently (snapshots are append-only in the database). Only a period that has ended. Honours Idempotency-Key.',
        body: CloseBody,
        response: { 200: CloseResult },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request, 'admin');
      const ctx = context();
      const period = periodFrom(request.body.period, 'Asia/Jakarta', ctx.now, 'body');
      const list = await facilitiesInReach(
        db,
        await facilityReach(db, principal, app.now()),
        request.body.province_code,
      );
      return performWrite(request, reply, db, async (change) => ({
        status: 200,
        body: await closePeriod(change, principal, list, period, ctx),
      }));
    },
  );
}
