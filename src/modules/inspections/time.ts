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
