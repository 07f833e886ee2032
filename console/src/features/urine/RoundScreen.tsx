import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api } from '../../api/client';
import { ApiError, must } from '../../api/problem';
import { type Facility, useProfile } from '../../auth/session';
import { useLanguage, useTexts } from '../../i18n';
import { formatDate, formatDateTime } from '../../i18n/time';
import { Loading, Page, ProblemAlert } from '../../ui';
import { Confirmations } from './Confirmations';
import {
  canRecord,
  type Draws,
  type FollowUpCase,
  keys,
  newKey,
  type Round,
  useCases,
  useDraws,
  usePeople,
  useRound,
  useTests,
} from './data';
import { ResultsGrid } from './ResultsGrid';
import { T } from './texts';

export function RoundScreen() {
  const t = useTexts(T);
  const lang = useLanguage();
  const { roundId } = useParams<{ roundId: string }>();
  const { me, facilities } = useProfile();
  const round = useRound(roundId);
  const found = !!round.data;
  const draws = useDraws(roundId, found);
  const tests = useTests(roundId, found);
  const cases = useCases(roundId, found);
  const people = usePeople(round.data?.facility_id);

  if (round.error instanceof ApiError && (round.error.status === 404 || round.error.status === 400)) {
    return (
      <Page title={t.notFound}>
        <Link href="/">{t.back}</Link>
      </Page>
    );
  }
  if (!round.data) {
    return (
      <Page title={t.title}>{round.error ? <ProblemAlert error={round.error} /> : <Loading label={t.loading} />}</Page>
    );
  }
  const r = round.data;
  const facility = facilities.find((f) => f.id === r.facility_id);
  const zone = facility?.timezone ?? 'Asia/Jakarta';
  const names = people.data ?? new Map<string, string>();
  const nameOf = (id: string) => names.get(id) ?? id.slice(-8);
  const recorder = canRecord(me.role);

  return (
    <Page title={t.roundTitle(formatDate(r.tested_on, lang))}>
      <p>
        <Link href="/">{t.back}</Link>
      </p>
      <dl className="urine-facts">
        <dt>{t.facility}</dt>
        <dd>{facility?.name ?? r.facility_id}</dd>
        <dt>{t.reason}</dt>
        <dd>{t.reasons[r.reason]}</dd>
        <dt>{t.subjects}</dt>
        <dd>{t.subjectsOf[r.subjects]}</dd>
        <dt>{t.kit}</dt>
        <dd>
          {r.kit.brand} · {r.kit.lot} · {r.kit.panel.join(', ')}
        </dd>
        <dt>{t.openedAt}</dt>
        <dd>{formatDateTime(r.created_at, zone, lang)}</dd>
        <dt>{t.status}</dt>
        <dd>
          {draws.data?.data.length ? t.drawn : t.notDrawn} · {t.tested(r.tested)}
        </dd>
      </dl>

      <DrawSection round={r} draws={draws.data} zone={zone} nameOf={nameOf} recorder={recorder} />
      <ProblemAlert error={draws.error} />

      <h2>{t.resultsHeading}</h2>
      <ProblemAlert error={tests.error} />
      {tests.data && draws.data ? (
        <ResultsGrid
          round={r}
          facility={facility as Facility}
          draws={draws.data}
          tests={tests.data}
          nameOf={nameOf}
          recorder={recorder}
        />
      ) : (
        <Loading label={t.loading} />
      )}

      {tests.data && recorder ? <Confirmations tests={tests.data} nameOf={nameOf} /> : null}

      <h2>{t.casesHeading}</h2>
      <ProblemAlert error={cases.error} />
      {cases.data ? <CaseList cases={cases.data} nameOf={nameOf} /> : <Loading label={t.loading} />}
    </Page>
  );
}

function DrawSection({
  round,
  draws,
  zone,
  nameOf,
  recorder,
}: {
  round: Round;
  draws: Draws | undefined;
  zone: string;
  nameOf: (id: string) => string;
  recorder: boolean;
}) {
  const t = useTexts(T);
  const lang = useLanguage();
  const queryClient = useQueryClient();
  const types = round.subjects === 'both' ? (['inmate', 'officer'] as const) : ([round.subjects.slice(0, -1)] as const);
  const undrawn = types.filter((type) => !draws?.data.some((d) => d.subject_type === type));
  const [type, setType] = useState<'inmate' | 'officer'>((undrawn[0] ?? 'inmate') as 'inmate' | 'officer');
  const [size, setSize] = useState('');
  const [reserve, setReserve] = useState('');
  const key = useRef(newKey());
  const draw = useMutation({
    mutationFn: async () =>
      must(
        await api.POST('/v1/urine-test-rounds/{roundId}/draw', {
          params: { path: { roundId: round.id }, header: { 'Idempotency-Key': key.current } },
          body: {
            subject_type: type,
            size: Number(size),
            ...(reserve !== '' ? { reserve_size: Number(reserve) } : {}),
          },
        }),
      ),
    onSuccess: (answer) => {
      key.current = newKey();
      queryClient.setQueryData([...keys.round(round.id), 'draws'], answer);
    },
    onError: () => {
      key.current = newKey();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    draw.mutate();
  };
  return (
    <section aria-labelledby="urine-draw">
      <h2 id="urine-draw">{t.drawHeading}</h2>
      {draws?.data.map((d) => (
        <div key={d.subject_type} className="card">
          <p>
            {t.drawOf(
              t.subjectType[d.subject_type] ?? d.subject_type,
              d.population_size,
              formatDateTime(d.created_at, zone, lang),
            )}
          </p>
          <p className="muted">
            {t.seed}: <code>{d.seed}</code>
          </p>
          {(['main', 'reserve'] as const).map((list) => {
            const entries = d.entries.filter((e) => e.list === list);
            if (!entries.length) return null;
            return (
              <div key={list}>
                <h3>{list === 'main' ? t.main : t.reserves}</h3>
                <ol className="urine-entries">
                  {entries.map((e) => (
                    <li key={e.id}>
                      {nameOf(e.subject_id)} <span className="badge">{t.entryStatus[e.status]}</span>
                    </li>
                  ))}
                </ol>
              </div>
            );
          })}
        </div>
      ))}
      {recorder && undrawn.length ? (
        <form className="stack narrow" onSubmit={submit}>
          {undrawn.length > 1 ? (
            <label>
              {t.subjects}
              <select value={type} onChange={(e) => setType(e.target.value as 'inmate' | 'officer')}>
                {undrawn.map((x) => (
                  <option key={x} value={x}>
                    {t.subjectType[x]}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label>
            {t.drawSize}
            <input
              type="number"
              inputMode="numeric"
              min={1}
              required
              value={size}
              onChange={(e) => setSize(e.target.value)}
            />
          </label>
          <label>
            {t.reserveSize}
            <input
              type="number"
              inputMode="numeric"
              min={0}
              value={reserve}
              onChange={(e) => setReserve(e.target.value)}
            />
          </label>
          <ProblemAlert error={draw.error} />
          <button type="submit" className="primary" disabled={draw.isPending}>
            {draw.isPending ? t.drawing : t.runDraw}
          </button>
        </form>
      ) : null}
      {!draws?.data.length && !(recorder && undrawn.length) ? <p className="muted">{t.notDrawn}</p> : null}
    </section>
  );
}

function CaseList({ cases, nameOf }: { cases: FollowUpCase[]; nameOf: (id: string) => string }) {
  const t = useTexts(T);
  const lang = useLanguage();
  if (!cases.length) return <p className="muted">{t.noCases}</p>;
  return (
    <ul className="list" aria-label={t.casesHeading}>
      {cases.map((c) => (
        <li key={c.id}>
          <strong>{nameOf(c.subject_id)}</strong> <span className="badge">{t.caseStatus[c.status]}</span>{' '}
          {c.overdue ? <span className="badge bad">{t.overdue}</span> : null}
          <div>
            {t.trigger}: {t.triggers[c.trigger]}
          </div>
          <div className="muted">
            {t.opened}: {formatDate(c.opened_on, lang)} · {t.due}: {formatDate(c.assessment_due, lang)}
            {c.assessment_due_provisional ? ` (${t.provisional})` : ''}
          </div>
        </li>
      ))}
    </ul>
  );
}
