import type { Language } from './language';

/** Indonesia's three zones by the name people use: WIB, WITA, WIT. */
const ZONE_NAMES: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

export function zoneName(timeZone: string): string {
  return ZONE_NAMES[timeZone] ?? timeZone;
}

const locale = (language: Language) => (language === 'id' ? 'id-ID' : 'en-GB');

/** An instant in a facility's zone, with the zone named: "3 Des 2026 14.05 WIB". */
export function formatDateTime(iso: string, timeZone: string, language: Language): string {
  const text = new Intl.DateTimeFormat(locale(language), {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
  return `${text} ${zoneName(timeZone)}`;
}

/** The time of day of an instant in a facility's zone, with the zone named: "14.05 WIB". */
export function formatTime(iso: string, timeZone: string, language: Language): string {
  const text = new Intl.DateTimeFormat(locale(language), { timeZone, hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );
  return `${text} ${zoneName(timeZone)}`;
}

/** A calendar date (YYYY-MM-DD) as people read it; dates have no zone. */
export function formatDate(date: string, language: Language, weekday = false): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(language), {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...(weekday ? { weekday: 'long' } : {}),
  }).format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)));
}

/** Today's date (YYYY-MM-DD) in a facility's zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A wall-clock instant in a facility's zone as a datetime-local value: "2026-12-03T14:05". */
export function localDateTimeIn(timeZone: string, at = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** A calendar date (YYYY-MM-DD) moved by days; dates carry no zone, so UTC arithmetic is exact. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

/** The Monday (ISO week start) of a calendar date. */
export function mondayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const weekday = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}
