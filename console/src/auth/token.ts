import { ApiError, type ProblemBody } from '../api/problem';
import { currentLanguage } from '../i18n/language';

/**
 * The access token lives in this module's memory only; the refresh token is the httpOnly
 * bersinar_refresh cookie (Path=/v1/auth), which no script can read.
 */
interface Held {
  token: string;
  expiresAt: number;
  /** The token's subject: the user it speaks for. */
  subject: string | null;
}

let held: Held | null = null;
let refreshing: Promise<'ok' | 'refused' | 'offline'> | null = null;
const listeners = new Set<() => void>();

// Refresh a little before expiry: a phone that slept should not send a dead token.
const MARGIN_MS = 30_000;

function set(next: Held | null) {
  held = next;
  for (const listener of listeners) listener();
}

export function subscribeToken(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function hasToken(): boolean {
  return held !== null;
}

/** The user the held token speaks for; null when signed out. */
export function tokenSubject(): string | null {
  return held?.subject ?? null;
}

// Only to know whose token it is; the server verifies it.
function subjectOf(token: string): string | null {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : null;
  } catch {
    return null;
  }
}

async function tokenRequest(body: Record<string, string>): Promise<Response> {
  return fetch('/v1/auth/token', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/json',
      'x-requested-with': 'fetch',
      'accept-language': currentLanguage(),
    },
    body: JSON.stringify(body),
  });
}

async function take(response: Response): Promise<void> {
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
  if (!response.ok || !body.access_token) throw new ApiError(response.status, body as ProblemBody);
  set({
    token: body.access_token,
    expiresAt: Date.now() + (body.expires_in ?? 900) * 1000,
    subject: subjectOf(body.access_token),
  });
}

/** Signs in with a password; the refresh token comes back as the cookie only. */
export async function signInWithPassword(username: string, password: string): Promise<void> {
  let response: Response;
  try {
    response = await tokenRequest({ grant_type: 'password', username, password, refresh_token_delivery: 'cookie' });
  } catch {
    throw new ApiError(0, { title: 'offline' });
  }
  await take(response);
}

/**
 * Each refresh token works once, and a spent one presented again revokes its whole family. Tabs of
 * one browser share the cookie: a lock across them makes each refresh use the cookie the last one set.
 */
function acrossTabs<T>(run: () => Promise<T>): Promise<T> {
  return navigator.locks ? (navigator.locks.request('bersinar-refresh', run) as Promise<T>) : run();
}

/** A new access token from the cookie: once at a time, however many requests or tabs ask. */
export function refresh(): Promise<'ok' | 'refused' | 'offline'> {
  refreshing ??= (async () => {
    try {
      const response = await acrossTabs(() => tokenRequest({ grant_type: 'refresh_token' }));
      // A refused grant (400 invalid_grant, 401): signed out. A throttle or an outage: try later.
      if (response.status === 400 || response.status === 401) {
        set(null);
        return 'refused';
      }
      await take(response);
      return 'ok';
    } catch {
      return 'offline';
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** The token to send, refreshed first when it is about to expire; null when signed out. */
export async function accessToken(): Promise<string | null> {
  if (held && held.expiresAt - Date.now() < MARGIN_MS) await refresh();
  return held?.token ?? null;
}

// A sign-out the server did not hear (no network): the cookie it could not revoke is revoked at
// the next chance, before it can sign anyone back in. A marker, not a secret.
const REVOKE_PENDING = 'bersinar.revoke-pending';

function markRevokePending(pending: boolean) {
  try {
    if (pending) localStorage.setItem(REVOKE_PENDING, '1');
    else localStorage.removeItem(REVOKE_PENDING);
  } catch {
    // Storage refused: the sign-out still holds for this visit.
  }
}

async function revokeCookie(): Promise<boolean> {
  try {
    const response = await fetch('/v1/auth/revoke', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'fetch' },
      body: '{}',
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** Revokes the cookie's token family and forgets the access token; offline, later. */
export async function revokeAndForget(): Promise<void> {
  set(null);
  markRevokePending(!(await revokeCookie()));
}

/** True while a sign-out made offline still waits for its revocation. */
export async function revokeIfPending(): Promise<boolean> {
  let pending = false;
  try {
    pending = localStorage.getItem(REVOKE_PENDING) === '1';
  } catch {
    return false;
  }
  if (!pending) return false;
  const done = await revokeCookie();
  markRevokePending(!done);
  return true;
}
