import { type FormEvent, useState } from 'react';
import { api } from '../../../api/client';
import { must } from '../../../api/problem';
import { useLanguage, useTexts } from '../../../i18n';
import { formatDateTime } from '../../../i18n/time';
import { ProblemAlert } from '../../../ui';
import { type Report, useRefreshReport } from './data';
import { T } from './texts';

type Part = 'inspection' | 'finding' | 'evidence' | 'action';

/** The parts of the report an addendum may correct, as "type:id" options with a readable label. */
function useParts(report: Report) {
  const t = useTexts(T);
  const parts: { value: string; label: string }[] = [
    { value: `inspection:${report.id}`, label: t.correctsKinds.inspection ?? '' },
  ];
  report.findings.forEach((f, i) => {
    parts.push({
      value: `finding:${f.id}`,
      label: `${t.correctsKinds.finding} ${i + 1}: ${t.categories[f.category] ?? f.category}`,
    });
    for (const e of f.evidence) {
      parts.push({ value: `evidence:${e.id}`, label: `${t.correctsKinds.evidence}: ${e.description}` });
    }
  });
  for (const a of report.actions) {
    parts.push({ value: `action:${a.id}`, label: `${t.correctsKinds.action}: ${a.description}` });
  }
  return parts;
}

/** Corrections of a signed-off report, and the form to add one (signed-off reports only). */
export function Addenda({ report, canAdd, print }: { report: Report; canAdd: boolean; print?: boolean }) {
  const t = useTexts(T);
  const language = useLanguage();
  const parts = useParts(report);
  const labelOf = (type: string, id: string) => parts.find((p) => p.value === `${type}:${id}`)?.label ?? type;
  return (
    <section aria-labelledby="insv-addenda">
      <h2 id="insv-addenda">{t.addenda}</h2>
      {report.addenda.length === 0 ? <p>{t.noAddenda}</p> : null}
      <ol className="list insv-addenda">
        {report.addenda.map((a) => (
          <li key={a.id}>
            <p>
              <strong>{labelOf(a.corrects_type, a.corrects_id)}</strong>
            </p>
            <p className="insv-text">{a.text}</p>
            <p>
              {t.reason}: {a.reason}
            </p>
            <p className="muted">
              {t.addendumBy(
                t.roles[a.author_role] ?? a.author_role,
                formatDateTime(a.created_at, report.timezone, language),
              )}
            </p>
          </li>
        ))}
      </ol>
      {canAdd && !print ? <AddendumForm report={report} parts={parts} /> : null}
    </section>
  );
}

function AddendumForm({ report, parts }: { report: Report; parts: { value: string; label: string }[] }) {
  const t = useTexts(T);
  const refresh = useRefreshReport(report.id);
  const [corrects, setCorrects] = useState(parts[0]?.value ?? '');
  const [reason, setReason] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const [type, id] = corrects.split(':') as [Part, string];
    setBusy(true);
    setError(null);
    try {
      must(
        await api.POST('/v1/inspections/{inspectionId}/addenda', {
          params: { path: { inspectionId: report.id } },
          body: { corrects_type: type, corrects_id: id, reason, text },
        }),
      );
      await refresh();
      setReason('');
      setText('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack card" onSubmit={submit} aria-labelledby="insv-add-addendum">
      <h3 id="insv-add-addendum">{t.addAddendum}</h3>
      <label htmlFor="insv-ad-part">{t.corrects}</label>
      <select id="insv-ad-part" value={corrects} onChange={(e) => setCorrects(e.target.value)}>
        {parts.map((p) => (
          <option key={p.value} value={p.value}>
            {p.label}
          </option>
        ))}
      </select>
      <label htmlFor="insv-ad-reason">{t.reason}</label>
      <input id="insv-ad-reason" required minLength={3} value={reason} onChange={(e) => setReason(e.target.value)} />
      <label htmlFor="insv-ad-text">{t.text}</label>
      <textarea
        id="insv-ad-text"
        required
        minLength={3}
        rows={4}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <ProblemAlert error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t.addAddendum}
      </button>
    </form>
  );
}
