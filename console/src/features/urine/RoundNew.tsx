import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { api } from '../../api/client';
import { must } from '../../api/problem';
import { useProfile } from '../../auth/session';
import { useTexts } from '../../i18n';
import { todayIn } from '../../i18n/time';
import { Page, ProblemAlert } from '../../ui';
import { keys, newKey } from './data';
import { T } from './texts';

const CLASSES = ['AMP', 'MET', 'MDMA', 'THC', 'COC', 'MOP', 'BZO', 'K2'] as const;
type DrugClass = (typeof CLASSES)[number];
const REASONS = ['random', 'targeted', 'admission', 'follow_up', 'joint_operation'] as const;
const SUBJECTS = ['inmates', 'officers', 'both'] as const;

export function RoundNew() {
  const t = useTexts(T);
  const { me, facilities } = useProfile();
  const search = new URLSearchParams(useSearch());
  const facility = facilities.find((f) => f.id === search.get('facility')) ?? facilities[0];
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const today = facility ? todayIn(facility.timezone) : '';
  const [testedOn, setTestedOn] = useState(today);
  const [reason, setReason] = useState<(typeof REASONS)[number]>('random');
  const [subjects, setSubjects] = useState<(typeof SUBJECTS)[number]>('inmates');
  const [brand, setBrand] = useState('');
  const [lot, setLot] = useState('');
  const [expiry, setExpiry] = useState('');
  const [panel, setPanel] = useState<DrugClass[]>(['AMP', 'MET', 'MDMA', 'THC', 'COC', 'MOP']);
  const key = useRef(newKey());

  const create = useMutation({
    mutationFn: async () =>
      must(
        await api.POST('/v1/facilities/{facilityId}/urine-test-rounds', {
          params: { path: { facilityId: facility?.id as string }, header: { 'Idempotency-Key': key.current } },
          body: {
            tested_on: testedOn,
            reason,
            subjects,
            kit: { brand, lot, expiry, panel: CLASSES.filter((c) => panel.includes(c)) },
            ...(me.role === 'bnn_officer' && me.organisation_id ? { run_by_organisation_id: me.organisation_id } : {}),
          },
        }),
      ),
    onSuccess: (round) => {
      queryClient.invalidateQueries({ queryKey: keys.rounds(round.facility_id) });
      navigate(`/${round.id}`);
    },
    onError: () => {
      key.current = newKey();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <Page title={t.newRound}>
      <form className="stack narrow" onSubmit={submit}>
        <p>
          {t.facility}: <strong>{facility?.name}</strong>
        </p>
        <label>
          {t.testedOn}
          <input type="date" required value={testedOn} onChange={(e) => setTestedOn(e.target.value)} />
        </label>
        <label>
          {t.reason}
          <select value={reason} onChange={(e) => setReason(e.target.value as typeof reason)}>
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {t.reasons[r]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.subjects}
          <select value={subjects} onChange={(e) => setSubjects(e.target.value as typeof subjects)}>
            {SUBJECTS.map((s) => (
              <option key={s} value={s}>
                {t.subjectsOf[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.kitBrand}
          <input required value={brand} onChange={(e) => setBrand(e.target.value)} />
        </label>
        <label>
          {t.kitLot}
          <input required value={lot} onChange={(e) => setLot(e.target.value)} />
        </label>
        <label>
          {t.kitExpiry}
          <input type="date" required value={expiry} onChange={(e) => setExpiry(e.target.value)} />
        </label>
        <fieldset className="urine-panel">
          <legend>{t.panel}</legend>
          {CLASSES.map((c) => (
            <label key={c} className="urine-check">
              <input
                type="checkbox"
                checked={panel.includes(c)}
                onChange={(e) => setPanel(e.target.checked ? [...panel, c] : panel.filter((x) => x !== c))}
              />
              {c}
            </label>
          ))}
        </fieldset>
        <ProblemAlert error={create.error} />
        <button type="submit" className="primary" disabled={create.isPending || !facility}>
          {create.isPending ? t.creating : t.create}
        </button>
      </form>
    </Page>
  );
}
