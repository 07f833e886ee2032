import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Problem } from './problem.ts';

/** No body of this API nests deeper; the request hash and the validators walk bodies recursively. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests arrays and objects deeper than `limit`: a single pass over the text,
 * skipping strings, so that no recursion (ours or a parser's) ever sees a deep body.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Jump to the quote that closes the string: one not escaped by an odd run of backslashes.
      let end = text.indexOf('"', i + 1);
      while (end > 0) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end < 0) return false; // an unclosed string: the parser refuses it
      i = end;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * application/json for every route (imports included, under their own body limit): fastify's own
 * parser (secure-json-parse, refusing __proto__ and constructor.prototype) behind a depth check.
 */
export const jsonPlugin = fp(
  async (app: FastifyInstance) => {
    const parse = app.getDefaultJsonParser('error', 'error');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      if (nestsDeeperThan(body as string, MAX_JSON_DEPTH)) {
        done(new Problem(400, 'json_too_deep', { limit: MAX_JSON_DEPTH }), undefined);
        return;
      }
      parse(request, body as string, done);
    });
  },
  { name: 'json' },
);
