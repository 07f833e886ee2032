import { useEffect, useState } from 'react';
import { useProfile } from '../../../auth/session';
import { itemsOf, type LocalReport, type OutboxItem, reportsOf, subscribeOutbox } from '../../../offline/outbox';

export interface LocalState {
  reports: LocalReport[];
  items: OutboxItem[];
  loaded: boolean;
}

/** The signed-in user's reports and queue on this device, kept current as they change. */
export function useLocal(): LocalState {
  const { me } = useProfile();
  const [state, setState] = useState<LocalState>({ reports: [], items: [], loaded: false });
  useEffect(() => {
    let live = true;
    const load = async () => {
      const [reports, items] = await Promise.all([reportsOf(me.id), itemsOf(me.id)]);
      if (live)
        setState({ reports: reports.sort((a, b) => b.createdAt.localeCompare(a.createdAt)), items, loaded: true });
    };
    void load();
    const stop = subscribeOutbox(() => void load());
    return () => {
      live = false;
      stop();
    };
  }, [me.id]);
  return state;
}

export { useSync } from '../../../offline/useSync';
