import Negotiator from 'negotiator';
import {
  type Entity,
  inLocale,
  type Locale,
  type Localized,
  messages,
  type ProblemCode,
  type RuleName,
  ruleSentence,
} from './messages.ts';

/** A text shown to the client: a pair from the catalogue, a sentence worded per locale, or (legacy) English only. */
export type Text = string | Localized | ((locale: Locale) => string);
export const textIn = (text: Text, locale: Locale): string =>
  typeof text === 'function' ? text(locale) : inLocale(text, locale);

export interface FieldError {
  in: 'body' | 'querystring' | 'params' | 'headers';
  pointer: string;
  detail: Text;
}

/** An error the client caused (or may retry), answered as RFC 9457 problem+json. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly params: Record<string, unknown> = {},
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(`${code}: ${messages[code].en(params)}`);
  }
}

export const notFound = (entity: Entity) => new Problem(404, 'not_found', { entity });
export const forbidden = () => new Problem(403, 'forbidden');
/** A domain rule broken by otherwise well-formed input: 422 with a sentence in both languages. */
export const ruleViolated = (en: string, id: string, pointer?: string) =>
  new Problem(
    422,
    'rule_violated',
    { en, id },
    pointer ? { errors: [{ in: 'body', pointer, detail: { en, id } }] } : {},
  );

/** A named rule of the catalogue broken: 422 rule_violated, its sentence also at the field when one is named. */
export const violated = (rule: RuleName, params: Record<string, unknown> = {}, pointer?: string) =>
  new Problem(
    422,
    'rule_violated',
    { ...params, rule },
    pointer ? { errors: [{ in: 'body', pointer, detail: ruleSentence(rule, params) }] } : {},
  );

/** Throws a named rule at a field: for checks written as statements, which TypeScript then narrows past. */
export function refuse(pointer: string, rule: RuleName, params: Record<string, unknown> = {}): never {
  throw violated(rule, params, pointer);
}

/** Throws ruleViolated at a field: for checks written as statements, which TypeScript then narrows past. */
export function refuseAt(pointer: string, en: string, id: string): never {
  throw ruleViolated(en, id, pointer);
}

export function localeOf(headers: Record<string, string | string[] | undefined>): Locale {
  const lang = new Negotiator({ headers }).language(['en', 'id']);
  return lang === 'id' ? 'id' : 'en';
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  request_id: string;
  errors?: { in: FieldError['in']; pointer: string; detail: string }[];
}

export function problemBody(problem: Problem, locale: Locale, instance: string, requestId: string): ProblemBody {
  const message = messages[problem.code];
  return {
    type: `https://bersinar.local/problems/${problem.code.replaceAll('_', '-')}`,
    title: message.title[locale],
    status: problem.status,
    detail: message[locale](problem.params),
    instance,
    code: problem.code,
    request_id: requestId,
    ...(problem.extra.errors
      ? {
          errors: problem.extra.errors.map((e) => ({ in: e.in, pointer: e.pointer, detail: textIn(e.detail, locale) })),
        }
      : {}),
  };
}
