import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Problem } from '../../http/problem.ts';

// A feed cursor is the position read up to, sealed (AES-256-GCM under SECRETS_KEY): a caller
// cannot read from it how many events it was not shown, nor forge one.

export function sealPosition(key: Buffer, position: number): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // Padded to one width: the cursor's length tells nothing of how far the log has come.
  const body = Buffer.concat([cipher.update(String(position).padStart(16, '0'), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The position a cursor was sealed with; a cursor not sealed here is a 400. */
export function openPosition(key: Buffer, cursor: string): number {
  try {
    const raw = Buffer.from(cursor, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    const position = Number(text);
    if (/^\d{16}$/.test(text) && Number.isSafeInteger(position)) return position;
  } catch {
    // fall through
  }
  throw new Problem(400, 'invalid_cursor');
}
