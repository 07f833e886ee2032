import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api, type Schemas } from '../../api/client';
import { ApiError, must } from '../../api/problem';
import { useLanguage, useTexts } from '../../i18n';
import { formatDate, mondayOf } from '../../i18n/time';
import { Loading, ProblemAlert } from '../../ui';
import {
  etag,
  type Facility,
  keys,
  type Programme,
  ProgrammeFrame,
  type Session,
  SessionFacts,
  timeRange,
  useFacilitatorNames,
  useMayRun,
} from './common';
import { T } from './texts';

type Attendance = Schemas['RehabAttendance'];

/** One session: its details, moving and cancelling it, and its attendance checklist. */
export function SessionScreen() {
  const { programmeId = '', sessionId = '' } = useParams<{ programmeId: string; sessionId: string }>();
  const t = useTexts(T);
  return (
    <ProgrammeFrame programmeId={programmeId} heading={() => t.session}>
      {(programme, facility) => <SessionBody programme={programme} facility={facility} sessionId={sessionId} />}
    </ProgrammeFrame>
  );
}

function useSession(sessionId: string) {
  return useQuery({
    queryKey: keys.session(sessionId),
    queryFn: async () => must(await api.GET('/v1/rehab-sessions/{sessionId}', { params: { path: { sessionId } } })),
  });
}

function SessionBody({
  programme,
  facility,
  sessionId,
}: {
  programme: Programme;
  facility: Facility;
  sessionId: string;
}) {
  const t = useTexts(T);
  const language = useLanguage();
  const mayRun = useMayRun(programme);
  const session = useSession(sessionId);
  if (session.error) return <ProblemAlert error={session.error} />;
  if (!session.data) return <Loading label={t.loading} />;
  const s = session.data;
  const day = s.starts_at.slice(0, 10);
  const open = s.status === 'scheduled' && !s.held;
  return (
    <>
      <section aria-labelledby="rehab-session-head" className="card">
        <h2 id="rehab-session-head">
          {formatDate(day, language, true)}, {timeRange(s, facility.timezone, language)}
        </h2>
        <p>
          <span className={s.status === 'cancelled' ? 'badge bad' : s.held ? 'badge ok' : 'badge'}>
            {s.status === 'cancelled' ? t.cancelled : s.held ? t.held : t.scheduled}
          </span>
        </p>
        <SessionFacts session={s} />
        {s.cancel_reason ? (
          <p>
            {t.cancelReason}: {s.cancel_reason}
          </p>
        ) : null}
        <Link href={`/${programme.id}?week=${mondayOf(day)}`}>{t.backToCalendar}</Link>
      </section>
      {mayRun && open ? <MoveForm programme={programme} facility={facility} session={s} /> : null}
      {mayRun && open ? <CancelForm session={s} programmeId={programme.id} /> : null}
      {s.status === 'scheduled' ? <AttendanceChecklist session={s} programmeId={programme.id} mayRun={mayRun} /> : null}
    </>
  );
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The session a 409 names, said as people read it, when the caller may read it. */
function ClashNamed({ error, facility }: { error: unknown; facility: Facility }) {
  const t = useTexts(T);
  const language = useLanguage();
  const facilitator = useFacilitatorNames();
  const text = error instanceof ApiError && error.status === 409 ? `${error.problem.detail ?? ''}` : '';
  const clashId = UUID.exec(text)?.[0];
  const clash = useQuery({
    queryKey: keys.session(clashId ?? 'none'),
    queryFn: async () =>
      must(await api.GET('/v1/rehab-sessions/{sessionId}', { params: { path: { sessionId: clashId ?? '' } } })),
    enabled: Boolean(clashId),
    retry: false,
  });
  if (!clash.data) return null;
  const c = clash.data;
  return (
    <p className="rehab-clash">
      {t.clashWith}: {c.number ? `${t.session} ${c.number}, ` : ''}
      {formatDate(c.starts_at.slice(0, 10), language, true)}, {timeRange(c, facility.timezone, language)}, {t.room}{' '}
      {c.room}, {t.facilitator} {facilitator(c.facilitator_id)}
    </p>
  );
}

function MoveForm({ programme, facility, session }: { programme: Programme; facility: Facility; session: Session }) {
  const t = useTexts(T);
  const id = useId();
  const names = useFacilitatorNames();
  const queryClient = useQueryClient();
  const minutes = Math.round((Date.parse(session.ends_at) - Date.parse(session.starts_at)) / 60_000);
  const [date, setDate] = useState(session.starts_at.slice(0, 10));
  const [time, setTime] = useState(session.starts_at.slice(11, 16));
  const [duration, setDuration] = useState(String(minutes));
  const [room, setRoom] = useState(session.room);
  const [facilitatorId, setFacilitatorId] = useState(session.facilitator_id);
  const move = useMutation({
    mutationFn: async () =>
      must(
        await api.PATCH('/v1/rehab-sessions/{sessionId}', {
          params: { path: { sessionId: session.id }, header: { 'If-Match': etag(session.version) } },
          body: {
            starts_at: `${date}T${time}`,
            duration_minutes: Number(duration),
            room,
            facilitator_id: facilitatorId,
          },
        }),
      ),
    onSuccess: (moved) => {
      queryClient.setQueryData(keys.session(moved.id), moved);
      queryClient.invalidateQueries({ queryKey: keys.sessions(programme.id) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    move.mutate();
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t.moveTitle}</h2>
      <div className="rehab-fields">
        <label>
          {t.date}
          <input type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <label>
          {t.startTime}
          <input type="time" required value={time} onChange={(e) => setTime(e.target.value)} />
        </label>
        <label>
          {t.duration}
          <input
            type="number"
            required
            min={15}
            max={480}
            step={5}
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
          />
        </label>
        <label>
          {t.room}
          <input required list={`${id}-rooms`} value={room} onChange={(e) => setRoom(e.target.value)} />
          <datalist id={`${id}-rooms`}>
            {programme.rooms.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
        </label>
        <label>
          {t.facilitator}
          <select value={facilitatorId} onChange={(e) => setFacilitatorId(e.target.value)}>
            {programme.facilitators.map((f) => (
              <option key={f.user_id} value={f.user_id}>
                {names(f.user_id)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {move.error ? (
        <div className="stack">
          <ProblemAlert error={move.error} />
          <ClashNamed error={move.error} facility={facility} />
        </div>
      ) : null}
      {move.isSuccess ? <p role="status">{t.moved}</p> : null}
      <button type="submit" className="primary" disabled={move.isPending}>
        {t.move}
      </button>
    </form>
  );
}

function CancelForm({ session, programmeId }: { session: Session; programmeId: string }) {
  const t = useTexts(T);
  const id = useId();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const cancel = useMutation({
    mutationFn: async () =>
      must(
        await api.POST('/v1/rehab-sessions/{sessionId}/cancel', {
          params: { path: { sessionId: session.id } },
          body: { reason },
        }),
      ),
    onSuccess: (cancelled) => {
      queryClient.setQueryData(keys.session(cancelled.id), cancelled);
      queryClient.invalidateQueries({ queryKey: keys.sessions(programmeId) });
    },
  });
  return (
    <form
      className="card stack"
      aria-labelledby={`${id}-h`}
      onSubmit={(e) => {
        e.preventDefault();
        cancel.mutate();
      }}
    >
      <h2 id={`${id}-h`}>{t.cancelTitle}</h2>
      <label>
        {t.reason}
        <textarea required minLength={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <ProblemAlert error={cancel.error} />
      <button type="submit" className="danger" disabled={cancel.isPending}>
        {t.cancel}
      </button>
    </form>
  );
}

type Row = Attendance['records'][number];

/** Keeps what was said of a row that stays as it was; a tick is attended (late stays late). */
function recordOf(row: Row, present: boolean) {
  const was = row.status;
  if (present)
    return { enrolment_id: row.enrolment_id, status: was === 'late' ? ('late' as const) : ('attended' as const) };
  const status = was && was !== 'attended' && was !== 'late' ? was : ('absent' as const);
  return {
    enrolment_id: row.enrolment_id,
    status,
    ...(status === was && row.reason ? { reason: row.reason } : {}),
    ...(status === was && row.note ? { note: row.note } : {}),
  };
}

function AttendanceChecklist({
  session,
  programmeId,
  mayRun,
}: {
  session: Session;
  programmeId: string;
  mayRun: boolean;
}) {
  const t = useTexts(T);
  const id = useId();
  const queryClient = useQueryClient();
  const begun = Date.parse(session.starts_at) <= Date.now();
  const attendance = useQuery({
    queryKey: keys.attendance(session.id),
    queryFn: async () =>
      must(await api.GET('/v1/rehab-sessions/{sessionId}/attendance', { params: { path: { sessionId: session.id } } })),
    enabled: begun,
  });
  const [present, setPresent] = useState<Record<string, boolean>>({});
  useEffect(() => {
    if (!attendance.data) return;
    setPresent(
      Object.fromEntries(
        attendance.data.records.map((r) => [r.enrolment_id, r.status === 'attended' || r.status === 'late']),
      ),
    );
  }, [attendance.data]);
  const save = useMutation({
    mutationFn: async (current: Attendance) =>
      must(
        await api.PUT('/v1/rehab-sessions/{sessionId}/attendance', {
          params: { path: { sessionId: session.id }, header: { 'If-Match': etag(current.version) } },
          body: { records: current.records.map((r) => recordOf(r, present[r.enrolment_id] ?? false)) },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.attendance(session.id), saved);
      queryClient.invalidateQueries({ queryKey: keys.enrolments(programmeId) });
      queryClient.invalidateQueries({ queryKey: keys.sessions(programmeId) });
      queryClient.invalidateQueries({ queryKey: keys.session(session.id) });
    },
  });
  const label = (r: Row) => (r.inmate.name ? `${r.inmate.name} (${r.inmate.pseudonym})` : r.inmate.pseudonym);
  return (
    <section className="card stack" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t.attendance}</h2>
      {!begun ? <p className="muted">{t.attendanceLater}</p> : null}
      <ProblemAlert error={attendance.error} />
      {begun && !attendance.data && !attendance.error ? <Loading label={t.loading} /> : null}
      {attendance.data && attendance.data.records.length === 0 ? <p>{t.noRoster}</p> : null}
      {attendance.data && attendance.data.records.length > 0 && mayRun ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (attendance.data) save.mutate(attendance.data);
          }}
        >
          <fieldset>
            <legend>{t.attendanceLegend}</legend>
            <ul className="list">
              {attendance.data.records.map((r) => (
                <li key={r.enrolment_id}>
                  <label className="rehab-check">
                    <input
                      type="checkbox"
                      checked={present[r.enrolment_id] ?? false}
                      onChange={(e) => setPresent({ ...present, [r.enrolment_id]: e.target.checked })}
                    />
                    {label(r)}
                  </label>
                  <span className="muted">{r.status ? t.status[r.status] : t.notRecorded}</span>
                </li>
              ))}
            </ul>
          </fieldset>
          <ProblemAlert error={save.error} />
          {save.isSuccess ? <p role="status">{t.attendanceSaved}</p> : null}
          <button type="submit" className="primary" disabled={save.isPending}>
            {t.saveAttendance}
          </button>
        </form>
      ) : null}
      {attendance.data && attendance.data.records.length > 0 && !mayRun ? (
        <ul className="list">
          {attendance.data.records.map((r) => (
            <li key={r.enrolment_id}>
              {label(r)}: {r.status ? t.status[r.status] : t.notRecorded}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
