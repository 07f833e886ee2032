import Negotiator from 'negotiator';
import { type Locale, messages, type ProblemCode } from './messages.ts';

export interface FieldError {
  in: 'body' | 'querystring' | 'params' | 'headers';
  pointer: string;
  detail: string;
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

export const notFound = (entity: string) => new Problem(404, 'not_found', { entity });
export const forbidden = () => new Problem(403, 'forbidden');
/** A domain rule broken by otherwise well-formed input: 422 with a sentence in both languages. */
export const ruleViolated = (en: string, id: string, pointer?: string) =>
  new Problem(422, 'rule_violated', { en, id }, pointer ? { errors: [{ in: 'body', pointer, detail: en }] } : {});

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
  errors?: FieldError[];
}

export function problemBody(problem: Problem, locale: Locale, instance: string, requestId: string): ProblemBody {
  const message = messages[problem.code];
  return {
    type: `https://bersinar.local/problems/${problem.code.replaceAll('_', '-')}`,
    title: message.title,
    status: problem.status,
    detail: message[locale](problem.params),
    instance,
    code: problem.code,
    request_id: requestId,
    ...(problem.extra.errors ? { errors: problem.extra.errors } : {}),
  };
}
