import { useState } from 'react';
import { api } from '../../../api/client';
import { must } from '../../../api/problem';
import { useTexts } from '../../../i18n';
import type { PersonRef } from '../../../offline/outbox';
import { ProblemAlert } from '../../../ui';
import { T } from './texts';

interface Found {
  id: string;
  label: string;
}

/**
 * Picks people from a register: by name while online; by the number typed (registration number
 * or NIP) always, which the sync looks up in the register when the item is sent.
 */
export function RegisterPicker({
  kind,
  facilityId,
  online,
  searchLabel,
  numberLabel,
  onPick,
  idPrefix,
}: {
  kind: 'inmate' | 'officer';
  facilityId: string;
  online: boolean;
  searchLabel: string;
  numberLabel: string;
  onPick: (person: PersonRef) => void;
  idPrefix: string;
}) {
  const t = useTexts(T);
  const [query, setQuery] = useState('');
  const [number, setNumber] = useState('');
  const [found, setFound] = useState<Found[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function search() {
    if (!query.trim()) return;
    setBusy(true);
    setError(null);
    try {
      if (kind === 'inmate') {
        const page = must(
          await api.GET('/v1/facilities/{facilityId}/inmates', {
            params: { path: { facilityId }, query: { name: query.trim(), limit: 10 } },
          }),
        );
        setFound(
          page.data.map((p) => ({ id: p.id, label: `${p.name ?? p.pseudonym} (${p.registration_number ?? '—'})` })),
        );
      } else {
        const page = must(
          await api.GET('/v1/facilities/{facilityId}/officers', {
            params: { path: { facilityId }, query: { name: query.trim(), limit: 10 } },
          }),
        );
        setFound(page.data.map((p) => ({ id: p.id, label: `${p.name ?? p.pseudonym} (${p.nip ?? '—'})` })));
      }
    } catch (err) {
      setError(err);
      setFound(null);
    } finally {
      setBusy(false);
    }
  }

  function add() {
    const typed = number.trim();
    if (!typed) return;
    onPick({ type: kind, number: typed, label: typed });
    setNumber('');
  }

  return (
    <div className="stack">
      {online ? (
        <>
          <label htmlFor={`${idPrefix}-search`}>{searchLabel}</label>
          <div className="row">
            <input
              id={`${idPrefix}-search`}
              type="search"
              value={query}
              className="grow"
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void search();
                }
              }}
            />
            <button type="button" onClick={() => void search()} disabled={busy}>
              {busy ? t.searching : t.search}
            </button>
          </div>
          <ProblemAlert error={error} />
          {found ? (
            found.length === 0 ? (
              <p className="muted" role="status">
                {t.noMatch}
              </p>
            ) : (
              <ul className="list" aria-label={searchLabel}>
                {found.map((f) => (
                  <li key={f.id} className="row">
                    <span className="grow">{f.label}</span>
                    <button
                      type="button"
                      onClick={() => {
                        onPick({ type: kind, id: f.id, label: f.label });
                        setFound(null);
                        setQuery('');
                      }}
                    >
                      {t.choose(f.label)}
                    </button>
                  </li>
                ))}
              </ul>
            )
          ) : null}
        </>
      ) : (
        <p className="muted">{t.offlinePeople}</p>
      )}
      <label htmlFor={`${idPrefix}-number`}>{numberLabel}</label>
      <div className="row">
        <input
          id={`${idPrefix}-number`}
          value={number}
          className="grow"
          autoComplete="off"
          onChange={(e) => setNumber(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" onClick={add}>
          {t.addPerson}
        </button>
      </div>
    </div>
  );
}

/** The people a finding names: those chosen, each removable, and the register to choose more from. */
export function PeopleFieldset({
  people,
  onChange,
  facilityId,
  online,
  idPrefix,
}: {
  people: PersonRef[];
  onChange: (people: PersonRef[]) => void;
  facilityId: string;
  online: boolean;
  idPrefix: string;
}) {
  const t = useTexts(T);
  return (
    <fieldset className="stack">
      <legend>{t.people}</legend>
      {people.length === 0 ? (
        <p className="muted">{t.noPeople}</p>
      ) : (
        <ul className="list">
          {people.map((p, i) => (
            <li key={p.id ?? `${p.number}-${i}`} className="row">
              <span className="grow">{p.label}</span>
              <button type="button" onClick={() => onChange(people.filter((_, j) => j !== i))}>
                {t.removePerson(p.label)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <RegisterPicker
        kind="inmate"
        idPrefix={idPrefix}
        facilityId={facilityId}
        online={online}
        searchLabel={t.searchInmate}
        numberLabel={t.registrationNumber}
        onPick={(p) => onChange([...people, p])}
      />
    </fieldset>
  );
}
