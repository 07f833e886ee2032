import { useQueryClient } from '@tanstack/react-query';
import { Fragment, type KeyboardEvent, useRef, useState } from 'react';
import { api } from '../../api/client';
import { must } from '../../api/problem';
import type { Facility } from '../../auth/session';
import { useLanguage, useTexts } from '../../i18n';
import { formatTime, todayIn, zoneName } from '../../i18n/time';
import { ProblemAlert } from '../../ui';
import { type Draws, keys, newKey, type Round, type UrineTest } from './data';
import { type ClassResult, deriveOutcome } from './outcome';
import { T } from './texts';

type SubjectType = 'inmate' | 'officer';

interface GridRow {
  key: string;
  type: SubjectType;
  subjectId: string;
  who: string;
  test?: UrineTest;
  /** A drawn person left out for a reason other than refusal (released, court, …). */
  notTested?: string;
}

interface Draft {
  specimen: string;
  classes: Record<string, ClassResult>;
  refused: boolean;
  state: 'idle' | 'saving' | 'saved' | 'error';
  error?: unknown;
  /** The Idempotency-Key of this body: a retry of the same entry reuses it, any edit makes a new one. */
  idempotencyKey: string;
  /** Fixed at the first attempt, so a retry sends the same body under the same key. */
  collectedAt?: string;
}

const KEYS: Record<string, ClassResult> = { n: 'negative', p: 'positive', i: 'invalid' };

/** The people of the round in order: the draw's main list and the reserves called in, then anyone else tested. */
function rowsOf(draws: Draws, tests: UrineTest[], nameOf: (id: string) => string): GridRow[] {
  const testOf = new Map(tests.map((x) => [`${x.subject_type}:${x.subject_id}`, x]));
  const rows: GridRow[] = [];
  const seen = new Set<string>();
  for (const d of draws.data) {
    const called = d.entries.filter((e) => e.list === 'main' || e.status !== 'standby');
    for (const e of called) {
      const key = `${d.subject_type}:${e.subject_id}`;
      seen.add(key);
      rows.push({
        key,
        type: d.subject_type,
        subjectId: e.subject_id,
        who: nameOf(e.subject_id),
        test: testOf.get(key),
        notTested: e.status === 'not_tested' && !testOf.has(key) ? (e.not_tested_reason ?? undefined) : undefined,
      });
    }
  }
  const others = tests
    .filter((x) => !seen.has(`${x.subject_type}:${x.subject_id}`))
    .sort((a, b) => a.specimen_id.localeCompare(b.specimen_id));
  for (const x of others) {
    rows.push({
      key: `${x.subject_type}:${x.subject_id}`,
      type: x.subject_type,
      subjectId: x.subject_id,
      who: nameOf(x.subject_id),
      test: x,
    });
  }
  return rows;
}

export function ResultsGrid({
  round,
  facility,
  draws,
  tests,
  nameOf,
  recorder,
}: {
  round: Round;
  facility: Facility;
  draws: Draws;
  tests: UrineTest[];
  nameOf: (id: string) => string;
  recorder: boolean;
}) {
  const t = useTexts(T);
  const lang = useLanguage();
  const queryClient = useQueryClient();
  const zone = facility?.timezone ?? 'Asia/Jakarta';
  const panel = round.kit.panel;
  const rows = rowsOf(draws, tests, nameOf);
  const isToday = round.tested_on === todayIn(zone);
  const [time, setTime] = useState('09:00');
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const table = useRef<HTMLTableElement>(null);
  const compactDay = round.tested_on.replaceAll('-', '');

  const draftOf = (row: GridRow, index: number): Draft =>
    drafts[row.key] ?? {
      specimen: `U${compactDay}-${String(index + 1).padStart(2, '0')}`,
      classes: {},
      refused: false,
      state: 'idle',
      idempotencyKey: newKey(),
    };
  const edit = (row: GridRow, index: number, change: Partial<Draft>) =>
    setDrafts((all) => ({
      ...all,
      [row.key]: {
        ...draftOf(row, index),
        ...all[row.key],
        ...change,
        idempotencyKey: newKey(),
        collectedAt: undefined,
        state: 'idle',
      },
    }));
  const setState = (key: string, change: Partial<Draft>) =>
    setDrafts((all) => ({ ...all, [key]: { ...(all[key] as Draft), ...change } }));

  const editable = (row: GridRow) => recorder && !row.test && !row.notTested;
  const lastCol = panel.length + 2;

  async function save(index: number) {
    const row = rows[index];
    if (!row || !editable(row)) return;
    const draft = draftOf(row, index);
    if (draft.state === 'saving' || draft.state === 'saved') return;
    const collected_at = draft.collectedAt ?? (isToday ? new Date().toISOString() : `${round.tested_on}T${time}:00`);
    setDrafts((all) => ({
      ...all,
      [row.key]: { ...draft, collectedAt: collected_at, state: 'saving', error: undefined },
    }));
    const base = { subject_type: row.type, subject_id: row.subjectId, collected_at };
    const body = draft.refused
      ? { ...base, specimen_id: `REFUSED-${row.subjectId}`, refused: true, results: [] }
      : {
          ...base,
          specimen_id: draft.specimen.trim(),
          refused: false,
          results: panel.map((c) => ({
            class: c as 'AMP',
            result: draft.classes[c] ?? ('negative' as const),
          })),
        };
    try {
      must(
        await api.POST('/v1/urine-test-rounds/{roundId}/results', {
          params: { path: { roundId: round.id }, header: { 'Idempotency-Key': draft.idempotencyKey } },
          body,
        }),
      );
      setState(row.key, { state: 'saved' });
      await queryClient.invalidateQueries({ queryKey: keys.round(round.id) });
      queryClient.invalidateQueries({ queryKey: keys.rounds(round.facility_id) });
    } catch (error) {
      setState(row.key, { state: 'error', error });
    }
  }

  function focusCell(from: number, col: number, step: number) {
    for (let r = from; r >= 0 && r < rows.length; r += step) {
      const el = table.current?.querySelector<HTMLElement>(`[data-cell="${r}:${col}"]`);
      if (el && !(el as HTMLInputElement).disabled) {
        el.focus();
        return true;
      }
      if (el) {
        // A refused row's class cells are off: its refusal box stands in.
        const alt = table.current?.querySelector<HTMLElement>(`[data-cell="${r}:${panel.length + 1}"]`);
        alt?.focus();
        return true;
      }
    }
    return false;
  }

  function onKey(e: KeyboardEvent<HTMLElement>, r: number, c: number) {
    const target = e.currentTarget;
    const key = e.key;
    if (key === 'Enter') {
      e.preventDefault();
      void save(r);
      focusCell(r + 1, c, 1);
      return;
    }
    if (key === 'ArrowDown' || key === 'ArrowUp') {
      e.preventDefault();
      focusCell(key === 'ArrowDown' ? r + 1 : r - 1, c, key === 'ArrowDown' ? 1 : -1);
      return;
    }
    if (key === 'ArrowLeft' || key === 'ArrowRight') {
      if (target instanceof HTMLInputElement && target.type === 'text') {
        const atEdge = key === 'ArrowLeft' ? target.selectionStart === 0 : target.selectionEnd === target.value.length;
        if (!atEdge) return;
      }
      e.preventDefault();
      const step = key === 'ArrowRight' ? 1 : -1;
      for (let col = c + step; col >= 0 && col <= lastCol; col += step) {
        const el = table.current?.querySelector<HTMLElement>(`[data-cell="${r}:${col}"]`);
        if (el && !(el as HTMLInputElement).disabled) {
          el.focus();
          return;
        }
      }
      return;
    }
    if (target instanceof HTMLSelectElement && !e.altKey && !e.ctrlKey && !e.metaKey) {
      const result = KEYS[key.toLowerCase()];
      if (result) {
        e.preventDefault();
        const row = rows[r] as GridRow;
        const cls = panel[c - 1] as string;
        edit(row, r, { classes: { ...draftOf(row, r).classes, [cls]: result } });
      } else if (key.length === 1 && key !== ' ') {
        e.preventDefault();
      }
    }
  }

  if (!rows.length) return <p className="muted">{t.noRows}</p>;
  const anyEditable = rows.some(editable);

  return (
    <div className="stack">
      {anyEditable ? (
        <p className="muted" id="urine-grid-help">
          {t.resultsHelp}
        </p>
      ) : null}
      {anyEditable && !isToday ? (
        <label className="narrow">
          {t.collectedTime(zoneName(zone))}
          <input
            type="time"
            required
            value={time}
            onChange={(e) => {
              setTime(e.target.value);
              // Unsaved rows will be sent at the new time: a new body, a new key.
              setDrafts((all) =>
                Object.fromEntries(
                  Object.entries(all).map(([k, d]) => [
                    k,
                    d.state === 'saved' ? d : { ...d, collectedAt: undefined, idempotencyKey: newKey() },
                  ]),
                ),
              );
            }}
          />
        </label>
      ) : null}
      {/* Focusable, so the grid can be scrolled from the keyboard when it holds no control. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus */}
      <section className="table-wrap urine-grid-wrap" aria-label={t.resultsHeading} tabIndex={0}>
        <table ref={table} className="urine-grid" aria-describedby={anyEditable ? 'urine-grid-help' : undefined}>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t.person}</th>
              <th scope="col">{t.specimen}</th>
              {panel.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
              <th scope="col">{t.refused}</th>
              <th scope="col">{t.outcome}</th>
              <th scope="col">{t.time}</th>
              <th scope="col">{t.status}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => {
              const n = r + 1;
              if (!editable(row)) {
                const x = row.test;
                const result = (cls: string) => x?.classes.find((k) => k.class === cls)?.result;
                return (
                  <tr key={row.key} data-row={n}>
                    <td>{n}</td>
                    <th scope="row">{row.who}</th>
                    <td>{x?.specimen_id ?? '—'}</td>
                    {panel.map((c) => {
                      const value = result(c);
                      return (
                        <td key={c} className={value === 'positive' ? 'urine-positive' : undefined}>
                          {value ? t.results[value] : '—'}
                        </td>
                      );
                    })}
                    <td>{x?.refused ? t.refused : ''}</td>
                    <td data-outcome>
                      {x ? t.outcomes[x.outcome] : t.entryStatus.not_tested}
                      {x?.confirmation ? (
                        <>
                          {' '}
                          <span className={`badge ${x.confirmation === 'confirmed_positive' ? 'bad' : ''}`}>
                            {t.confirmations[x.confirmation]}
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>{x ? formatTime(x.collected_at, zone, lang) : '—'}</td>
                    <td>{x ? t.states.saved : (row.notTested ?? '')}</td>
                  </tr>
                );
              }
              const draft = draftOf(row, r);
              const derived = deriveOutcome(
                {
                  refused: draft.refused,
                  results: draft.refused
                    ? []
                    : panel.map((c) => ({ class: c, result: draft.classes[c] ?? 'negative' })),
                },
                round.cutoffs,
              );
              const busy = draft.state === 'saving' || draft.state === 'saved';
              return (
                <Fragment key={row.key}>
                  <tr data-row={n} className={draft.state === 'error' ? 'urine-refused-row' : undefined}>
                    <td>{n}</td>
                    <th scope="row">{row.who}</th>
                    <td>
                      <input
                        type="text"
                        className="urine-specimen"
                        data-cell={`${r}:0`}
                        aria-label={t.specimenLabel(row.who)}
                        value={draft.refused ? '' : draft.specimen}
                        disabled={draft.refused || busy}
                        onChange={(e) => edit(row, r, { specimen: e.target.value })}
                        onKeyDown={(e) => onKey(e, r, 0)}
                      />
                    </td>
                    {panel.map((c, j) => {
                      const value = draft.classes[c] ?? 'negative';
                      return (
                        <td key={c} className={value === 'positive' && !draft.refused ? 'urine-positive' : undefined}>
                          <select
                            data-cell={`${r}:${j + 1}`}
                            aria-label={t.cellLabel(c, row.who)}
                            value={value}
                            disabled={draft.refused || busy}
                            onChange={(e) =>
                              edit(row, r, { classes: { ...draft.classes, [c]: e.target.value as ClassResult } })
                            }
                            onKeyDown={(e) => onKey(e, r, j + 1)}
                          >
                            {(['negative', 'positive', 'invalid'] as const).map((v) => (
                              <option key={v} value={v}>
                                {t.results[v]}
                              </option>
                            ))}
                          </select>
                        </td>
                      );
                    })}
                    <td>
                      <input
                        type="checkbox"
                        data-cell={`${r}:${panel.length + 1}`}
                        aria-label={t.refusedLabel(row.who)}
                        checked={draft.refused}
                        disabled={busy}
                        onChange={(e) => edit(row, r, { refused: e.target.checked })}
                        onKeyDown={(e) => onKey(e, r, panel.length + 1)}
                      />
                    </td>
                    <td data-outcome>{t.outcomes[derived.outcome]}</td>
                    <td>—</td>
                    <td>
                      <div className="urine-save">
                        <span>{t.states[draft.state]}</span>
                        <button
                          type="button"
                          data-cell={`${r}:${panel.length + 2}`}
                          aria-label={t.saveRow(row.who)}
                          disabled={busy}
                          onClick={() => save(r)}
                          onKeyDown={(e) => onKey(e, r, panel.length + 2)}
                        >
                          {t.save}
                        </button>
                      </div>
                    </td>
                  </tr>
                  {draft.state === 'error' ? (
                    <tr className="urine-error-row">
                      <td colSpan={panel.length + 7}>
                        <p>{t.rowRefused(n, row.who)}</p>
                        <ProblemAlert error={draft.error} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}
