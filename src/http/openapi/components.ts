// The parts of the contract every operation shares: the response headers clients rely on and the
// problem answers, declared once as components and named where an operation sends them.

/** Where the document's components are; a reference names one. */
export const SCHEMAS = '#/components/schemas/';
export const ref = (kind: 'headers' | 'responses' | 'schemas', name: string) => ({
  $ref: `#/components/${kind}/${name}`,
});

/** The response headers clients rely on, declared once and named where an operation sends them. */
const HEADERS: Record<string, { name: string; header: Record<string, unknown> }> = {
  etag: {
    name: 'ETag',
    header: {
      description: 'The version of the record; send it back in If-Match to change the record',
      schema: { type: 'string', examples: ['"3"'] },
    },
  },
  location: {
    name: 'Location',
    header: { description: 'Where the record can be read', schema: { type: 'string', format: 'uri-reference' } },
  },
  'idempotent-replayed': {
    name: 'Idempotent-Replayed',
    header: {
      description: 'true when this is the stored answer to an earlier request with the same Idempotency-Key',
      schema: { type: 'string', enum: ['true'] },
    },
  },
  'retry-after': {
    name: 'Retry-After',
    header: { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } },
  },
  'repr-digest': {
    name: 'Repr-Digest',
    header: {
      description: 'The SHA-256 of the file (RFC 9530)',
      schema: { type: 'string', examples: ['sha-256=:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=:'] },
    },
  },
  'x-request-id': {
    name: 'X-Request-Id',
    header: {
      description:
        "The request's id, in the logs and the audit trail: the client's own X-Request-Id when it looks like one",
      schema: { type: 'string', maxLength: 64 },
    },
  },
  'www-authenticate': {
    name: 'WWW-Authenticate',
    header: {
      description: 'The scheme to authenticate with: Bearer for the API, Basic for a client at the token endpoint',
      schema: { type: 'string', enum: ['Bearer', 'Basic'] },
    },
  },
  'content-disposition': {
    name: 'Content-Disposition',
    header: {
      description:
        'attachment, with its file name (RFC 6266): for evidence, the name as given (without path, controls or bidi marks) with an ASCII fallback',
      schema: { type: 'string', examples: ['attachment; filename="temuan.jpg"; filename*=UTF-8\'\'temuan.jpg'] },
    },
  },
  'ratelimit-limit': {
    name: 'RateLimit-Limit',
    header: { description: 'Requests allowed in the current window', schema: { type: 'integer', minimum: 0 } },
  },
  'ratelimit-remaining': {
    name: 'RateLimit-Remaining',
    header: { description: 'Requests left in the current window', schema: { type: 'integer', minimum: 0 } },
  },
  'ratelimit-reset': {
    name: 'RateLimit-Reset',
    header: { description: 'Seconds until the window starts again', schema: { type: 'integer', minimum: 0 } },
  },
};
/** The component name of a response header (its HTTP name without dashes). */
const headerComponent = (key: string) => (HEADERS[key]?.name ?? key).replaceAll('-', '');
export const headersOf = (...keys: string[]) =>
  Object.fromEntries(keys.map((key) => [HEADERS[key]?.name ?? key, ref('headers', headerComponent(key))]));
export const RATE_LIMIT = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'];

/** The problem answers every operation shares, by status: [component name, description, extra headers]. */
export const PROBLEMS: Record<string, [string, string, string[]?]> = {
  '400': ['BadRequest', 'Malformed request: bad JSON, unknown fields, wrong types, bad ids or enum values'],
  '401': ['Unauthenticated', 'No valid bearer token', ['www-authenticate']],
  '403': ['Forbidden', 'The role may not do this'],
  '404': ['NotFound', 'Not found, or outside what the caller may see'],
  '409': ['Conflict', 'Conflict with the current state, or an Idempotency-Key still in flight', ['retry-after']],
  '412': ['PreconditionFailed', 'If-Match does not match the current version'],
  '413': ['ContentTooLarge', 'Body too large'],
  '415': ['UnsupportedMediaType', 'Unsupported content type'],
  '422': ['UnprocessableContent', 'A domain rule was broken, or an Idempotency-Key was reused with another body'],
  '428': ['PreconditionRequired', 'If-Match is required'],
  '429': ['TooManyRequests', 'Too many requests; retry after the Retry-After seconds', ['retry-after']],
  '500': ['InternalError', 'Internal error (nothing was changed)'],
  '503': [
    'ServiceUnavailable',
    'Database unavailable or overloaded; retry after the Retry-After seconds',
    ['retry-after'],
  ],
};
// The token endpoint is public but refuses bad client credentials with 401 invalid_client.
export const INVALID_CLIENT = 'InvalidClient';

const problemResponse = (description: string, headers: string[] = []) => ({
  description,
  headers: headersOf(...headers, 'x-request-id', ...RATE_LIMIT),
  content: { 'application/problem+json': { schema: ref('schemas', 'Problem') } },
});

export const COMMON = ['400', '404', '429', '500', '503'];
export const SECURED = ['401', '403'];
export const WRITES = ['409', '413', '415', '422'];
export const UPDATES = ['412', '428'];

/** The problem answers, as the document's response components. */
export const responseComponents = () => ({
  ...Object.fromEntries(
    Object.values(PROBLEMS).map(([name, description, headers]) => [name, problemResponse(description, headers)]),
  ),
  [INVALID_CLIENT]: problemResponse('Client id or secret not accepted', ['www-authenticate']),
});

/** The response headers, as the document's header components. */
export const headerComponents = () =>
  Object.fromEntries(Object.entries(HEADERS).map(([key, { header }]) => [headerComponent(key), header]));
