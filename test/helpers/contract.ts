import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { parse } from 'yaml';

// Every response a test sees is checked against the committed openapi.yaml.
type Response = { $ref?: string; headers?: Record<string, unknown>; content?: Record<string, { schema: unknown }> };
const doc = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'), { maxAliasCount: -1 }) as {
  paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
  components: { responses?: Record<string, Response> };
};
// Headers a client relies on: an answer may carry one only where the contract declares it.
const DECLARED_HEADERS = [
  'etag',
  'location',
  'idempotent-replayed',
  'retry-after',
  'repr-digest',
  'x-request-id',
  'www-authenticate',
  'content-disposition',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
];
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as { default: typeof addFormats }).default
  ? (addFormats as unknown as { default: (a: Ajv2020) => void }).default(ajv)
  : (addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema(doc as object, 'openapi');

const templates = Object.keys(doc.paths).map((path) => ({
  path,
  regex: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));
const pointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/** Throws a readable error when the response is not what the contract promises. */
export function checkContract(method: string, url: string, res: LightMyRequestResponse): void {
  const path = url.split('?')[0] as string;
  const match = templates
    .filter((t) => t.regex.test(path))
    .sort((a, b) => literalLength(b.path) - literalLength(a.path))[0];
  if (!match) return; // not part of the contract (docs pages, metrics)
  const op = doc.paths[match.path]?.[method.toLowerCase()];
  if (!op) return; // 404/405 for a method the contract does not have
  const declared = op.responses[String(res.statusCode)];
  if (!declared)
    throw new Error(`${method} ${match.path} answered ${res.statusCode}, which the contract does not document`);
  // A shared answer (#/components/responses/Name) is read where it is declared.
  const shared = declared.$ref?.replace('#/components/responses/', '');
  const response = shared ? doc.components.responses?.[shared] : declared;
  if (!response) throw new Error(`${method} ${match.path} ${res.statusCode}: ${declared.$ref} does not resolve`);
  const names = new Set(Object.keys(response.headers ?? {}).map((name) => name.toLowerCase()));
  for (const header of DECLARED_HEADERS) {
    if (res.headers[header] !== undefined && !names.has(header)) {
      throw new Error(`${method} ${match.path} ${res.statusCode} sent ${header}, which the contract does not declare`);
    }
  }
  if (!response.content || res.statusCode === 204 || response.content['*/*']) return;
  const type = String(res.headers['content-type'] ?? '').split(';')[0] as string;
  if (!response.content[type]) {
    throw new Error(
      `${method} ${match.path} ${res.statusCode} answered ${type}, the contract says ${Object.keys(response.content)}`,
    );
  }
  if (!type.endsWith('json')) return; // a page or a spreadsheet: its media type is what the contract promises
  const at = shared
    ? `/components/responses/${pointer(shared)}`
    : `/paths/${pointer(match.path)}/${method.toLowerCase()}/responses/${res.statusCode}`;
  const ref = `openapi#${at}/content/${pointer(type)}/schema`;
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  if (!validate(res.json())) {
    throw new Error(
      `${method} ${match.path} ${res.statusCode} body breaks the contract: ${ajv.errorsText(validate.errors)}`,
    );
  }
}

function literalLength(template: string): number {
  return template.replace(/\{[^}]+\}/g, '').length;
}
