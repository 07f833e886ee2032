import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link } from 'wouter';
import { api } from '../../../api/client';
import { must } from '../../../api/problem';
import { useProfile, useSession } from '../../../auth/session';
import { useLanguage, useTexts } from '../../../i18n';
import { formatDateTime, zoneName } from '../../../i18n/time';
import { Loading, Page, ProblemAlert } from '../../../ui';
import { T } from './texts';
import { useLocal, useSync } from './useLocal';
import { WaitingReport } from './Waiting';
import './write.css';

/** The facility's inspections on the server, and the reports still on this device with their state. */
export function InspectionList() {
  const t = useTexts(T);
  const language = useLanguage();
  const profile = useProfile();
  const { state } = useSession();
  const facility = profile.facilities.find((f) => f.id === profile.me.facility_id) ?? profile.facilities[0];
  const facilityId = facility?.id ?? '';
  const timeZone = facility?.timezone ?? 'Asia/Jakarta';
  const local = useLocal();
  const { sync, syncing, canSend } = useSync();

  const inspections = useQuery({
    queryKey: ['inspections', facilityId, 'list'],
    enabled: state.status === 'signed-in' && !!facilityId,
    queryFn: async () =>
      must(
        await api.GET('/v1/facilities/{facilityId}/inspections', {
          params: { path: { facilityId }, query: { limit: 50 } },
        }),
      ),
  });

  // What the sync sends shows up on the server: read the list again as the queue shrinks.
  const queryClient = useQueryClient();
  const pending = local.items.length + local.reports.length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the queue's size is the trigger, not an input
  useEffect(() => {
    if (local.loaded) void queryClient.invalidateQueries({ queryKey: ['inspections', facilityId] });
  }, [pending, local.loaded, facilityId, queryClient]);

  const itemsOf = (localId: string) => local.items.filter((i) => i.reportLocalId === localId);
  const waiting = local.reports.filter((r) => r.facilityId === facilityId || !facilityId);

  return (
    <Page
      title={t.listTitle}
      actions={
        <Link href="/new" className="button primary">
          {t.newReport}
        </Link>
      }
    >
      <section aria-labelledby="waiting-heading" className="stack">
        <h2 id="waiting-heading">{t.waitingTitle}</h2>
        {!local.loaded ? (
          <Loading label={t.loading} />
        ) : waiting.length === 0 ? (
          <p className="muted">{t.noneWaiting}</p>
        ) : (
          <ul className="list" aria-labelledby="waiting-heading">
            {waiting.map((report) => (
              <WaitingReport
                key={report.localId}
                report={report}
                items={itemsOf(report.localId)}
                syncing={syncing}
                timeZoneName={zoneName(timeZone)}
                onRetry={sync}
                online={canSend}
              />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="server-heading" className="stack">
        <h2 id="server-heading">{t.onServer}</h2>
        {state.status !== 'signed-in' ? null : inspections.isPending ? (
          <Loading label={t.loading} />
        ) : inspections.isError ? (
          <ProblemAlert error={inspections.error} />
        ) : inspections.data.data.length === 0 ? (
          <p className="muted">{t.none}</p>
        ) : (
          <ul className="list" aria-labelledby="server-heading">
            {inspections.data.data.map((inspection) => (
              <li key={inspection.id} className="row inspection-row">
                <Link href={`/${inspection.id}`}>
                  {t.kind[inspection.kind]} · {formatDateTime(inspection.started_at, inspection.timezone, language)}
                </Link>
                <span className={`badge${inspection.status === 'signed_off' ? ' ok' : ''}`}>
                  {t.status[inspection.status]}
                </span>
                <span className="summary-line">{inspection.summary}</span>
                <span className="muted">
                  {inspection.finding_count ? t.findingsCount(inspection.finding_count) : t.nihil}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
