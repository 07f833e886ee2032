import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { api } from '../../api/client';
import { must } from '../../api/problem';
import { useTexts } from '../../i18n';
import { ProblemAlert } from '../../ui';
import { keys, newKey, type UrineTest } from './data';
import { T } from './texts';

const METHODS = ['GC-MS', 'LC-MS', 'LC-MS/MS', 'other'] as const;

/** The presumptive positives awaiting the lab, each with a form for the lab's result. */
export function Confirmations({ tests, nameOf }: { tests: UrineTest[]; nameOf: (id: string) => string }) {
  const t = useTexts(T);
  const pending = tests.filter((x) => x.outcome === 'presumptive_positive' && x.confirmation === 'pending');
  if (!pending.length) return null;
  return (
    <section aria-labelledby="urine-lab">
      <h2 id="urine-lab">{t.labHeading}</h2>
      {pending.map((x) => (
        <details key={x.id} className="card">
          <summary>
            {nameOf(x.subject_id)} · {x.specimen_id} ·{' '}
            {x.classes
              .filter((c) => c.result === 'positive')
              .map((c) => c.class)
              .join(', ')}
          </summary>
          <ConfirmForm test={x} who={nameOf(x.subject_id)} />
        </details>
      ))}
    </section>
  );
}

function ConfirmForm({ test, who }: { test: UrineTest; who: string }) {
  const t = useTexts(T);
  const queryClient = useQueryClient();
  const positives = test.classes.filter((c) => c.result === 'positive').map((c) => c.class);
  const [cls, setCls] = useState(positives[0] ?? '');
  const [method, setMethod] = useState<(typeof METHODS)[number]>('GC-MS');
  const [lab, setLab] = useState('');
  const [value, setValue] = useState('');
  const [prescription, setPrescription] = useState('');
  const key = useRef(newKey());
  const confirm = useMutation({
    mutationFn: async () =>
      must(
        await api.POST('/v1/urine-tests/{testId}/confirmation', {
          params: { path: { testId: test.id }, header: { 'Idempotency-Key': key.current } },
          body: {
            class: cls as 'MET',
            method,
            lab,
            value_ng_ml: Number(value),
            ...(prescription.trim() ? { prescription_reference: prescription.trim() } : {}),
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.round(test.round_id) }),
    onError: () => {
      key.current = newKey();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate();
  };
  return (
    <form className="stack narrow" onSubmit={submit} aria-label={t.labFor(who)}>
      <label>
        {t.labClass}
        <select value={cls} onChange={(e) => setCls(e.target.value)}>
          {positives.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.labMethod}
        <select value={method} onChange={(e) => setMethod(e.target.value as typeof method)}>
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {m === 'other' ? t.labOther : m}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.labName}
        <input required minLength={2} value={lab} onChange={(e) => setLab(e.target.value)} />
      </label>
      <label>
        {t.labValue}
        <input
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          required
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      </label>
      <label>
        {t.labPrescription}
        <input value={prescription} onChange={(e) => setPrescription(e.target.value)} />
      </label>
      <ProblemAlert error={confirm.error} />
      <button type="submit" className="primary" disabled={confirm.isPending}>
        {confirm.isPending ? t.labSaving : t.labSave}
      </button>
    </form>
  );
}
