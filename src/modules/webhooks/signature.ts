import { createHmac } from 'node:crypto';
import { secretKeyBytes } from './secrets.ts';

/**
 * The Standard Webhooks headers of one message: its id (the same on every retry), the time of
 * this try in seconds, and a v1 signature (HMAC-SHA256 of `id.timestamp.body`) under each secret
 * in force, space-separated, so that a receiver may hold either while a secret is rotated.
 */
export function signedHeaders(
  messageId: string,
  at: Date,
  body: string,
  secrets: readonly string[],
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signatures = secrets.map(
    (secret) =>
      `v1,${createHmac('sha256', secretKeyBytes(secret)).update(`${messageId}.${timestamp}.${body}`).digest('base64')}`,
  );
  return { 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
