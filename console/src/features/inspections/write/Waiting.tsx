import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../../../api/problem';
import { useTexts } from '../../../i18n';
import {
  discardItem,
  dropReport,
  type LocalReport,
  type OutboxItem,
  type PersonRef,
  reviseItem,
  updateItem,
} from '../../../offline/outbox';
import { ProblemAlert } from '../../../ui';
import { PeopleFieldset } from './people';
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
export function RefusedItem({
  item,
  onRetry,
  facilityId,
  online,
}: {
  item: OutboxItem;
  onRetry: () => void;
  facilityId: string;
  online: boolean;
}) {
  const t = useTexts(T);
  const [fixing, setFixing] = useState(false);
  if (!item.problem) return null;
  const error = new ApiError(item.problem.status, item.problem.body);
  return (
    <li className="card stack refused-item">
      <p>
        <strong>{t.itemLabel[item.type]}</strong>: {item.label}
      </p>
      <ProblemAlert error={error} />
      {fixing && item.type === 'finding' ? (
        <FixFinding
          item={item}
          facilityId={facilityId}
          online={online}
          onDone={() => {
            setFixing(false);
            onRetry();
          }}
        />
      ) : null}
      <div className="row">
        {item.type === 'finding' && !fixing ? (
          <button type="button" onClick={() => setFixing(true)}>
            {t.fix}
          </button>
        ) : null}
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

/** A refused finding, changed where the refusal points: its text, quantity, place, people. */
function FixFinding({
  item,
  facilityId,
  online,
  onDone,
}: {
  item: OutboxItem;
  facilityId: string;
  online: boolean;
  onDone: () => void;
}) {
  const t = useTexts(T);
  const body = item.body as { description: string; quantity: number; location: string; category: string };
  const [description, setDescription] = useState(body.description);
  const [quantity, setQuantity] = useState(String(body.quantity));
  const [location, setLocation] = useState(body.location);
  const [people, setPeople] = useState<PersonRef[]>(item.people ?? []);
  const idPrefix = `fix-${item.key}`;

  async function save(e: FormEvent) {
    e.preventDefault();
    const next = { ...body, description: description.trim(), quantity: Number(quantity), location: location.trim() };
    await reviseItem(item, { body: next, people, label: next.description }, (r) => ({
      ...r,
      findings: r.findings.map((f) =>
        f.localId === item.ref ? { ...f, description: next.description, quantity: next.quantity, people } : f,
      ),
    }));
    onDone();
  }

  return (
    <form className="stack" onSubmit={(e) => void save(e)}>
      <fieldset className="stack">
        <legend>{t.fix}</legend>
        <label>
          {t.description}
          <textarea
            required
            minLength={3}
            rows={2}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        <label>
          {t.quantity}
          <input
            type="number"
            inputMode="decimal"
            min="0.001"
            step="any"
            required
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
          />
        </label>
        <label>
          {t.location}
          <input required value={location} onChange={(e) => setLocation(e.target.value)} />
        </label>
      </fieldset>
      <PeopleFieldset
        people={people}
        onChange={setPeople}
        facilityId={facilityId}
        online={online}
        idPrefix={idPrefix}
      />
      <button type="submit" className="primary">
        {t.saveAndSend}
      </button>
    </form>
  );
}

/** One report on this device: its state, its refusals, and the way back into it. */
export function WaitingReport({
  report,
  items,
  syncing,
  timeZoneName,
  onRetry,
  online,
}: {
  report: LocalReport;
  items: OutboxItem[];
  syncing: boolean;
  timeZoneName: string;
  onRetry: () => void;
  online: boolean;
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
              <RefusedItem key={i.key} item={i} onRetry={onRetry} facilityId={report.facilityId} online={online} />
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
