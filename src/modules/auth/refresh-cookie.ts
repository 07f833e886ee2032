import { parseCookie, stringifySetCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { issuesAt } from '../../http/errors.ts';
import { Problem } from '../../http/problem.ts';
import { REFRESH_COOKIE } from './schemas.ts';

// The cookie form of the refresh grant, for a browser console that keeps its access token in
// memory only: the refresh token lives in an HttpOnly cookie that script cannot read.
//
// - Path=/v1/auth: the browser sends it to the token and revoke endpoints only; and only these
//   two routes read it (the app parses no cookies anywhere else), so it never authenticates an
//   API call.
// - Secure, always: browsers keep Secure cookies from http://localhost too, so plain-http
//   development needs no exception.
// - SameSite=Strict keeps it off cross-site requests; and the cookie form also needs an
//   X-Requested-With header, which no cross-site form can send and which makes a cross-origin
//   fetch ask CORS first (only CORS_ORIGINS pass): a request that sends the cookie without it is
//   refused before the cookie is read.

/** The header the cookie form needs: any value; a form post cannot send it. */
export const CSRF_HEADER = 'x-requested-with';

const CsrfHeader = z.looseObject({ [CSRF_HEADER]: z.string().min(1) });

/** The refresh token of the request's cookie, or undefined when there is none. */
export function refreshCookieOf(request: FastifyRequest): string | undefined {
  return parseCookie(request.headers.cookie ?? '')[REFRESH_COOKIE] || undefined;
}

/** The cookie form is refused without its header (400 naming it), as a cross-site form would come. */
export function requireCsrfHeader(request: FastifyRequest) {
  const checked = CsrfHeader.safeParse(request.headers);
  if (!checked.success) {
    throw new Problem(400, 'validation_failed', {}, { errors: issuesAt('headers', checked.error.issues) });
  }
}

/** Sets the refresh token as the cookie, for as long as the token lives. */
export function setRefreshCookie(reply: FastifyReply, token: string, lifetimeSeconds: number) {
  reply.header('set-cookie', cookie(token, lifetimeSeconds));
}

/** Clears the cookie (signed out, or its token refused). */
export function clearRefreshCookie(reply: FastifyReply) {
  reply.header('set-cookie', cookie('', 0));
}

const cookie = (value: string, maxAge: number) =>
  stringifySetCookie({
    name: REFRESH_COOKIE,
    value,
    path: '/v1/auth',
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    maxAge,
  });
