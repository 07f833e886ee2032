import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { api, type Schemas } from '../../api/client';
import { ApiError, must, type ProblemBody } from '../../api/problem';
import { useTexts } from '../../i18n';
import { todayIn } from '../../i18n/time';
import { Loading, Page, ProblemAlert } from '../../ui';
import { PeriodSelect } from './Chooser';
import { currentQuarter } from './period';
import { T } from './texts';

type RankingAnswer = Schemas['ScorecardRanking'];

/** The CSV of the ranking, fetched with the token (a plain link cannot carry it) and saved from a Blob. */
async function downloadCsv(period: string) {
  const { response, error } = await api.GET('/v1/scorecards', {
    params: { query: { period } },
    headers: { accept: 'text/csv' },
    parseAs: 'stream',
  });
  // openapi-fetch has read a refusal's body already: its problem is `error`.
  if (!response.ok) throw new ApiError(response.status, (error ?? {}) as ProblemBody);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `bersinar-${period}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The facilities in reach ranked by score for a period, with the CSV to take away. */
export function Ranking() {
  const t = useTexts(T);
  const [, navigate] = useLocation();
  const today = todayIn('Asia/Jakarta');
  const period = new URLSearchParams(useSearch()).get('period') ?? currentQuarter(today);
  const [chosen, setChosen] = useState(period);
  const ranking = useQuery({
    queryKey: ['ranking', period],
    // JSON: the CSV is asked for by Accept only.
    queryFn: async () => must(await api.GET('/v1/scorecards', { params: { query: { period } } })) as RankingAnswer,
  });
  const download = useMutation({ mutationFn: () => downloadCsv(period) });

  return (
    <Page title={t.ranking}>
      <form
        className="card stack"
        onSubmit={(event) => {
          event.preventDefault();
          navigate(`/ranking?period=${encodeURIComponent(chosen)}`);
        }}
      >
        <PeriodSelect value={chosen} today={today} onChange={setChosen} />
        <button type="submit" className="primary">
          {t.show}
        </button>
      </form>
      <div className="stack">
        <button type="button" onClick={() => download.mutate()} disabled={download.isPending}>
          {download.isPending ? t.downloading : t.download}
        </button>
        <ProblemAlert error={download.error} />
      </div>
      {ranking.isPending ? <Loading label={t.loading} /> : null}
      <ProblemAlert error={ranking.error} />
      {ranking.data ? (
        ranking.data.data.length === 0 ? (
          <p>{t.empty}</p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region needs focus to scroll by keyboard
          <section className="table-wrap" aria-label={t.rankingOf(ranking.data.period)} tabIndex={0}>
            <table>
              <caption>{t.rankingOf(ranking.data.period)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.rank}</th>
                  <th scope="col">{t.facility}</th>
                  <th scope="col">{t.score}</th>
                  <th scope="col">{t.status}</th>
                  <th scope="col">{`${t.change} (${ranking.data.previous_period})`}</th>
                </tr>
              </thead>
              <tbody>
                {ranking.data.data.map((row) => (
                  <tr key={row.facility_id}>
                    <td>{row.rank}</td>
                    <th scope="row">
                      <Link href={`/${row.facility_id}?period=${encodeURIComponent(ranking.data.period)}`}>
                        {row.facility_name}
                      </Link>
                    </th>
                    <td>{row.score}</td>
                    <td>{t.statuses[row.status]}</td>
                    <td>{row.change === null ? t.none : row.change > 0 ? `+${row.change}` : String(row.change)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )
      ) : null}
    </Page>
  );
}
