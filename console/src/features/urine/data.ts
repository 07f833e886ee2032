import { useQuery } from '@tanstack/react-query';
import { api, type Schemas } from '../../api/client';
import { must } from '../../api/problem';

export type Round = Schemas['UrineRound'];
export type UrineTest = Schemas['UrineTest'];
export type Draws = Schemas['UrineDraws'];
export type FollowUpCase = Schemas['FollowUpCase'];

/** Roles that record rounds, draws and results (the API answers 403 to the others). */
export function canRecord(role: string): boolean {
  return role === 'admin' || role === 'facility_staff' || role === 'facility_head' || role === 'bnn_officer';
}

/** Every page of a list. */
async function allPages<T>(load: (cursor?: string) => Promise<{ data: T[]; next_cursor?: string | null }>) {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await load(cursor);
    out.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return out;
}

export const keys = {
  rounds: (facilityId: string) => ['urine', 'rounds', facilityId] as const,
  round: (id: string) => ['urine', 'round', id] as const,
};

export function useRounds(facilityId: string | undefined) {
  return useQuery({
    queryKey: keys.rounds(facilityId ?? ''),
    enabled: !!facilityId,
    queryFn: () =>
      allPages(async (cursor) =>
        must(
          await api.GET('/v1/facilities/{facilityId}/urine-test-rounds', {
            params: { path: { facilityId: facilityId as string }, query: { limit: 200, cursor } },
          }),
        ),
      ),
  });
}

export function useRound(id: string) {
  return useQuery({
    queryKey: [...keys.round(id), 'round'],
    queryFn: async () => must(await api.GET('/v1/urine-test-rounds/{roundId}', { params: { path: { roundId: id } } })),
  });
}

export function useDraws(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...keys.round(id), 'draws'],
    enabled,
    queryFn: async () =>
      must(await api.GET('/v1/urine-test-rounds/{roundId}/draw', { params: { path: { roundId: id } } })),
  });
}

export function useTests(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...keys.round(id), 'tests'],
    enabled,
    queryFn: () =>
      allPages(async (cursor) =>
        must(await api.GET('/v1/urine-tests', { params: { query: { round_id: id, limit: 200, cursor } } })),
      ),
  });
}

export function useCases(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...keys.round(id), 'cases'],
    enabled,
    queryFn: () =>
      allPages(async (cursor) =>
        must(await api.GET('/v1/follow-up-cases', { params: { query: { round_id: id, limit: 200, cursor } } })),
      ),
  });
}

/** Who a person is, as far as the caller may see: the name, else the pseudonym. */
export function usePeople(facilityId: string | undefined) {
  return useQuery({
    queryKey: ['urine', 'people', facilityId],
    enabled: !!facilityId,
    staleTime: 300_000,
    queryFn: async () => {
      const path = { facilityId: facilityId as string };
      const names = new Map<string, string>();
      const [inmates, officers] = await Promise.allSettled([
        allPages(async (cursor) =>
          must(
            await api.GET('/v1/facilities/{facilityId}/inmates', { params: { path, query: { limit: 200, cursor } } }),
          ),
        ),
        allPages(async (cursor) =>
          must(
            await api.GET('/v1/facilities/{facilityId}/officers', { params: { path, query: { limit: 200, cursor } } }),
          ),
        ),
      ]);
      // A name shared by two people of the register carries their number, so every row is told apart.
      const label = (people: { id: string; name: string | null; pseudonym: string; number: string | null }[]) => {
        const count = new Map<string, number>();
        for (const p of people) if (p.name) count.set(p.name, (count.get(p.name) ?? 0) + 1);
        for (const p of people) {
          const shared = p.name && (count.get(p.name) ?? 0) > 1;
          names.set(p.id, p.name ? (shared && p.number ? `${p.name} · ${p.number}` : p.name) : p.pseudonym);
        }
      };
      if (inmates.status === 'fulfilled') label(inmates.value.map((p) => ({ ...p, number: p.registration_number })));
      if (officers.status === 'fulfilled') label(officers.value.map((p) => ({ ...p, number: p.nip })));
      return names;
    },
  });
}

/** One Idempotency-Key for each distinct request: a retry of the same body reuses it. */
export function newKey(): string {
  return crypto.randomUUID();
}
