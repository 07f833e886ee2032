import type { z } from 'zod';
import type { Change } from '../core/change.ts';
import type { Db } from '../core/executor.ts';
import type { ReadRecord } from '../core/named-read.ts';
import {
  ImportBody,
  type ImportOptions,
  ImportQuery,
  ImportReport,
  type ImportReportDto,
  type ImportRow,
} from './import.ts';
import { auditPersonalRead, readRecordOf } from './personal-data.ts';
import { type Principal, principalOf } from './principal.ts';
import { localeOf } from './problem.ts';
import type { Router } from './router.ts';
import { IdParams } from './schemas.ts';
import { expectedVersion, performWrite } from './write.ts';

// The routes the registers of people (inmates, officers) share: list (a facility's and across
// reach), read one, add, correct and import. Each module gives its texts, schemas and service
// commands; the routes are the same shape for both, and only these lines know it.

/** A person as a register answers them: enough to audit a read of them. */
interface Person {
  id: string;
  facility_id: string;
}

interface Doc {
  operationId: string;
  summary: string;
  description: string;
}

export interface RegisterSpec<Keep, KeepPerson, Query, Create, Update> {
  tags: string[];
  /** The people's name in paths: `inmates` in /v1/inmates and /v1/facilities/{facilityId}/inmates. */
  plural: string;
  /** The path parameter of one person: `inmateId`. */
  idParam: string;
  /** The entity type of the audit event a read of named people leaves: `inmate`. */
  entity: string;
  /** The columns a CSV import must have. */
  csvColumns: readonly string[];
  schemas: {
    listQuery: z.ZodType;
    topListQuery: z.ZodType;
    page: z.ZodType;
    one: z.ZodType;
    item: z.ZodType;
    create: z.ZodType<Create>;
    update: z.ZodType<Update>;
  };
  docs: Record<'listFacility' | 'list' | 'get' | 'create' | 'update' | 'import', Doc>;
  commands: {
    /** A page of the people in reach; with facilityId, of that facility (404 out of reach). */
    list(
      db: Db,
      principal: Principal,
      query: Query,
      now: Date,
      facilityId?: string,
      /** The read's audit event, written in the statement that reads the page (core/named-read.ts). */
      record?: ReadRecord,
    ): Promise<{ data: Person[]; next_cursor: string | null }>;
    /** One person in reach (404 otherwise). */
    read(db: Db, principal: Principal, id: string, now: Date): Promise<Person>;
    /** A facility's register to write to: 404 out of reach, then 403 for a role that does not keep it. */
    keep(db: Db, principal: Principal, facilityId: string, now: Date): Promise<Keep>;
    /** A person to write to, with their facility's register: 404 out of reach, then 403. */
    keepPerson(db: Db, principal: Principal, id: string, now: Date): Promise<KeepPerson>;
    create(change: Change, kept: Keep, input: Create): Promise<Person>;
    update(change: Change, kept: KeepPerson, expectedVersion: number, input: Update): Promise<Person>;
    import(change: Change, kept: Keep, rows: ImportRow[], options: ImportOptions): Promise<ImportReportDto>;
  };
}

type FacilityParams = { facilityId: string };

/**
 * The shared routes of a register, each a registrar for the module's list of routes (the contract
 * lists operations in the order they are registered). Refusals keep their order: a malformed
 * Idempotency-Key is refused by the replay step before any handler; then an update's If-Match,
 * then the register's reach (404) and role (403), all before the write's transaction opens.
 */
export function registerRoutes<Keep, KeepPerson, Query, Create, Update>(
  spec: RegisterSpec<Keep, KeepPerson, Query, Create, Update>,
) {
  const { tags, plural, idParam, entity, schemas, docs, commands } = spec;
  const idOf = (params: unknown) => (params as Record<string, string>)[idParam] as string;

  return {
    listFacility: (r: Router) =>
      r.get(
        `/v1/facilities/:facilityId/${plural}`,
        {
          schema: {
            tags,
            ...docs.listFacility,
            params: IdParams('facilityId'),
            querystring: schemas.listQuery,
            response: { 200: schemas.page },
          },
        },
        async (request) => {
          const { facilityId } = request.params as FacilityParams;
          const query = { ...(request.query as object), facility_id: facilityId } as Query;
          const record = readRecordOf(request, entity);
          const answer = await commands.list(r.db, principalOf(request), query, r.now(), facilityId, record);
          if (!record) await auditPersonalRead(r.db, request, entity, answer.data);
          return answer;
        },
      ),

    list: (r: Router) =>
      r.get(
        `/v1/${plural}`,
        {
          schema: { tags, ...docs.list, querystring: schemas.topListQuery, response: { 200: schemas.page } },
        },
        async (request) => {
          const record = readRecordOf(request, entity);
          const answer = await commands.list(
            r.db,
            principalOf(request),
            request.query as Query,
            r.now(),
            undefined,
            record,
          );
          if (!record) await auditPersonalRead(r.db, request, entity, answer.data);
          return answer;
        },
      ),

    get: (r: Router) =>
      r.get(
        `/v1/${plural}/:${idParam}`,
        { schema: { tags, ...docs.get, params: IdParams(idParam), response: { 200: schemas.one } } },
        async (request) => {
          const answer = await commands.read(r.db, principalOf(request), idOf(request.params), r.now());
          await auditPersonalRead(r.db, request, entity, [{ id: answer.id, facility_id: answer.facility_id }]);
          return answer;
        },
      ),

    create: (r: Router) =>
      r.post(
        `/v1/facilities/:facilityId/${plural}`,
        {
          schema: {
            tags,
            ...docs.create,
            params: IdParams('facilityId'),
            body: schemas.create,
            response: { 201: schemas.item },
          },
        },
        async (request, reply) => {
          const { facilityId } = request.params as FacilityParams;
          const kept = await commands.keep(r.db, principalOf(request), facilityId, r.now());
          return performWrite(request, reply, r.db, async (change) => {
            const body = await commands.create(change, kept, request.body as Create);
            return { status: 201, body, headers: { location: `/v1/${plural}/${body.id}` } };
          });
        },
      ),

    update: (r: Router) =>
      r.patch(
        `/v1/${plural}/:${idParam}`,
        {
          schema: {
            tags,
            ...docs.update,
            params: IdParams(idParam),
            body: schemas.update,
            response: { 200: schemas.item },
          },
        },
        async (request, reply) => {
          const version = expectedVersion(request);
          const kept = await commands.keepPerson(r.db, principalOf(request), idOf(request.params), r.now());
          return performWrite(request, reply, r.db, async (change) => ({
            status: 200,
            body: await commands.update(change, kept, version, request.body as Update),
          }));
        },
      ),

    import: (r: Router) =>
      r.post(
        `/v1/facilities/:facilityId/${plural}/import`,
        {
          bodyLimit: r.config.IMPORT_BODY_LIMIT_BYTES,
          config: { csvColumns: spec.csvColumns },
          schema: {
            tags,
            ...docs.import,
            params: IdParams('facilityId'),
            querystring: ImportQuery,
            body: ImportBody,
            response: { 200: ImportReport },
          },
        },
        async (request, reply) => {
          const kept = await commands.keep(r.db, principalOf(request), request.params.facilityId, r.now());
          const { dry_run: dryRun, atomic } = request.query;
          const options = { dryRun, atomic, locale: localeOf(request.headers) };
          return performWrite(request, reply, r.db, async (change) => ({
            status: 200,
            body: await commands.import(change, kept, request.body, options),
          }));
        },
      ),
  };
}
