import { Link } from 'wouter';
import { ApiError } from '../../../api/problem';
import { useTexts } from '../../../i18n';
import { discardItem, dropReport, type LocalReport, type OutboxItem, updateItem } from '../../../offline/outbox';
import { ProblemAlert } from '../../../ui';
import { T } from './texts';

export function reportState(
  report: LocalReport,
  items: OutboxItem[],
  syncing: boolean,
): 'writing' | 'waiting' | 'sending' | 'refused' | 'saved' {
  if (items.some((i) => i.problem)) return 'refused';
  if (items.length === 0) return report.serverId ? 'saved' : 'writing';
  return syncing ? 'sending' : 'waiting';
}

/** A queued item the server refused: its refusal, in place, and what the user can do about it. */
export function RefusedItem({ item, onRetry }: { item: OutboxItem; onRetry: () => void }) {
  const t = useTexts(T);
  if (!item.problem) return null;
  const error = new ApiError(item.problem.status, item.problem.body);
  return (
    <li className="card stack refused-item">
      <p>
        <strong>{t.itemLabel[item.type]}</strong>: {item.label}
      </p>
      <ProblemAlert error={error} />
      <div className="row">
        <button
          type="button"
          onClick={async () => {
            await updateItem({ ...item, problem: undefined });
            onRetry();
          }}
        >
          {t.retry}
        </button>
        <button
          type="button"
          className="danger"
          onClick={async () => {
            if (window.confirm(t.confirmDiscard)) await discardItem(item);
          }}
        >
          {t.discard}
        </button>
      </div>
    </li>
  );
}

/** One report on this device: its state, its refusals, and the way back into it. */
export function WaitingReport({
  report,
  items,
  syncing,
  timeZoneName,
  onRetry,
}: {
  report: LocalReport;
  items: OutboxItem[];
  syncing: boolean;
  timeZoneName: string;
  onRetry: () => void;
}) {
  const t = useTexts(T);
  const state = reportState(report, items, syncing);
  const title = `${t.kind[report.header.kind]} · ${report.header.started_at.replace('T', ' ')} ${timeZoneName}`;
  return (
    <li className="stack" aria-label={title}>
      <div className="row">
        <strong>{title}</strong>
        <span className={`badge${state === 'refused' ? ' bad' : ''}`}>{t.state[state]}</span>
      </div>
      {items.length ? <p className="muted">{t.waitingItems(items.length)}</p> : null}
      {items.some((i) => i.problem) ? (
        <ul className="list">
          {items
            .filter((i) => i.problem)
            .map((i) => (
              <RefusedItem key={i.key} item={i} onRetry={onRetry} />
            ))}
        </ul>
      ) : null}
      <div className="row">
        {!report.submitted ? (
          <Link href={`/drafts/${report.localId}`} className="button">
            {t.continueWriting}
          </Link>
        ) : null}
        {!report.queued || items.length === 0 ? (
          <button
            type="button"
            className="danger"
            onClick={async () => {
              if (window.confirm(t.confirmDiscard)) await dropReport(report.localId);
            }}
          >
            {t.discardReport}
          </button>
        ) : null}
      </div>
    </li>
  );
}
