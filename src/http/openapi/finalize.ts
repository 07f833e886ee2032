// What the generated document lacks and every operation shares, added once the routes are read:
// problem answers, security, request and response headers, and the bodies the route schemas cannot say.
import { CSV_LISTS } from '../csv-export.ts';
import {
  COMMON,
  headerComponents,
  headersOf,
  INVALID_CLIENT,
  PROBLEMS,
  RATE_LIMIT,
  ref,
  responseComponents,
  SCHEMAS,
  SECURED,
  UPDATES,
  WRITES,
} from './components.ts';

export type Doc = {
  components?: Record<string, unknown>;
  paths?: Record<string, unknown>;
  webhooks?: Record<string, unknown>;
};
type Media = { schema?: Record<string, unknown>; encoding?: unknown; example?: unknown };
type Response = {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, Media>;
  $ref?: string;
};
type Parameter = { name?: string; in?: string; description?: string; schema?: { $ref?: string } };
type Operation = {
  operationId?: string;
  security?: unknown[];
  responses?: Record<string, Response>;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, Media> };
  'x-idempotency'?: string;
  'x-rate-limit'?: boolean;
  'x-described'?: Record<string, string>;
};

const ALSO_PRODUCES: Record<string, Record<string, unknown>> = {
  getFacilityScorecard: {
    'text/html': { schema: { type: 'string', description: 'A printable page with the score over eight periods' } },
  },
  listScorecards: {
    'text/csv': { schema: { type: 'string', description: 'The ranking, a header row and a row each' } },
  },
};

// Answers of 200 that also say where the record lives (a report changed, or evidence sent again).
const LOCATION_ON_200 = new Set(['updateInspection', 'submitInspection', 'signOffInspection', 'addEvidence']);

/** Adds what every operation shares: problem responses, security, and the request and response headers. */
export function finalize(doc: Doc): Doc {
  doc.components ??= {};
  const components = doc.components as Record<string, Record<string, unknown>>;
  components.schemas ??= {};
  const schemas = components.schemas as Record<string, Record<string, unknown>>;
  mergeIdSchemas(doc, schemas);
  components.responses = responseComponents();
  components.headers = headerComponents();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const described = op['x-described'] ?? {};
      delete op['x-described'];
      const idempotency = op['x-idempotency'] ?? 'optional';
      const rateLimited = op['x-rate-limit'] !== false;
      delete op['x-idempotency'];
      delete op['x-rate-limit'];
      const secured = !(Array.isArray(op.security) && op.security.length === 0);
      const codes = [
        ...COMMON,
        ...(secured ? SECURED : []),
        ...(method !== 'get' ? WRITES : []),
        ...(method === 'patch' || method === 'put' ? UPDATES : []),
        ...(path === '/v1/auth/token' ? ['401'] : []),
      ];
      op.responses ??= {};
      for (const code of codes) {
        const name = path === '/v1/auth/token' && code === '401' ? INVALID_CLIENT : PROBLEMS[code]?.[0];
        if (name) op.responses[code] ??= ref('responses', name);
      }
      op.parameters ??= [];
      // Path ids are the shared Id schema; the parameter keeps saying what it is.
      for (const parameter of op.parameters) {
        const schema = parameter.schema as { $ref?: string; description?: string } | undefined;
        if (schema?.$ref !== `${SCHEMAS}Id`) continue;
        parameter.description ??= described[parameter.name ?? ''] ?? schema.description ?? 'UUIDv7';
        delete schema.description;
      }
      const idempotent = method === 'post' && path.startsWith('/v1/') && !path.startsWith('/v1/auth/');
      if (idempotent && idempotency !== 'off') {
        op.parameters.push({
          name: 'Idempotency-Key',
          in: 'header',
          required: idempotency === 'required',
          description: 'Makes a retry safe: the same key and body return the first answer',
          schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
        } as Parameter);
      }
      if (method === 'patch' || method === 'put') {
        op.parameters.push({
          name: 'If-Match',
          in: 'header',
          required: true,
          description: 'The ETag last read',
          schema: { type: 'string' },
        } as Parameter);
      }
      if (op.parameters.length === 0) delete op.parameters;
      if (path === '/v1/evidence/{evidenceId}/file' && method === 'get') {
        op.responses['200'] = {
          description:
            'The evidence file, in its own media type, as an attachment (sandboxed by Content-Security-Policy, never sniffed); Repr-Digest carries its SHA-256',
          headers: headersOf('repr-digest', 'content-disposition'),
          content: { '*/*': { schema: { type: 'string', format: 'binary' }, example: '(the bytes of the file)' } },
        };
      }
      if (path.endsWith('/evidence') && method === 'post') evidenceBody(op, schemas);
      // Reports also answer as a page or a spreadsheet, by Accept.
      const also = ALSO_PRODUCES[op.operationId ?? ''];
      const ok = op.responses['200'];
      if (also && ok?.content) Object.assign(ok.content, also);
      if (CSV_LISTS[op.operationId ?? ''] && ok?.content) {
        ok.content['text/csv'] = {
          schema: {
            type: 'string',
            description:
              'The whole list (every page) as CSV: a header row, then a row each; nested fields as dotted columns, lists space-separated. Same filters and reach; streamed.',
          },
        };
      }
      // Imports take CSV as well as JSON (the csv content-type parser turns it into rows).
      const body = op.requestBody;
      if (path.endsWith('/import') && body?.content) {
        body.content['text/csv'] = {
          schema: {
            type: 'string',
            description: 'UTF-8, a header row, ; or , separated; columns as in the description',
          },
        };
      }
      // The headers of the answers that succeed.
      for (const [code, response] of Object.entries(op.responses)) {
        if (!code.startsWith('2') || response.$ref) continue;
        const headers: string[] = ['x-request-id'];
        if (versioned(response, schemas)) headers.push('etag');
        if (code === '201' || (code === '200' && LOCATION_ON_200.has(op.operationId ?? ''))) headers.push('location');
        if (idempotent && idempotency !== 'off') headers.push('idempotent-replayed');
        // A spreadsheet comes as an attachment with its own file name.
        if (code === '200' && response.content?.['text/csv']) headers.push('content-disposition');
        if (rateLimited) headers.push(...RATE_LIMIT);
        response.headers = { ...response.headers, ...headersOf(...headers) };
      }
    }
  }
  pruneUnusedSchemas(doc, schemas);
  return doc;
}

/** A record with a version is answered with that version as its ETag. */
function versioned(response: Response, schemas: Record<string, Record<string, unknown>>): boolean {
  const schema = response.content?.['application/json']?.schema;
  const resolved = typeof schema?.$ref === 'string' ? schemas[schema.$ref.slice(SCHEMAS.length)] : schema;
  const properties = resolved?.properties as Record<string, unknown> | undefined;
  return Boolean(properties && 'version' in properties && !('data' in properties));
}

/**
 * Evidence comes as JSON (a seized item without a file) or multipart with its one file. The
 * multipart form is its own schema: the fields and the file side by side, since an allOf of a
 * closed schema (additionalProperties false) would refuse every form that carries the file.
 */
function evidenceBody(op: Operation, schemas: Record<string, Record<string, unknown>>) {
  const fields = schemas.EvidenceCreateInput as { properties: Record<string, unknown>; required?: string[] };
  schemas.EvidenceUploadInput = {
    type: 'object',
    description: 'The fields of EvidenceCreateInput and one file, as multipart/form-data',
    properties: {
      ...fields.properties,
      file: {
        type: 'string',
        format: 'binary',
        description: 'The file: its type must be one the kind allows, and what its first bytes say it is',
      },
    },
    required: fields.required ?? [],
    additionalProperties: false,
  };
  op.requestBody = {
    required: true,
    content: {
      'application/json': { schema: ref('schemas', 'EvidenceCreateInput') },
      'multipart/form-data': {
        schema: ref('schemas', 'EvidenceUploadInput'),
        encoding: {
          file: {
            contentType:
              'image/jpeg, image/png, image/webp, image/heic, image/heif, video/mp4, video/quicktime, application/pdf',
          },
        },
      },
    },
  };
}

/** Calls `each` on every object of a JSON tree, a parent before its children. */
function eachObject(node: unknown, each: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) for (const item of node) eachObject(item, each);
  else if (node && typeof node === 'object') {
    each(node as Record<string, unknown>);
    for (const value of Object.values(node)) eachObject(value, each);
  }
}

/** Zod emits an input and an output form of the shared Id; they are the same, so one is kept. */
function mergeIdSchemas(doc: Doc, schemas: Record<string, unknown>) {
  if (!schemas.Id || !schemas.IdInput) return;
  const toId = (o: Record<string, unknown>) => {
    if (o.$ref === `${SCHEMAS}IdInput`) o.$ref = `${SCHEMAS}Id`;
  };
  eachObject(doc.paths, toId);
  eachObject(schemas, toId);
  delete schemas.IdInput;
}

// The transform emits an input and an output form of every registered schema; keep those in use.
function pruneUnusedSchemas(doc: Doc, schemas: Record<string, unknown>) {
  const used = new Set<string>();
  const follow = (o: Record<string, unknown>) => {
    if (typeof o.$ref !== 'string' || !o.$ref.startsWith(SCHEMAS)) return;
    const name = o.$ref.slice(SCHEMAS.length);
    if (used.has(name)) return;
    used.add(name);
    eachObject(schemas[name], follow);
  };
  eachObject(doc.paths, follow);
  eachObject((doc.components as Record<string, unknown>).responses, follow);
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}
