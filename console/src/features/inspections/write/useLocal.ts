import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useProfile, useSession } from '../../../auth/session';
import { itemsOf, type LocalReport, type OutboxItem, reportsOf, subscribeOutbox } from '../../../offline/outbox';
import { isSyncing, requestSync, subscribeSyncing } from '../../../offline/sync';

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

/**
 * Runs the queue: on arrival, when the connection comes back, and on demand after a write. Offline
 * at start, the session holds no token: coming back online first tries the session again.
 */
export function useSync(): { sync: () => void; syncing: boolean; canSend: boolean } {
  const { state, retry } = useSession();
  const signedIn = state.status === 'signed-in';
  const userId = state.status === 'signed-in' || state.status === 'offline' ? state.profile.me.id : null;
  const syncing = useSyncExternalStore(subscribeSyncing, isSyncing);
  const online = useSyncExternalStore(
    (listener) => {
      window.addEventListener('online', listener);
      window.addEventListener('offline', listener);
      return () => {
        window.removeEventListener('online', listener);
        window.removeEventListener('offline', listener);
      };
    },
    () => navigator.onLine,
  );

  const sync = useCallback(() => {
    if (signedIn && userId && navigator.onLine) void requestSync(userId);
  }, [signedIn, userId]);

  useEffect(() => {
    if (online && state.status === 'offline') void retry();
  }, [online, state.status, retry]);

  useEffect(() => {
    if (online) sync();
  }, [online, sync]);

  return { sync, syncing, canSend: signedIn && online };
}
