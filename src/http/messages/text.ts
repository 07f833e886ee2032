// The shapes every part of the catalogue is written in: a pair of texts, a sentence worded from its
// parameters, and the small English and Indonesian helpers the sentences share.

export type Locale = 'en' | 'id';
export type Params = Record<string, unknown>;
/** A sentence in both languages, chosen when the answer is written. */
export interface Localized {
  en: string;
  id: string;
}
/** A sentence in both languages, worded from its parameters when the answer is written. */
export interface Sentence {
  en: (p: Params) => string;
  id: (p: Params) => string;
}

export const sentence = (en: Sentence['en'], id: Sentence['id']): Sentence => ({ en, id });
/** A sentence that names no parameter. */
export const fixed = (en: string, id: string): Sentence => ({ en: () => en, id: () => id });
/** A sentence's words for these parameters, in both languages. */
export const filledIn = (s: Sentence, p: Params = {}): Localized => ({ en: s.en(p), id: s.id(p) });

const isLocalized = (v: unknown): v is Localized =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Localized).en === 'string' &&
  typeof (v as Localized).id === 'string';

/** A parameter in the caller's language: a Localized pair is picked from, anything else is shown as given. */
export const inLocale = (v: unknown, locale: Locale): string => (isLocalized(v) ? v[locale] : String(v));

export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * An English word with its article: "an" before a vowel sound ("an inmate", "an officer"), "a" before
 * a consonant, and before the "you" sound of a u (a unit, a urine test, a user).
 */
export const withArticle = (word: unknown) => {
  const w = String(word);
  return `${/^(?:[aeio]|u(?![nrst][aeiou]))/i.test(w) ? 'an' : 'a'} ${w}`;
};

// Sentences several rules share, whichever part of the catalogue they are in.
/** A field that should name an organisation names none. */
export const namesNoOrganisation = (field: string) =>
  fixed(`${field} names no organisation.`, `${field} tidak merujuk organisasi mana pun.`);
/** A date that may not lie ahead does. */
export const stillToCome = (field: string) => fixed(`${field} is still to come.`, `${field} belum tiba.`);
/** A span whose end is before its start. */
export const endsBeforeStart = fixed('ends_on is before starts_on.', 'ends_on sebelum starts_on.');
