/** Period codes the API reads: a quarter (2026-Q3) or a month (2026-07), in the facility's calendar. */
export function currentQuarter(today: string): string {
  const [y, m] = today.split('-').map(Number);
  return `${y}-Q${Math.floor(((m ?? 1) - 1) / 3) + 1}`;
}

/** The last eight quarters and twelve months up to today's, newest first. */
export function periodChoices(today: string): { quarters: string[]; months: string[] } {
  const [y = 1970, m = 1] = today.split('-').map(Number);
  const quarters: string[] = [];
  let q = Math.floor((m - 1) / 3);
  let qy = y;
  for (let i = 0; i < 8; i++) {
    quarters.push(`${qy}-Q${q + 1}`);
    q -= 1;
    if (q < 0) {
      q = 3;
      qy -= 1;
    }
  }
  const months: string[] = [];
  let mm = m;
  let my = y;
  for (let i = 0; i < 12; i++) {
    months.push(`${my}-${String(mm).padStart(2, '0')}`);
    mm -= 1;
    if (mm < 1) {
      mm = 12;
      my -= 1;
    }
  }
  return { quarters, months };
}

/** Indicators counted as a number or as yes/no; the others are shares. */
const NUMBERS = new Set(['inspections_per_month', 'inspections_with_narcotics', 'officer_positive']);
const YES_NO = new Set(['active_mou']);

/** An indicator's value as the scorecard shows it: a share as a percentage to one decimal. */
export function shownValue(value: number | null, code: string, yesNo: { yes: string; no: string }): string {
  if (value === null) return '—';
  if (NUMBERS.has(code)) return String(value);
  if (YES_NO.has(code)) return value >= 1 ? yesNo.yes : yesNo.no;
  return `${Math.round(value * 1000) / 10}%`;
}

/** Where a bar ends and the target stands, as fractions of the bar's length. */
export function barOf(value: number | null, target: number, code: string): { value: number; target: number } {
  if (NUMBERS.has(code)) {
    const top = Math.max(value ?? 0, target, 1) * 1.25;
    return { value: (value ?? 0) / top, target: target / top };
  }
  return { value: Math.min(Math.max(value ?? 0, 0), 1), target: Math.min(target, 1) };
}

/** A path of the console for a cross-feature link from inside a nested route. */
export function consolePath(path: string): string {
  return `~${import.meta.env.BASE_URL.replace(/\/$/, '')}${path}`;
}
