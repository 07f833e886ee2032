import { type FormEvent, useState } from 'react';
import { api } from '../../../api/client';
import { must } from '../../../api/problem';
import { useLanguage, useTexts } from '../../../i18n';
import { formatDate, formatDateTime, localDateTimeIn, zoneName } from '../../../i18n/time';
import { ProblemAlert } from '../../../ui';
import {
  type Action,
  type Evidence,
  type Finding,
  type Report,
  useEvidenceUrl,
  useOrganisationNames,
  usePersonName,
  useRefreshReport,
} from './data';
import { T } from './texts';

/** What the caller may do on this report besides reading it, as the API allows. */
export interface Powers {
  /** Progress corrective actions and record custody handovers (after submission too). */
  record: boolean;
  /** Add addenda (signed-off reports only). */
  amend: boolean;
}

export const READ_ONLY: Powers = { record: false, amend: false };

/** The report's facts: where, when, what was searched, by whom, and the outcome. */
export function ReportFacts({ report, facilityName }: { report: Report; facilityName: string }) {
  const t = useTexts(T);
  const language = useLanguage();
  const organisations = useOrganisationNames();
  const zone = report.timezone;
  const lead = report.lead_organisation_id ? organisations.get(report.lead_organisation_id) : null;
  return (
    <dl className="insv-facts">
      <dt>{t.facility}</dt>
      <dd>{facilityName}</dd>
      <dt>{t.time}</dt>
      <dd>
        {t.timeRange(
          formatDateTime(report.started_at, zone, language),
          formatDateTime(report.ended_at, zone, language),
        )}
      </dd>
      <dt>{t.areas}</dt>
      <dd>
        {report.areas.map((a) => [t.areaKinds[a.kind] ?? a.kind, a.name].filter(Boolean).join(' ')).join(', ')}
        <br />
        {t.searched(report.inmates_searched, report.officers_searched)}
      </dd>
      {report.team?.length || lead ? (
        <>
          <dt>{t.team}</dt>
          <dd>
            {[lead, ...(report.team ?? []).map((m) => [m.name, m.role ? `(${m.role})` : ''].join(' ').trim())]
              .filter(Boolean)
              .join('; ')}
          </dd>
        </>
      ) : null}
      <dt>{t.result}</dt>
      <dd>
        {report.result === 'nihil' ? t.nihil : `${report.finding_count} ${t.findings.toLowerCase()}`}
        {report.narcotics_found ? (
          <>
            {' '}
            <span className="badge bad">{t.narcotics}</span>
          </>
        ) : null}
      </dd>
      <dt>{t.summary}</dt>
      <dd className="insv-text">{report.summary}</dd>
    </dl>
  );
}

function Person({ type, id }: { type: 'inmate' | 'officer' | 'unknown'; id: string | null }) {
  const t = useTexts(T);
  const name = usePersonName(type, id);
  return (
    <li>
      {t.personTypes[type]}
      {name ? `: ${name}` : ''}
    </li>
  );
}

/** The findings, each with its quantity, people and evidence (photos, seals, hashes, custody). */
export function Findings({ report, powers, print }: { report: Report; powers: Powers; print?: boolean }) {
  const t = useTexts(T);
  return (
    <section aria-labelledby="insv-findings">
      <h2 id="insv-findings">{t.findings}</h2>
      {report.findings.length === 0 ? <p>{t.noFindings}</p> : null}
      {report.findings.map((finding, i) => (
        <FindingCard key={finding.id} n={i + 1} finding={finding} report={report} powers={powers} print={print} />
      ))}
    </section>
  );
}

function FindingCard({
  n,
  finding,
  report,
  powers,
  print,
}: {
  n: number;
  finding: Finding;
  report: Report;
  powers: Powers;
  print?: boolean | undefined;
}) {
  const t = useTexts(T);
  const locale = useLanguage() === 'id' ? 'id-ID' : 'en-GB';
  return (
    <article className="card insv-finding" aria-labelledby={`insv-f-${finding.id}`}>
      <h3 id={`insv-f-${finding.id}`}>
        {n}. {t.categories[finding.category] ?? finding.category}
      </h3>
      <p className="insv-text">{finding.description}</p>
      <dl className="insv-facts">
        <dt>{t.quantity}</dt>
        <dd>
          {finding.quantity.toLocaleString(locale)} {t.units[finding.unit] ?? finding.unit}
        </dd>
        <dt>{t.location}</dt>
        <dd>{finding.location}</dd>
        {finding.people.length ? (
          <>
            <dt>{t.people}</dt>
            <dd>
              <ul className="insv-plain">
                {finding.people.map((p, i) => (
                  // People carry no id of their own when unknown; the order is the report's.
                  // biome-ignore lint/suspicious/noArrayIndexKey: see above
                  <Person key={i} type={p.type} id={p.id} />
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      {finding.evidence.length ? (
        <>
          <h4>{t.evidence}</h4>
          <ul className="list">
            {finding.evidence.map((e) => (
              <EvidenceItem key={e.id} evidence={e} report={report} powers={powers} print={print} />
            ))}
          </ul>
        </>
      ) : null}
    </article>
  );
}

function Photo({ evidence }: { evidence: Evidence }) {
  const t = useTexts(T);
  const { url, failed } = useEvidenceUrl(evidence.id);
  if (failed) return <p className="muted">{t.photoFailed}</p>;
  if (!url) return <p className="muted">{t.photoLoading}</p>;
  return <img className="insv-photo" src={url} alt={t.photoAlt(evidence.description)} />;
}

function EvidenceItem({
  evidence,
  report,
  powers,
  print,
}: {
  evidence: Evidence;
  report: Report;
  powers: Powers;
  print?: boolean | undefined;
}) {
  const t = useTexts(T);
  const language = useLanguage();
  const isImage = evidence.file?.media_type.startsWith('image/') ?? false;
  return (
    <li className="insv-evidence">
      <p>
        <span className="badge">{t.evidenceKinds[evidence.kind] ?? evidence.kind}</span> {evidence.description}
      </p>
      {evidence.seal_number ? (
        <p>
          {t.seal}: {evidence.seal_number}
        </p>
      ) : null}
      {isImage ? <Photo evidence={evidence} /> : null}
      {evidence.file ? (
        <p className="insv-hash">
          {evidence.file.name ?? ''} {t.hash}: <code>{evidence.file.sha256}</code>
        </p>
      ) : null}
      <h5>{t.custody}</h5>
      {evidence.custody.length === 0 ? <p className="muted">{t.noCustody}</p> : null}
      <ol className="insv-custody">
        {evidence.custody.map((c) => (
          <li key={c.id}>
            {formatDateTime(c.handed_at, report.timezone, language)}:{' '}
            {t.handed(c.handed_by ?? t.hidden, c.handed_to ?? t.hidden)}
            {c.note ? ` — ${c.note}` : ''}
          </li>
        ))}
      </ol>
      {powers.record && !print ? <CustodyForm evidence={evidence} report={report} /> : null}
    </li>
  );
}

function CustodyForm({ evidence, report }: { evidence: Evidence; report: Report }) {
  const t = useTexts(T);
  const refresh = useRefreshReport(report.id);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState({ handed_by: '', handed_to: '', handed_at: '', note: '' });
  const id = `insv-c-${evidence.id}`;

  if (!open) {
    return (
      <button
        type="button"
        onClick={() => {
          setFields((f) => ({ ...f, handed_at: localDateTimeIn(report.timezone) }));
          setOpen(true);
        }}
      >
        {t.addCustody}
      </button>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      must(
        await api.POST('/v1/evidence/{evidenceId}/custody', {
          params: { path: { evidenceId: evidence.id } },
          body: {
            handed_by: fields.handed_by,
            handed_to: fields.handed_to,
            handed_at: fields.handed_at,
            ...(fields.note ? { note: fields.note } : {}),
          },
        }),
      );
      await refresh();
      setOpen(false);
      setFields({ handed_by: '', handed_to: '', handed_at: '', note: '' });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const set = (name: keyof typeof fields) => (e: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [name]: e.target.value }));
  return (
    <form className="stack card" onSubmit={submit} aria-label={t.addCustody}>
      <label htmlFor={`${id}-by`}>{t.handedBy}</label>
      <input id={`${id}-by`} required minLength={2} value={fields.handed_by} onChange={set('handed_by')} />
      <label htmlFor={`${id}-to`}>{t.handedTo}</label>
      <input id={`${id}-to`} required minLength={2} value={fields.handed_to} onChange={set('handed_to')} />
      <label htmlFor={`${id}-at`}>{t.handedAt(zoneName(report.timezone))}</label>
      <input id={`${id}-at`} type="datetime-local" required value={fields.handed_at} onChange={set('handed_at')} />
      <label htmlFor={`${id}-note`}>{t.note}</label>
      <input id={`${id}-note`} value={fields.note} onChange={set('note')} />
      <ProblemAlert error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {t.save}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

/** The corrective actions with owner, due date, status and the overdue badge; progressed in place. */
export function Actions({ report, powers }: { report: Report; powers: Powers }) {
  const t = useTexts(T);
  return (
    <section aria-labelledby="insv-actions">
      <h2 id="insv-actions">{t.actions}</h2>
      {report.actions.length === 0 ? <p>{t.noActions}</p> : null}
      <ul className="list">
        {report.actions.map((action) => (
          <ActionItem key={action.id} action={action} report={report} powers={powers} />
        ))}
      </ul>
    </section>
  );
}

function ActionOwner({ action }: { action: Action }) {
  const t = useTexts(T);
  const organisations = useOrganisationNames();
  const officer = usePersonName('officer', action.owner_officer_id);
  const organisation = action.owner_organisation_id ? organisations.get(action.owner_organisation_id) : null;
  return <>{officer ?? organisation ?? t.noOwner}</>;
}

function ActionItem({ action, report, powers }: { action: Action; report: Report; powers: Powers }) {
  const t = useTexts(T);
  const language = useLanguage();
  const refresh = useRefreshReport(report.id);
  const [closing, setClosing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The API answers an overdue action as 'overdue' (open or in progress, past its date).
  const stored = action.status === 'overdue' ? 'open' : action.status;
  const id = `insv-a-${action.id}`;

  async function progress(body: { status: 'done' | 'verified'; closing_comment?: string }) {
    setBusy(true);
    setError(null);
    try {
      must(
        await api.PATCH('/v1/corrective-actions/{actionId}', {
          params: { path: { actionId: action.id }, header: { 'If-Match': `"${action.version}"` } },
          body,
        }),
      );
      await refresh();
      setClosing(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="insv-action" aria-labelledby={`${id}-d`}>
      <p id={`${id}-d`} className="insv-text">
        <strong>{action.description}</strong>
      </p>
      <p>
        {t.owner}: <ActionOwner action={action} />
        <br />
        {t.due}: {formatDate(action.due_date, language)}
      </p>
      <p className="row">
        <span className={stored === 'done' || stored === 'verified' ? 'badge ok' : 'badge'}>
          {t.actionStatus[stored]}
        </span>
        {action.overdue ? <span className="badge bad">{t.overdue}</span> : null}
      </p>
      {action.closing_comment ? (
        <p>
          {t.closing}: {action.closing_comment}
        </p>
      ) : null}
      {powers.record && (stored === 'open' || stored === 'in_progress') && closing === null ? (
        <button type="button" onClick={() => setClosing('')} aria-describedby={`${id}-d`}>
          {t.markDone}
        </button>
      ) : null}
      {closing !== null ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void progress({ status: 'done', closing_comment: closing });
          }}
        >
          <label htmlFor={`${id}-c`}>{t.closing}</label>
          <textarea
            id={`${id}-c`}
            required
            minLength={3}
            value={closing}
            onChange={(e) => setClosing(e.target.value)}
          />
          <div className="row">
            <button type="submit" className="primary" disabled={busy}>
              {t.confirmDone}
            </button>
            <button type="button" onClick={() => setClosing(null)}>
              {t.cancel}
            </button>
          </div>
        </form>
      ) : null}
      {powers.record && stored === 'done' ? (
        <button
          type="button"
          disabled={busy}
          aria-describedby={`${id}-d`}
          onClick={() => void progress({ status: 'verified' })}
        >
          {t.verify}
        </button>
      ) : null}
      <ProblemAlert error={error} />
    </li>
  );
}
