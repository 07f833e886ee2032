import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type ConsoleServer, open, SIZES, signIn, startConsole } from './harness.ts';

// A PNG of each screen of the console at a phone's size and a desktop's, into console/screenshots/
// (not kept in git): `npm run console:screenshots`, with TEST_DATABASE_URL as for the tests.
// A new screen is one more line in SCREENS.

interface Screen {
  name: string;
  /** Who is signed in; null for the sign-in page itself. */
  user: string | null;
  /** The console path, or one made from the demo's ids. */
  path: string | ((server: ConsoleServer) => string | Promise<string>);
}

const SCREENS: Screen[] = [
  { name: 'sign-in', user: null, path: '/console/' },
  { name: 'home-staff', user: 'staff.banjarnegara', path: '/console/' },
  { name: 'home-head', user: 'head.banjarnegara', path: '/console/' },
  { name: 'home-bnnk', user: 'bnnk.purbalingga', path: '/console/' },
  { name: 'home-kanwil', user: 'kanwil.ntt', path: '/console/' },
  { name: 'home-pemkab', user: 'pemkab.purbalingga', path: '/console/' },
  { name: 'inspections', user: 'staff.banjarnegara', path: '/console/inspections' },
  { name: 'inspection-new', user: 'staff.banjarnegara', path: '/console/inspections/new' },
  {
    name: 'inspection-signed',
    user: 'head.banjarnegara',
    path: async (s) =>
      `/console/inspections/${await first(s, "SELECT id FROM inspections WHERE status = 'signed_off'")}`,
  },
  {
    name: 'inspection-print',
    user: 'head.banjarnegara',
    path: async (s) =>
      `/console/inspections/${await first(s, "SELECT id FROM inspections WHERE status = 'signed_off'")}/print`,
  },
  { name: 'urine', user: 'staff.banjarnegara', path: '/console/urine' },
  {
    name: 'urine-round',
    user: 'staff.banjarnegara',
    path: async (s) =>
      `/console/urine/${await first(s, 'SELECT id FROM urine_test_rounds WHERE facility_id = $1', [s.harness.world.facilities.banjarnegara])}`,
  },
  { name: 'rehab', user: 'bnnk.purbalingga', path: '/console/rehab' },
  {
    name: 'rehab-week',
    user: 'bnnk.purbalingga',
    path: async (s) => `/console/rehab/${await first(s, 'SELECT id FROM rehab_programmes')}`,
  },
  {
    name: 'rehab-session',
    user: 'bnnk.purbalingga',
    path: async (s) => {
      const [row] = await s.harness.rows<{ programme_id: string; id: string }>(
        "SELECT programme_id, id FROM rehab_sessions WHERE status = 'scheduled' ORDER BY starts_at LIMIT 1",
      );
      return `/console/rehab/${row?.programme_id}/sessions/${row?.id}`;
    },
  },
  {
    name: 'rehab-enrolments',
    user: 'bnnk.purbalingga',
    path: async (s) => `/console/rehab/${await first(s, 'SELECT id FROM rehab_programmes')}/enrolments`,
  },
  { name: 'scorecard-choose', user: 'kanwil.ntt', path: '/console/scorecard' },
  {
    name: 'scorecard',
    user: 'kanwil.ntt',
    path: (s) => `/console/scorecard/${s.harness.world.facilities.kupang}`,
  },
  { name: 'ranking', user: 'kanwil.ntt', path: '/console/scorecard/ranking' },
];

/** The first id a query of the demo world gives. */
async function first(server: ConsoleServer, query: string, params: unknown[] = []): Promise<string> {
  const [row] = await server.harness.rows<{ id: string }>(`${query} ORDER BY id LIMIT 1`, params);
  if (!row) throw new Error(`the demo has nothing for: ${query}`);
  return row.id;
}

const OUT = join(import.meta.dirname, '../../console/screenshots');

/** The screen at rest: its heading shown and nothing still loading. */
async function settled(page: Page) {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page
    .waitForFunction(() => !document.querySelector('[role="status"]'), null, { timeout: 15_000 })
    .catch(() => {
      // A screen that keeps a status line (an offline notice, say) is photographed as it is.
    });
}

const teardowns: (() => unknown)[] = [];
const tap = { teardown: (fn: () => unknown) => void teardowns.push(fn) };

try {
  const server = await startConsole(tap);
  mkdirSync(OUT, { recursive: true });
  const users = [...new Set(SCREENS.map((s) => s.user))];
  for (const { name: size, viewport } of SIZES) {
    for (const user of users) {
      const { context, page } = await open(server, viewport);
      try {
        if (user) await signIn(page, user);
        for (const screen of SCREENS.filter((s) => s.user === user)) {
          const path = typeof screen.path === 'function' ? await screen.path(server) : screen.path;
          await page.goto(path);
          await settled(page);
          const file = join(OUT, `${screen.name}-${size}.png`);
          await page.screenshot({ path: file, fullPage: true });
          console.log(file);
        }
      } finally {
        await context.close();
      }
    }
  }
} finally {
  for (const fn of teardowns.reverse()) await fn();
}
