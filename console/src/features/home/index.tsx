import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { api, type Schemas } from '../../api/client';
import { ApiError, must } from '../../api/problem';
import type { Me } from '../../auth/session';
import { useProfile } from '../../auth/session';
import { useLanguage, useTexts } from '../../i18n';
import { formatDate, formatDateTime, formatTime, todayIn } from '../../i18n/time';
import { Loading, Page, ProblemAlert } from '../../ui';
import { T } from './texts';

type Role = Me['role'];

/** Every page of a list: these lists are short, a day's or a role's work. */
async function everything<Row>(
  page: (cursor: string | undefined) => Promise<{ data: Row[]; next_cursor?: string | null }>,
): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | undefined;
  do {
    const answer = await page(cursor);
    rows.push(...answer.data);
    cursor = answer.next_cursor ?? undefined;
  } while (cursor);
  return rows;
}

const FACILITY_WORK: Role[] = ['facility_staff', 'facility_head'];

/** What needs doing today, for the signed-in role; each item leads into the console. */
export default function Home() {
  const t = useTexts(T);
  const { me } = useProfile();
  const role = me.role;
  const is = (...roles: Role[]) => roles.includes(role);
  return (
    <Page title={t.title}>
      <p>{t.hello}</p>
      {is(...FACILITY_WORK, 'regional_viewer', 'admin') ? <OverdueActions /> : null}
      {is('facility_head') ? <AwaitingSignOff /> : null}
      {is(...FACILITY_WORK, 'bnn_officer') ? <TodaySessions /> : null}
      {is(...FACILITY_WORK, 'bnn_officer') ? <FollowUps /> : null}
      {is('bnn_officer', 'regional_viewer', 'admin') ? <ExpiringMous /> : null}
      {is('regional_government_officer', 'bnn_officer', 'regional_viewer') ? <OverdueRakor /> : null}
      {is('regional_viewer', 'bnn_officer', 'admin') ? (
        <section aria-labelledby="home-ranking">
          <h2 id="home-ranking">{t.ranking}</h2>
          <p>
            <Link href="/scorecard/ranking">{t.toRanking}</Link>
          </p>
        </section>
      ) : null}
    </Page>
  );
}

/** A titled list of today's work: the items, "nothing", or the API's refusal in place. */
function Block<Row>({
  id,
  title,
  query,
  item,
}: {
  id: string;
  title: string;
  query: { data?: Row[]; error: unknown; isPending: boolean };
  item: (row: Row) => { key: string; main: ReactNode; detail: ReactNode };
}) {
  const t = useTexts(T);
  const headingId = `home-${id}`;
  return (
    <section aria-labelledby={headingId} className="card">
      <h2 id={headingId}>
        {title}
        {query.data ? ` (${query.data.length})` : ''}
      </h2>
      {query.isPending ? <Loading label={t.loading} /> : null}
      <ProblemAlert error={query.error} />
      {query.data && query.data.length === 0 ? <p className="muted">{t.nothing}</p> : null}
      {query.data && query.data.length > 0 ? (
        <ul className="list" aria-labelledby={headingId}>
          {query.data.map((row) => {
            const shown = item(row);
            return (
              <li key={shown.key}>
                <div>{shown.main}</div>
                <div className="muted">{shown.detail}</div>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}

function useFacilities() {
  const { facilities } = useProfile();
  return (id: string) => facilities.find((f) => f.id === id);
}

function OverdueActions() {
  const t = useTexts(T);
  const lang = useLanguage();
  const facility = useFacilities();
  const query = useQuery({
    queryKey: ['home', 'overdue-actions'],
    queryFn: () =>
      everything(async (cursor) =>
        must(await api.GET('/v1/corrective-actions', { params: { query: { overdue: 'true', limit: 200, cursor } } })),
      ),
  });
  return (
    <Block
      id="overdue-actions"
      title={t.overdueActions}
      query={query}
      item={(a: Schemas['CorrectiveAction']) => ({
        key: a.id,
        main: <Link href={`/inspections/${a.inspection_id}`}>{a.description}</Link>,
        detail: [facility(a.facility_id)?.name, t.due(formatDate(a.due_date, lang))].filter(Boolean).join(' · '),
      })}
    />
  );
}

function AwaitingSignOff() {
  const t = useTexts(T);
  const lang = useLanguage();
  const facility = useFacilities();
  const query = useQuery({
    queryKey: ['home', 'awaiting-sign-off'],
    queryFn: () =>
      everything(async (cursor) =>
        must(await api.GET('/v1/inspections', { params: { query: { status: 'submitted', limit: 200, cursor } } })),
      ),
  });
  return (
    <Block
      id="awaiting-sign-off"
      title={t.awaitingSignOff}
      query={query}
      item={(i: Schemas['InspectionSummary']) => ({
        key: i.id,
        main: <Link href={`/inspections/${i.id}`}>{`${t.inspection}: ${i.summary}`}</Link>,
        detail: [facility(i.facility_id)?.name, t.started(formatDateTime(i.started_at, i.timezone, lang))]
          .filter(Boolean)
          .join(' · '),
      })}
    />
  );
}

function TodaySessions() {
  const t = useTexts(T);
  const lang = useLanguage();
  const { me, facilities } = useProfile();
  const facility = useFacilities();
  const mine = me.facility_id ? facilities.filter((f) => f.id === me.facility_id) : facilities;
  const query = useQuery({
    queryKey: ['home', 'today-sessions', mine.map((f) => f.id)],
    queryFn: async () => {
      const all: Schemas['RehabSession'][] = [];
      for (const f of mine) {
        const today = todayIn(f.timezone);
        try {
          all.push(
            ...(await everything(async (cursor) =>
              must(
                await api.GET('/v1/rehab-sessions', {
                  params: {
                    query: { facility_id: f.id, from: today, to: today, status: 'scheduled', limit: 200, cursor },
                  },
                }),
              ),
            )),
          );
        } catch (err) {
          // A facility whose sessions this user does not follow (no MoU covering rehabilitation).
          if (!(err instanceof ApiError && (err.status === 404 || err.status === 403))) throw err;
        }
      }
      return all.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
    },
  });
  return (
    <Block
      id="today-sessions"
      title={t.todaySessions}
      query={query}
      item={(s: Schemas['RehabSession']) => {
        const f = facility(s.facility_id);
        const zone = f?.timezone ?? 'Asia/Jakarta';
        const title = s.curriculum_title ?? `${t.session} ${s.number ?? ''}`.trim();
        return {
          key: s.id,
          main: <Link href="/rehab">{`${formatTime(s.starts_at, zone, lang)} · ${title}`}</Link>,
          detail: [f?.name, `${t.room} ${s.room}`].filter(Boolean).join(' · '),
        };
      }}
    />
  );
}

function FollowUps() {
  const t = useTexts(T);
  const lang = useLanguage();
  const facility = useFacilities();
  const query = useQuery({
    queryKey: ['home', 'follow-ups'],
    queryFn: async () =>
      (
        await everything(async (cursor) =>
          must(
            await api.GET('/v1/follow-up-cases', {
              params: { query: { status: 'awaiting_assessment', limit: 200, cursor } },
            }),
          ),
        )
      ).sort((a, b) => a.assessment_due.localeCompare(b.assessment_due)),
  });
  return (
    <Block
      id="follow-ups"
      title={t.followUps}
      query={query}
      item={(c: Schemas['FollowUpCase']) => ({
        key: c.id,
        main: (
          <Link href="/urine">{`${t.subject[c.subject_type] ?? c.subject_type} · ${t.trigger[c.trigger] ?? c.trigger}`}</Link>
        ),
        detail: [facility(c.facility_id)?.name, t.due(formatDate(c.assessment_due, lang)), c.overdue ? t.overdue : null]
          .filter(Boolean)
          .join(' · '),
      })}
    />
  );
}

function ExpiringMous() {
  const t = useTexts(T);
  const lang = useLanguage();
  const query = useQuery({
    queryKey: ['home', 'expiring-mous'],
    queryFn: () =>
      everything(async (cursor) =>
        must(await api.GET('/v1/mous', { params: { query: { expiring_within_days: 60, limit: 200, cursor } } })),
      ),
  });
  return (
    <Block
      id="expiring-mous"
      title={t.expiringMous}
      query={query}
      item={(m: Schemas['Mou']) => ({
        key: m.id,
        main: `${m.number} · ${m.title}`,
        detail: `${m.bnn_unit_name} · ${t.until(formatDate(m.valid_until, lang))}`,
      })}
    />
  );
}

function OverdueRakor() {
  const t = useTexts(T);
  const lang = useLanguage();
  const { me } = useProfile();
  const owner = me.organisation_id ?? undefined;
  const query = useQuery({
    queryKey: ['home', 'overdue-rakor', owner],
    queryFn: () =>
      everything(async (cursor) =>
        must(
          await api.GET('/v1/action-items', {
            params: { query: { owner_id: owner, overdue: 'true', limit: 200, cursor } },
          }),
        ),
      ),
  });
  return (
    <Block
      id="overdue-rakor"
      title={t.overdueRakor}
      query={query}
      item={(a: Schemas['ActionItem']) => ({
        key: a.id,
        main: a.description,
        detail: [
          a.meeting_title,
          t.due(formatDate(a.due_on, lang)),
          a.days_overdue === null ? null : t.daysOverdue(a.days_overdue),
        ]
          .filter(Boolean)
          .join(' · '),
      })}
    />
  );
}
