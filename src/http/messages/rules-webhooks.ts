// The rules of webhook subscriptions: where an outside system may be sent its events.
import { fixed, type Sentence } from './text.ts';

export const webhookRules = {
  webhook_url_scheme: fixed(
    'The URL must be https (a readable absolute URL).',
    'URL harus https (URL absolut yang sah).',
  ),
  webhook_url_credentials: fixed(
    'The URL must not carry a user name or password: authenticate deliveries by their signature.',
    'URL tidak boleh memuat nama pengguna atau kata sandi: autentikasi kiriman dengan tanda tangannya.',
  ),
  webhook_url_unresolvable: fixed(
    'The URL names a host that cannot be resolved.',
    'URL menyebut host yang tidak dapat di-resolve.',
  ),
  webhook_url_private_address: fixed(
    'The URL leads to a private, loopback or otherwise reserved address, which webhooks may not reach.',
    'URL mengarah ke alamat privat, loopback atau alamat khusus lain, yang tidak boleh dituju webhook.',
  ),
} satisfies Record<string, Sentence>;
