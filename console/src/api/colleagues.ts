import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import { must } from './problem';

/**
 * Display names of the users the caller may know (their facility or organisation), by id; empty
 * when the API refuses the list. One query for every screen that names a signer or a facilitator.
 */
export function useColleagueNames(): Map<string, string> {
  const { data } = useQuery({
    queryKey: ['colleagues'],
    queryFn: async () => must(await api.GET('/v1/colleagues', { params: { query: { limit: 200 } } })),
    retry: false,
    staleTime: 300_000,
  });
  return new Map((data?.data ?? []).map((c) => [c.id, c.display_name]));
}
