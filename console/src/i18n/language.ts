export type Language = 'id' | 'en';

const KEY = 'bersinar.language';
const listeners = new Set<() => void>();

// The one thing kept in localStorage: a device setting, not a user's data; it survives sign-out.
let language: Language = readStored();

function readStored(): Language {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

export function currentLanguage(): Language {
  return language;
}

export function setLanguage(next: Language) {
  language = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // A private window may refuse storage: the choice then lasts the visit.
  }
  document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

export function subscribeLanguage(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
