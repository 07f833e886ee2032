import type { FastifyInstance } from 'fastify';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { SeedResult } from '../db/seed.ts';

// What every part of the living demo works with: the API as a demo user calls it, the service's
// clock, a seeded generator, and the dates counted back from today.

// Indonesia keeps no daylight saving time: each zone is a fixed offset.
const OFFSET_HOURS: Record<string, number> = { 'Asia/Jakarta': 7, 'Asia/Makassar': 8, 'Asia/Jayapura': 9 };
export const WIB = 'Asia/Jakarta';
export const WITA = 'Asia/Makassar';

/** YYYY-MM-DD of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  return new Date(at.getTime() + (OFFSET_HOURS[zone] ?? 7) * 3_600_000).toISOString().slice(0, 10);
}

/** A date `days` from `from` (YYYY-MM-DD). */
export function addDays(from: string, days: number): string {
  return new Date(Date.parse(`${from}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The instant of a local date and time in a zone. */
function instant(date: string, time: string, zone: string): Date {
  return new Date(Date.parse(`${date}T${time}:00Z`) - (OFFSET_HOURS[zone] ?? 7) * 3_600_000);
}

/** What the demo has made, counted as it goes. */
export interface LivingDemo {
  ms: number;
  inmates: number;
  officers: number;
  urineTests: number;
  followUpCases: number;
  inspections: number;
  certificates: number;
  rehabSessions: number;
  attendanceRecorded: number;
}

export interface Demo {
  /** A request as `username` makes it; anything but a success stops the demo. */
  // biome-ignore lint/suspicious/noExplicitAny: answers of the API, read by field
  call(method: string, url: string, username: string, body?: unknown, headers?: Record<string, string>): Promise<any>;
  /** Moves the service's clock to a local date and time (WIB unless told). */
  at(date: string, time: string, zone?: string): void;
  /** Moves the service's clock back to the real now. */
  atRealNow(): void;
  /** The real now; the demo's dates count back from it. */
  realNow: Date;
  today: string;
  todayWita: string;
  pick<T>(items: readonly T[]): T;
  between(min: number, max: number): number;
  facilities: SeedResult['facilities'];
  organisations: SeedResult['organisations'];
  summary: LivingDemo;
}

/** The demo's caller on an app whose clock reads `clock.now`. */
export function demoCaller(
  app: FastifyInstance,
  clock: { now: Date },
  deps: { password: string; world: SeedResult; realNow: Date },
): Demo {
  const rng = xoroshiro128plus(20241213);
  let keys = 0;
  // One sign-in per user (scrypt is slow on purpose); when the clock moves, a refresh gives a token of that
  // day. Refresh tokens expire by the same clock: after a jump past their life, the password again.
  const tokens = new Map<string, { access: string; refresh: string; at: number }>();
  const grant = (payload: Record<string, string>) => app.inject({ method: 'POST', url: '/v1/auth/token', payload });
  async function token(username: string): Promise<string> {
    const held = tokens.get(username);
    if (held?.at === clock.now.getTime()) return held.access;
    const refreshed = held ? await grant({ grant_type: 'refresh_token', refresh_token: held.refresh }) : undefined;
    const res =
      refreshed?.statusCode === 200
        ? refreshed
        : await grant({ grant_type: 'password', username, password: deps.password });
    if (res.statusCode !== 200) throw new Error(`demo login ${username}: ${res.statusCode} ${res.body}`);
    const got = res.json() as { access_token: string; refresh_token: string };
    tokens.set(username, { access: got.access_token, refresh: got.refresh_token, at: clock.now.getTime() });
    return got.access_token;
  }
  return {
    async call(method, url, username, body, headers = {}) {
      const res = await app.inject({
        method: method as 'POST',
        url,
        headers: {
          authorization: `Bearer ${await token(username)}`,
          ...(method === 'GET' ? {} : { 'idempotency-key': `demo-${++keys}` }),
          ...headers,
        },
        ...(body === undefined ? {} : Buffer.isBuffer(body) ? { payload: body } : { payload: body as object }),
      });
      if (res.statusCode >= 300) throw new Error(`demo ${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.body ? res.json() : null;
    },
    at(date, time, zone = WIB) {
      clock.now = instant(date, time, zone);
    },
    atRealNow() {
      clock.now = deps.realNow;
    },
    realNow: deps.realNow,
    today: localDate(deps.realNow, WIB),
    todayWita: localDate(deps.realNow, WITA),
    pick: <T>(items: readonly T[]): T => items[uniformInt(rng, 0, items.length - 1)] as T,
    between: (min, max) => uniformInt(rng, min, max),
    facilities: deps.world.facilities,
    organisations: deps.world.organisations,
    summary: {
      ms: 0,
      inmates: 0,
      officers: 0,
      urineTests: 0,
      followUpCases: 0,
      inspections: 0,
      certificates: 0,
      rehabSessions: 0,
      attendanceRecorded: 0,
    },
  };
}
