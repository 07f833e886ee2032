import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams, useSearch } from 'wouter';
import { api } from '../../api/client';
import { must } from '../../api/problem';
import { useLanguage, useTexts } from '../../i18n';
import { addDays, formatDate, mondayOf, todayIn } from '../../i18n/time';
import { Loading, ProblemAlert } from '../../ui';
import { type Facility, keys, type Programme, ProgrammeFrame, type Session, SessionFacts, timeRange } from './common';
import { T } from './texts';

/** A programme's week: seven days, a grid on a wide screen and an agenda on a phone. */
export function ProgrammeCalendar() {
  const { programmeId = '' } = useParams<{ programmeId: string }>();
  return (
    <ProgrammeFrame programmeId={programmeId} heading={(p) => p.title}>
      {(programme, facility) => <Week programme={programme} facility={facility} />}
    </ProgrammeFrame>
  );
}

function Week({ programme, facility }: { programme: Programme; facility: Facility }) {
  const t = useTexts(T);
  const language = useLanguage();
  const today = todayIn(facility.timezone);
  // The week is in the address, so that coming back from a session returns to its week.
  const asked = new URLSearchParams(useSearch()).get('week');
  const monday = asked && /^\d{4}-\d{2}-\d{2}$/.test(asked) ? mondayOf(asked) : mondayOf(today);
  const [, navigate] = useLocation();
  const setMonday = (week: string) => navigate(`/${programme.id}?week=${week}`, { replace: true });
  const sunday = addDays(monday, 6);
  const sessions = useQuery({
    queryKey: [...keys.sessions(programme.id), monday],
    queryFn: async () =>
      must(
        await api.GET('/v1/rehab-sessions', {
          params: {
            query: {
              facility_id: programme.facility_id,
              programme_id: programme.id,
              from: monday,
              to: sunday,
              limit: 200,
            },
          },
        }),
      ),
  });
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  return (
    <section aria-labelledby="rehab-week">
      <h2 id="rehab-week">
        {t.week}: {formatDate(monday, language)} – {formatDate(sunday, language)}
      </h2>
      <div className="row">
        <button type="button" onClick={() => setMonday(addDays(monday, -7))}>
          {t.previousWeek}
        </button>
        <button type="button" onClick={() => setMonday(mondayOf(today))}>
          {t.thisWeek}
        </button>
        <button type="button" onClick={() => setMonday(addDays(monday, 7))}>
          {t.nextWeek}
        </button>
      </div>
      <ProblemAlert error={sessions.error} />
      {sessions.isPending ? <Loading label={t.loading} /> : null}
      {sessions.data ? (
        <ol className="rehab-week">
          {days.map((day) => (
            <Day
              key={day}
              day={day}
              today={day === today}
              sessions={sessions.data.data.filter((s) => s.starts_at.slice(0, 10) === day)}
              programme={programme}
              facility={facility}
            />
          ))}
        </ol>
      ) : null}
    </section>
  );
}

function Day({
  day,
  today,
  sessions,
  programme,
  facility,
}: {
  day: string;
  today: boolean;
  sessions: Session[];
  programme: Programme;
  facility: Facility;
}) {
  const t = useTexts(T);
  const language = useLanguage();
  return (
    <li className={today ? 'rehab-day today' : 'rehab-day'} aria-current={today ? 'date' : undefined}>
      <h3>{formatDate(day, language, true)}</h3>
      {sessions.length === 0 ? <p className="muted">{t.noSessions}</p> : null}
      <ul className="list">
        {sessions.map((s) => (
          <li key={s.id} className="rehab-session" data-session={s.id}>
            <strong>{timeRange(s, facility.timezone, language)}</strong>
            {s.status === 'cancelled' ? (
              <span className="badge bad">{t.cancelled}</span>
            ) : s.held ? (
              <span className="badge ok">{t.held}</span>
            ) : null}
            <SessionFacts session={s} />
            <Link href={`/${programme.id}/sessions/${s.id}`}>
              {t.openSession}
              <span className="visually-hidden">
                {' '}
                {formatDate(day, language, true)} {timeRange(s, facility.timezone, language)}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </li>
  );
}
