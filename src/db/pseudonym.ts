import { randomBytes } from 'node:crypto';

// Crockford base32 without look-alikes: read aloud or typed without confusion.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random, never-reused code such as WBP-7K3MQ9XD: who it is cannot be derived from it. */
export function newPseudonym(prefix: 'WBP' | 'PTG'): string {
  const bytes = randomBytes(10);
  let code = '';
  for (let i = 0; i < 10; i++) code += ALPHABET[(bytes[i] as number) % 32];
  return `${prefix}-${code}`;
}
