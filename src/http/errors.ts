import { maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import {
  type FieldTextCode,
  fieldSentence,
  fieldTexts,
  type Locale,
  type Localized,
  reasons,
  zodIssuesId,
} from './messages.ts';
import { type FieldError, localeOf, Problem, problemBody, type Text } from './problem.ts';

type Issue = Pick<z.core.$ZodIssue, 'code' | 'message'> & Record<string, unknown>;

// zod keeps no params on a format check (a regex), only its message: a field text's English names the text.
const FIELD_TEXT_BY_ENGLISH = new Map(
  Object.entries(fieldTexts)
    .filter(([, sentence]) => sentence.en.length === 0)
    .map(([code, sentence]) => [sentence.en({}), code as FieldTextCode]),
);

/**
 * A zod issue's sentence in the caller's language: our refinements name a catalogue text in their
 * params (a regex by its message); a missing field is ours in both languages; other issues keep
 * zod's English and take the catalogue's Indonesian for their code.
 */
export function issueText(issue: Issue): Text {
  return (locale: Locale) => {
    const params = issue.params as { text?: string } | undefined;
    if (params?.text && params.text in fieldTexts) {
      return fieldSentence(params.text as FieldTextCode, params)[locale];
    }
    const named = FIELD_TEXT_BY_ENGLISH.get(issue.message);
    if (named) return fieldSentence(named)[locale];
    if (issue.received === 'undefined') return fieldSentence('required')[locale];
    if (locale === 'en') return issue.message;
    return (zodIssuesId[issue.code] ?? zodIssuesId.custom)(issue);
  };
}

/** A zod error's issues as field errors, each worded per request. */
export const issuesAt = (where: FieldError['in'], issues: readonly z.core.$ZodIssue[]): FieldError[] =>
  issues.map((i) => ({
    in: where,
    pointer: `/${i.path.join('/')}`,
    detail: issueText(i as unknown as Issue),
  }));

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** Walks an error and its causes (drizzle wraps driver errors) for a database error. */
function databaseCause(err: unknown): { code?: string; constraint?: string; message: string } | undefined {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; constraint?: string; message?: string; cause?: unknown };
    if (typeof e.code === 'string' && (/^[0-9A-Z]{5}$/.test(e.code) || CONNECTION_CODES.has(e.code))) {
      return { code: e.code, constraint: e.constraint, message: e.message ?? '' };
    }
    if (
      typeof e.message === 'string' &&
      /timeout exceeded when trying to connect|Query read timeout|Connection terminated|connection is closed|Client has encountered a connection error/i.test(
        e.message,
      )
    ) {
      return { code: '08006', message: e.message };
    }
    current = e.cause;
  }
  return undefined;
}

/**
 * The unique constraint a statement broke, if that is what was thrown: a service that checks a rule
 * first keeps the constraint as the backstop for concurrent writes and answers its violation with
 * the same problem as its own check.
 */
export function violatedUnique(err: unknown): string | undefined {
  const db = databaseCause(err);
  return db?.code === '23505' ? db.constraint : undefined;
}

/** A multipart/form-data body that cannot be read, for the reason given. */
export const malformedMultipart = (reason: Localized) => new Problem(400, 'malformed_multipart', { reason });

// busboy's errors carry no code, only their message.
const MULTIPART_FAULTS: [RegExp, Localized][] = [
  [/^Multipart: Boundary not found/, reasons.multipart_no_boundary],
  [/terminated early due to unexpected end|^Unexpected end of multipart data/, reasons.multipart_ends_early],
  [/^The needle cannot/, reasons.multipart_bad_boundary],
];

/** Maps whatever was thrown to a Problem, or undefined for a fault of ours (500). */
export function toProblem(err: FastifyError, bodyLimit: number, fileLimit?: number): Problem | undefined {
  if (err instanceof Problem) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err.validationContext ?? 'body') as FieldError['in'];
    const errors: FieldError[] = err.validation.map((v) => ({
      in: where,
      pointer: v.instancePath || '/',
      detail: issueText({ ...v.params, code: v.keyword, message: v.message ?? 'invalid' } as Issue),
    }));
    return new Problem(400, 'validation_failed', {}, { errors });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new Problem(400, 'malformed_json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem(413, 'body_too_large', { limit: bodyLimit });
    case 'FST_REQ_FILE_TOO_LARGE':
      return new Problem(413, 'body_too_large', { limit: fileLimit });
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new Problem(413, 'too_many_parts');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new Problem(415, 'unsupported_media_type', {
        type: { en: 'not multipart', id: 'bukan multipart' },
        accepts: 'multipart/form-data',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem(415, 'unsupported_media_type', { type: { en: 'given', id: 'yang dikirim' } });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new Problem(400, 'malformed_request', {
        reason: 'the body is not as long as Content-Length says',
        reason_id: 'panjang isi tidak sama dengan Content-Length',
      });
  }
  if (err instanceof SyntaxError && err.statusCode === 400) return new Problem(400, 'malformed_json');
  const multipartFault = MULTIPART_FAULTS.find(([pattern]) => pattern.test(err.message ?? ''));
  if (multipartFault) return malformedMultipart(multipartFault[1]);
  const db = databaseCause(err);
  if (db?.code) {
    if (CONNECTION_CODES.has(db.code) || db.code === '57014' || db.code.startsWith('08')) {
      return new Problem(503, 'database_unavailable', {}, { headers: { 'retry-after': '5' } });
    }
    if (db.code === '23505') return new Problem(409, 'already_exists', { field: fieldOf(db.constraint) });
    // Backstops for input the schemas let through (a NUL byte, a year the database refuses, a broken rule).
    if (db.code.startsWith('22')) {
      return new Problem(
        400,
        'validation_failed',
        {},
        { errors: [{ in: 'body', pointer: '/', detail: fieldSentence('database_value') }] },
      );
    }
    if (db.code === '23514' || db.code === '23503') {
      return new Problem(422, 'rule_violated', {
        en: `The request breaks a rule of the record (${db.constraint ?? 'constraint'}).`,
        id: `Permintaan melanggar aturan data (${db.constraint ?? 'constraint'}).`,
      });
    }
    if (db.code === '42501') {
      // A database guard (frozen report, append-only table) refused what the service let through.
      return new Problem(409, 'conflict', { reason: reasons.record_frozen });
    }
    if (db.code === '23P01') {
      // An exclusion constraint (a double booking) refused what a concurrent request took first.
      return new Problem(409, 'conflict', { reason: reasons.time_booked });
    }
    if (db.code === '40001' || db.code === '40P01') {
      return new Problem(409, 'conflict', { reason: reasons.concurrent_change });
    }
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    const detail =
      err.code === 'FST_PROTO_VIOLATION'
        ? fieldSentence('prototype_field_name')
        : fieldSentence('request_refused', { message: err.message });
    return new Problem(400, 'validation_failed', {}, { errors: [{ in: 'body', pointer: '/', detail }] });
  }
  return undefined;
}

// organisations_name_key -> name
function fieldOf(constraint?: string): string {
  if (!constraint) return 'key';
  return constraint.replace(/^[a-z]+?_/, '').replace(/_(key|pkey)$/, '');
}

/**
 * What of an error may be logged: drizzle's query errors carry every parameter (names, birth dates)
 * in their message, so only the statement's first words, codes and the stack are kept.
 */
export function loggableError(err: unknown): Record<string, unknown> {
  const e = err as { name?: string; message?: string; code?: string; stack?: string; cause?: unknown };
  const db = databaseCause(err);
  const message = String(e.message ?? '')
    .split('\nparams:')[0]
    ?.slice(0, 300);
  return {
    type: e.name,
    message,
    code: e.code ?? db?.code,
    constraint: db?.constraint,
    stack: e.stack
      ?.split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .slice(0, 10)
      .join('\n'),
  };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  for (const [name, value] of Object.entries(problem.extra.headers ?? {})) reply.header(name, value);
  const body = problemBody(problem, localeOf(request.headers), request.url, request.id);
  return reply.code(problem.status).type('application/problem+json').send(JSON.stringify(body));
}

export const errorsPlugin = fp(
  async (app: FastifyInstance, opts: { bodyLimit: number; fileLimit: number }) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      // An import route has a larger limit of its own: name the one that applied.
      const problem = toProblem(err, request.routeOptions?.bodyLimit ?? opts.bodyLimit, opts.fileLimit);
      if (problem) {
        if (problem.status >= 500) request.log.warn({ err: loggableError(err) }, problem.code);
        return sendProblem(request, reply, problem);
      }
      // A fault of ours: log it whole, show the client nothing of it.
      request.log.error({ err: loggableError(err) }, 'unhandled error');
      return sendProblem(request, reply, new Problem(500, 'internal_error'));
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(
        request,
        reply,
        new Problem(404, 'route_not_found', { method: request.method, path: request.url.split('?')[0] }),
      ),
    );
  },
  { name: 'errors' },
);

/**
 * The router's refusals (a URL that is not percent-encoded UTF-8, a path segment past
 * maxParamLength) come before any hook: they get helmet's headers and what `everyAnswer` sets.
 */
export function frameworkErrorHandler(
  headers: Record<string, string>,
  maxParamLength: number,
  everyAnswer: (request: FastifyRequest, reply: FastifyReply) => void,
) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    reply.headers(headers);
    everyAnswer(request, reply);
    const problem =
      err.code === 'FST_ERR_BAD_URL'
        ? new Problem(400, 'malformed_url')
        : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new Problem(414, 'uri_too_long', { limit: maxParamLength })
          : undefined;
    if (!problem) request.log.error({ err: loggableError(err) }, 'router error');
    return sendProblem(request, reply, problem ?? new Problem(500, 'internal_error'));
  };
}

const REASONS: Record<string, [string, string]> = {
  HPE_INVALID_METHOD: ['an unknown method', 'metode tidak dikenal'],
  HPE_INVALID_URL: ['an invalid request target', 'target permintaan tidak sah'],
  HPE_INVALID_VERSION: ['an invalid HTTP version', 'versi HTTP tidak sah'],
  HPE_INVALID_CONTENT_LENGTH: ['an invalid Content-Length', 'Content-Length tidak sah'],
  HPE_UNEXPECTED_CONTENT_LENGTH: ['both Content-Length and Transfer-Encoding', 'Content-Length dan Transfer-Encoding'],
};

/**
 * What Node's HTTP parser refuses before fastify sees a request (headers past maxHeaderSize, a
 * method or request line it cannot read, a request that never arrives whole): a complete raw
 * HTTP/1.1 answer, problem+json with the usual headers, then the connection is closed.
 */
export function clientErrorHandler(headers: Record<string, string>) {
  return function onClientError(
    this: FastifyInstance,
    err: Error & { code?: string; rawPacket?: unknown },
    socket: Socket,
  ) {
    // A connection the client reset, or one already gone: there is no one to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const [reason, reasonId] = REASONS[err.code ?? ''] ?? ['the request cannot be read', 'permintaan tidak terbaca'];
    const problem =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? new Problem(431, 'headers_too_large', { limit: maxHeaderSize })
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? new Problem(408, 'request_timeout')
          : new Problem(400, 'malformed_request', { reason, reason_id: reasonId });
    const id = uuidv7();
    this.log.debug({ code: err.code, reqId: id }, 'client error');
    if (socket.writable) {
      const body = JSON.stringify(
        problemBody(problem, 'en', pathOf(Buffer.isBuffer(err.rawPacket) ? err.rawPacket : undefined), id),
      );
      const lines = [
        `HTTP/1.1 ${problem.status} ${STATUS_TEXT[problem.status]}`,
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
        'content-type: application/problem+json; charset=utf-8',
        `content-length: ${Buffer.byteLength(body)}`,
        `x-request-id: ${id}`,
        'cache-control: no-store',
        'connection: close',
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    }
    socket.destroy();
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** The path of the request line, if it can be read (never its query); else the root. */
function pathOf(packet: Buffer | undefined): string {
  const line = packet?.subarray(0, 2048).toString('latin1') ?? '';
  const path = /^[A-Z]+ (\/[!-~]*?)(?:[?# ]|$)/.exec(line)?.[1];
  return path && path.length < 1024 ? path : '/';
}
