import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { api, type Schemas } from '../../api/client';
import { useColleagueNames } from '../../api/colleagues';
import { ApiError, must } from '../../api/problem';
import { useProfile } from '../../auth/session';
import { type Language, useTexts } from '../../i18n';
import { zoneName } from '../../i18n/time';
import type { Profile } from '../../offline/profile';
import { Loading, Page, ProblemAlert } from '../../ui';
import { T } from './texts';

export type Programme = Schemas['RehabProgramme'];
export type Session = Schemas['RehabSession'];
export type Facility = Profile['facilities'][number];

export const keys = {
  programme: (id: string) => ['rehab', 'programme', id] as const,
  sessions: (id: string) => ['rehab', 'sessions', id] as const,
  session: (id: string) => ['rehab', 'session', id] as const,
  attendance: (id: string) => ['rehab', 'attendance', id] as const,
  enrolments: (id: string) => ['rehab', 'enrolments', id] as const,
  slots: (id: string) => ['rehab', 'slots', id] as const,
};

/** An ETag for If-Match from a version. */
export const etag = (version: number) => `"${version}"`;

/** HH.MM (or HH:MM in English) of an API local time such as 2026-12-01T09:00:00+07:00: already the facility's clock. */
export function clock(local: string, language: Language): string {
  return hourMinute(local.slice(11, 16), language);
}

/** A wall-clock HH:MM as people write it: 09.00 in Indonesian, 09:00 in English. */
export function hourMinute(hm: string, language: Language): string {
  return language === 'id' ? hm.replace(':', '.') : hm;
}

/** "09.00–10.30 WIB": a session's times on the facility's clock, its zone named. */
export function timeRange(session: Pick<Session, 'starts_at' | 'ends_at'>, timezone: string, language: Language) {
  return `${clock(session.starts_at, language)}–${clock(session.ends_at, language)} ${zoneName(timezone)}`;
}

export function facilityOf(facilities: Facility[], id: string): Facility | undefined {
  return facilities.find((f) => f.id === id);
}

/** The programme, or a not-found page when it is out of reach. */
export function useProgramme(programmeId: string) {
  return useQuery({
    queryKey: keys.programme(programmeId),
    queryFn: async () =>
      must(await api.GET('/v1/rehab-programmes/{programmeId}', { params: { path: { programmeId } } })),
  });
}

/** Whether the signed-in user may change the programme (its BNN unit's officers, administrators). */
export function useMayRun(programme: Programme | undefined): boolean {
  const { me } = useProfile();
  if (!programme) return false;
  return me.role === 'admin' || (me.role === 'bnn_officer' && me.organisation_id === programme.bnn_unit_id);
}

/** Names of the facilitators the caller may know (colleagues); the others by their role. */
export function useFacilitatorNames(): (id: string) => string {
  const t = useTexts(T);
  const names = useColleagueNames();
  return (id) => names.get(id) ?? t.unknownFacilitator;
}

/** What a session is and where: its number and curriculum title, its room and its facilitator. */
export function SessionFacts({
  session: s,
}: {
  session: Pick<Session, 'number' | 'curriculum_title' | 'room' | 'facilitator_id'>;
}) {
  const t = useTexts(T);
  const facilitator = useFacilitatorNames();
  return (
    <>
      {s.number ? (
        <div>
          {t.session} {s.number}
          {s.curriculum_title ? `: ${s.curriculum_title}` : ''}
        </div>
      ) : null}
      <div>
        {t.room}: {s.room}
      </div>
      <div>
        {t.facilitator}: {facilitator(s.facilitator_id)}
      </div>
    </>
  );
}

/** A programme's screen frame: loading, not found, the heading and the sections' links. */
export function ProgrammeFrame({
  programmeId,
  heading,
  children,
}: {
  programmeId: string;
  heading: (programme: Programme) => string;
  children: (programme: Programme, facility: Facility) => ReactNode;
}) {
  const t = useTexts(T);
  const { facilities } = useProfile();
  const programme = useProgramme(programmeId);
  if (programme.error) {
    if (programme.error instanceof ApiError && programme.error.status === 404) {
      return (
        <Page title={t.notFound}>
          <Link href="/">{t.backToProgrammes}</Link>
        </Page>
      );
    }
    return (
      <Page title={t.title}>
        <ProblemAlert error={programme.error} />
      </Page>
    );
  }
  if (!programme.data) return <Loading label={t.loading} />;
  const p = programme.data;
  const facility = facilityOf(facilities, p.facility_id) ?? {
    id: p.facility_id,
    name: p.facility_id,
    timezone: 'Asia/Jakarta',
    type: 'rutan',
  };
  return (
    <Page title={heading(p)}>
      <p className="muted">
        {facility.name} · {p.title}
      </p>
      <nav aria-label={t.programmeNav} className="rehab-nav">
        <Link href={`/${p.id}`}>{t.calendar}</Link>
        <Link href={`/${p.id}/slots`}>{t.slots}</Link>
        <Link href={`/${p.id}/enrolments`}>{t.enrolments}</Link>
        <Link href="/">{t.backToProgrammes}</Link>
      </nav>
      {children(p, facility)}
    </Page>
  );
}
