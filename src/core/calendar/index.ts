import { type SQL, sql } from 'drizzle-orm';
import { addDays } from './days.ts';

// The calendar of the record: instants, the local dates and days they fall in at a facility or an
// organisation (WIB, WITA, WIT), periods and working days, with the SQL twins of the sums that
// queries make per row. "Now" is always the app's clock, handed in: nothing here reads the time.

export { addDays, daysBetween, isoWeekday, lastDayOfMonth, monthsBefore } from './days.ts';
export {
  addWorkingDays,
  CALENDAR_WARNING_DAYS,
  type CalendarWarning,
  calendarWarning,
  type HolidayCalendar,
  holidayCalendar,
  type WorkingDaysResult,
} from './holidays.ts';
export { PERIOD_PATTERN, type Period, parsePeriod, periodOf, periodsUpTo, previousPeriod } from './periods.ts';

/** The app's clock (buildApp's `now`): tests set it to judge dates at a chosen instant. */
export type Clock = () => Date;

// Indonesia keeps no daylight saving: each of its zones is a fixed offset from UTC.
const OFFSETS: Record<string, number> = { 'Asia/Jakarta': 7, 'Asia/Makassar': 8, 'Asia/Jayapura': 9 };

function offsetHours(timezone: string): number {
  const hours = OFFSETS[timezone];
  if (hours === undefined) throw new Error(`not an Indonesian time zone: ${timezone}`);
  return hours;
}

/** A time as the client wrote it: with an offset it is absolute, without one it is the zone's wall clock. */
export function instantIn(value: string, timezone: string): Date {
  if (/([zZ]|[+-]\d{2}:?\d{2})$/.test(value)) return new Date(value);
  const hours = offsetHours(timezone);
  return new Date(`${value}${hours >= 0 ? '+' : '-'}${String(Math.abs(hours)).padStart(2, '0')}:00`);
}

/** RFC 3339 in the zone, e.g. 2024-12-13T09:00:00+07:00. */
export function localTime(at: Date, timezone: string): string {
  const hours = offsetHours(timezone);
  const shifted = new Date(at.getTime() + hours * 3_600_000).toISOString().slice(0, 19);
  return `${shifted}+${String(hours).padStart(2, '0')}:00`;
}

/** The zone's calendar date of an instant (today, given the clock's now). */
export function localDate(at: Date, timezone: string): string {
  return localTime(at, timezone).slice(0, 10);
}

/** The instant a local day begins in the zone. */
export function dayStart(day: string, timezone: string): Date {
  return instantIn(`${day}T00:00:00`, timezone);
}

/**
 * The widest instants of the local days from `from` to `to` anywhere in Indonesia: the first day
 * begins first in WIT, the last ends last in WIB. Constant bounds let a time index narrow the rows
 * before each row's day is judged exactly in its own facility's zone.
 */
export function widestInstants(from: string, to: string): { earliest: Date; latest: Date } {
  return {
    earliest: dayStart(from, 'Asia/Jayapura'),
    latest: dayStart(addDays(to, 1), 'Asia/Jakarta'),
  };
}

// SQL twins, for a zone that varies per row (a column such as facilities.timezone).

/** An instant as SQL: a timestamptz expression, or the clock's Date as a parameter. */
const instantSql = (at: SQL | Date): SQL => (at instanceof Date ? sql`${at.toISOString()}::timestamptz` : at);

/** localDate in SQL: the date in `zone` of an instant. */
export function localDateSql(at: SQL | Date, zone: SQL): SQL {
  return sql`(${instantSql(at)} AT TIME ZONE ${zone}::text)::date`;
}

/** dayStart in SQL: the instant a local day (a date expression or a YYYY-MM-DD) begins in `zone`. */
export function dayStartSql(day: SQL | string, zone: SQL): SQL {
  return sql`((${day})::date::timestamp AT TIME ZONE ${zone}::text)`;
}

/** The instant a local day ends in `zone`: the next day's start. */
export function dayEndSql(day: SQL | string, zone: SQL): SQL {
  return sql`(((${day})::date + 1)::timestamp AT TIME ZONE ${zone}::text)`;
}
