import { Link } from 'wouter';
import { useLanguage, useTexts } from '../../../i18n';
import { formatDateTime } from '../../../i18n/time';
import { Loading, Page } from '../../../ui';
import { Addenda } from './addenda';
import { ReportMissing, SignedLine, useReportScreen } from './InspectionView';
import { Actions, Findings, READ_ONLY, ReportFacts } from './parts';
import { T } from './texts';
import './view.css';

/** A signed-off report on paper: A4, without the console's menu or buttons, with the signature line. */
export default function InspectionPrint() {
  const t = useTexts(T);
  const language = useLanguage();
  const { query, names, facilityName } = useReportScreen();
  if (query.isPending) return <Loading label={t.loading} />;
  if (query.isError) return <ReportMissing error={query.error} />;
  const report = query.data;
  const signed = report.status === 'signed_off';
  const signer = (report.signed_off_by && names.get(report.signed_off_by)) || t.theHead;

  return (
    <Page
      title={`${t.printTitle}: ${facilityName(report)}`}
      actions={
        <div className="row no-print">
          <Link href={`/${report.id}`} className="button">
            {t.back}
          </Link>
          {signed ? (
            <button type="button" className="primary" onClick={() => window.print()}>
              {t.printNow}
            </button>
          ) : null}
        </div>
      }
    >
      <div className="insv-sheet">
        {signed ? null : (
          <p className="alert" role="status">
            {t.notSigned}
          </p>
        )}
        <p className="insv-kind">{t.title(t.kinds[report.kind] ?? report.kind)}</p>
        <ReportFacts report={report} facilityName={facilityName(report)} />
        <Findings report={report} powers={READ_ONLY} print />
        <Actions report={report} powers={READ_ONLY} />
        {signed ? <Addenda report={report} canAdd={false} print /> : null}
        {signed ? (
          <section className="insv-signature" aria-labelledby="insv-signature">
            <h2 id="insv-signature">{t.signature}</h2>
            <SignedLine report={report} names={names} />
            <div className="insv-sign-box" aria-hidden="true" />
            <p>{signer}</p>
          </section>
        ) : null}
        <p className="muted insv-printed">
          {t.printedAt(formatDateTime(new Date().toISOString(), report.timezone, language))}
        </p>
      </div>
    </Page>
  );
}
