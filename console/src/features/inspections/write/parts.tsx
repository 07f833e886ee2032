import { type FormEvent, useState } from 'react';
import { useTexts } from '../../../i18n';
import { enqueue, type LocalReport, type OutboxItem, type PersonRef } from '../../../offline/outbox';
import { PeopleFieldset, RegisterPicker } from './people';
import { T, type Words } from './texts';

type Category = keyof Words['categories'];
type Unit = keyof Words['units'];

function sentState(t: Words, sent: boolean, items: OutboxItem[]): string {
  if (items.some((i) => i.problem)) return t.state.refused;
  return sent && items.length === 0 ? t.state.saved : t.state.waiting;
}

/** Step 3: what was found, who was involved, what was seized, and its photos. */
export function FindingsStep({
  report,
  items,
  online,
  onWritten,
  onBack,
  onNext,
}: {
  report: LocalReport;
  items: OutboxItem[];
  online: boolean;
  onWritten: () => void;
  onBack: () => void;
  onNext: () => void;
}) {
  const t = useTexts(T);
  const [category, setCategory] = useState<Category>('narcotics');
  const [description, setDescription] = useState('');
  const [quantity, setQuantity] = useState('');
  const [unit, setUnit] = useState<Unit>('grams');
  const [location, setLocation] = useState('');
  const [people, setPeople] = useState<PersonRef[]>([]);
  const [seal, setSeal] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [fileKey, setFileKey] = useState(0);

  async function save(e: FormEvent) {
    e.preventDefault();
    const localId = crypto.randomUUID();
    const ownerId = report.ownerId;
    const text = description.trim();
    const queued: Omit<OutboxItem, 'key' | 'seq' | 'reportLocalId'>[] = [
      {
        ownerId,
        type: 'finding',
        ref: localId,
        body: { category, description: text, quantity: Number(quantity), unit, location: location.trim() },
        people,
        label: `${t.categories[category]}: ${text}`,
      },
    ];
    if (seal.trim()) {
      queued.push({
        ownerId,
        type: 'evidence',
        ref: localId,
        body: { kind: 'seized_item', description: `${t.seized}: ${text}`.slice(0, 500), seal_number: seal.trim() },
        label: `${t.seized} ${seal.trim()}`,
      });
    }
    for (const photo of photos) {
      queued.push({
        ownerId,
        type: 'evidence',
        ref: localId,
        body: { kind: 'photo', description: `${t.categories[category]}: ${text}`.slice(0, 500) },
        file: new Blob([photo], { type: photo.type }),
        fileName: photo.name,
        label: photo.name,
      });
    }
    await enqueue(report.localId, queued, (r) => ({
      ...r,
      findings: [
        ...r.findings,
        { localId, category, description: text, quantity: Number(quantity), unit, people, photos: photos.length },
      ],
    }));
    setDescription('');
    setQuantity('');
    setLocation('');
    setPeople([]);
    setSeal('');
    setPhotos([]);
    setFileKey((k) => k + 1);
    onWritten();
  }

  return (
    <div className="stack">
      <section aria-labelledby="findings-written" className="stack">
        <h3 id="findings-written">{t.findingsWritten}</h3>
        {report.findings.length === 0 ? (
          <p className="muted">{t.noFindings}</p>
        ) : (
          <ul className="list" aria-labelledby="findings-written">
            {report.findings.map((f) => {
              const mine = items.filter((i) => i.reportLocalId === report.localId && i.ref === f.localId);
              return (
                <li key={f.localId}>
                  <strong>
                    {t.categories[f.category as Category]}: {f.quantity} {t.units[f.unit as Unit]}
                  </strong>{' '}
                  — {f.description}
                  {f.people.length ? ` · ${f.people.map((p) => p.label).join(', ')}` : ''}
                  {f.photos ? ` · ${t.photoCount(f.photos)}` : ''}{' '}
                  <span className="badge">{sentState(t, !!report.refs[f.localId], mine)}</span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <form className="stack" onSubmit={(e) => void save(e)}>
        <fieldset className="stack">
          <legend>{t.newFinding}</legend>
          <label>
            {t.category}
            <select value={category} onChange={(e) => setCategory(e.target.value as Category)}>
              {(Object.keys(t.categories) as Category[]).map((c) => (
                <option key={c} value={c}>
                  {t.categories[c]}
                </option>
              ))}
            </select>
          </label>
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
          <div className="pair">
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
              {t.unit}
              <select value={unit} onChange={(e) => setUnit(e.target.value as Unit)}>
                {(Object.keys(t.units) as Unit[]).map((u) => (
                  <option key={u} value={u}>
                    {t.units[u]}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label>
            {t.location}
            <input required value={location} onChange={(e) => setLocation(e.target.value)} />
          </label>
          <label>
            {t.sealNumber}
            <input value={seal} onChange={(e) => setSeal(e.target.value)} autoComplete="off" />
          </label>
          <label>
            {t.photos}
            <input
              key={fileKey}
              type="file"
              accept="image/*"
              capture="environment"
              multiple
              onChange={(e) => setPhotos(Array.from(e.target.files ?? []))}
            />
          </label>
          {photos.length ? <p className="muted">{t.photosChosen(photos.length)}</p> : null}
        </fieldset>
        <PeopleFieldset
          people={people}
          onChange={setPeople}
          facilityId={report.facilityId}
          online={online}
          idPrefix="finding-person"
        />
        <button type="submit" className="primary">
          {t.saveFinding}
        </button>
      </form>
      <div className="step-nav">
        <button type="button" onClick={onBack}>
          {t.back}
        </button>
        <button type="button" className="primary" onClick={onNext}>
          {t.next}
        </button>
      </div>
    </div>
  );
}

/** Step 4: what must change, who answers for it, and by when. */
export function ActionsStep({
  report,
  items,
  online,
  minDate,
  defaultDue,
  onWritten,
  onBack,
  onNext,
}: {
  report: LocalReport;
  items: OutboxItem[];
  online: boolean;
  minDate: string;
  defaultDue: string;
  onWritten: () => void;
  onBack: () => void;
  onNext: () => void;
}) {
  const t = useTexts(T);
  const [description, setDescription] = useState('');
  const [owner, setOwner] = useState<PersonRef | null>(null);
  const [due, setDue] = useState(defaultDue);

  async function save(e: FormEvent) {
    e.preventDefault();
    const localId = crypto.randomUUID();
    const text = description.trim();
    await enqueue(
      report.localId,
      [
        {
          ownerId: report.ownerId,
          type: 'action',
          ref: localId,
          body: { description: text, due_date: due, ...(owner?.id ? { owner_officer_id: owner.id } : {}) },
          ...(owner?.number ? { ownerNip: owner.number } : {}),
          label: text,
        },
      ],
      (r) => ({ ...r, actions: [...r.actions, { localId, description: text, owner: owner?.label, due_date: due }] }),
    );
    setDescription('');
    setOwner(null);
    setDue(defaultDue);
    onWritten();
  }

  return (
    <div className="stack">
      <section aria-labelledby="actions-written" className="stack">
        <h3 id="actions-written">{t.actionsWritten}</h3>
        {report.actions.length === 0 ? (
          <p className="muted">{t.noActions}</p>
        ) : (
          <ul className="list" aria-labelledby="actions-written">
            {report.actions.map((a) => {
              const mine = items.filter((i) => i.reportLocalId === report.localId && i.ref === a.localId);
              return (
                <li key={a.localId}>
                  <strong>{a.description}</strong> — {a.owner ?? t.noOwner} · {t.dueDate} {a.due_date}{' '}
                  <span className="badge">{sentState(t, mine.length === 0, mine)}</span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <form className="stack" onSubmit={(e) => void save(e)}>
        <fieldset className="stack">
          <legend>{t.newAction}</legend>
          <label>
            {t.actionDescription}
            <textarea
              required
              minLength={3}
              rows={2}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          </label>
          <label>
            {t.dueDate}
            <input type="date" required min={minDate} value={due} onChange={(e) => setDue(e.target.value)} />
          </label>
        </fieldset>
        <fieldset className="stack">
          <legend>{t.owner}</legend>
          <p>
            {t.owner}: <strong>{owner?.label ?? t.noOwner}</strong>
          </p>
          <RegisterPicker
            kind="officer"
            idPrefix="action-owner"
            facilityId={report.facilityId}
            online={online}
            searchLabel={t.searchOfficer}
            numberLabel={t.ownerNip}
            onPick={setOwner}
          />
        </fieldset>
        <button type="submit" className="primary">
          {t.saveAction}
        </button>
      </form>
      <div className="step-nav">
        <button type="button" onClick={onBack}>
          {t.back}
        </button>
        <button type="button" className="primary" onClick={onNext}>
          {t.next}
        </button>
      </div>
    </div>
  );
}
