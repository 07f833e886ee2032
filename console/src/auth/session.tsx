import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { api, type Schemas } from '../api/client';
import { ApiError, must } from '../api/problem';
import { forgetSent } from '../offline/outbox';
import { forgetProfile, loadProfile, type Profile, saveProfile } from '../offline/profile';
import { stopSync } from '../offline/sync';
import {
  hasToken,
  refresh,
  revokeAndForget,
  revokeIfPending,
  signInWithPassword,
  subscribeToken,
  tokenSubject,
} from './token';

export type Me = Schemas['Me'];
export type Facility = Schemas['Facility'];

/**
 * signed-in: a live token. offline: the network is down at start, and this device holds the
 * profile of the last user, who may go on writing reports to send later. signed-out: neither.
 */
export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; profile: Profile }
  | { status: 'offline'; profile: Profile };

interface SessionApi {
  state: SessionState;
  signIn(username: string, password: string): Promise<void>;
  /** Clears what the console keeps, then revokes the cookie; unsent reports stay. */
  signOut(): Promise<void>;
  /** Tries again to reach the server from the offline state. */
  retry(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

// Tabs of one browser sign out together.
const tabs = typeof BroadcastChannel === 'function' ? new BroadcastChannel('bersinar-session') : null;

/**
 * Everything the console keeps of a user on this device, but for unsent reports: the cache of
 * answers, the profile, reports the server holds whole, and what screens kept for the visit.
 */
async function forgetUser(queryClient: ReturnType<typeof useQueryClient>, userId: string | null) {
  stopSync();
  await queryClient.cancelQueries();
  queryClient.clear();
  await forgetProfile();
  if (userId) await forgetSent(userId);
  try {
    sessionStorage.clear();
  } catch {
    // Storage refused: nothing was kept there.
  }
}

async function fetchProfile(username: string): Promise<Profile> {
  const me = must(await api.GET('/v1/me'));
  const facilities: Facility[] = [];
  let cursor: string | undefined;
  do {
    const page = must(await api.GET('/v1/facilities', { params: { query: { limit: 200, cursor } } }));
    facilities.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return { username, me, facilities: facilities.map(({ id, name, timezone, type }) => ({ id, name, timezone, type })) };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  // While this tab signs out itself, the token it drops is not a session ending elsewhere.
  const signingOut = useRef(false);
  const queryClient = useQueryClient();

  // A reload keeps the cookie: the session comes back without a password.
  const resume = useCallback(async () => {
    // Signed out while offline: that sign-out stands, whatever the cookie still holds.
    if (await revokeIfPending()) {
      setState({ status: 'signed-out' });
      return;
    }
    const stored = await loadProfile();
    const outcome = await refresh();
    if (outcome === 'ok') {
      try {
        const profile = await fetchProfile(stored?.username ?? '');
        await saveProfile(profile);
        setState({ status: 'signed-in', profile });
        return;
      } catch (err) {
        if (!(err instanceof ApiError && err.offline)) throw err;
      }
    }
    if (outcome !== 'refused' && stored) {
      setState({ status: 'offline', profile: stored });
      return;
    }
    // A refused refresh (expired, revoked, the account closed) ends the offline way in too.
    if (outcome === 'refused') await forgetUser(queryClient, stored?.me.id ?? null);
    setState({ status: 'signed-out' });
  }, [queryClient]);

  useEffect(() => {
    resume().catch(() => setState({ status: 'signed-out' }));
  }, [resume]);

  const signedInAs = state.status === 'signed-in' ? state.profile.me.id : null;

  // A session that ends by itself (a refused refresh), or a sign-out in another tab, signs out here.
  useEffect(() => {
    if (!signedInAs) return;
    const end = () => {
      void forgetUser(queryClient, signedInAs).then(() => setState({ status: 'signed-out' }));
    };
    const stopWatching = subscribeToken(() => {
      if (!signingOut.current && (!hasToken() || tokenSubject() !== signedInAs)) end();
    });
    const onMessage = (event: MessageEvent) => {
      if (event.data === 'signed-out') end();
    };
    tabs?.addEventListener('message', onMessage);
    return () => {
      stopWatching();
      tabs?.removeEventListener('message', onMessage);
    };
  }, [signedInAs, queryClient]);

  const value = useMemo<SessionApi>(
    () => ({
      state,
      async signIn(username, password) {
        await revokeIfPending();
        await signInWithPassword(username, password);
        const profile = await fetchProfile(username);
        await saveProfile(profile);
        setState({ status: 'signed-in', profile });
      },
      async signOut() {
        const userId = state.status === 'signed-in' || state.status === 'offline' ? state.profile.me.id : null;
        // The token goes first, so that no request in flight can put data back in the cache; the
        // sign-in page shows once the server has revoked the cookie (or marked it for later).
        signingOut.current = true;
        try {
          await revokeAndForget();
          await forgetUser(queryClient, userId);
          tabs?.postMessage('signed-out');
          setState({ status: 'signed-out' });
        } finally {
          signingOut.current = false;
        }
      },
      retry: resume,
    }),
    [state, queryClient, resume],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in (or offline) user's profile; only under a screen that needs one. */
export function useProfile(): Profile {
  const { state } = useSession();
  if (state.status !== 'signed-in' && state.status !== 'offline') throw new Error('no profile');
  return state.profile;
}
