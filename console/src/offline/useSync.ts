import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { useSession } from '../auth/session';
import { isSyncing, requestSync, subscribeSyncing } from './sync';

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
