import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api } from '../../../api/client';
import { ApiError, must } from '../../../api/problem';
import { useProfile } from '../../../auth/session';
import { useLanguage, useTexts } from '../../../i18n';
import { formatDateTime } from '../../../i18n/time';
import { Loading, Page, ProblemAlert } from '../../../ui';
import { Addenda } from './addenda';
import { type Report, reportKey, useColleagueNames, useReport } from './data';
import { Actions, Findings, type Powers, READ_ONLY, ReportFacts } from './parts';
import { T } from './texts';
import './view.css';

const RECORDERS = ['facility_staff', 'facility_head', 'bnn_officer', 'admin'];

/** The report, or why it cannot be shown: a report out of reach is the API's 404, shown as not found. */
export function useReportScreen() {
  const { inspectionId = '' } = useParams<{ inspectionId: string }>();
  const query = useReport(inspectionId);
  const profile = useProfile();
  const names = useColleagueNames();
  const facilityName = (report: Report) => profile.facilities.find((f) => f.id === report.facility_id)?.name ?? '';
  return { inspectionId, query, profile, names, facilityName };
}

export function ReportMissing({ error }: { error: unknown }) {
  const t = useTexts(T);
  const missing = error instanceof ApiError && error.status === 404;
  return (
    <Page title={missing ? t.notFound : t.failed}>
      <ProblemAlert error={error} />
      <p>
        <Link href="/">{t.toList}</Link>
      </p>
    </Page>
  );
}

/** Who signed, and when, in the facility's zone. */
export function SignedLine({ report, names }: { report: Report; names: Map<string, string> }) {
  const t = useTexts(T);
  const language = useLanguage();
  if (!report.signed_off_at) return null;
  const who = (report.signed_off_by && names.get(report.signed_off_by)) || t.theHead;
  return (
    <p className="insv-signed">
      <strong>{t.signedBy(who, formatDateTime(report.signed_off_at, report.timezone, language))}</strong>
    </p>
  );
}

function SignOff({ report }: { report: Report }) {
  const t = useTexts(T);
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const yes = useRef<HTMLButtonElement>(null);

  async function signOff() {
    setBusy(true);
    setError(null);
    try {
      const signed = must(
        await api.POST('/v1/inspections/{inspectionId}/sign-off', {
          params: { path: { inspectionId: report.id } },
        }),
      );
      client.setQueryData(reportKey(report.id), signed);
      void client.invalidateQueries({ queryKey: ['inspections'] });
    } catch (err) {
      setError(err);
      setAsking(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card insv-signoff" aria-labelledby="insv-signoff">
      <h2 id="insv-signoff">{t.signOff}</h2>
      {asking ? (
        <div className="stack">
          <p id="insv-signoff-ask">{t.signOffAsk}</p>
          <div className="row">
            <button
              ref={yes}
              type="button"
              className="primary"
              disabled={busy}
              aria-describedby="insv-signoff-ask"
              onClick={() => void signOff()}
            >
              {t.signOffYes}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              {t.cancel}
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          className="primary"
          onClick={() => {
            setAsking(true);
            setError(null);
            requestAnimationFrame(() => yes.current?.focus());
          }}
        >
          {t.signOff}
        </button>
      )}
      <ProblemAlert error={error} />
    </section>
  );
}

/** A report as submitted or signed off: sign-off by the facility head, then the frozen view with addenda. */
export default function InspectionView() {
  const t = useTexts(T);
  const language = useLanguage();
  const { query, profile, names, facilityName } = useReportScreen();
  // Signed off here and now: the sign-off button is gone, so focus goes to the line that replaced it.
  const frozen = useRef<HTMLDivElement>(null);
  const seen = useRef<string | undefined>(undefined);
  const status = query.data?.status;
  useEffect(() => {
    if (seen.current === 'submitted' && status === 'signed_off') frozen.current?.focus();
    seen.current = status;
  }, [status]);
  if (query.isPending) return <Loading label={t.loading} />;
  if (query.isError) return <ReportMissing error={query.error} />;
  const report = query.data;
  const { me } = profile;
  const signed = report.status === 'signed_off';
  const powers: Powers =
    report.status === 'draft' || !RECORDERS.includes(me.role) ? READ_ONLY : { record: true, amend: signed };
  const maySign = report.status === 'submitted' && me.role === 'facility_head' && me.facility_id === report.facility_id;
  const submitter = (report.submitted_by && names.get(report.submitted_by)) || t.someone;

  return (
    <Page
      title={t.title(t.kinds[report.kind] ?? report.kind)}
      actions={
        <Link href={`/${report.id}/print`} className="button">
          {t.print}
        </Link>
      }
    >
      <p className="row">
        <span className={signed ? 'badge ok' : 'badge'}>{t.status[report.status]}</span>
      </p>
      {report.status === 'draft' ? <p className="insv-note">{t.draftNote}</p> : null}
      {report.status === 'submitted' ? <p className="insv-note">{t.submittedNote}</p> : null}
      {signed ? (
        <div className="insv-frozen" id="insv-frozen" tabIndex={-1} ref={frozen}>
          <SignedLine report={report} names={names} />
          <p>{t.frozen}</p>
        </div>
      ) : null}
      {report.submitted_at ? (
        <p className="muted">
          {t.submittedBy(submitter, formatDateTime(report.submitted_at, report.timezone, language))}
        </p>
      ) : null}
      {maySign ? <SignOff report={report} /> : null}
      <ReportFacts report={report} facilityName={facilityName(report)} />
      <Findings report={report} powers={powers} />
      <Actions report={report} powers={powers} />
      {signed ? <Addenda report={report} canAdd={powers.amend} /> : null}
    </Page>
  );
}
