import type { Page } from 'playwright-core';
import t from 'tap';
import { deriveOutcome as consoleOutcome } from '../../console/src/features/urine/outcome.ts';
import { DEFAULT_CUTOFFS, DRUG_CLASSES } from '../../src/modules/urine/cutoffs.ts';
import { deriveOutcome as apiOutcome } from '../../src/modules/urine/outcome.ts';
import { accessibilityProblems, open, SIZES, signIn, startConsole } from './harness.ts';

t.setTimeout(600_000);
const server = await startConsole(t);
const { harness } = server;

const [banjarnegara] = await harness.rows<{ id: string; timezone: string }>(
  `SELECT id, timezone FROM facilities WHERE name LIKE '%Banjarnegara%'`,
);
const facilityId = banjarnegara?.id as string;
const zone = banjarnegara?.timezone as string;
const [demoRound] = await harness.rows<{ id: string; tested_on: string }>(
  `SELECT id, tested_on::text FROM urine_test_rounds WHERE facility_id = $1`,
  [facilityId],
);
const demoRoundId = demoRound?.id as string;
/** A date as the console writes it in Indonesian: "3 Desember 2026". */
function formatDate(date: string, _lang: 'id'): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('id-ID', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)),
  );
}

/** Today's date in a zone. */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}

const PANEL = ['AMP', 'MET', 'MDMA', 'THC', 'COC', 'MOP'];

/** A round of today at Banjarnegara with a draw of `size` inmates, arranged through the API. */
async function arrangeRound(size: number, reserve = 0) {
  const token = await harness.login('staff.banjarnegara');
  const today = todayIn(zone);
  const round = await harness.call('POST', `/v1/facilities/${facilityId}/urine-test-rounds`, {
    token,
    body: {
      tested_on: today,
      reason: 'random',
      subjects: 'inmates',
      kit: { brand: 'Rapid 6 Panel', lot: 'L-TEST', expiry: '2030-01-01', panel: PANEL },
    },
  });
  const id = round.json().id as string;
  const draw = await harness.call('POST', `/v1/urine-test-rounds/${id}/draw`, {
    token,
    body: { subject_type: 'inmate', size, reserve_size: reserve },
  });
  if (draw.statusCode !== 201) throw new Error(draw.body);
  return { id, today, people: await drawnPeople(id) };
}

/** The main list of a round's draw in order, named as the console names them (a shared name with its number). */
function drawnPeople(roundId: string) {
  return harness.rows<{ id: string; name: string }>(
    `SELECT i.id,
            CASE WHEN (SELECT count(*) FROM inmates j WHERE j.facility_id = i.facility_id AND j.name = i.name) > 1
                 THEN i.name || ' · ' || i.registration_number ELSE i.name END AS name
       FROM urine_draw_entries e JOIN inmates i ON i.id = e.subject_id
      WHERE e.round_id = $1 AND e.list = 'main' ORDER BY e.position`,
    [roundId],
  );
}

/** The outcome cell of the grid row of a person. */
const outcomeOf = (page: Page, name: string) =>
  page
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
    .locator('[data-outcome]');
const statusOf = (page: Page, name: string) =>
  page
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
    .locator('td')
    .last();

for (const { name: size, viewport } of SIZES) {
  t.test(`creates a round, draws, and records results from the keyboard at ${size} size`, async (t) => {
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signIn(page, 'staff.banjarnegara');
    await page.goto('/console/urine');
    await page.getByRole('heading', { level: 1, name: 'Tes urine' }).waitFor();
    t.same(await accessibilityProblems(page), [], 'the list');

    await page.getByRole('link', { name: 'Putaran baru' }).click();
    await page.getByRole('heading', { level: 1, name: 'Putaran baru' }).waitFor();
    const today = todayIn(zone);
    t.equal(await page.getByLabel('Tanggal tes').inputValue(), today, "today in the facility's calendar");
    await page.getByLabel('Merek kit').fill('Rapid 6 Panel');
    await page.getByLabel('Nomor lot kit').fill(`L-${size}`);
    await page.getByLabel('Kedaluwarsa kit').fill('2030-06-30');
    t.same(await accessibilityProblems(page), [], 'the new round form');
    await page.getByRole('button', { name: 'Buat putaran' }).click();
    const title = `Tes urine ${formatDate(today, 'id')}`;
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    const [round] = await harness.rows<{ id: string; kit: { lot: string; panel: string[] } }>(
      `SELECT id, kit FROM urine_test_rounds WHERE kit->>'lot' = $1`,
      [`L-${size}`],
    );
    t.same(round?.kit.panel, PANEL, 'the default panel');
    t.match(page.url(), `/console/urine/${round?.id}`);

    await page.getByLabel('Jumlah yang diundi').fill('3');
    await page.getByLabel('Jumlah cadangan (kosong: seperlima)').fill('1');
    await page.getByRole('button', { name: 'Jalankan undian' }).click();
    await page.getByRole('heading', { level: 3, name: 'Daftar utama' }).waitFor();
    const people = await drawnPeople(round?.id as string);
    t.equal(people.length, 3);
    const [first, second, third] = people.map((p) => p.name) as [string, string, string];
    t.same(await accessibilityProblems(page), [], 'the round with its draw');
    // The screen's own content stays within the phone's width; only the grid scrolls, in its region.
    t.same(
      await page.evaluate(() =>
        [...document.querySelectorAll('main *')]
          .filter(
            (e) =>
              e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.parentElement?.closest('.table-wrap'),
          )
          .map((e) => e.tagName),
      ),
      [],
      'no sideways page scroll: the grid scrolls in its own region',
    );

    // Keyboard only from the first class cell: a negative, a THC positive, a refusal.
    await page.getByLabel(`AMP, ${first}`, { exact: true }).focus();
    t.equal(await outcomeOf(page, first).textContent(), 'Negatif');
    await page.keyboard.press('Enter');
    await statusOf(page, first).getByText('Tersimpan').waitFor();
    t.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `AMP, ${second}`);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('p');
    t.equal(await page.getByLabel(`THC, ${second}`, { exact: true }).inputValue(), 'positive');
    t.equal(await outcomeOf(page, second).textContent(), 'Positif dugaan', 'derived as it is typed');
    await page.keyboard.press('Enter');
    t.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `THC, ${third}`);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    t.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Menolak, ${third}`);
    await page.keyboard.press('Space');
    t.equal(await outcomeOf(page, third).textContent(), 'Menolak');
    await page.keyboard.press('Enter');
    await statusOf(page, second).getByText('Tersimpan').waitFor();
    await statusOf(page, third).getByText('Tersimpan').waitFor();

    const day = today.replaceAll('-', '');
    const stored = await harness.rows(
      `SELECT subject_id, specimen_id, refused, outcome::text, confirmation::text,
              (SELECT array_agg(c->>'result' ORDER BY ord) FROM jsonb_array_elements(classes) WITH ORDINALITY x(c, ord)) AS results
         FROM urine_tests WHERE round_id = $1 ORDER BY specimen_id`,
      [round?.id],
    );
    t.same(stored, [
      {
        subject_id: people[2]?.id,
        specimen_id: `REFUSED-${people[2]?.id}`,
        refused: true,
        outcome: 'refused',
        confirmation: null,
        results: null,
      },
      {
        subject_id: people[0]?.id,
        specimen_id: `U${day}-01`,
        refused: false,
        outcome: 'negative',
        confirmation: null,
        results: PANEL.map(() => 'negative'),
      },
      {
        subject_id: people[1]?.id,
        specimen_id: `U${day}-02`,
        refused: false,
        outcome: 'presumptive_positive',
        confirmation: 'pending',
        results: ['negative', 'negative', 'negative', 'positive', 'negative', 'negative'],
      },
    ]);
    // What the grid showed before saving is what the API derived and stored. The lab's mark comes
    // with the stored row, which the grid reads again after "Tersimpan": wait for it, not a time.
    await outcomeOf(page, second).getByText('Menunggu lab').waitFor();
    t.equal(await outcomeOf(page, second).innerText(), 'Positif dugaan Menunggu lab');
    t.equal(await outcomeOf(page, third).innerText(), 'Menolak');

    // The refusal opened its case at once; the presumptive positive waits for the lab.
    const cases = await harness.rows<{ subject_id: string; assessment_due: string }>(
      `SELECT c.subject_id, c.assessment_due::text FROM follow_up_cases c JOIN urine_tests u ON u.id = c.test_id
        WHERE u.round_id = $1`,
      [round?.id],
    );
    t.same(
      cases.map((c) => c.subject_id),
      [people[2]?.id],
    );
    const list = page.getByRole('list', { name: 'Kasus tindak lanjut' });
    await list.getByText(third).waitFor();
    t.equal(
      (await list.getByRole('listitem').allInnerTexts()).join('\n').replace(/\s+/g, ' '),
      `${third} Menunggu asesmen Pemicu: Menolak Dibuka: ${formatDate(today, 'id')} · Batas asesmen: ${formatDate(cases[0]?.assessment_due as string, 'id')}`,
    );
    t.same(await accessibilityProblems(page), [], 'the saved grid and its case');
    t.same(faults, []);
  });

  t.test(`shows the demo round's results and its two cases at ${size} size`, async (t) => {
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signIn(page, size === 'phone' ? 'staff.banjarnegara' : 'bnnk.purbalingga');
    await page.goto('/console/urine');
    const title = `Tes urine ${formatDate(demoRound?.tested_on as string, 'id')}`;
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    const grid = page.getByRole('table');
    await grid.getByText('Positif terkonfirmasi').waitFor();
    const outcomes = await grid.locator('[data-outcome]').allInnerTexts();
    t.same([...outcomes].sort(), [
      'Menolak',
      ...Array(7).fill('Negatif'),
      'Positif dugaan Menunggu lab',
      'Positif dugaan Positif terkonfirmasi',
    ]);
    const stored = await harness.rows<{ outcome: string; confirmation: string | null }>(
      `SELECT outcome::text, confirmation::text FROM urine_tests WHERE round_id = $1 ORDER BY specimen_id`,
      [demoRoundId],
    );
    t.equal(stored.length, 10);
    // Collection times in the facility's zone, named.
    t.match(await grid.locator('tbody tr').first().innerText(), /09\.10 WIB/);

    const list = page.getByRole('list', { name: 'Kasus tindak lanjut' });
    const items = list.getByRole('listitem');
    await items.first().waitFor();
    t.equal(await items.count(), 2);
    const cases = await harness.rows<{ trigger: string; assessment_due: string }>(
      `SELECT c.trigger::text, c.assessment_due::text FROM follow_up_cases c JOIN urine_tests u ON u.id = c.test_id
        WHERE u.round_id = $1 ORDER BY c.trigger`,
      [demoRoundId],
    );
    t.same(
      cases.map((c) => c.trigger),
      ['confirmed_positive', 'refused'],
    );
    const text = (await items.allInnerTexts()).join('\n');
    t.match(text, 'Pemicu: Positif terkonfirmasi');
    t.match(text, 'Pemicu: Menolak');
    for (const c of cases) t.match(text, `Batas asesmen: ${formatDate(c.assessment_due, 'id')}`);
    t.same(await accessibilityProblems(page), []);
    t.same(faults, []);
  });

  t.test(`an API refusal shows in its row and nothing is stored at ${size} size`, async (t) => {
    const { id, people, today } = await arrangeRound(2);
    const [first, second] = people.map((p) => p.name) as [string, string];
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signIn(page, 'staff.banjarnegara');
    await page.goto(`/console/urine/${id}`);
    await page.getByLabel(`AMP, ${first}`, { exact: true }).focus();
    await page.keyboard.press('Enter');
    await statusOf(page, first).getByText('Tersimpan').waitFor();
    // The second specimen given the first one's label: the API refuses it.
    const day = today.replaceAll('-', '');
    await page.getByLabel(`Spesimen, ${second}`, { exact: true }).focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(`U${day}-01`);
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    t.equal(await statusOf(page, second).locator('span').textContent(), 'Ditolak');
    t.match(await page.getByText(`Baris 2 (${second}) ditolak:`).count(), 1);
    t.match(await alert.innerText(), /spesimen|specimen/i);
    t.equal(await harness.count('urine_tests', `round_id = '${id}'`), 1, 'only the first is stored');
    t.equal(await harness.count('urine_tests', `subject_id = '${people[1]?.id}' AND round_id = '${id}'`), 0);
    t.same(await accessibilityProblems(page), []);
    t.same(faults, []);
  });

  t.test(`a lab result confirms a presumptive positive and opens its case at ${size} size`, async (t) => {
    const { id, people } = await arrangeRound(1);
    const person = people[0] as { id: string; name: string };
    const recorded = await harness.call('POST', `/v1/urine-test-rounds/${id}/results`, {
      token: await harness.login('staff.banjarnegara'),
      headers: { 'idempotency-key': `confirm-${size}` },
      body: {
        subject_type: 'inmate',
        subject_id: person.id,
        specimen_id: `LAB-${size}`,
        collected_at: new Date().toISOString(),
        results: PANEL.map((c) => ({ class: c, result: c === 'MET' ? 'positive' : 'negative' })),
      },
    });
    t.equal(recorded.statusCode, 201, recorded.body);
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signIn(page, 'staff.banjarnegara');
    await page.goto(`/console/urine/${id}`);
    await page.getByText(`${person.name} · LAB-${size} · MET`).click();
    const form = page.getByRole('form', { name: `Konfirmasi laboratorium ${person.name}`, exact: true });
    t.equal(await form.getByLabel('Kelas').inputValue(), 'MET');
    t.equal(await form.getByLabel('Metode').inputValue(), 'GC-MS');
    await form.getByLabel('Laboratorium').fill('Laboratorium Uji Narkoba BNN');
    await form.getByLabel('Kadar (ng/mL)').fill('640');
    t.same(await accessibilityProblems(page), [], 'the lab form');
    await form.getByRole('button', { name: 'Simpan hasil lab' }).click();
    await outcomeOf(page, person.name).getByText('Positif terkonfirmasi').waitFor();
    const stored = await harness.rows(
      `SELECT u.confirmation::text, c.trigger::text FROM urine_tests u LEFT JOIN follow_up_cases c ON c.test_id = u.id
        WHERE u.round_id = $1`,
      [id],
    );
    t.same(stored, [{ confirmation: 'confirmed_positive', trigger: 'confirmed_positive' }]);
    const list = page.getByRole('list', { name: 'Kasus tindak lanjut' });
    await list.getByText('Pemicu: Positif terkonfirmasi').waitFor();
    t.equal(await page.getByRole('heading', { name: 'Konfirmasi laboratorium' }).count(), 0, 'nothing left pending');
    t.same(await accessibilityProblems(page), []);
    t.same(faults, []);
  });

  t.test(`out of reach, a round is not found at ${size} size`, async (t) => {
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signIn(page, size === 'phone' ? 'staff.kupang' : 'kanwil.ntt');
    await page.goto(`/console/urine/${demoRoundId}`);
    await page.getByRole('heading', { level: 1, name: 'Putaran tes urine tidak ditemukan' }).waitFor();
    t.equal(await page.getByText('Positif terkonfirmasi').count(), 0);
    t.same(await accessibilityProblems(page), []);

    // What they do reach: Lapas Kupang's officers' round.
    const [kupang] = await harness.rows<{ id: string; name: string; tested_on: string }>(
      `SELECT f.id, f.name, r.tested_on::text FROM urine_test_rounds r JOIN facilities f ON f.id = r.facility_id
        WHERE r.subjects = 'officers'`,
    );
    await page.getByRole('link', { name: 'Kembali ke daftar putaran' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tes urine' }).waitFor();
    if (size === 'desktop') await page.getByLabel('Fasilitas').selectOption(kupang?.id as string);
    t.equal(
      await page.getByRole('link', { name: 'Putaran baru' }).count(),
      size === 'desktop' ? 0 : 1,
      'the Kanwil views, the facility staff record',
    );
    const title = `Tes urine ${formatDate(kupang?.tested_on as string, 'id')}`;
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    t.match(await page.locator('.urine-facts').innerText(), `Petugas`);
    t.match(await page.getByRole('table').locator('tbody tr').first().innerText(), / WITA/);
    t.same(await accessibilityProblems(page), []);
    t.same(faults, []);
  });
}

t.test('fifty people entered from the keyboard, timed', async (t) => {
  // Purwokerto, which no other test here uses, with fifty more inmates so a draw of fifty is possible.
  const [purwokerto] = await harness.rows<{ id: string; timezone: string }>(
    `SELECT id, timezone FROM facilities WHERE name LIKE '%Purwokerto%'`,
  );
  const admin = await harness.login('admin');
  const imported = await harness.call('POST', `/v1/facilities/${purwokerto?.id}/inmates/import`, {
    token: admin,
    body: Array.from({ length: 50 }, (_, i) => ({
      registration_number: `PWT.T${String(i + 1).padStart(3, '0')}/2025`,
      name: `Uji Coba ${i + 1}`,
      sex: 'male',
      birth_date: '1990-01-01',
      case_type: 'non_narcotics',
      admission_date: '2025-01-01',
      expected_release_date: '2030-01-01',
      block: 'A',
      status: 'sentenced',
    })),
  });
  t.ok(imported.statusCode < 300, imported.body);
  const today = todayIn(purwokerto?.timezone as string);
  const round = await harness.call('POST', `/v1/facilities/${purwokerto?.id}/urine-test-rounds`, {
    token: admin,
    body: {
      tested_on: today,
      reason: 'random',
      subjects: 'inmates',
      kit: { brand: 'Rapid 6 Panel', lot: 'L-FIFTY', expiry: '2030-01-01', panel: PANEL },
    },
  });
  const id = round.json().id as string;
  const draw = await harness.call('POST', `/v1/urine-test-rounds/${id}/draw`, {
    token: admin,
    body: { subject_type: 'inmate', size: 50, reserve_size: 0 },
  });
  t.equal(draw.statusCode, 201, draw.body);
  const people = await drawnPeople(id);

  const { context, page, faults } = await open(server, SIZES[1].viewport);
  t.teardown(() => context.close());
  await signIn(page, 'admin');
  await page.goto(`/console/urine/${id}`);
  await page.getByLabel(`THC, ${people[0]?.name}`, { exact: true }).focus();
  const started = Date.now();
  for (let i = 0; i < 50; i++) {
    if (i % 10 === 3) await page.keyboard.press('p');
    await page.keyboard.press('Enter');
  }
  const typed = Date.now() - started;
  await page.waitForFunction(() => document.querySelectorAll('.urine-grid select').length === 0, undefined, {
    timeout: 120_000,
  });
  const saved = Date.now() - started;
  t.comment(`fifty rows: typed in ${typed} ms, all saved in ${saved} ms`);
  const stored = await harness.rows<{ outcome: string; n: number }>(
    `SELECT outcome::text, count(*)::int AS n FROM urine_tests WHERE round_id = $1 GROUP BY outcome ORDER BY outcome`,
    [id],
  );
  t.same(stored, [
    { outcome: 'negative', n: 45 },
    { outcome: 'presumptive_positive', n: 5 },
  ]);
  t.same(faults, []);
});

t.test("the grid's outcome rule is the API's, over every kind of specimen", async (t) => {
  // A fixed pseudo-random walk over refusals, validity readings, class results and values.
  let state = 7;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const maybe = <T>(value: T) => (next() < 0.5 ? undefined : value);
  const cutoffs = { ...DEFAULT_CUTOFFS, K2: { screen: 25, confirm: 10 } };
  let compared = 0;
  for (let i = 0; i < 2000; i++) {
    const specimen = {
      refused: next() < 0.1,
      temperature_in_range: maybe(next() < 0.8),
      creatinine_mg_dl: maybe(next() * 40),
      specific_gravity: maybe(1 + next() * 0.01),
      ph: maybe(next() * 14),
      nitrite_ug_ml: maybe(next() * 800),
      results: DRUG_CLASSES.filter(() => next() < 0.7).map((c) => ({
        class: c,
        result: (['negative', 'negative', 'positive', 'invalid'] as const)[Math.floor(next() * 4)] as
          | 'negative'
          | 'positive'
          | 'invalid',
        value_ng_ml: maybe(next() * 3000),
      })),
    };
    const api = apiOutcome(specimen, cutoffs);
    const shown = consoleOutcome(specimen, cutoffs);
    if (api.outcome !== shown.outcome) t.fail(`specimen ${i}: ${api.outcome} != ${shown.outcome}`);
    const positives = api.classes.filter((c) => c.result === 'positive').map((c) => c.class);
    if (api.outcome !== 'refused' && positives.join() !== shown.positives.join()) t.fail(`specimen ${i}: positives`);
    compared++;
  }
  t.equal(compared, 2000);
});
