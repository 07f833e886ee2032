import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { calendarWarning, holidayCalendar } from '../../core/calendar/index.ts';
import { Problem } from '../../http/problem.ts';
import { LimitsStoreWarning, limitsStoreWarnings } from '../../http/redis.ts';

const tags = ['Service'];
const Health = z.object({ status: z.literal('ok') }).meta({ examples: [{ status: 'ok' }] });
const Warning = z.object({
  code: z.literal('holiday_calendar_ending'),
  detail: z.string(),
  covered_until: z.iso.date().nullable().meta({
    description:
      "The last day of the holiday calendar's unbroken run of years from today; null when today's year is not covered",
  }),
  days_left: z.number().int(),
});
const Replica = z
  .object({
    status: z.enum(['ok', 'lagging', 'down']),
    lag_seconds: z.number().min(0).nullable().meta({
      description:
        'How far behind the primary its data may be, rounded up to a tenth; null when it cannot be told (down)',
    }),
    serving: z.enum(['replica', 'primary']),
    max_lag_seconds: z.number().int().min(1).max(86_400).meta({ description: 'REPLICA_MAX_LAG_SECONDS' }),
  })
  .meta({
    description:
      'Present when DATABASE_REPLICA_URL is set. Reports read from the replica while it answers and its lag is within REPLICA_MAX_LAG_SECONDS; else from the primary (serving), and readiness still holds.',
  });
const Ready = z
  .object({
    status: z.literal('ok'),
    replica: Replica.optional(),
    warnings: z
      .array(z.union([Warning, LimitsStoreWarning]))
      .optional()
      .meta({ description: 'Present when something needs attention soon; readiness still holds' }),
  })
  .meta({
    examples: [
      { status: 'ok' },
      { status: 'ok', replica: { status: 'ok', lag_seconds: 0, serving: 'replica', max_lag_seconds: 30 } },
      {
        status: 'ok',
        warnings: [
          {
            code: 'holiday_calendar_ending',
            detail:
              "The holiday calendar ends on 2026-12-31 (29 days): due dates after it are provisional. Add 2027's national holidays and collective leave to NATIONAL_HOLIDAYS once its decree is out.",
            covered_until: '2026-12-31',
            days_left: 29,
          },
        ],
      },
    ],
  });

export async function healthRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const calendar = holidayCalendar(app.config.NATIONAL_HOLIDAYS);
  const calendarWarnings = () => {
    const warning = calendarWarning(calendar, app.now().toISOString().slice(0, 10));
    return warning ? [{ code: 'holiday_calendar_ending' as const, ...warning }] : [];
  };
  // Said once at start-up, and on /health/ready until the next year's holidays are in.
  for (const warning of calendarWarnings()) app.log.warn({ warning }, warning.detail);

  r.get(
    '/health/live',
    {
      config: { auth: false },
      schema: {
        tags,
        operationId: 'getLiveness',
        summary: 'Liveness',
        description: 'The process answers. Never touches the database.',
        security: [],
        response: { 200: Health },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  r.get(
    '/health/ready',
    {
      config: { auth: false },
      schema: {
        tags,
        operationId: 'getReadiness',
        summary: 'Readiness',
        description:
          'The database answers; 503 with Retry-After when it does not. Still 200, with `warnings`, when the holiday calendar ends within 90 days of today (due dates past it would be provisional), and when Redis (REDIS_URL) does not answer: the limits then hold per process. With a read replica, `replica` tells its state and where reports read; a replica lagging or down is no failure (reports read from the primary).',
        security: [],
        response: { 200: Ready },
      },
    },
    async () => {
      try {
        await app.database.ping();
      } catch {
        throw new Problem(503, 'database_unavailable', {}, { headers: { 'retry-after': '5' } });
      }
      const warnings = [...calendarWarnings(), ...(await limitsStoreWarnings(app))];
      // Looked at again when the last look is over a second old: probes do not add a query each.
      const replica = await app.reports.fresh(1_000);
      return {
        status: 'ok' as const,
        ...(replica ? { replica } : {}),
        ...(warnings.length ? { warnings } : {}),
      };
    },
  );
}
