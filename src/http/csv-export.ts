import { stringify } from 'csv-stringify';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import fp from 'fastify-plugin';
import Negotiator from 'negotiator';
import { z } from 'zod';
import { recordReads } from '../core/change.ts';
import { actorOf } from './write.ts';

// The main lists also come as CSV, asked for with Accept: text/csv. The export pages through the
// list's own handler, so it keeps the list's filters, reach and personal-data rule, and streams
// each page as it comes: memory stays flat however long the list. A named export is audited as one
// event a facility whose people it named, holding its filter and counts, not a read event a page.

/** The lists that export, by operationId, with what a row of each is (the audit's entity type). */
export const CSV_LISTS: Record<string, string> = {
  listFacilityInspections: 'inspection',
  listInspections: 'inspection',
  listInspectionActions: 'corrective_action',
  listCorrectiveActions: 'corrective_action',
  listUrineTests: 'urine_test',
  listFollowUpCases: 'follow_up_case',
  listTrainings: 'training',
  listTrainingParticipants: 'training_participant',
  listRehabSessions: 'rehab_session',
  listFacilityRehabSessions: 'rehab_session',
  listRehabEnrolments: 'rehab_enrolment',
  listCampaigns: 'campaign',
};

/** The export reads the list in pages of this size, beyond the most a client may ask for: fewer round trips. */
const PAGE = 1000;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set while a list is exported: the people it names, counted by facility, audited once at the end. */
    csvExport?: { named: Map<string, number> };
  }
}

/** Whether the caller asked for CSV, with or without parameters (text/csv; charset=utf-8). */
export function prefersCsv(request: FastifyRequest): boolean {
  const type = new Negotiator(request).mediaType(['application/json', 'text/csv; charset=utf-8']);
  return type?.startsWith('text/csv') ?? false;
}

/** A cell a spreadsheet would read as a formula (= + - @, or a tab or return first) is kept as text. */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The columns of a list's row, from its schema: nested objects become dotted names. */
export function columnsOf(schema: z.ZodType, prefix = ''): string[] {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable || inner instanceof z.ZodDefault)
    inner = inner.unwrap() as z.ZodType;
  if (!(inner instanceof z.ZodObject)) return [prefix];
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, value]) =>
    columnsOf(value, prefix ? `${prefix}.${key}` : key),
  );
}

function cellOf(row: unknown, column: string): string {
  let value: unknown = row;
  for (const part of column.split('.')) value = (value as Record<string, unknown> | null | undefined)?.[part];
  if (value === null || value === undefined) return '';
  if (Array.isArray(value))
    return safeCell(value.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join(' '));
  if (typeof value === 'object') return safeCell(JSON.stringify(value));
  return safeCell(String(value));
}

interface Page {
  data: unknown[];
  next_cursor: string | null;
}

export const csvExportPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRoute', (route) => {
      const operationId = (route.schema as { operationId?: string } | undefined)?.operationId;
      const entity = operationId ? CSV_LISTS[operationId] : undefined;
      if (!operationId || !entity) return;
      const item = ((route.schema?.response as Record<string, z.ZodType> | undefined)?.[200] as z.ZodObject | undefined)
        ?.shape?.data;
      if (!(item instanceof z.ZodArray)) throw new Error(`${operationId} exports as CSV but answers no page`);
      const columns = columnsOf(item.element as z.ZodType);
      const list = route.handler as (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown;
      route.handler = async function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
        if (!prefersCsv(request)) return list.call(this, request, reply);
        return exportList(this, request, reply, { list, columns, entity, operationId });
      } as RouteHandlerMethod;
    });
  },
  { name: 'csv-export' },
);

async function exportList(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  how: {
    list: (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown;
    columns: string[];
    entity: string;
    operationId: string;
  },
) {
  const filter = { ...(request.query as Record<string, unknown>) };
  delete filter.cursor;
  delete filter.limit;
  request.csvExport = { named: new Map() };
  const pageAt = async (cursor: string | undefined) => {
    request.query = { ...filter, limit: PAGE, ...(cursor ? { cursor } : {}) };
    return (await how.list.call(app, request, reply)) as Page;
  };
  // The first page is read before anything is sent: a refusal (404, 400) is still a problem+json.
  const first = await pageAt(undefined);
  const out = stringify({ header: true, columns: how.columns });
  const send = async () => {
    let rows = 0;
    try {
      let page: Page | undefined = first;
      while (page && !out.destroyed) {
        for (const row of page.data) {
          rows++;
          if (!out.write(how.columns.map((c) => cellOf(row, c)))) await drained(out);
        }
        page = page.next_cursor && !out.destroyed ? await pageAt(page.next_cursor) : undefined;
      }
    } finally {
      // What was read is audited, all of it or as far as a client that went away got: one event for
      // each facility whose people it named, so that each facility's overseers see it in their trail.
      const named = request.csvExport?.named ?? new Map<string, number>();
      if (named.size > 0) {
        await recordReads(
          app.db,
          actorOf(request),
          [...named].map(([facilityId, people]) => ({
            action: `${how.entity}.exported`,
            entityType: how.entity,
            entityId: null,
            facilityId,
            after: { filter, rows, named: people, url: request.url },
          })),
        );
      }
    }
    out.end();
  };
  send().catch((err) => {
    request.log.error({ err }, 'CSV export failed part-way');
    out.destroy(err as Error);
  });
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="bersinar-${how.operationId}.csv"`)
    .send(out);
}

/** Until the stream can take more, or is gone (the client went away). */
function drained(stream: NodeJS.WritableStream & { destroyed: boolean }): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
