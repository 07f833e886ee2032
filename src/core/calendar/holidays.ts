import { daysBetween } from './days.ts';
import { INDONESIA_HOLIDAYS } from './holidays-id.ts';

/**
 * The days off that are not weekends: national holidays and collective leave (cuti bersama), by
 * year. A year is covered when the shipped decrees or the NATIONAL_HOLIDAYS setting name it; in a
 * year not covered only weekends are known, and what is counted through it is provisional.
 */
export interface HolidayCalendar {
  /** A national holiday or a collective leave day. */
  isDayOff(day: string): boolean;
  covers(year: number): boolean;
  /** The covered years, ascending. */
  readonly years: readonly number[];
}

/**
 * The shipped decrees, with `override` (NATIONAL_HOLIDAYS) laid over them: every year the override
 * names has exactly the override's dates for that year; other years keep the decree's list.
 */
export function holidayCalendar(override: readonly string[] = []): HolidayCalendar {
  const byYear = new Map<number, Set<string>>();
  for (const y of INDONESIA_HOLIDAYS) {
    byYear.set(y.year, new Set([...y.nationalHolidays, ...y.collectiveLeave].map((d) => d.date)));
  }
  const overridden = new Map<number, Set<string>>();
  for (const day of override) {
    const year = yearOf(day);
    const days = overridden.get(year) ?? new Set<string>();
    days.add(day);
    overridden.set(year, days);
  }
  for (const [year, days] of overridden) byYear.set(year, days);
  const years = [...byYear.keys()].sort((a, b) => a - b);
  return {
    isDayOff: (day) => byYear.get(yearOf(day))?.has(day) ?? false,
    covers: (year) => byYear.has(year),
    years,
  };
}

export interface WorkingDaysResult {
  date: string;
  /** Some day counted lies in a year the calendar does not cover: its holidays could not be skipped. */
  provisional: boolean;
}

/** The date n working days after `from`: weekends, national holidays and collective leave do not count. */
export function addWorkingDays(from: string, n: number, calendar: HolidayCalendar): WorkingDaysResult {
  const day = new Date(`${from}T00:00:00Z`);
  let left = n;
  let provisional = false;
  while (left > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    const weekday = day.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const iso = isoDate(day);
    if (!calendar.covers(day.getUTCFullYear())) provisional = true;
    if (!calendar.isDayOff(iso)) left--;
  }
  return { date: isoDate(day), provisional };
}

/** Readiness and start-up warn this many days before the covered years run out. */
export const CALENDAR_WARNING_DAYS = 90;

export interface CalendarWarning {
  /** The last covered day in the unbroken run of years from `today`, or null when today's year is not covered. */
  covered_until: string | null;
  days_left: number;
  detail: string;
}

/** A warning when the holidays known from `today` on end within CALENDAR_WARNING_DAYS days, else null. */
export function calendarWarning(calendar: HolidayCalendar, today: string): CalendarWarning | null {
  let year = yearOf(today);
  if (!calendar.covers(year)) {
    return {
      covered_until: null,
      days_left: 0,
      detail: `The holiday calendar does not cover ${year}: due dates in working days are provisional. Add the year's national holidays and collective leave to NATIONAL_HOLIDAYS.`,
    };
  }
  while (calendar.covers(year + 1)) year++;
  const end = `${year}-12-31`;
  const daysLeft = daysBetween(today, end);
  if (daysLeft > CALENDAR_WARNING_DAYS) return null;
  return {
    covered_until: end,
    days_left: daysLeft,
    detail: `The holiday calendar ends on ${end} (${daysLeft} days): due dates after it are provisional. Add ${year + 1}'s national holidays and collective leave to NATIONAL_HOLIDAYS once its decree is out.`,
  };
}

const yearOf = (day: string) => Number(day.slice(0, 4));
const isoDate = (day: Date) => day.toISOString().slice(0, 10);
