// Indonesia keeps no daylight saving: each of its zones is a fixed offset from UTC.
const OFFSETS: Record<string, number> = { 'Asia/Jakarta': 7, 'Asia/Makassar': 8, 'Asia/Jayapura': 9 };

function offsetHours(timezone: string): number {
  const hours = OFFSETS[timezone];
  if (hours === undefined) throw new Error(`not an Indonesian time zone: ${timezone}`);
  return hours;
}

/** A time as the client wrote it: with an offset it is absolute, without one it is the facility's wall clock. */
export function instantIn(value: string, timezone: string): Date {
  if (/([zZ]|[+-]\d{2}:?\d{2})$/.test(value)) return new Date(value);
  const hours = offsetHours(timezone);
  return new Date(`${value}${hours >= 0 ? '+' : '-'}${String(Math.abs(hours)).padStart(2, '0')}:00`);
}

/** RFC 3339 in the facility's zone, e.g. 2024-12-13T09:00:00+07:00. */
export function localTime(at: Date, timezone: string): string {
  const hours = offsetHours(timezone);
  const shifted = new Date(at.getTime() + hours * 3_600_000).toISOString().slice(0, 19);
  return `${shifted}+${String(hours).padStart(2, '0')}:00`;
}

/** The facility's calendar date of an instant. */
export function localDate(at: Date, timezone: string): string {
  return localTime(at, timezone).slice(0, 10);
}

/** A calendar date `days` later (or earlier, when negative). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The widest instants of the local days from `from` to `to` anywhere in Indonesia: the first day
 * begins first in WIT, the last ends last in WIB. Constant bounds let a time index narrow the rows
 * before each row's day is judged exactly in its own facility's zone.
 */
export function widestInstants(from: string, to: string): { earliest: Date; latest: Date } {
  return {
    earliest: instantIn(`${from}T00:00:00`, 'Asia/Jayapura'),
    latest: instantIn(`${addDays(to, 1)}T00:00:00`, 'Asia/Jakarta'),
  };
}
