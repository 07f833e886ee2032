import t from 'tap';
import { accessibilityProblems, DESKTOP, open, PHONE, SIZES, signIn, startConsole } from './harness.ts';

t.setTimeout(300_000);
const server = await startConsole(t);

for (const { name, viewport } of SIZES) {
  t.test(`signs in and out at ${name} size, the token never stored`, async (t) => {
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signIn(page, 'staff.banjarnegara');
    t.equal(await page.title(), 'Beranda · Bersinar');
    t.equal(
      await page.evaluate(() => document.documentElement.scrollWidth),
      viewport.width,
      'nothing sticks out sideways',
    );
    t.same(await accessibilityProblems(page), []);

    // The refresh token is the httpOnly cookie on /v1/auth only; nothing readable holds a token.
    const cookies = await context.cookies();
    t.same(
      cookies.map((c) => [c.name, c.path, c.httpOnly, c.sameSite]),
      [['bersinar_refresh', '/v1/auth', true, 'Strict']],
    );
    const stored = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    t.notMatch(stored, /eyJ|refresh/);

    // A reload keeps the session through the cookie, without the password.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Beranda' }).waitFor();

    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
    t.same(
      (await context.cookies()).map((c) => c.name),
      [],
      'the cookie is cleared',
    );
    // Nothing of the user stays on the device: no profile, nothing kept for the visit.
    const kept = await page.evaluate(
      () =>
        new Promise<unknown>((resolve, reject) => {
          const request = indexedDB.open('bersinar-console');
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const db = request.result;
            const names = [...db.objectStoreNames];
            const tx = db.transaction(names, 'readonly');
            const counts: Record<string, number> = {};
            for (const name of names) {
              const count = tx.objectStore(name).count();
              count.onsuccess = () => {
                counts[name] = count.result;
              };
            }
            tx.oncomplete = () => resolve({ counts, session: sessionStorage.length });
          };
        }),
    );
    t.same(kept, { counts: { outbox: 0, profile: 0, reports: 0 }, session: 0 });
    t.same(faults, [], 'no policy refusal or script error');
  });
}

t.test("tabs of one browser share the session without spending each other's refresh token", async (t) => {
  const { context, page, faults } = await open(server, PHONE);
  t.teardown(() => context.close());
  await signIn(page, 'head.banjarnegara');
  const second = await context.newPage();
  const third = await context.newPage();
  // Both refresh from the same cookie at once; each refresh token works only once.
  await Promise.all([second.goto('/console/'), third.goto('/console/')]);
  for (const tab of [second, third]) await tab.getByRole('heading', { level: 1, name: 'Beranda' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Beranda' }).waitFor();
  t.same(faults, []);
});

t.test('signing out in one tab signs the others out', async (t) => {
  const { context, page, faults } = await open(server, DESKTOP);
  t.teardown(() => context.close());
  await signIn(page, 'head.kupang');
  const other = await context.newPage();
  await other.goto('/console/');
  await other.getByRole('heading', { level: 1, name: 'Beranda' }).waitFor();
  await page.getByRole('button', { name: 'Keluar' }).click();
  await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
  await other.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
  t.equal(await other.getByRole('button', { name: 'Keluar' }).count(), 0, 'nothing of the session is left');
  t.same(faults, []);
});

t.test('a session revoked on the server is over at the next visit', async (t) => {
  const { context, page, faults } = await open(server, PHONE);
  t.teardown(() => context.close());
  await signIn(page, 'staff.kupang');
  // Revoked on the server (an administrator, or a spent token presented again).
  await server.harness.rows(
    `UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE username = 'staff.kupang')`,
  );
  // The refresh is refused: the console signs out instead of failing every request.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
  t.same(faults, []);
});

t.test('a sign-out made offline is revoked when the network is back', async (t) => {
  const { context, page, faults } = await open(server, PHONE);
  t.teardown(() => context.close());
  await signIn(page, 'staff.kupang');
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Keluar' }).click();
  await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
  await context.setOffline(false);
  // The cookie the server could not revoke must not sign anyone back in.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
  await page.getByLabel('Nama pengguna').waitFor();
  const refreshed = await page.evaluate(async () => {
    const response = await fetch('/v1/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'fetch' },
      body: JSON.stringify({ grant_type: 'refresh_token' }),
    });
    return response.status;
  });
  t.equal(refreshed, 400, 'the cookie grants nothing any more');
  t.same(faults, []);
});

t.test('a wrong password shows the API refusal in place', async (t) => {
  const { context, page } = await open(server, PHONE);
  t.teardown(() => context.close());
  await page.goto('/console/');
  await page.getByLabel('Nama pengguna').fill('staff.banjarnegara');
  await page.getByLabel('Kata sandi').fill('wrong-password');
  await page.getByRole('button', { name: 'Masuk' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  t.match(await alert.textContent(), /^Grant tidak sahKredensial atau token tidak diterima/);
  t.same(await accessibilityProblems(page), []);
});

t.test('English is one switch away', async (t) => {
  const { context, page } = await open(server, DESKTOP);
  t.teardown(() => context.close());
  await page.goto('/console/');
  await page.getByLabel('Bahasa / Language').selectOption('en');
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  t.equal(await page.evaluate(() => document.documentElement.lang), 'en');
});
