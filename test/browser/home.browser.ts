import type { Page } from 'playwright-core';
import t from 'tap';
import { accessibilityProblems, open, SIZES, signIn, startConsole } from './harness.ts';

t.setTimeout(600_000);
const server = await startConsole(t);
const { harness } = server;

const today = (timeZone: string, shift = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + shift * 86_400_000),
  );

// A rakor of Purbalingga with an item its government owns, due three days ago and not done.
const pemkab = harness.world.organisations['pemkab.purbalingga'] as string;
const pemkabToken = await harness.login('pemkab.purbalingga');
const meeting = await harness.call('POST', '/v1/coordination-meetings', {
  token: pemkabToken,
  body: {
    organiser_id: pemkab,
    title: 'Rakor P4GN Kabupaten Purbalingga',
    held_on: today('Asia/Jakarta', -10),
    province_code: '33',
    regency: 'Purbalingga',
    venue: 'Pendopo Purbalingga',
    agenda: 'Rencana aksi P4GN',
  },
});
if (meeting.statusCode !== 201) throw new Error(`meeting: ${meeting.statusCode} ${meeting.body}`);
const item = await harness.call('POST', `/v1/coordination-meetings/${meeting.json().id}/action-items`, {
  token: pemkabToken,
  body: { owner_id: pemkab, description: 'Sosialisasi P4GN di sekolah', due_on: today('Asia/Jakarta', -3) },
});
if (item.statusCode !== 201) throw new Error(`item: ${item.statusCode} ${item.body}`);

interface Section {
  name: string;
  /** What each item's text holds, in the order the API gives them. */
  expected: (token: string, me: Me) => Promise<string[]>;
}
interface Me {
  organisation_id: string | null;
  facility_id: string | null;
}

async function all<Row>(token: string, url: string): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const answer = await harness.call('GET', `${url}${sep}limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token });
    if (answer.statusCode !== 200) throw new Error(`${url}: ${answer.statusCode} ${answer.body}`);
    const page = answer.json() as { data: Row[]; next_cursor?: string | null };
    rows.push(...page.data);
    cursor = page.next_cursor ?? null;
  } while (cursor);
  return rows;
}

const TRIGGERS: Record<string, string> = {
  confirmed_positive: 'positif terkonfirmasi',
  unconfirmed_presumptive: 'positif awal tidak dikonfirmasi',
  refused: 'menolak tes',
  adulterated: 'spesimen dicampur atau diganti',
};

const SECTIONS = {
  overdueActions: {
    name: 'Tindakan perbaikan terlambat',
    expected: async (token) =>
      (await all<{ description: string }>(token, '/v1/corrective-actions?overdue=true')).map((a) => a.description),
  },
  awaitingSignOff: {
    name: 'Sidak menunggu pengesahan',
    expected: async (token) =>
      (await all<{ summary: string }>(token, '/v1/inspections?status=submitted')).map((i) => `Sidak: ${i.summary}`),
  },
  todaySessions: {
    name: 'Sesi rehabilitasi hari ini',
    expected: async (token, me) => {
      const facilities = await all<{ id: string; timezone: string }>(token, '/v1/facilities');
      const rows: { starts_at: string; room: string }[] = [];
      for (const f of facilities.filter((f) => !me.facility_id || f.id === me.facility_id)) {
        const day = today(f.timezone);
        const answer = await harness.call(
          'GET',
          `/v1/rehab-sessions?facility_id=${f.id}&from=${day}&to=${day}&status=scheduled&limit=200`,
          { token },
        );
        if (answer.statusCode === 200) rows.push(...(answer.json().data as typeof rows));
      }
      return rows.sort((a, b) => a.starts_at.localeCompare(b.starts_at)).map((s) => `Ruang ${s.room}`);
    },
  },
  followUps: {
    name: 'Kasus tindak lanjut menunggu asesmen',
    expected: async (token) =>
      (await all<{ assessment_due: string; trigger: string }>(token, '/v1/follow-up-cases?status=awaiting_assessment'))
        .sort((a, b) => a.assessment_due.localeCompare(b.assessment_due))
        .map((c) => TRIGGERS[c.trigger] ?? c.trigger),
  },
  expiringMous: {
    name: 'MoU berakhir dalam 60 hari',
    expected: async (token) =>
      (await all<{ number: string; title: string }>(token, '/v1/mous?expiring_within_days=60')).map(
        (m) => `${m.number} · ${m.title}`,
      ),
  },
  overdueRakor: {
    name: 'Tindak lanjut rakor terlambat',
    expected: async (token, me) =>
      (await all<{ description: string }>(token, `/v1/action-items?owner_id=${me.organisation_id}&overdue=true`)).map(
        (a) => a.description,
      ),
  },
} satisfies Record<string, Section>;

const ROLES: { user: string; sections: Section[]; follow: (page: Page, t: Tap) => Promise<void> }[] = [
  {
    user: 'staff.banjarnegara',
    sections: [SECTIONS.overdueActions, SECTIONS.todaySessions, SECTIONS.followUps],
    async follow(page, t) {
      // The demo's overdue CCTV action opens its inspection.
      const [action] = await harness.rows<{ inspection_id: string }>(
        "SELECT inspection_id FROM corrective_actions WHERE description = 'Pasang kamera CCTV di blok A'",
      );
      await page.getByRole('link', { name: 'Pasang kamera CCTV di blok A' }).click();
      await page.getByRole('heading', { level: 1, name: /^Laporan / }).waitFor();
      t.equal(
        new URL(page.url()).pathname,
        `/console/inspections/${action?.inspection_id}`,
        'the action leads to its inspection',
      );
    },
  },
  {
    user: 'head.banjarnegara',
    sections: [SECTIONS.overdueActions, SECTIONS.awaitingSignOff, SECTIONS.todaySessions, SECTIONS.followUps],
    async follow(page, t) {
      const [action] = await harness.rows<{ inspection_id: string }>(
        "SELECT inspection_id FROM corrective_actions WHERE description = 'Pasang kamera CCTV di blok A'",
      );
      await page.getByRole('link', { name: 'Pasang kamera CCTV di blok A' }).click();
      await page.getByRole('heading', { level: 1, name: /^Laporan / }).waitFor();
      t.equal(
        new URL(page.url()).pathname,
        `/console/inspections/${action?.inspection_id}`,
        'the action leads to its inspection',
      );
    },
  },
  {
    user: 'bnnk.purbalingga',
    sections: [SECTIONS.todaySessions, SECTIONS.followUps, SECTIONS.expiringMous, SECTIONS.overdueRakor],
    async follow(page, t) {
      await page.getByRole('link', { name: 'Buka peringkat' }).click();
      await page.getByRole('heading', { level: 1, name: 'Peringkat' }).waitFor();
      t.equal(new URL(page.url()).pathname, '/console/scorecard/ranking', 'the ranking is one link away');
    },
  },
  {
    user: 'kanwil.ntt',
    sections: [SECTIONS.overdueActions, SECTIONS.expiringMous, SECTIONS.overdueRakor],
    async follow(page, t) {
      await page.getByRole('link', { name: 'Buka peringkat' }).click();
      await page.getByRole('heading', { level: 1, name: 'Peringkat' }).waitFor();
      t.equal(new URL(page.url()).pathname, '/console/scorecard/ranking', 'the ranking is one link away');
    },
  },
  {
    user: 'pemkab.purbalingga',
    sections: [SECTIONS.overdueRakor],
    async follow(page, t) {
      // Rakor items have no screen of their own yet: shown as text, never as a dead link.
      t.equal(await page.getByRole('main').getByRole('link').count(), 0, 'no link to a missing screen');
    },
  },
];
type Tap = import('tap').Test;

const ALL_NAMES = Object.values(SECTIONS).map((s) => s.name);

for (const { name, viewport } of SIZES) {
  for (const role of ROLES) {
    t.test(`${role.user}'s home lists the work the API gives at ${name} size`, async (t) => {
      const token = await harness.login(role.user);
      const me = (await harness.call('GET', '/v1/me', { token })).json() as Me;
      const { context, page, faults } = await open(server, viewport);
      t.teardown(() => context.close());
      await signIn(page, role.user);

      // Only this role's sections, each with exactly the API's items.
      const shown: string[] = [];
      for (const section of ALL_NAMES) {
        const heading = page.getByRole('heading', { level: 2, name: new RegExp(`^${section}`) });
        if (await heading.count()) shown.push(section);
      }
      t.same(
        shown,
        role.sections.map((s) => s.name),
        'the sections of the role',
      );
      for (const section of role.sections) {
        const expected = await section.expected(token, me);
        const heading = page.getByRole('heading', { level: 2, name: `${section.name} (${expected.length})` });
        await heading.waitFor();
        const items = page.getByRole('list', { name: new RegExp(`^${section.name}`) }).getByRole('listitem');
        t.equal(await items.count(), expected.length, `${section.name}: as many items as the API gives`);
        for (const [n, text] of expected.entries()) {
          t.match(await items.nth(n).textContent(), text, `${section.name}: ${text}`);
        }
        if (expected.length === 0) {
          t.ok(await heading.locator('xpath=..').getByText('Tidak ada.').isVisible(), `${section.name}: nothing`);
        }
      }
      t.same(await accessibilityProblems(page), [], 'the home page');
      const sticksOut = await page.evaluate(
        () =>
          [...document.querySelectorAll('main *')].filter(
            (e) => e.getBoundingClientRect().right > window.innerWidth + 0.5,
          ).length,
      );
      t.equal(sticksOut, 0, 'nothing sticks out sideways');
      await role.follow(page, t);
      t.same(faults, [], 'no policy refusal or script error');
    });
  }
}

t.test('the demo has the work the home page is for', async (t) => {
  const staff = await harness.login('staff.banjarnegara');
  const overdue = (await harness.call('GET', '/v1/corrective-actions?overdue=true', { token: staff })).json();
  t.ok(
    overdue.data.some((a: { description: string }) => a.description === 'Pasang kamera CCTV di blok A'),
    'the CCTV action is overdue',
  );
  const rakor = (
    await harness.call('GET', `/v1/action-items?owner_id=${pemkab}&overdue=true`, { token: pemkabToken })
  ).json();
  t.same(
    rakor.data.map((a: { description: string }) => a.description),
    ['Sosialisasi P4GN di sekolah'],
    "the government's overdue rakor item",
  );
});
