import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { Problem } from './problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** true on the few routes that read a multipart body (evidence uploads). */
    multipart?: boolean;
  }
}

/**
 * The multipart parser is registered for the whole app, but only a route that says so reads such a
 * body: elsewhere a route without a body schema would act on a request whose body it never read.
 * Refused before the body is read, so an unwanted upload costs nothing.
 */
export async function refuseStrayMultipart(request: FastifyRequest) {
  if (!request.routeOptions.url || request.routeOptions.config?.multipart) return;
  if (/^multipart\//i.test(request.headers['content-type'] ?? ''))
    throw new Problem(415, 'unsupported_media_type', { type: 'multipart/form-data' });
}

/** The boundary a multipart Content-Type names, quoted or not. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;]+))/i.exec(contentType ?? '');
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}

/**
 * Watches a multipart body as it arrives for its closing delimiter, which busboy does not tell:
 * it ends a body cut anywhere as if it were whole. Call it right after the body starts flowing
 * into the parser; the answer is final once the parser is done. Without a boundary there is
 * nothing to watch for, and the parser refuses the body itself.
 */
export function watchClosingDelimiter(raw: IncomingMessage, contentType: string | undefined): () => boolean {
  const boundary = boundaryOf(contentType);
  if (!boundary) return () => true;
  const delimiter = Buffer.from(`\r\n--${boundary}--`);
  // A body of no parts is the closing delimiter alone, without the line break before it.
  let tail: Buffer = Buffer.from('\r\n');
  let seen = false;
  const onData = (chunk: Buffer) => {
    const joined = Buffer.concat([tail, chunk.subarray(0, delimiter.length - 1)]);
    if (joined.includes(delimiter) || chunk.includes(delimiter)) {
      seen = true;
      raw.off('data', onData);
      return;
    }
    const keep = delimiter.length - 1;
    tail = chunk.length >= keep ? chunk.subarray(chunk.length - keep) : Buffer.concat([tail, chunk]).subarray(-keep);
  };
  raw.on('data', onData);
  return () => seen;
}

/**
 * Pipes a multipart file stream into `into`, which then fails whenever the file does not end
 * whole. busboy destroys a file cut short without an error (or only emits one, without
 * destroying it), and stream.pipeline waits forever on a source destroyed after its last chunk
 * was pushed but before it was read; so the file's close before its end is what counts. When
 * `into` fails first (the store), the rest of the file is drained so that the request can end.
 */
export function pipePart<T extends Duplex>(file: Readable, into: T): T {
  const cutShort = () => Object.assign(new Error('the file part ended before its end'), { code: CUT_SHORT });
  // Whoever reads `into` hears its failure; until then it must not end the process.
  into.on('error', () => undefined);
  into.on('close', () => {
    if (into.writableFinished) return;
    file.unpipe(into);
    file.resume();
  });
  if (file.destroyed && !file.readableEnded) {
    into.destroy(cutShort());
    return into;
  }
  file.on('error', (err) => into.destroy(err));
  file.on('close', () => {
    if (!file.readableEnded) into.destroy(cutShort());
  });
  file.pipe(into);
  return into;
}

/** The code of the error a file part cut short fails with. */
export const CUT_SHORT = 'ERR_MULTIPART_CUT_SHORT';
