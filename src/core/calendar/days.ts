// Sums over calendar dates (YYYY-MM-DD), which no time zone touches.

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const utcMidnight = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** A calendar date `days` later (or earlier, when negative). */
export function addDays(day: string, days: number): string {
  return new Date(utcMidnight(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`: 0 for the same date, negative when `to` comes first. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}

/** ISO weekday of a date: 1 for Monday to 7 for Sunday. */
export function isoWeekday(day: string): number {
  return ((new Date(utcMidnight(day)).getUTCDay() + 6) % 7) + 1;
}

/** The last day (28-31) of a month, 1-12. */
export function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The date `months` calendar months before `on`, the day clamped to the month's end (as PostgreSQL does). */
export function monthsBefore(on: string, months: number): string {
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, lastDayOfMonth(year, month)))}`;
}
