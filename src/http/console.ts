import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { Problem } from './problem.ts';

/** Where `npm run console:build` writes the staff console (never committed). */
export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url));

/**
 * The console's policy: its scripts, styles, worker and manifest from this origin only, no inline
 * script or style; evidence photos shown from blob: URLs made of authenticated fetches.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "base-uri 'none'",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "img-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
  "worker-src 'self'",
].join('; ');

/**
 * The contract this server answers by: a digest of openapi.yaml. A console built from another
 * contract (an old cache after an upgrade) sees the difference and stops sending until it reloads.
 */
export function contractVersion(file = new URL('../../openapi.yaml', import.meta.url)): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
}

// A request for a file has a dot in its last segment; any other path is a screen of the console.
const FILE = /\/[^/]*\.[^/]+$/;

/**
 * Serves the built console at /console: hashed assets cached for good, everything else revalidated
 * (index.html and the service worker name the current build). Screens fall back to index.html.
 */
async function consolePlugin(app: FastifyInstance, options: { root?: string } = {}) {
  const root = options.root ?? CONSOLE_DIST;
  const built = existsSync(`${root}/index.html`);
  if (built) {
    await app.register(fastifyStatic, {
      root,
      serve: false,
      decorateReply: true,
      // The build's .br and .gz beside each file, chosen by the request's Accept-Encoding.
      preCompressed: true,
      cacheControl: false,
      setHeaders(res, path) {
        res.setHeader(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache, must-revalidate',
        );
      },
    });
  }

  const serve = async (path: string, reply: FastifyReply) => {
    if (!built) throw new Problem(503, 'console_not_built');
    reply.header('content-security-policy', CONSOLE_CSP);
    // The same address answers Brotli, gzip or plain: a shared cache must keep them apart.
    reply.header('vary', 'accept-encoding');
    // The worker's scope is the console, whatever path it is fetched from.
    if (path === 'sw.js') reply.header('service-worker-allowed', '/console/');
    return FILE.test(`/${path}`) ? reply.sendFile(path) : reply.sendFile('index.html');
  };

  const schema = { hide: true };
  const version = { contract: contractVersion() };
  // Never cached, by the browser or the worker: it is how an open console learns of an upgrade.
  app.get('/console/version.json', { schema, config: { auth: false } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return version;
  });
  app.get('/console', { schema, config: { auth: false } }, (_request, reply) => serve('', reply));
  app.get<{ Params: { '*': string } }>('/console/*', { schema, config: { auth: false } }, (request, reply) =>
    serve(request.params['*'], reply),
  );
}

export const consoleRoutes = fp(consolePlugin, { name: 'console', encapsulate: true });
