import contentDisposition from 'content-disposition';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { type FacilityReach, reachFor, recordsFacilityWork } from '../../core/access.ts';
import type { Executor } from '../../db/client.ts';
import { isoNotNull } from '../../http/dto.ts';
import { issuesAt, loggableError, malformedMultipart } from '../../http/errors.ts';
import { reasons } from '../../http/messages.ts';
import { CUT_SHORT, pipePart, watchClosingDelimiter } from '../../http/multipart.ts';
import { decodeCursor, page } from '../../http/pagination.ts';
import { presentPerson, seesPersonalData } from '../../http/personal-data.ts';
import { type Principal, principalOf } from '../../http/principal.ts';
import { forbidden, Problem } from '../../http/problem.ts';
import { Id, IdParams } from '../../http/schemas.ts';
import { etag, expectedVersion, performWrite } from '../../http/write.ts';
import { getFacility } from '../facilities/service.ts';
import { asciiFallback, ContentSniffer, checkEvidenceFile, safeFileName } from './evidence-content.ts';
import { SWEEP_EVERY_MS } from './evidence-store.ts';
import {
  Action,
  ActionCreate,
  ActionListQuery,
  ActionPage,
  ActionUpdate,
  AddendumCreate,
  AddendumRecord,
  CustodyCreate,
  CustodyEntry,
  Evidence,
  EvidenceCreate,
  FindingCreate,
  FindingPage,
  FindingRecord,
  InspectionCreate,
  InspectionListQuery,
  InspectionPage,
  InspectionReport,
  InspectionTopListQuery,
  InspectionUpdate,
} from './schemas.ts';
import {
  addAction,
  addAddendum,
  addCustody,
  addEvidence,
  addFinding,
  createInspection,
  evidenceFileInUse,
  getAction,
  getAddendum,
  getCustodyEntry,
  getEvidence,
  getFinding,
  getFindingInReach,
  getInspection,
  listActions,
  listInspections,
  loadReport,
  signOffInspection,
  submitInspection,
  toActionDto,
  toSummaryDto,
  updateAction,
  updateInspection,
} from './service.ts';
import type { addenda, custodyEntries, evidenceItems, findings } from './tables.ts';

const tags = ['Inspections'];

export async function inspectionRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = app.db;

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
  app.addHook('onReady', async () => {
    await sweep();
    sweeper = setInterval(sweep, SWEEP_EVERY_MS);
    sweeper.unref();
  });
  app.addHook('onClose', async () => clearInterval(sweeper));

  // A BNN officer reaches a facility's inspections only under an MoU with inspection in scope.
  const reachOf = reachFor(db, () => app.now(), 'inspections');

  async function writable(request: FastifyRequest, inspectionId: string, forUpdate = false) {
    const principal = principalOf(request);
    const reach = await reachOf(principal);
    const inspection = await getInspection(db, reach, inspectionId, forUpdate);
    if (!recordsFacilityWork(principal.role)) throw forbidden();
    const facility = await getFacility(db, reach, inspection.facilityId);
    return { principal, reach, inspection, facility };
  }

  const custodyDto = (c: typeof custodyEntries.$inferSelect) => ({
    id: c.id,
    handed_by: c.handedBy,
    handed_to: c.handedTo,
    handed_at: isoNotNull(c.handedAt),
    note: c.note,
    recorded_by: c.recordedBy,
    created_at: isoNotNull(c.createdAt),
  });
  const evidenceDto = (
    e: typeof evidenceItems.$inferSelect,
    custody: (typeof custodyEntries.$inferSelect)[],
    principal: Principal,
  ) => ({
    id: e.id,
    finding_id: e.findingId,
    kind: e.kind,
    description: e.description,
    seal_number: e.sealNumber,
    file:
      e.fileSha256 && e.fileSize !== null && e.fileMediaType
        ? {
            sha256: e.fileSha256,
            size: e.fileSize,
            media_type: e.fileMediaType,
            name: e.fileName,
            url: `/v1/evidence/${e.id}/file`,
          }
        : null,
    custody: custody
      .filter((c) => c.evidenceId === e.id)
      .map((c) => presentPerson(principal, 'custody_entries', custodyDto(c))),
    created_by: e.createdBy,
    created_at: isoNotNull(e.createdAt),
  });

  async function report(on: Executor, principal: Principal, inspectionId: string, reach?: FacilityReach) {
    const scope = reach ?? (await reachOf(principal));
    const inspection = await getInspection(on, scope, inspectionId);
    const facility = await getFacility(on, { all: true }, inspection.facilityId);
    const parts = await loadReport(on, inspection);
    const now = app.now();
    return {
      ...toSummaryDto(inspection, facility.timezone, parts.findingRows.length, seesPersonalData(principal)),
      findings: parts.findingRows.map((f) => ({
        id: f.id,
        category: f.category,
        description: f.description,
        quantity: Number(f.quantity),
        unit: f.unit,
        location: f.location,
        people: f.people.map((p) => ({ type: p.type, id: p.id ?? null })),
        evidence: parts.evidenceRows
          .filter((e) => e.findingId === f.id)
          .map((e) => evidenceDto(e, parts.custodyRows, principal)),
        created_by: f.createdBy,
        created_at: isoNotNull(f.createdAt),
      })),
      actions: parts.actionRows.map((a) => toActionDto(a, facility.timezone, now)),
      addenda: parts.addendumRows.map((a) => ({
        id: a.id,
        corrects_type: a.correctsType,
        corrects_id: a.correctsId,
        reason: a.reason,
        text: a.text,
        author_id: a.authorId,
        author_role: a.authorRole,
        created_at: isoNotNull(a.createdAt),
      })),
      version: inspection.version,
    };
  }

  /** Answers with the whole report after a change to it, read in the same transaction. */
  const reportAfter = async (tx: Executor, principal: Principal, inspectionId: string, status = 200) => {
    const body = await report(tx, principal, inspectionId, { all: true });
    return { status, body, headers: { etag: etag(body.version), location: `/v1/inspections/${inspectionId}` } };
  };

  async function list(request: FastifyRequest, q: z.infer<typeof InspectionTopListQuery>) {
    const principal = principalOf(request);
    const rows = await listInspections(db, await reachOf(principal), {
      facilityId: q.facility_id,
      kind: q.kind,
      status: q.status,
      from: q.from,
      to: q.to,
      hasFindings: q.has_findings === undefined ? undefined : q.has_findings === 'true',
      category: q.category,
      after: decodeCursor(q.cursor),
      limit: q.limit,
    });
    return page(
      rows,
      q.limit,
      (x) => x.row.id,
      (x) => toSummaryDto(x.row, x.timezone, x.findingCount, seesPersonalData(principal)),
    );
  }

  const listDescription =
    "Surprise and scheduled inspections (sidak) of the facilities in reach (for BNN officers: under an MoU with inspection in scope). Filters: kind, status, period (from/to, the facility's local dates), has_findings, category.";

  r.get(
    '/v1/facilities/:facilityId/inspections',
    {
      schema: {
        tags,
        operationId: 'listFacilityInspections',
        summary: "List a facility's inspections",
        description: listDescription,
        params: IdParams('facilityId'),
        querystring: InspectionListQuery,
        response: { 200: InspectionPage },
      },
    },
    async (request) => {
      await getFacility(db, await reachOf(principalOf(request)), request.params.facilityId);
      return list(request, { ...request.query, facility_id: request.params.facilityId });
    },
  );

  r.get(
    '/v1/inspections',
    {
      schema: {
        tags,
        operationId: 'listInspections',
        summary: 'List inspections',
        description: `${listDescription} facility_id narrows to one facility.`,
        querystring: InspectionTopListQuery,
        response: { 200: InspectionPage },
      },
    },
    async (request) => list(request, request.query),
  );

  r.get(
    '/v1/inspections/:inspectionId',
    {
      schema: {
        tags,
        operationId: 'getInspection',
        summary: 'Get an inspection report',
        description:
          'The whole report: findings with evidence and its chain of custody, corrective actions, addenda, submission and sign-off. Team names need personal_data.',
        params: IdParams('inspectionId'),
        response: { 200: InspectionReport },
      },
    },
    async (request, reply) => {
      const body = await report(db, principalOf(request), request.params.inspectionId);
      reply.header('etag', etag(body.version));
      return body;
    },
  );

  r.post(
    '/v1/facilities/:facilityId/inspections',
    {
      schema: {
        tags,
        operationId: 'createInspection',
        summary: 'Open an inspection report',
        description:
          "Facility staff and heads, administrators, or BNN officers under an MoU with inspection in scope. A draft until submitted. Times without an offset are the facility's local time; ended_at must follow started_at. Honours Idempotency-Key.",
        params: IdParams('facilityId'),
        body: InspectionCreate,
        response: { 201: InspectionReport },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const facility = await getFacility(db, await reachOf(principal), request.params.facilityId);
      if (!recordsFacilityWork(principal.role)) throw forbidden();
      return performWrite(request, reply, db, async (change) => {
        const row = await createInspection(change, facility, principal, request.body, app.now());
        return reportAfter(change.tx, principal, row.id, 201);
      });
    },
  );

  r.patch(
    '/v1/inspections/:inspectionId',
    {
      schema: {
        tags,
        operationId: 'updateInspection',
        summary: 'Edit a draft inspection',
        description:
          'Only while draft (409 after). Requires If-Match with the report ETag (428 without, 412 when stale).',
        params: IdParams('inspectionId'),
        body: InspectionUpdate,
        response: { 200: InspectionReport },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request);
      const { principal, inspection, facility } = await writable(request, request.params.inspectionId);
      return performWrite(request, reply, db, async (change) => {
        await updateInspection(change, facility, inspection, version, request.body, app.now());
        return reportAfter(change.tx, principal, inspection.id);
      });
    },
  );

  r.post(
    '/v1/inspections/:inspectionId/submit',
    {
      schema: {
        tags,
        operationId: 'submitInspection',
        summary: 'Submit a draft for sign-off',
        description: 'draft → submitted; nothing can be edited after. Honours Idempotency-Key.',
        params: IdParams('inspectionId'),
        response: { 200: InspectionReport },
      },
    },
    async (request, reply) => {
      const { principal } = await writable(request, request.params.inspectionId);
      return performWrite(request, reply, db, async (change) => {
        const inspection = await getInspection(change.tx, { all: true }, request.params.inspectionId, true);
        await submitInspection(change, principal, inspection, app.now());
        return reportAfter(change.tx, principal, inspection.id);
      });
    },
  );

  r.post(
    '/v1/inspections/:inspectionId/sign-off',
    {
      schema: {
        tags,
        operationId: 'signOffInspection',
        summary: 'Sign a submitted report off',
        description:
          'Only the head (Karutan/Kalapas) of the inspected facility (403 for anyone else). submitted → signed_off: the report is frozen; corrections are addenda. Honours Idempotency-Key.',
        params: IdParams('inspectionId'),
        response: { 200: InspectionReport },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await getInspection(db, await reachOf(principal), request.params.inspectionId);
      return performWrite(request, reply, db, async (change) => {
        const inspection = await getInspection(change.tx, { all: true }, request.params.inspectionId, true);
        await signOffInspection(change, principal, inspection, app.now());
        return reportAfter(change.tx, principal, inspection.id);
      });
    },
  );

  r.post(
    '/v1/inspections/:inspectionId/findings',
    {
      schema: {
        tags,
        operationId: 'addFinding',
        summary: 'Record a finding',
        description:
          'On a draft only. People involved come from the registers of the inspected facility (422 otherwise). Narcotics flag the report and create the 48-hour hand-over action by themselves. Answers the finding, with Location; the report has a new version (read it again before editing it). Honours Idempotency-Key.',
        params: IdParams('inspectionId'),
        body: FindingCreate,
        response: { 201: FindingRecord },
      },
    },
    async (request, reply) => {
      const { principal, facility } = await writable(request, request.params.inspectionId);
      return performWrite(request, reply, db, async (change) => {
        const inspection = await getInspection(change.tx, { all: true }, request.params.inspectionId, true);
        const row = await addFinding(change, facility, principal, inspection, request.body, app.now());
        return {
          status: 201,
          body: findingDto(row, [], [], principal),
          headers: { location: `/v1/findings/${row.id}` },
        };
      });
    },
  );

  r.post(
    '/v1/inspections/:inspectionId/findings/:findingId/evidence',
    {
      config: { idempotency: 'off', multipart: true },
      schema: {
        tags,
        operationId: 'addEvidence',
        summary: 'Attach evidence to a finding',
        description: `On a draft only. JSON for a seized item without a file (its seal number required), or multipart/form-data with the fields kind, description, seal_number and one file: photo (JPEG, PNG, WebP, HEIC), video (MP4, QuickTime), document (PDF, JPEG, PNG), seized_item (a photo of it). The content must be what it claims and an image may carry no HTML or script (415); at most ${Math.round(app.config.EVIDENCE_MAX_BYTES / 1_048_576)} MiB (413). A body without a boundary or cut before its closing boundary is a 400 (malformed_multipart). The file name is kept without path, control or bidi characters, in NFC, at most 255 characters. The service keeps the file's SHA-256 and size; the same file sent again to the same finding answers the first record (200), so uploads are safe to retry.`,
        params: IdParams('inspectionId').extend({ findingId: Id }),
        response: { 200: Evidence, 201: Evidence },
      },
    },
    async (request, reply) => {
      const { principal, inspection } = await writable(request, request.params.inspectionId);
      const finding = await getFinding(db, inspection.id, request.params.findingId);
      if (inspection.status !== 'draft') throw new Problem(409, 'conflict', { reason: reasons.evidence_on_draft });
      const saved: string[] = [];
      try {
        const upload = request.isMultipart()
          ? await readUpload(request, saved)
          : { fields: request.body, file: undefined };
        const fields = upload.fields;
        const parsed = EvidenceCreate.safeParse(fields);
        if (!parsed.success) {
          throw new Problem(400, 'validation_failed', {}, { errors: issuesAt('body', parsed.error.issues) });
        }
        const file = upload.file && {
          ...upload.file,
          mediaType: checkEvidenceFile(parsed.data.kind, upload.file.declared, upload.file.content),
        };
        return await performWrite(request, reply, db, async (change) => {
          const locked = await getInspection(change.tx, { all: true }, inspection.id, true);
          const { row, created } = await addEvidence(change, principal, locked, finding, parsed.data, file);
          return {
            status: created ? 201 : 200,
            body: evidenceDto(row, [], principal),
            headers: { location: `/v1/inspections/${inspection.id}` },
          };
        });
      } catch (err) {
        for (const key of saved) await discard(key);
        throw err;
      }
    },
  );

  /** A refused upload leaves no file behind, unless the same bytes already belong to evidence on record. */
  async function discard(key: string) {
    if (!(await evidenceFileInUse(db, key))) await app.evidenceStore.remove(key);
  }

  /**
   * Streams the one file of a multipart upload into the evidence store, hashing and sniffing it on
   * the way. A body cut short or dropped by its client fails here, at once, with nothing kept.
   */
  async function readUpload(request: FastifyRequest, saved: string[]) {
    const fields: Record<string, unknown> = {};
    let file:
      | {
          sha256: string;
          size: number;
          key: string;
          declared: string;
          name: string | null;
          content: { type: string | undefined; markup: boolean };
        }
      | undefined;
    const parts = request.parts()[Symbol.asyncIterator]();
    // The first step sets the parser up and starts the body flowing into it; the watch reads beside it.
    const first = parts.next();
    const closed = watchClosingDelimiter(request.raw, request.headers['content-type']);
    try {
      for (let step = await first; !step.done; step = await parts.next()) {
        const part = step.value;
        if (part.type === 'field') {
          fields[part.fieldname] = part.value;
          continue;
        }
        const sniffer = new ContentSniffer();
        // A cut or dropped upload fails the stream the store reads (its file is closed and removed).
        const stored = await app.evidenceStore.save(pipePart(part.file, sniffer));
        saved.push(stored.key);
        if (part.file.truncated) throw Object.assign(new Error('file too large'), { code: 'FST_REQ_FILE_TOO_LARGE' });
        file = {
          ...stored,
          declared: part.mimetype,
          name: safeFileName(part.filename),
          content: await sniffer.verdict(),
        };
      }
      // The parser ends a body without its closing boundary as if it were whole.
      if (!closed()) throw malformedMultipart(reasons.multipart_ends_early);
    } catch (err) {
      if (!request.raw.complete && request.raw.destroyed) {
        request.log.info('evidence upload dropped by its client before its end');
        throw malformedMultipart(reasons.multipart_client_left);
      }
      const e = err as { code?: string; message?: string };
      if (e.code === CUT_SHORT || e.code === 'ERR_STREAM_PREMATURE_CLOSE' || /terminated early/.test(e.message ?? ''))
        throw malformedMultipart(reasons.multipart_ends_early);
      throw err;
    }
    return { fields, file };
  }

  r.get(
    '/v1/evidence/:evidenceId/file',
    {
      schema: {
        tags,
        operationId: 'getEvidenceFile',
        summary: 'Download an evidence file',
        description:
          'The file as uploaded, with its SHA-256 in the Repr-Digest header, as an attachment under its file name. Same reach as the report.',
        params: IdParams('evidenceId'),
        // The 200 (the file's own bytes and type) is written into the contract by src/http/openapi.ts.
      },
    },
    async (request, reply) => {
      const evidence = await getEvidence(db, await reachOf(principalOf(request)), request.params.evidenceId);
      if (!evidence.storageKey || !evidence.fileMediaType || !evidence.fileSha256)
        throw new Problem(404, 'not_found', { entity: 'file' });
      // Opened before answering: a file gone from the store is a fault of ours, told as one.
      const file = await app.evidenceStore.open(evidence.storageKey).catch((err) => {
        request.log.error({ err: loggableError(err), evidence: evidence.id }, 'evidence file missing or unreadable');
        throw new Problem(500, 'internal_error');
      });
      const name = safeFileName(evidence.fileName) ?? `evidence-${evidence.id}`;
      // Never shown as a page: downloaded, not sniffed, and sandboxed should a browser render it anyway.
      return reply
        .type(evidence.fileMediaType)
        .header('content-disposition', contentDisposition(name, { fallback: asciiFallback(name) }))
        .header('content-security-policy', 'sandbox')
        .header('x-content-type-options', 'nosniff')
        .header('repr-digest', `sha-256=:${Buffer.from(evidence.fileSha256, 'hex').toString('base64')}:`)
        .header('cache-control', 'private, no-store')
        .send(file);
    },
  );

  r.post(
    '/v1/evidence/:evidenceId/custody',
    {
      schema: {
        tags,
        operationId: 'addCustodyEntry',
        summary: 'Record a handover of evidence',
        description:
          'Chain of custody: who handed the item to whom, and when (between the start of the inspection and now). Append-only, and allowed after sign-off since the goods travel on. Answers the entry, with Location. Honours Idempotency-Key.',
        params: IdParams('evidenceId'),
        body: CustodyCreate,
        response: { 201: CustodyEntry },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      const evidence = await getEvidence(db, reach, request.params.evidenceId);
      const { inspection, facility } = await writable(request, evidence.inspectionId);
      return performWrite(request, reply, db, async (change) => {
        const row = await addCustody(
          change,
          principal,
          facility.timezone,
          evidence,
          inspection,
          request.body,
          app.now(),
        );
        return {
          status: 201,
          body: custodyEntryDto(row, principal),
          headers: { location: `/v1/custody-entries/${row.id}` },
        };
      });
    },
  );

  r.post(
    '/v1/inspections/:inspectionId/actions',
    {
      schema: {
        tags,
        operationId: 'addCorrectiveAction',
        summary: 'Add a corrective action',
        description:
          'Until sign-off. Owner: an organisation or an officer of the facility; due no earlier than the inspection (422). Honours Idempotency-Key.',
        params: IdParams('inspectionId'),
        body: ActionCreate,
        response: { 201: Action },
      },
    },
    async (request, reply) => {
      const { facility } = await writable(request, request.params.inspectionId);
      return performWrite(request, reply, db, async (change) => {
        const inspection = await getInspection(change.tx, { all: true }, request.params.inspectionId, true);
        const row = await addAction(change, facility, inspection, request.body);
        return {
          status: 201,
          body: toActionDto(row, facility.timezone, app.now()),
          headers: { location: `/v1/corrective-actions/${row.id}`, etag: etag(row.version) },
        };
      });
    },
  );

  async function actionsPage(request: FastifyRequest, q: z.infer<typeof ActionListQuery>) {
    const now = app.now();
    const rows = await listActions(
      db,
      await reachOf(principalOf(request)),
      {
        facilityId: q.facility_id,
        inspectionId: q.inspection_id,
        status: q.status,
        overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
        after: decodeCursor(q.cursor),
        limit: q.limit,
      },
      now,
    );
    return page(
      rows,
      q.limit,
      (x) => x.row.id,
      (x) => toActionDto(x.row, x.timezone, now),
    );
  }

  r.get(
    '/v1/corrective-actions',
    {
      schema: {
        tags,
        operationId: 'listCorrectiveActions',
        summary: 'List corrective actions',
        description:
          "Across the caller's facilities. overdue=true: open or in progress past the due date by each facility's own calendar (a WITA facility's day ends an hour before a WIB one's). status filters the stored status (open, in_progress, done, verified); overdue is the derived state.",
        querystring: ActionListQuery,
        response: { 200: ActionPage },
      },
    },
    async (request) => actionsPage(request, request.query),
  );

  r.get(
    '/v1/inspections/:inspectionId/actions',
    {
      schema: {
        tags,
        operationId: 'listInspectionActions',
        summary: "List an inspection's corrective actions",
        description: 'The actions of one report in reach (404 otherwise), with their derived overdue state.',
        params: IdParams('inspectionId'),
        querystring: ActionListQuery.omit({ inspection_id: true, facility_id: true }),
        response: { 200: ActionPage },
      },
    },
    async (request) => {
      await getInspection(db, await reachOf(principalOf(request)), request.params.inspectionId);
      return actionsPage(request, { ...request.query, inspection_id: request.params.inspectionId });
    },
  );

  r.get(
    '/v1/inspections/:inspectionId/findings',
    {
      schema: {
        tags,
        operationId: 'listInspectionFindings',
        summary: "List an inspection's findings",
        description:
          'The findings of one report in reach, with their evidence and chain of custody, oldest first; one page.',
        params: IdParams('inspectionId'),
        response: { 200: FindingPage },
      },
    },
    async (request) => {
      const full = await report(db, principalOf(request), request.params.inspectionId);
      return { data: full.findings, next_cursor: null };
    },
  );

  r.get(
    '/v1/corrective-actions/:actionId',
    {
      schema: {
        tags,
        operationId: 'getCorrectiveAction',
        summary: 'Get a corrective action',
        description: 'One action in reach, with its derived overdue state and version as ETag.',
        params: IdParams('actionId'),
        response: { 200: Action },
      },
    },
    async (request, reply) => {
      const reach = await reachOf(principalOf(request));
      const row = await getAction(db, reach, request.params.actionId);
      const facility = await getFacility(db, reach, row.facilityId);
      reply.header('etag', etag(row.version));
      return toActionDto(row, facility.timezone, app.now());
    },
  );

  r.patch(
    '/v1/corrective-actions/:actionId',
    {
      schema: {
        tags,
        operationId: 'updateCorrectiveAction',
        summary: 'Progress a corrective action',
        description:
          'open → in_progress → done (with a closing comment) → verified; also after sign-off. Requires If-Match.',
        params: IdParams('actionId'),
        body: ActionUpdate,
        response: { 200: Action },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request);
      const principal = principalOf(request);
      const reach = await reachOf(principal);
      const before = await getAction(db, reach, request.params.actionId);
      const facility = await getFacility(db, reach, before.facilityId);
      if (!recordsFacilityWork(principal.role)) throw forbidden();
      return performWrite(request, reply, db, async (change) => {
        const row = await updateAction(change, before, version, request.body, app.now());
        return {
          status: 200,
          body: toActionDto(row, facility.timezone, app.now()),
          headers: { etag: etag(row.version) },
        };
      });
    },
  );

  r.post(
    '/v1/inspections/:inspectionId/addenda',
    {
      schema: {
        tags,
        operationId: 'addAddendum',
        summary: 'Correct a signed-off report with an addendum',
        description:
          'Only once signed off (a draft is edited directly). Names the part it corrects (the inspection, a finding, evidence or an action of this report), with reason and text; the author is the caller. Answers the addendum, with Location. Honours Idempotency-Key.',
        params: IdParams('inspectionId'),
        body: AddendumCreate,
        response: { 201: AddendumRecord },
      },
    },
    async (request, reply) => {
      const { principal } = await writable(request, request.params.inspectionId);
      return performWrite(request, reply, db, async (change) => {
        const inspection = await getInspection(change.tx, { all: true }, request.params.inspectionId, true);
        const row = await addAddendum(change, principal, inspection, request.body);
        return { status: 201, body: addendumDto(row), headers: { location: `/v1/addenda/${row.id}` } };
      });
    },
  );

  // ---- the records a POST creates, read on their own (same reach and personal data as the report) ----
  const findingDto = (
    f: typeof findings.$inferSelect,
    evidenceRows: (typeof evidenceItems.$inferSelect)[],
    custodyRows: (typeof custodyEntries.$inferSelect)[],
    principal: Principal,
  ) => ({
    id: f.id,
    inspection_id: f.inspectionId,
    category: f.category,
    description: f.description,
    quantity: Number(f.quantity),
    unit: f.unit,
    location: f.location,
    people: f.people.map((p) => ({ type: p.type, id: p.id ?? null })),
    evidence: evidenceRows.map((e) => evidenceDto(e, custodyRows, principal)),
    created_by: f.createdBy,
    created_at: isoNotNull(f.createdAt),
  });
  const addendumDto = (a: typeof addenda.$inferSelect) => ({
    id: a.id,
    inspection_id: a.inspectionId,
    corrects_type: a.correctsType,
    corrects_id: a.correctsId,
    reason: a.reason,
    text: a.text,
    author_id: a.authorId,
    author_role: a.authorRole,
    created_at: isoNotNull(a.createdAt),
  });
  const custodyEntryDto = (c: typeof custodyEntries.$inferSelect, principal: Principal) =>
    presentPerson(principal, 'custody_entries', { ...custodyDto(c), evidence_id: c.evidenceId });

  r.get(
    '/v1/findings/:findingId',
    {
      schema: {
        tags,
        operationId: 'getFinding',
        summary: 'Get a finding',
        description:
          'One finding of a report in reach (404 otherwise), with its evidence and their chain of custody; the custodians are named only with personal_data.',
        params: IdParams('findingId'),
        response: { 200: FindingRecord },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { row, evidenceRows, custodyRows } = await getFindingInReach(
        db,
        await reachOf(principal),
        request.params.findingId,
      );
      return findingDto(row, evidenceRows, custodyRows, principal);
    },
  );

  r.get(
    '/v1/addenda/:addendumId',
    {
      schema: {
        tags,
        operationId: 'getAddendum',
        summary: 'Get an addendum',
        description: 'One correction of a signed-off report in reach (404 otherwise).',
        params: IdParams('addendumId'),
        response: { 200: AddendumRecord },
      },
    },
    async (request) =>
      addendumDto(await getAddendum(db, await reachOf(principalOf(request)), request.params.addendumId)),
  );

  r.get(
    '/v1/custody-entries/:entryId',
    {
      schema: {
        tags,
        operationId: 'getCustodyEntry',
        summary: 'Get a custody entry',
        description:
          'One handover of evidence of a report in reach (404 otherwise); who handed it and to whom need personal_data.',
        params: IdParams('entryId'),
        response: { 200: CustodyEntry },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return custodyEntryDto(await getCustodyEntry(db, await reachOf(principal), request.params.entryId), principal);
    },
  );
}
