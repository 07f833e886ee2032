import t from 'tap';
import { accessibilityProblems, open, PASSWORD, SIZES, startConsole } from './harness.ts';

// Every part of the console in English, chosen before signing in, at both sizes: the headings,
// the menu and the dates speak English, and the API's refusals come back in English too.

t.setTimeout(300_000);
const server = await startConsole(t);

const SCREENS = [
  { user: 'staff.banjarnegara', path: '/console/inspections', heading: 'Inspections' },
  { user: 'staff.banjarnegara', path: '/console/urine', heading: 'Urine tests' },
  { user: 'bnnk.purbalingga', path: '/console/rehab', heading: 'Social rehabilitation' },
  { user: 'kanwil.ntt', path: '/console/scorecard', heading: 'Bersinar scorecard' },
];

for (const { name, viewport } of SIZES) {
  t.test(`the console in English at ${name} size`, async (t) => {
    const { context, page, faults } = await open(server, viewport, { locale: 'en-GB' });
    t.teardown(() => context.close());
    await page.goto('/console/');
    await page.getByLabel('Bahasa / Language').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('Username').fill('staff.banjarnegara');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The API's own problem title, negotiated from the console's language.
    const alert = page.getByRole('alert');
    await alert.waitFor();
    t.match(await alert.textContent(), /^Invalid grantThe credentials or token were not accepted/, 'in English');

    for (const screen of SCREENS) {
      await context.clearCookies();
      await page.goto('/console/');
      await page.getByLabel('Username').fill(screen.user);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
      const menu = page.getByRole('navigation', { name: 'Main menu' });
      await menu
        .getByRole('link', { name: screen.heading === 'Bersinar scorecard' ? 'Scorecard' : screen.heading })
        .click();
      await page.getByRole('heading', { level: 1, name: screen.heading }).waitFor();
      t.equal(await page.evaluate(() => document.documentElement.lang), 'en', screen.path);
      t.same(await accessibilityProblems(page), [], screen.path);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    }
    t.same(faults, []);
  });
}
