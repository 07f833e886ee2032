import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../../api/client';
import { must } from '../../api/problem';
import { useProfile } from '../../auth/session';
import { useLanguage, useTexts } from '../../i18n';
import { formatDate } from '../../i18n/time';
import { Loading, Page, ProblemAlert } from '../../ui';
import { facilityOf } from './common';
import { T } from './texts';

/** The programmes at the facilities in reach, narrowed to one facility if wished. */
export function ProgrammeList() {
  const t = useTexts(T);
  const language = useLanguage();
  const { facilities } = useProfile();
  const [facilityId, setFacilityId] = useState('');
  const programmes = useQuery({
    queryKey: ['rehab', 'programmes', facilityId],
    queryFn: async () =>
      must(
        await api.GET('/v1/rehab-programmes', {
          params: { query: { limit: 200, ...(facilityId ? { facility_id: facilityId } : {}) } },
        }),
      ),
  });
  return (
    <Page title={t.title}>
      {facilities.length > 1 ? (
        <label className="narrow">
          {t.facility}
          <select value={facilityId} onChange={(e) => setFacilityId(e.target.value)}>
            <option value="">{t.allFacilities}</option>
            {facilities.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <ProblemAlert error={programmes.error} />
      {programmes.isPending ? <Loading label={t.loading} /> : null}
      {programmes.data?.data.length === 0 ? <p>{t.noProgrammes}</p> : null}
      <ul className="list">
        {programmes.data?.data.map((p) => (
          <li key={p.id}>
            <Link href={`/${p.id}`}>{p.title}</Link>
            <div className="muted">
              {facilityOf(facilities, p.facility_id)?.name} · {t.period}: {formatDate(p.starts_on, language)} –{' '}
              {formatDate(p.ends_on, language)} · {t.places}: {p.active_enrolments} {t.of} {p.capacity}
            </div>
          </li>
        ))}
      </ul>
    </Page>
  );
}
