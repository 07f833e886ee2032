import { Workbox } from 'workbox-window';

/**
 * The console's version against the server's: `changed` when this page was built from another
 * contract than the server now answers by. Queued reports wait until the console reloads.
 */
export type VersionState = 'unknown' | 'same' | 'changed';

let state: VersionState = 'unknown';
let workbox: Workbox | null = null;
let waiting = false;
const listeners = new Set<() => void>();

function set(next: VersionState) {
  if (next === state) return;
  state = next;
  for (const listener of listeners) listener();
}

export function versionState(): VersionState {
  return state;
}

export function subscribeVersion(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Asks the server which contract it answers by; false when it differs or cannot be asked. */
export async function contractMatches(): Promise<boolean> {
  try {
    const response = await fetch('/console/version.json', { cache: 'no-store' });
    if (!response.ok) return false;
    const { contract } = (await response.json()) as { contract?: string };
    set(contract === __CONTRACT__ ? 'same' : 'changed');
    if (state === 'changed') void workbox?.update();
    return state === 'same';
  } catch {
    return false;
  }
}

/** Registers the service worker (production builds only) and checks the version on start. */
export function startWorker() {
  void contractMatches();
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  workbox = new Workbox('/console/sw.js', { scope: '/console/' });
  workbox.addEventListener('waiting', () => {
    waiting = true;
    set('changed');
  });
  void workbox.register();
}

/** Moves to the newest build: the waiting worker takes over, then the page reloads. */
export function reloadToNewest() {
  // With no worker waiting (the server changed before its new build reached this page), a plain
  // reload fetches it.
  if (workbox && waiting) {
    workbox.addEventListener('controlling', () => window.location.reload());
    workbox.messageSkipWaiting();
  } else {
    window.location.reload();
  }
}
