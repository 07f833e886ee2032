import { Link } from 'wouter';
import { useProfile } from '../../auth/session';
import { useLanguage, useTexts } from '../../i18n';
import { formatDate } from '../../i18n/time';
import { Loading, Page, ProblemAlert } from '../../ui';
import { canRecord, useRounds } from './data';
import { useFacilityChoice } from './facility';
import { T } from './texts';

export function RoundList() {
  const t = useTexts(T);
  const lang = useLanguage();
  const { me } = useProfile();
  const { facilities, facilityId, choose } = useFacilityChoice();
  const rounds = useRounds(facilityId);
  const sorted = [...(rounds.data ?? [])].sort((a, b) => b.tested_on.localeCompare(a.tested_on));
  return (
    <Page
      title={t.title}
      actions={
        canRecord(me.role) && facilityId ? (
          <Link className="button primary" href={`/new?facility=${facilityId}`}>
            {t.newRound}
          </Link>
        ) : null
      }
    >
      {facilities.length > 1 ? (
        <label className="narrow">
          {t.facility}
          <select value={facilityId} onChange={(e) => choose(e.target.value)}>
            {facilities.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <h2>{t.rounds}</h2>
      {rounds.isPending && facilityId ? <Loading label={t.loading} /> : null}
      <ProblemAlert error={rounds.error} />
      {rounds.data && sorted.length === 0 ? <p className="muted">{t.noRounds}</p> : null}
      <ul className="list">
        {sorted.map((r) => (
          <li key={r.id}>
            <Link href={`/${r.id}`}>{t.roundTitle(formatDate(r.tested_on, lang))}</Link>
            <div className="muted">
              {t.reasons[r.reason]} · {t.subjectsOf[r.subjects]} · {t.tested(r.tested)}
            </div>
          </li>
        ))}
      </ul>
    </Page>
  );
}
