import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { useProfile } from '../../../auth/session';
import { useTexts } from '../../../i18n';
import { localDateTimeIn, todayIn, zoneName } from '../../../i18n/time';
import {
  enqueue,
  type LocalReport,
  loadReport,
  mutateReport,
  type ReportHeader,
  saveReport,
  subscribeOutbox,
} from '../../../offline/outbox';
import { Loading, Page } from '../../../ui';
import { ActionsStep, FindingsStep } from './parts';
import { T } from './texts';
import { useLocal, useSync } from './useLocal';
import { RefusedItem } from './Waiting';
import './write.css';

const STEPS = 5;

function freshHeader(timeZone: string): ReportHeader {
  return {
    kind: 'surprise',
    started_at: localDateTimeIn(timeZone, new Date(Date.now() - 3_600_000)),
    ended_at: localDateTimeIn(timeZone),
    team: [{ name: '', agency: 'facility' }],
    areas: [{ kind: 'block', name: '' }],
    inmates_searched: 0,
    officers_searched: 0,
    summary: '',
  };
}

/** The body the API takes: empty optional texts left out. */
function cleanHeader(h: ReportHeader): ReportHeader {
  return {
    ...h,
    team: h.team.map(({ name, agency, role }) => ({
      name: name.trim(),
      agency,
      ...(role?.trim() ? { role: role.trim() } : {}),
    })),
    areas: h.areas.map(({ kind, name }) => ({ kind, ...(name?.trim() ? { name: name.trim() } : {}) })),
    summary: h.summary.trim(),
  };
}

/** A surprise inspection's report, step by step, kept on the device as it is written. */
export function InspectionEditor() {
  const t = useTexts(T);
  const params = useParams<{ localId?: string }>();
  const [, navigate] = useLocation();
  const profile = useProfile();
  const facility = profile.facilities.find((f) => f.id === profile.me.facility_id) ?? profile.facilities[0];
  const timeZone = facility?.timezone ?? 'Asia/Jakarta';
  const [newId] = useState(() => crypto.randomUUID());
  const localId = params.localId ?? newId;
  const [record, setRecord] = useState<LocalReport | null | 'missing'>(null);
  const [header, setHeader] = useState<ReportHeader | null>(null);
  const [step, setStep] = useState(1);
  const local = useLocal();
  const { sync, canSend } = useSync();
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // The stored report, and again whenever the sync or another screen changes it.
  useEffect(() => {
    let live = true;
    const load = async () => {
      const stored = await loadReport(localId);
      if (!live) return;
      if (stored) {
        setRecord(stored);
        setHeader((h) => h ?? stored.header);
        setStep((s) => (firstRender.current ? stored.step : s));
        firstRender.current = false;
      } else if (params.localId) {
        setRecord((r) => (r && r !== 'missing' && r.submitted ? r : 'missing'));
      } else {
        setRecord(null);
        setHeader((h) => h ?? freshHeader(timeZone));
        firstRender.current = false;
      }
    };
    void load();
    const stop = subscribeOutbox(() => void load());
    return () => {
      live = false;
      stop();
    };
  }, [localId, params.localId, timeZone]);

  // A new step takes the focus to its heading, as a new page would.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the step is the trigger, not an input
  useEffect(() => {
    if (!firstRender.current) stepHeading.current?.focus();
  }, [step]);

  if (record === 'missing') {
    return (
      <Page title={t.editorTitle}>
        <p>{t.notFound}</p>
        <Link href="/">{t.toList}</Link>
      </Page>
    );
  }
  if (!header || !facility) return <Loading label={t.loading} />;

  const report = record;
  const locked = !!report?.queued;
  const refused = local.items.filter((i) => i.reportLocalId === localId && i.problem);
  const waitingCount = local.items.filter((i) => i.reportLocalId === localId).length;

  async function changeHeader(next: ReportHeader) {
    setHeader(next);
    if (report) await mutateReport(localId, (r) => ({ ...r, header: next }));
    else {
      const created: LocalReport = {
        localId,
        ownerId: profile.me.id,
        facilityId: facility?.id ?? '',
        createdAt: new Date().toISOString(),
        step,
        header: next,
        queued: false,
        submitted: false,
        refs: {},
        findings: [],
        actions: [],
      };
      await saveReport(created);
    }
  }

  async function goTo(next: number) {
    if (!header) return;
    if (!report) await changeHeader(header);
    await mutateReport(localId, (r) => ({ ...r, step: next }));
    setStep(next);
    if (!params.localId) navigate(`/drafts/${localId}`, { replace: true });
  }

  async function queueCreation(e: FormEvent) {
    e.preventDefault();
    if (!header) return;
    if (!locked) {
      if (!report) await changeHeader(header);
      const body = cleanHeader(header);
      await enqueue(
        localId,
        [
          {
            ownerId: profile.me.id,
            type: 'inspection',
            body: { ...body },
            label: `${t.kind[body.kind]} ${body.started_at.replace('T', ' ')}`,
          },
        ],
        (r) => ({ ...r, header: body, queued: true }),
        (r) => !!r.queued,
      );
      sync();
    }
    await goTo(3);
  }

  async function submit() {
    await enqueue(
      localId,
      [{ ownerId: profile.me.id, type: 'submit', body: {}, label: t.submit }],
      (r) => ({ ...r, submitted: true }),
      (r) => r.submitted,
    );
    sync();
    navigate('/');
  }

  const zone = zoneName(timeZone);
  const set = <K extends keyof ReportHeader>(key: K, value: ReportHeader[K]) =>
    void changeHeader({ ...header, [key]: value });

  return (
    <Page title={t.editorTitle}>
      <nav aria-label={t.progress}>
        <ol className="steps">
          {t.steps.map((name, i) => (
            <li key={name} aria-current={i + 1 === step ? 'step' : undefined}>
              {i + 1}. {name}
            </li>
          ))}
        </ol>
      </nav>
      {refused.length ? (
        <ul className="list">
          {refused.map((item) => (
            <RefusedItem key={item.key} item={item} onRetry={sync} facilityId={facility.id} online={canSend} />
          ))}
        </ul>
      ) : null}
      <h2 tabIndex={-1} ref={stepHeading} className="step-title">
        {t.stepOf(step, STEPS)}: {t.steps[step - 1]}
      </h2>
      {report?.submitted ? (
        <div className="stack">
          <p role="status">{t.submitted}</p>
          {!canSend ? <p>{t.willSend}</p> : null}
          <Link href="/">{t.toList}</Link>
        </div>
      ) : step === 1 ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void goTo(2);
          }}
        >
          {locked ? <p className="notice">{t.headerLocked}</p> : null}
          <fieldset disabled={locked} className="stack">
            <legend>{t.steps[0]}</legend>
            <label>
              {t.kindLabel}
              <select value={header.kind} onChange={(e) => set('kind', e.target.value as ReportHeader['kind'])}>
                {(['surprise', 'scheduled', 'joint'] as const).map((k) => (
                  <option key={k} value={k}>
                    {t.kind[k]}
                  </option>
                ))}
              </select>
            </label>
            <div className="pair">
              <label>
                {t.startedAt} ({zone})
                <input
                  type="datetime-local"
                  required
                  value={header.started_at}
                  onChange={(e) => set('started_at', e.target.value)}
                />
              </label>
              <label>
                {t.endedAt} ({zone})
                <input
                  type="datetime-local"
                  required
                  min={header.started_at}
                  value={header.ended_at}
                  onChange={(e) => set('ended_at', e.target.value)}
                />
              </label>
            </div>
          </fieldset>
          <fieldset disabled={locked} className="stack">
            <legend>{t.team}</legend>
            {header.team.map((member, i) => {
              const n = i + 1;
              const update = (patch: Partial<ReportHeader['team'][number]>) =>
                set(
                  'team',
                  header.team.map((m, j) => (j === i ? { ...m, ...patch } : m)),
                );
              return (
                // Members have no id of their own until sent; their order is theirs.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <div key={i} className="card stack">
                  <label>
                    {t.memberName(n)}
                    <input
                      required
                      minLength={2}
                      value={member.name}
                      onChange={(e) => update({ name: e.target.value })}
                    />
                  </label>
                  <label>
                    {t.memberAgency(n)}
                    <select
                      value={member.agency}
                      onChange={(e) => update({ agency: e.target.value as ReportHeader['team'][number]['agency'] })}
                    >
                      {(['facility', 'bnn', 'police', 'army', 'other'] as const).map((a) => (
                        <option key={a} value={a}>
                          {t.agency[a]}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t.memberRole(n)}
                    <input value={member.role ?? ''} onChange={(e) => update({ role: e.target.value })} />
                  </label>
                  {header.team.length > 1 ? (
                    <button
                      type="button"
                      className="danger"
                      onClick={() =>
                        set(
                          'team',
                          header.team.filter((_, j) => j !== i),
                        )
                      }
                    >
                      {t.removeMember(n)}
                    </button>
                  ) : null}
                </div>
              );
            })}
            <button type="button" onClick={() => set('team', [...header.team, { name: '', agency: 'facility' }])}>
              {t.addMember}
            </button>
          </fieldset>
          <fieldset disabled={locked} className="stack">
            <legend>{t.counts}</legend>
            <div className="pair">
              <label>
                {t.inmatesSearched}
                <input
                  type="number"
                  inputMode="numeric"
                  min={0}
                  required
                  value={String(header.inmates_searched)}
                  onChange={(e) => set('inmates_searched', Number(e.target.value) || 0)}
                />
              </label>
              <label>
                {t.officersSearched}
                <input
                  type="number"
                  inputMode="numeric"
                  min={0}
                  required
                  value={String(header.officers_searched)}
                  onChange={(e) => set('officers_searched', Number(e.target.value) || 0)}
                />
              </label>
            </div>
            <label>
              {t.summary}
              <textarea
                required
                minLength={3}
                rows={3}
                value={header.summary}
                onChange={(e) => set('summary', e.target.value)}
              />
            </label>
          </fieldset>
          <div className="step-nav">
            <Link href="/" className="button">
              {t.toList}
            </Link>
            <button type="submit" className="primary">
              {t.next}
            </button>
          </div>
        </form>
      ) : step === 2 ? (
        <form className="stack" onSubmit={(e) => void queueCreation(e)}>
          {locked ? <p className="notice">{t.headerLocked}</p> : null}
          <fieldset disabled={locked} className="stack">
            <legend>{t.areas}</legend>
            {header.areas.map((area, i) => {
              const n = i + 1;
              const update = (patch: Partial<ReportHeader['areas'][number]>) =>
                set(
                  'areas',
                  header.areas.map((a, j) => (j === i ? { ...a, ...patch } : a)),
                );
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: areas have no id until sent
                <div key={i} className="card stack">
                  <label>
                    {t.areaKind(n)}
                    <select
                      value={area.kind}
                      onChange={(e) => update({ kind: e.target.value as ReportHeader['areas'][number]['kind'] })}
                    >
                      {(['block', 'cell', 'visitor_area', 'kitchen', 'staff_room', 'other'] as const).map((k) => (
                        <option key={k} value={k}>
                          {t.areaKinds[k]}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t.areaName(n)}
                    <input value={area.name ?? ''} onChange={(e) => update({ name: e.target.value })} />
                  </label>
                  {header.areas.length > 1 ? (
                    <button
                      type="button"
                      className="danger"
                      onClick={() =>
                        set(
                          'areas',
                          header.areas.filter((_, j) => j !== i),
                        )
                      }
                    >
                      {t.removeArea(n)}
                    </button>
                  ) : null}
                </div>
              );
            })}
            <button type="button" onClick={() => set('areas', [...header.areas, { kind: 'block', name: '' }])}>
              {t.addArea}
            </button>
          </fieldset>
          <div className="step-nav">
            <button type="button" onClick={() => void goTo(1)}>
              {t.back}
            </button>
            <button type="submit" className="primary">
              {t.next}
            </button>
          </div>
        </form>
      ) : step === 3 && report ? (
        <FindingsStep
          report={report}
          items={local.items}
          online={canSend}
          onWritten={sync}
          onBack={() => void goTo(2)}
          onNext={() => void goTo(4)}
        />
      ) : step === 4 && report ? (
        <ActionsStep
          report={report}
          items={local.items}
          online={canSend}
          minDate={header.started_at.slice(0, 10)}
          defaultDue={todayIn(timeZone, new Date(Date.now() + 30 * 86_400_000))}
          onWritten={sync}
          onBack={() => void goTo(3)}
          onNext={() => void goTo(5)}
        />
      ) : report ? (
        <div className="stack">
          <p>{t.review}</p>
          <dl className="review">
            <dt>{t.kindLabel}</dt>
            <dd>{t.kind[header.kind]}</dd>
            <dt>{t.startedAt}</dt>
            <dd>
              {header.started_at.replace('T', ' ')} {zone}
            </dd>
            <dt>{t.endedAt}</dt>
            <dd>
              {header.ended_at.replace('T', ' ')} {zone}
            </dd>
            <dt>{t.team}</dt>
            <dd>{header.team.map((m) => `${m.name} (${t.agency[m.agency]})`).join(', ')}</dd>
            <dt>{t.areas}</dt>
            <dd>{header.areas.map((a) => `${t.areaKinds[a.kind]}${a.name ? ` ${a.name}` : ''}`).join(', ')}</dd>
            <dt>{t.findingsWritten}</dt>
            <dd>
              {report.findings.length
                ? report.findings
                    .map(
                      (f) =>
                        `${t.categories[f.category as keyof typeof t.categories]}: ${f.quantity} ${t.units[f.unit as keyof typeof t.units]}`,
                    )
                    .join('; ')
                : t.nihil}
            </dd>
            <dt>{t.actionsWritten}</dt>
            <dd>
              {report.actions.length ? report.actions.map((a) => `${a.description} (${a.due_date})`).join('; ') : '—'}
            </dd>
          </dl>
          {waitingCount ? <p className="muted">{t.waitingItems(waitingCount)}</p> : null}
          <div className="step-nav">
            <button type="button" onClick={() => void goTo(4)}>
              {t.back}
            </button>
            <button type="button" className="primary" onClick={() => void submit()}>
              {t.submit}
            </button>
          </div>
        </div>
      ) : null}
    </Page>
  );
}
