import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import t from 'tap';
import { accessibilityProblems, open, SIZES, signIn, startConsole } from './harness.ts';

t.setTimeout(600_000);
const server = await startConsole(t);
const { harness } = server;
const kupang = harness.world.facilities.kupang as string;
const banjarnegara = harness.world.facilities.banjarnegara as string;

interface Indicator {
  code: string;
  name: string;
  value: number | null;
  numerator: number;
  denominator: number | null;
  target: number;
  direction: string;
  met: boolean | null;
  weight: number;
  points: number | null;
  records?: { kind: string; id: string | null; href: string }[];
}
interface Card {
  facility_name: string;
  period: string;
  score: number;
  indicators: Indicator[];
}

// The scorecard's way of showing a value, as the printable page shows it too.
const NUMBERS = new Set(['inspections_per_month', 'inspections_with_narcotics', 'officer_positive']);
function shown(value: number | null, code: string): string {
  if (value === null) return '—';
  if (NUMBERS.has(code)) return String(value);
  if (code === 'active_mou') return value >= 1 ? 'Ya' : 'Tidak';
  return `${Math.round(value * 1000) / 10}%`;
}

/** What of this screen's content sticks out sideways; a wide table scrolls inside its own region. */
const sideways = (page: Page) =>
  page.evaluate(
    () =>
      [...document.querySelectorAll('main *')].filter(
        (e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 0.5,
      ).length,
  );

async function asKanwil(url: string, headers: Record<string, string> = {}) {
  const token = await harness.login('kanwil.ntt');
  return harness.call('GET', url, { token, headers: { 'accept-language': 'id', ...headers } });
}

for (const { name, viewport } of SIZES) {
  t.test(`kanwil.ntt reads a Kupang scorecard as the API gives it at ${name} size`, async (t) => {
    const answer = await asKanwil(`/v1/facilities/${kupang}/scorecard`);
    t.equal(answer.statusCode, 200);
    const card = answer.json() as Card;

    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signIn(page, 'kanwil.ntt');
    await page.getByRole('link', { name: 'Rapor' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rapor Bersinar' }).waitFor();
    t.same(await accessibilityProblems(page), [], 'the chooser');
    await page.getByLabel('Fasilitas').selectOption(kupang);
    t.equal(await page.getByLabel('Periode').inputValue(), card.period, 'the running quarter is chosen');
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    await page.getByRole('heading', { level: 1, name: `Rapor Bersinar: ${card.facility_name}` }).waitFor();
    t.equal(await page.getByTestId('score').textContent(), String(card.score), 'the score');

    // The chart's table equivalent: a row an indicator, in the API's order and values.
    const table = page.getByRole('table', { name: 'Indikator (tabel)' });
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
      );
    t.same(
      rows,
      card.indicators.map((i) => [
        i.name,
        shown(i.value, i.code),
        `${i.numerator} / ${i.denominator ?? '—'}`,
        `${i.direction === 'at_most' ? '≤' : '≥'} ${shown(i.target, i.code)}`,
        i.met === null ? '—' : i.met ? 'Ya' : 'Tidak',
        `${i.points ?? '—'} / ${i.weight}`,
      ]),
      'each indicator as the API counts it',
    );
    t.equal(await page.locator('.scorecard-bars li').count(), card.indicators.length, 'a bar an indicator');

    // Each miss lists the records behind it; an inspection is a link to its screen.
    const misses = card.indicators.filter((i) => i.met === false);
    t.ok(misses.length > 0, 'the demo facility misses something');
    for (const miss of misses) {
      const records = miss.records ?? [];
      const heading = page.getByRole('heading', { level: 3, name: miss.name });
      await heading.waitFor();
      if (records.length === 0) continue;
      const items = page.getByRole('list', { name: miss.name }).getByRole('listitem');
      t.equal(await items.count(), records.length, `${miss.code}: every record behind the miss`);
      for (const [n, record] of records.entries()) {
        const text = await items.nth(n).textContent();
        if (record.id) t.match(text, record.id, `${miss.code}: record ${record.id}`);
        const inspection = /^\/v1\/inspections\/(.+)$/.exec(record.href);
        if (inspection) {
          t.equal(
            await items.nth(n).getByRole('link').getAttribute('href'),
            `/console/inspections/${inspection[1]}`,
            'an inspection opens in the console',
          );
        }
      }
    }
    t.same(await accessibilityProblems(page), [], 'the scorecard');
    t.equal(await sideways(page), 0, 'nothing sticks out sideways');
    t.same(faults, [], 'no policy refusal or script error');
  });

  t.test(`the ranking lists the facilities in reach and downloads its CSV at ${name} size`, async (t) => {
    const json = (await asKanwil('/v1/scorecards')).json() as {
      period: string;
      data: { facility_name: string; score: number; rank: number }[];
    };
    const csv = await asKanwil(`/v1/scorecards?period=${json.period}`, { accept: 'text/csv' });
    t.equal(csv.statusCode, 200);
    const inReach = await harness.rows<{ name: string }>(
      "SELECT name FROM facilities WHERE province_code = '53' ORDER BY name",
    );

    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signIn(page, 'kanwil.ntt');
    await page.getByRole('link', { name: 'Buka peringkat' }).click();
    await page.getByRole('heading', { level: 1, name: 'Peringkat' }).waitFor();
    const table = page.getByRole('table', { name: `Peringkat fasilitas, ${json.period}` });
    await table.waitFor();
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].slice(0, 3).map((c) => (c.textContent ?? '').trim())),
      );
    t.same(
      rows,
      json.data.map((r) => [String(r.rank), r.facility_name, String(r.score)]),
      'in the API order',
    );
    t.same(rows.map((r) => r[1]).sort(), inReach.map((r) => r.name).sort(), 'exactly the facilities of the province');
    t.same(await accessibilityProblems(page), [], 'the ranking');
    t.equal(await sideways(page), 0, 'nothing sticks out sideways');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Unduh CSV' }).click(),
    ]);
    t.equal(download.suggestedFilename(), `bersinar-${json.period}.csv`);
    const path = await download.path();
    t.equal(readFileSync(path, 'utf8'), csv.body, 'the same CSV as the API gives');
    t.same(faults, [], 'no policy refusal or script error');
  });

  t.test(`a scorecard out of reach is not found at ${name} size`, async (t) => {
    const answer = await asKanwil(`/v1/facilities/${banjarnegara}/scorecard`);
    t.equal(answer.statusCode, 404);
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signIn(page, 'kanwil.ntt');
    await page.goto(`/console/scorecard/${banjarnegara}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    t.match(await alert.textContent(), (answer.json() as { title: string }).title);
    t.equal(await page.getByTestId('score').count(), 0, 'no score shown');
    t.same(await accessibilityProblems(page), []);
    t.same(faults, []);
  });
}
