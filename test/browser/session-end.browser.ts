import t from 'tap';
import { open, PHONE, signIn, startConsole } from './harness.ts';

// A session that ends by itself while the console is open: access tokens so short-lived that
// every request refreshes first, and the refresh family revoked on the server meanwhile.

t.setTimeout(300_000);
const server = await startConsole(t, { ACCESS_TOKEN_TTL_SECONDS: '30' });

t.test('a refresh refused while the console is open signs it out', async (t) => {
  const { context, page, faults } = await open(server, PHONE);
  t.teardown(() => context.close());
  await signIn(page, 'staff.banjarnegara');
  // The home page's own requests each refresh first: let them finish, so that none is in flight
  // across the revocation and the click below is the one that meets the refusal.
  await page.getByRole('status').filter({ hasText: 'Memuat' }).first().waitFor({ state: 'detached' });
  await server.harness.rows(
    `UPDATE refresh_tokens SET revoked_at = now()
     WHERE user_id = (SELECT id FROM users WHERE username = 'staff.banjarnegara')`,
  );
  const refused = page.waitForResponse((r) => r.url().endsWith('/v1/auth/token') && r.status() === 400);
  await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Sidak' }).click();
  await refused;
  await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
  t.equal(await page.getByRole('button', { name: 'Keluar' }).count(), 0, 'no screen of the ended session is left');
  t.same(faults, []);
});
