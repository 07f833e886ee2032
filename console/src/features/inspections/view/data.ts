import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, type Schemas } from '../../../api/client';
import { must } from '../../../api/problem';

export type Report = Schemas['InspectionReport'];
export type Finding = Report['findings'][number];
export type Evidence = Finding['evidence'][number];
export type Action = Report['actions'][number];
export type Addendum = Report['addenda'][number];

export const reportKey = (id: string) => ['inspection', id] as const;

/** The whole report as the API answers it: findings, evidence with custody, actions, addenda. */
export function useReport(id: string) {
  return useQuery({
    queryKey: reportKey(id),
    queryFn: async () =>
      must(await api.GET('/v1/inspections/{inspectionId}', { params: { path: { inspectionId: id } } })),
  });
}

/** After a write the report is read again, so what shows is what the server holds. */
export function useRefreshReport(id: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: reportKey(id) });
}

/** Names of organisations (BNN units, Kanwil), for owners and the lead of a joint inspection. */
export function useOrganisationNames(): Map<string, string> {
  const { data } = useQuery({
    queryKey: ['organisations', 'names'],
    queryFn: async () => must(await api.GET('/v1/organisations', { params: { query: { limit: 200 } } })),
    retry: false,
    staleTime: 300_000,
  });
  return new Map((data?.data ?? []).map((o) => [o.id, o.name]));
}

/** A person of a register by id: the name when the caller may see it, else the pseudonym. */
export function usePersonName(type: 'inmate' | 'officer' | 'unknown', id: string | null): string | null {
  const { data } = useQuery({
    queryKey: ['person', type, id],
    enabled: id !== null && type !== 'unknown',
    retry: false,
    staleTime: 300_000,
    queryFn: async () => {
      const path = id ?? '';
      const person =
        type === 'inmate'
          ? must(await api.GET('/v1/inmates/{inmateId}', { params: { path: { inmateId: path } } }))
          : must(await api.GET('/v1/officers/{officerId}', { params: { path: { officerId: path } } }));
      return person.name ?? person.pseudonym;
    },
  });
  return data ?? null;
}

/** An evidence file fetched with the token, as an object URL revoked when the component goes. */
export function useEvidenceUrl(evidenceId: string | null): { url: string | null; failed: boolean } {
  const [state, setState] = useState<{ url: string | null; failed: boolean }>({ url: null, failed: false });
  useEffect(() => {
    if (!evidenceId) return;
    let url: string | null = null;
    let gone = false;
    api
      .GET('/v1/evidence/{evidenceId}/file', { params: { path: { evidenceId } }, parseAs: 'blob' })
      .then((result) => {
        if (gone) return;
        if (!result.response.ok || !(result.data instanceof Blob)) {
          setState({ url: null, failed: true });
          return;
        }
        url = URL.createObjectURL(result.data);
        setState({ url, failed: false });
      })
      .catch(() => {
        if (!gone) setState({ url: null, failed: true });
      });
    return () => {
      gone = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [evidenceId]);
  return state;
}

export { useColleagueNames } from '../../../api/colleagues';
