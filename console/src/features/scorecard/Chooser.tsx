import { type FormEvent, useState } from 'react';
import { useLocation } from 'wouter';
import { useProfile } from '../../auth/session';
import { useTexts } from '../../i18n';
import { todayIn } from '../../i18n/time';
import { currentQuarter, periodChoices } from './period';
import { T } from './texts';

/** The facility and the period to show; the facilities are those in the user's reach. */
export function Chooser({ facilityId, period }: { facilityId?: string; period?: string }) {
  const t = useTexts(T);
  const profile = useProfile();
  const [, navigate] = useLocation();
  const first = facilityId ?? profile.me.facility_id ?? profile.facilities[0]?.id ?? '';
  const [facility, setFacility] = useState(first);
  const zone = profile.facilities.find((f) => f.id === facility)?.timezone ?? 'Asia/Jakarta';
  const today = todayIn(zone);
  const [chosen, setChosen] = useState(period ?? currentQuarter(today));

  function submit(event: FormEvent) {
    event.preventDefault();
    if (facility) navigate(`/${facility}?period=${encodeURIComponent(chosen)}`);
  }

  return (
    <form className="card stack scorecard-chooser" onSubmit={submit}>
      <label>
        {t.facility}
        <select value={facility} onChange={(e) => setFacility(e.target.value)}>
          {profile.facilities.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      <PeriodSelect value={chosen} today={today} onChange={setChosen} />
      <button type="submit" className="primary">
        {t.show}
      </button>
    </form>
  );
}

/** The periods to choose from, quarters then months; a period asked by address stays choosable. */
export function PeriodSelect({
  value,
  today,
  onChange,
}: {
  value: string;
  today: string;
  onChange: (period: string) => void;
}) {
  const t = useTexts(T);
  const choices = periodChoices(today);
  return (
    <label>
      {t.period}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {choices.quarters.includes(value) || choices.months.includes(value) ? null : (
          <option value={value}>{value}</option>
        )}
        <optgroup label={t.quarters}>
          {choices.quarters.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </optgroup>
        <optgroup label={t.months}>
          {choices.months.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}
