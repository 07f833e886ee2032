import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearch } from 'wouter';
import { api, type Schemas } from '../../api/client';
import { must } from '../../api/problem';
import { useLanguage, useTexts } from '../../i18n';
import { formatDate } from '../../i18n/time';
import { Loading, Page, ProblemAlert } from '../../ui';
import { Chooser } from './Chooser';
import { barOf, consolePath, shownValue } from './period';
import { T } from './texts';

type Card = Schemas['Scorecard'];
type Indicator = Card['indicators'][number];
type Record = NonNullable<Indicator['records']>[number];

/** One facility's scorecard for a period: the score, a chart with its table, and each miss with its records. */
export function FacilityScorecard() {
  const t = useTexts(T);
  const { facilityId = '' } = useParams<{ facilityId: string }>();
  const period = new URLSearchParams(useSearch()).get('period') ?? undefined;
  const card = useQuery({
    queryKey: ['scorecard', facilityId, period ?? null],
    queryFn: async () =>
      must(
        await api.GET('/v1/facilities/{facilityId}/scorecard', {
          params: { path: { facilityId }, query: period ? { period } : {} },
        }),
      ) as Card, // JSON: the printable HTML is asked for by Accept only
  });
  const title = card.data ? `${t.title}: ${card.data.facility_name}` : t.title;
  return (
    <Page title={title}>
      <Chooser key={`${facilityId}/${period}`} facilityId={facilityId} period={card.data?.period ?? period} />
      <p>
        <Link href="/ranking">{t.toRanking}</Link>
      </p>
      {card.isPending ? <Loading label={t.loading} /> : null}
      <ProblemAlert error={card.error} />
      {card.data ? <CardView card={card.data} /> : null}
    </Page>
  );
}

function CardView({ card }: { card: Card }) {
  const t = useTexts(T);
  const lang = useLanguage();
  const misses = card.indicators.filter((i) => i.met === false);
  return (
    <>
      <section className="card" aria-labelledby="scorecard-score">
        <h2 id="scorecard-score">
          {card.period} · {t.fromTo(formatDate(card.from, lang), formatDate(card.to, lang))}
        </h2>
        <p className="scorecard-score">
          <span>
            {t.score}: <strong data-testid="score">{card.score}</strong>
          </span>
          <span
            className={`badge ${card.status === 'bersinar' ? 'ok' : card.status === 'belum_bersinar' ? 'bad' : ''}`}
          >
            {t.statuses[card.status]}
          </span>
        </p>
        {card.complete ? null : <p className="muted">{t.running}</p>}
        {card.capped_by.length ? (
          <p>
            {t.cappedBy}:{' '}
            {card.capped_by.map((code) => card.indicators.find((i) => i.code === code)?.name ?? code).join(', ')}
          </p>
        ) : null}
        {card.closed ? <p className="muted">{t.closed(card.closed.revision, card.closed.score)}</p> : null}
        {card.differs_from_closed ? <p className="muted">{t.differs}</p> : null}
      </section>

      <section aria-labelledby="scorecard-chart">
        <h2 id="scorecard-chart">{t.chart}</h2>
        <p className="muted">{t.chartLabel}</p>
        <ul className="scorecard-bars" aria-hidden="true">
          {card.indicators.map((i) => (
            <Bar key={i.code} indicator={i} />
          ))}
        </ul>
        {/* Scrolls sideways on a phone: a labelled region the keyboard can reach. */}
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region needs focus to scroll by keyboard */}
        <section className="table-wrap" aria-label={t.table} tabIndex={0}>
          <table>
            <caption>{t.table}</caption>
            <thead>
              <tr>
                <th scope="col">{t.indicator}</th>
                <th scope="col">{t.value}</th>
                <th scope="col">{t.counted}</th>
                <th scope="col">{t.target}</th>
                <th scope="col">{t.met}</th>
                <th scope="col">{t.points}</th>
              </tr>
            </thead>
            <tbody>
              {card.indicators.map((i) => (
                <tr key={i.code} data-code={i.code}>
                  <th scope="row">{i.name}</th>
                  <td>{shownValue(i.value, i.code, t)}</td>
                  <td>
                    {i.numerator} / {i.denominator ?? t.none}
                  </td>
                  <td>
                    {i.direction === 'at_most' ? '≤' : '≥'} {shownValue(i.target, i.code, t)}
                  </td>
                  <td>{i.met === null ? t.none : i.met ? t.yes : t.no}</td>
                  <td>
                    {i.points ?? t.none} / {i.weight}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </section>

      <section aria-labelledby="scorecard-misses">
        <h2 id="scorecard-misses">{t.misses}</h2>
        {misses.length === 0 ? <p>{t.noMisses}</p> : null}
        {misses.map((i) => (
          <Miss key={i.code} indicator={i} />
        ))}
      </section>
    </>
  );
}

function Bar({ indicator: i }: { indicator: Indicator }) {
  const bar = barOf(i.value, i.target, i.code);
  const tone = i.met === null ? 'na' : i.met ? 'met' : 'unmet';
  return (
    <li>
      <span>{i.name}</span>
      <svg viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false" aria-hidden="true">
        <rect className="track" x="0" y="0" width="100" height="10" />
        <rect className={tone} x="0" y="1" width={bar.value * 100} height="8" />
        <line
          className="goal"
          x1={bar.target * 100}
          x2={bar.target * 100}
          y1="0"
          y2="10"
          vectorEffect="non-scaling-stroke"
        />
      </svg>
    </li>
  );
}

function Miss({ indicator: i }: { indicator: Indicator }) {
  const t = useTexts(T);
  const id = `miss-${i.code}`;
  const records = i.records ?? [];
  return (
    <section className="card" aria-labelledby={id}>
      <h3 id={id}>{i.name}</h3>
      {records.length === 0 ? (
        <p className="muted">{t.noRecords}</p>
      ) : (
        <ul className="list" aria-labelledby={id}>
          {records.map((r) => (
            <li key={`${r.kind}/${r.id ?? r.href}`} className="scorecard-record">
              <RecordLine record={r} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A record behind a miss: a link where the console has its screen, else its kind and id as text. */
function RecordLine({ record: r }: { record: Record }) {
  const t = useTexts(T);
  const label = t.kinds[r.kind] ?? r.kind;
  const inspection = /^\/v1\/inspections\/([0-9a-f-]+)$/.exec(r.href);
  if (inspection) return <Link href={consolePath(`/inspections/${inspection[1]}`)}>{`${label} · ${r.id}`}</Link>;
  if (r.kind === 'inspections') return <Link href={consolePath('/inspections')}>{label}</Link>;
  return (
    <span>
      {r.id ? `${label} · ${r.id}` : label}
      {r.test_id ? <span className="muted">{` (${t.test} ${r.test_id})`}</span> : null}
    </span>
  );
}
