import type { Test } from 'tap';

type Tap = Pick<Test, 'match' | 'same'>;

/**
 * `t.match`, with every list in the pattern taken as the whole list. `t.match` alone reads a list
 * as a prefix: `[]` passes any list and `[a]` passes `[a, b]`.
 */
export function matchExactly(t: Tap, found: unknown, pattern: unknown, message?: string): void {
  t.same(lengths(found, pattern), lengths(pattern, pattern), `${message ?? 'match'}: whole lists`);
  t.match(found, pattern, ...(message === undefined ? [] : [message]));
}

// The length of each list the pattern holds, by its path in the pattern.
function lengths(value: unknown, pattern: unknown, path = '', out: Record<string, unknown> = {}) {
  const at = (key: string | number) =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  if (Array.isArray(pattern)) {
    out[path || '/'] = Array.isArray(value) ? value.length : typeof value;
    pattern.forEach((p, i) => {
      lengths(at(i), p, `${path}/${i}`, out);
    });
  } else if (pattern !== null && typeof pattern === 'object' && !(pattern instanceof RegExp)) {
    for (const [key, p] of Object.entries(pattern)) lengths(at(key), p, `${path}/${key}`, out);
  }
  return out;
}
