import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useParams } from 'wouter';
import { api, type Schemas } from '../../api/client';
import { must } from '../../api/problem';
import { useLanguage, useTexts } from '../../i18n';
import { formatDate } from '../../i18n/time';
import { Loading, ProblemAlert } from '../../ui';
import { etag, keys, type Programme, ProgrammeFrame, useMayRun } from './common';
import { T } from './texts';

type Enrolment = Schemas['RehabEnrolment'];

/** A programme's participants with their progress; enrolling from the register and changing a state. */
export function EnrolmentsScreen() {
  const { programmeId = '' } = useParams<{ programmeId: string }>();
  const t = useTexts(T);
  return (
    <ProgrammeFrame programmeId={programmeId} heading={() => t.enrolments}>
      {(programme) => <Enrolments programme={programme} />}
    </ProgrammeFrame>
  );
}

const person = (inmate: Enrolment['inmate']) =>
  inmate.name ? `${inmate.name} (${inmate.pseudonym})` : inmate.pseudonym;

function Enrolments({ programme }: { programme: Programme }) {
  const t = useTexts(T);
  const language = useLanguage();
  const mayRun = useMayRun(programme);
  const enrolments = useQuery({
    queryKey: keys.enrolments(programme.id),
    queryFn: async () =>
      must(
        await api.GET('/v1/rehab-programmes/{programmeId}/enrolments', {
          params: { path: { programmeId: programme.id }, query: { limit: 200 } },
        }),
      ),
  });
  const rows = enrolments.data?.data ?? [];
  return (
    <>
      <p>
        {t.places}: {programme.active_enrolments} {t.of} {programme.capacity}
      </p>
      <ProblemAlert error={enrolments.error} />
      {enrolments.isPending ? <Loading label={t.loading} /> : null}
      {enrolments.data && rows.length === 0 ? <p>{t.noEnrolments}</p> : null}
      <ul className="list">
        {rows.map((e) => (
          <li key={e.id} data-enrolment={e.id}>
            <strong>{person(e.inmate)}</strong>{' '}
            <span className={e.status === 'active' ? 'badge ok' : 'badge'}>{t.enrolmentStatus[e.status]}</span>
            <div className="muted">{formatDate(e.enrolled_on, language)}</div>
            <div>
              {t.progress}: <span>{t.attendedOfHeld(e.progress.attended, e.progress.sessions_held)}</span>
              {e.progress.rate !== null ? ` (${Math.round(e.progress.rate * 100)}%)` : ''}
              {e.progress.completion_rule_met ? ` · ${t.ruleMet}` : ''}
            </div>
            {mayRun && (e.status === 'awaiting' || e.status === 'active') ? (
              <ChangeState enrolment={e} programmeId={programme.id} />
            ) : null}
          </li>
        ))}
      </ul>
      {mayRun ? <Enrol programme={programme} enrolled={rows.map((e) => e.inmate.id)} /> : null}
    </>
  );
}

function ChangeState({ enrolment, programmeId }: { enrolment: Enrolment; programmeId: string }) {
  const t = useTexts(T);
  const id = useId();
  const queryClient = useQueryClient();
  const choices =
    enrolment.status === 'awaiting' ? (['active', 'withdrawn'] as const) : (['completed', 'withdrawn'] as const);
  const [status, setStatus] = useState<(typeof choices)[number]>(choices[0]);
  const [note, setNote] = useState('');
  const change = useMutation({
    mutationFn: async () =>
      must(
        await api.PATCH('/v1/rehab-enrolments/{enrolmentId}', {
          params: { path: { enrolmentId: enrolment.id }, header: { 'If-Match': etag(enrolment.version) } },
          body: { status, ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      ),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: keys.enrolments(programmeId) });
      queryClient.invalidateQueries({ queryKey: keys.programme(programmeId) });
    },
  });
  return (
    <form
      className="rehab-change stack"
      aria-label={`${t.change}: ${person(enrolment.inmate)}`}
      onSubmit={(e) => {
        e.preventDefault();
        change.mutate();
      }}
    >
      <div className="rehab-fields">
        <label htmlFor={`${id}-s`}>
          {t.changeTo}
          <select id={`${id}-s`} value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            {choices.map((c) => (
              <option key={c} value={c}>
                {t.enrolmentStatus[c]}
              </option>
            ))}
          </select>
        </label>
        {status === 'withdrawn' ? (
          <label>
            {t.note}
            <input required minLength={3} value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
        ) : null}
      </div>
      <ProblemAlert error={change.error} />
      <button type="submit">{t.change}</button>
    </form>
  );
}

function Enrol({ programme, enrolled }: { programme: Programme; enrolled: string[] }) {
  const t = useTexts(T);
  const id = useId();
  const queryClient = useQueryClient();
  const inmates = useQuery({
    queryKey: ['rehab', 'register', programme.facility_id],
    queryFn: async () =>
      must(
        await api.GET('/v1/facilities/{facilityId}/inmates', {
          params: { path: { facilityId: programme.facility_id }, query: { limit: 200 } },
        }),
      ),
  });
  const [inmateId, setInmateId] = useState('');
  const [status, setStatus] = useState<'active' | 'awaiting'>('active');
  const [reason, setReason] = useState('');
  const enrol = useMutation({
    mutationFn: async () =>
      must(
        await api.POST('/v1/rehab-programmes/{programmeId}/enrolments', {
          params: { path: { programmeId: programme.id } },
          body: { inmate_id: inmateId, status, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        }),
      ),
    onSuccess: () => {
      setInmateId('');
      setReason('');
      queryClient.invalidateQueries({ queryKey: keys.enrolments(programme.id) });
      queryClient.invalidateQueries({ queryKey: keys.programme(programme.id) });
    },
  });
  const candidates = (inmates.data?.data ?? []).filter(
    (i) => (i.status === 'detained' || i.status === 'sentenced') && !enrolled.includes(i.id),
  );
  return (
    <form
      className="card stack"
      aria-labelledby={`${id}-h`}
      onSubmit={(e) => {
        e.preventDefault();
        enrol.mutate();
      }}
    >
      <h2 id={`${id}-h`}>{t.enrol}</h2>
      <ProblemAlert error={inmates.error} />
      <label>
        {t.inmate}
        <select required value={inmateId} onChange={(e) => setInmateId(e.target.value)}>
          <option value="">{t.chooseInmate}</option>
          {candidates.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name ? `${i.name} (${i.pseudonym})` : i.pseudonym}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t.enrolAs}</legend>
        <label className="rehab-check">
          <input
            type="radio"
            name={`${id}-status`}
            checked={status === 'active'}
            onChange={() => setStatus('active')}
          />
          {t.enrolActive}
        </label>
        <label className="rehab-check">
          <input
            type="radio"
            name={`${id}-status`}
            checked={status === 'awaiting'}
            onChange={() => setStatus('awaiting')}
          />
          {t.enrolAwaiting}
        </label>
      </fieldset>
      <label>
        {t.enrolReason}
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <ProblemAlert error={enrol.error} />
      {enrol.isSuccess ? <p role="status">{t.enrolled}</p> : null}
      <button type="submit" className="primary" disabled={enrol.isPending}>
        {t.enrol}
      </button>
    </form>
  );
}
