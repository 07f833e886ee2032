import contentDisposition from 'content-disposition';
import type { FastifyRequest } from 'fastify';
import { issuesAt, loggableError, malformedMultipart } from '../../http/errors.ts';
import { reasons } from '../../http/messages.ts';
import { CUT_SHORT, pipePart, watchClosingDelimiter } from '../../http/multipart.ts';
import { principalOf } from '../../http/principal.ts';
import { Problem } from '../../http/problem.ts';
import type { Router } from '../../http/router.ts';
import { Id, IdParams } from '../../http/schemas.ts';
import { keptAnswer, performWrite } from '../../http/write.ts';
import { addCustody, readCustodyEntry } from './custody.ts';
import { addEvidence, checkEvidenceTarget, evidenceFile, removeUnusedFile } from './evidence.ts';
import { asciiFallback, ContentSniffer, checkEvidenceFile, safeFileName } from './evidence-content.ts';
import { CustodyCreate, CustodyEntry, Evidence, EvidenceCreate, tags } from './schemas.ts';

/** Evidence, its files and its chain of custody: each route its schema and one service command. */
export const evidenceRoutes = {
  addEvidence: (r: Router) =>
    r.post(
      '/v1/inspections/:inspectionId/findings/:findingId/evidence',
      {
        config: { multipart: true },
        schema: {
          tags,
          operationId: 'addEvidence',
          summary: 'Attach evidence to a finding',
          description: `On a draft only. JSON for a seized item without a file (its seal number required), or multipart/form-data with the fields kind, description, seal_number and one file: photo (JPEG, PNG, WebP, HEIC), video (MP4, QuickTime), document (PDF, JPEG, PNG), seized_item (a photo of it). The content must be what it claims and an image may carry no HTML or script (415); at most ${Math.round(r.config.EVIDENCE_MAX_BYTES / 1_048_576)} MiB (413). A body without a boundary or cut before its closing boundary is a 400 (malformed_multipart). The file name is kept without path, control or bidi characters, in NFC, at most 255 characters. The service keeps the file's SHA-256 and size; the same file sent again to the same finding answers the first record (200), so uploads are safe to retry. Two uploads of the same bytes share one stored file: should another upload of them be refused and remove it while this one finishes, this one is a 503 (evidence_file_gone) with nothing recorded, to send again. Honours Idempotency-Key, a multipart upload too: a resend with the same fields and file (same bytes, name and type) answers as the first did, even after the report has moved on, and keeps nothing new; other content under the same key is a 422 (idempotency_key_reused), read in full first.`,
          params: IdParams('inspectionId').extend({ findingId: Id }),
          response: { 200: Evidence, 201: Evidence },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { inspectionId, findingId } = request.params;
        const multipart = request.isMultipart();
        // A resend under a key already answered gets that answer (or a 422) once its content is read,
        // though the report may have moved on since; any other upload is refused before a byte is taken in.
        const resent = multipart && (await keptAnswer(request, r.db));
        if (!resent) await checkEvidenceTarget(r.db, principal, inspectionId, findingId, r.now());
        const saved: string[] = [];
        // A refused or replayed upload leaves no file behind, unless the same bytes belong to evidence on record.
        const removeUnused = async () => {
          for (const key of saved) await removeUnusedFile(r.db, key, (k) => r.evidenceStore.remove(k));
        };
        try {
          const upload = multipart ? await readUpload(r, request, saved) : { fields: request.body, file: undefined };
          const parsed = EvidenceCreate.safeParse(upload.fields);
          if (!parsed.success) {
            throw new Problem(400, 'validation_failed', {}, { errors: issuesAt('body', parsed.error.issues) });
          }
          const received = upload.file;
          const file = received && {
            ...received,
            mediaType: checkEvidenceFile(parsed.data.kind, received.declared, received.content),
            stored: () => r.evidenceStore.has(received.key),
          };
          // What a multipart body is, for its key: its fields and its file's bytes, name and declared type.
          const content = multipart
            ? {
                multipart: {
                  fields: upload.fields,
                  file: file && { sha256: file.sha256, name: file.name, type: file.declared },
                },
              }
            : request.body;
          // Having read the whole body, a resend waits for a first request still writing rather than a 409.
          return await performWrite(
            request,
            reply,
            r.db,
            async (change) => {
              const { body, created } = await addEvidence(
                change,
                principal,
                inspectionId,
                findingId,
                parsed.data,
                file,
              );
              return { status: created ? 201 : 200, body, headers: { location: `/v1/inspections/${inspectionId}` } };
            },
            { content, wait: multipart, onReplay: removeUnused },
          );
        } catch (err) {
          await removeUnused();
          throw err;
        }
      },
    ),

  getEvidenceFile: (r: Router) =>
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
        const evidence = await evidenceFile(r.db, principalOf(request), request.params.evidenceId, r.now());
        // Opened before answering: a file gone from the store is a fault of ours, told as one.
        const file = await r.evidenceStore.open(evidence.key).catch((err) => {
          request.log.error({ err: loggableError(err), evidence: evidence.id }, 'evidence file missing or unreadable');
          throw new Problem(500, 'internal_error');
        });
        const name = safeFileName(evidence.name) ?? `evidence-${evidence.id}`;
        // Never shown as a page: downloaded, not sniffed, and sandboxed should a browser render it anyway.
        return reply
          .type(evidence.mediaType)
          .header('content-disposition', contentDisposition(name, { fallback: asciiFallback(name) }))
          .header('content-security-policy', 'sandbox')
          .header('x-content-type-options', 'nosniff')
          .header('repr-digest', `sha-256=:${Buffer.from(evidence.sha256, 'hex').toString('base64')}:`)
          .header('cache-control', 'private, no-store')
          .send(file);
      },
    ),

  addCustodyEntry: (r: Router) =>
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
      async (request, reply) =>
        performWrite(request, reply, r.db, async (change) => {
          const body = await addCustody(change, principalOf(request), request.params.evidenceId, request.body, r.now());
          return { status: 201, body, headers: { location: `/v1/custody-entries/${body.id}` } };
        }),
    ),

  getCustodyEntry: (r: Router) =>
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
      async (request) => readCustodyEntry(r.db, principalOf(request), request.params.entryId, r.now()),
    ),
};

/**
 * Streams the one file of a multipart upload into the evidence store, hashing and sniffing it on
 * the way. A body cut short or dropped by its client fails here, at once, with nothing kept.
 */
async function readUpload(r: Router, request: FastifyRequest, saved: string[]) {
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
      const stored = await r.evidenceStore.save(pipePart(part.file, sniffer));
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
