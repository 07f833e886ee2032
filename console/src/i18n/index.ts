import { useSyncExternalStore } from 'react';
import { currentLanguage, type Language, subscribeLanguage } from './language';

export { currentLanguage, type Language, setLanguage } from './language';

/** Texts of one part of the console, Indonesian first; the English must have the same shape. */
export interface Texts<T> {
  id: T;
  en: NoInfer<T>;
}

export function texts<T>(both: Texts<T>): Texts<T> {
  return both;
}

export function useLanguage(): Language {
  return useSyncExternalStore(subscribeLanguage, currentLanguage);
}

/** The texts in the chosen language. */
export function useTexts<T>(both: Texts<T>): T {
  return both[useLanguage()];
}
