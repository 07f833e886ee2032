import { lastDayOfMonth } from './days.ts';

// Reporting periods in a facility's local calendar: a year (2026), a quarter (2026-Q3) or a month (2026-07).

export interface Period {
  code: string;
  kind: 'year' | 'quarter' | 'month';
  from: string;
  to: string;
  months: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A period's code made from its kind, year and first month (1-12). */
function make(kind: Period['kind'], year: number, month: number): Period {
  const months = kind === 'year' ? 12 : kind === 'quarter' ? 3 : 1;
  const endMonth = month + months - 1;
  const code =
    kind === 'year' ? String(year) : kind === 'quarter' ? `${year}-Q${(month + 2) / 3}` : `${year}-${pad(month)}`;
  return {
    code,
    kind,
    from: `${year}-${pad(month)}-01`,
    to: `${year}-${pad(endMonth)}-${pad(lastDayOfMonth(year, endMonth))}`,
    months,
  };
}

export const PERIOD_PATTERN = /^(\d{4})(?:-(Q[1-4]|0[1-9]|1[0-2]))?$/;

/** Parses 2026, 2026-Q3 or 2026-07; undefined when it is none of them. */
export function parsePeriod(code: string): Period | undefined {
  const m = PERIOD_PATTERN.exec(code);
  if (!m) return undefined;
  const year = Number(m[1]);
  if (year < 2000 || year > 2199) return undefined;
  if (!m[2]) return make('year', year, 1);
  if (m[2].startsWith('Q')) return make('quarter', year, (Number(m[2].slice(1)) - 1) * 3 + 1);
  return make('month', year, Number(m[2]));
}

/** The period of the same kind just before. */
export function previousPeriod(p: Period): Period {
  const year = Number(p.from.slice(0, 4));
  const month = Number(p.from.slice(5, 7));
  const total = year * 12 + (month - 1) - p.months;
  return make(p.kind, Math.floor(total / 12), (total % 12) + 1);
}

/** The `n` periods of the same kind ending with `p`, oldest first. */
export function periodsUpTo(p: Period, n: number): Period[] {
  const list = [p];
  while (list.length < n) list.unshift(previousPeriod(list[0] as Period));
  return list;
}

/** The period of a kind that holds a date. */
export function periodOf(kind: Period['kind'], date: string): Period {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (kind === 'year') return make('year', year, 1);
  if (kind === 'quarter') return make('quarter', year, Math.floor((month - 1) / 3) * 3 + 1);
  return make('month', year, month);
}
