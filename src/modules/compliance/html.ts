import { createHash } from 'node:crypto';
import escapeHtml from 'escape-html';
import type { Locale } from '../../http/messages.ts';
import { INDICATORS, type ScorecardRules } from './indicators.ts';
import type { Scorecard } from './service.ts';

// The page's words in both languages; the statuses are the programme's own names.
const WORDS = {
  id: {
    status: { bersinar: 'Bersinar', menuju_bersinar: 'Menuju Bersinar', belum_bersinar: 'Belum Bersinar' },
    title: 'Rapor Bersinar',
    period: 'Periode',
    until: 's.d.',
    running: 'berjalan',
    capped: 'Status dibatasi di bawah Bersinar karena',
    columns: ['Indikator', 'Nilai', 'Target', 'Tercapai', 'Poin'],
    history: 'Skor delapan periode terakhir',
    records: 'catatan',
    yes: 'ya',
    no: 'tidak',
    none: 't/a',
  },
  en: {
    status: { bersinar: 'Bersinar', menuju_bersinar: 'Towards Bersinar', belum_bersinar: 'Not yet Bersinar' },
    title: 'Bersinar scorecard',
    period: 'Period',
    until: 'to',
    running: 'running',
    capped: 'Status held below Bersinar by',
    columns: ['Indicator', 'Value', 'Target', 'Met', 'Points'],
    history: 'Score over the last eight periods',
    records: 'records',
    yes: 'yes',
    no: 'no',
    none: 'n/a',
  },
} satisfies Record<Locale, unknown>;
type Words = (typeof WORDS)[Locale];

// The page's one style sheet, inline so that the page prints alone; the policy allows it by its hash.
const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 52rem; padding: 1rem; color: #1b1b1b; }
  h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
  .score { font-size: 3rem; font-weight: 700; margin: .5rem 0 0; }
  .status { display: inline-block; padding: .2rem .6rem; border-radius: 1rem; font-weight: 600; }
  .status.bersinar { background: #d7f5dd; color: #0b5d1e; }
  .status.menuju_bersinar { background: #fff1c2; color: #6b4f00; }
  .status.belum_bersinar { background: #fbd5d5; color: #7a1010; }
  .cap { color: #7a1010; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; font-size: .95rem; }
  th, td { text-align: left; padding: .4rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  tr.unmet td:first-child { border-left: 4px solid #c62828; }
  .records { color: #555; font-size: .85rem; }
  svg { width: 100%; height: auto; }
  .bar { fill: #1e6fb8; } .value, .label { font-size: 11px; text-anchor: middle; fill: #333; }
  line.bersinar { stroke: #0b5d1e; stroke-dasharray: 4 3; } line.menuju { stroke: #b08900; stroke-dasharray: 4 3; }
  @media (max-width: 40rem) { table { font-size: .85rem; } th:nth-child(3), td:nth-child(3) { display: none; } }
  @media print { body { max-width: none; } .status { border: 1px solid #000; } a { color: inherit; text-decoration: none; } }
`;

/** The page's Content-Security-Policy: its own style and nothing else, neither scripts nor framing. */
export const SCORECARD_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// A closed scorecard may name a code the registry no longer has: shown as a share.
const shown = (value: number | null, code: string, words: Words) => {
  if (value === null) return '—';
  const as = INDICATORS.find((i) => i.code === code)?.shown;
  if (as === 'number') return String(value);
  if (as === 'yes_no') return value >= 1 ? words.yes : words.no;
  return `${Math.round(value * 1000) / 10}%`;
};

/** The score over the periods as an inline SVG: bars, with the two thresholds as lines. No script. */
function chart(history: { period: string; score: number }[], rules: ScorecardRules, words: Words): string {
  const width = 640;
  const height = 220;
  const pad = 28;
  const step = (width - pad * 2) / Math.max(history.length, 1);
  const y = (score: number) => height - pad - ((height - pad * 2) * score) / 100;
  const bars = history
    .map((h, i) => {
      const x = pad + i * step + step * 0.15;
      const top = y(h.score);
      return `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${(height - pad - top).toFixed(1)}" class="bar"><title>${escapeHtml(h.period)}: ${h.score}</title></rect>
<text x="${(x + step * 0.35).toFixed(1)}" y="${(top - 4).toFixed(1)}" class="value">${h.score}</text>
<text x="${(x + step * 0.35).toFixed(1)}" y="${height - 8}" class="label">${escapeHtml(h.period)}</text>`;
    })
    .join('\n');
  const line = (score: number, cls: string) =>
    `<line x1="${pad}" x2="${width - pad}" y1="${y(score).toFixed(1)}" y2="${y(score).toFixed(1)}" class="${cls}"/>`;
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${words.history}">
${line(rules.thresholds.bersinar, 'bersinar')}
${line(rules.thresholds.menuju_bersinar, 'menuju')}
${bars}
</svg>`;
}

/**
 * A page a person reads on a phone or prints: the score, the status, each indicator, and the history,
 * in the reader's language.
 */
export function renderScorecard(
  card: Scorecard,
  history: { period: string; score: number }[],
  rules: ScorecardRules,
  locale: Locale,
): string {
  const words = WORDS[locale];
  const nameOf = (code: string, name: string) => {
    const indicator = rules.indicators.find((i) => i.code === code);
    return locale === 'id' && indicator ? indicator.name_id : name;
  };
  const rows = card.indicators
    .map((i) => {
      const mark = i.met === null ? words.none : i.met ? '✓' : '✗';
      const records = i.records?.length ? ` <span class="records">(${i.records.length} ${words.records})</span>` : '';
      return `<tr class="${i.met === false ? 'unmet' : ''}"><td>${escapeHtml(nameOf(i.code, i.name))}${records}</td><td>${shown(i.value, i.code, words)}</td><td>${i.direction === 'at_most' ? '≤' : '≥'} ${shown(i.target, i.code, words)}</td><td>${mark}</td><td>${i.points ?? '—'} / ${i.weight}</td></tr>`;
    })
    .join('\n');
  const capNames = card.capped_by.map((c) => {
    const indicator = card.indicators.find((i) => i.code === c);
    return escapeHtml(nameOf(c, indicator?.name ?? c));
  });
  const caps = card.capped_by.length ? `<p class="cap">${words.capped}: ${capNames.join(', ')}.</p>` : '';
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${words.title} — ${escapeHtml(card.facility_name)} — ${escapeHtml(card.period)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(card.facility_name)}</h1>
<div>${words.period} ${escapeHtml(card.period)} (${escapeHtml(card.from)} ${words.until} ${escapeHtml(card.to)})${card.complete ? '' : ` — ${words.running}`}</div>
<p class="score" data-score="${card.score}">${card.score}</p>
<span class="status ${card.status}">${words.status[card.status]}</span>
${caps}
<table>
<thead><tr>${words.columns.map((c) => `<th>${c}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>${words.history}</h2>
${chart(history, rules, words)}
</body>
</html>`;
}
