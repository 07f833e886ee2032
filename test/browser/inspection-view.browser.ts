import type { Page } from 'playwright-core';
import t from 'tap';
import { accessibilityProblems, open, SIZES, signIn, startConsole } from './harness.ts';

// What follows a sidak report's submission: the facility head signs it off, the frozen view with its
// photo, custody chain, overdue action and addenda, the print page, and who reaches none of it.

t.setTimeout(600_000);
const server = await startConsole(t);
const { harness } = server;
const banjarnegara = harness.world.facilities.banjarnegara as string;

// biome-ignore lint/suspicious/noExplicitAny: answers of the API, read by field
type Json = Record<string, any>;

async function call(method: string, url: string, username: string, body?: unknown): Promise<Json> {
  const res = await harness.call(method, url, { token: await harness.login(username), body });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** A report written by the facility's staff, with a finding and an action, submitted for sign-off. */
async function submittedReport(summary: string): Promise<string> {
  const started = new Date(Date.now() - 3 * 3_600_000).toISOString();
  const ended = new Date(Date.now() - 3_600_000).toISOString();
  const report = await call('POST', `/v1/facilities/${banjarnegara}/inspections`, 'staff.banjarnegara', {
    kind: 'surprise',
    team: [{ name: 'Regu Pengamanan I', agency: 'facility', role: 'ketua' }],
    started_at: started,
    ended_at: ended,
    areas: [{ kind: 'block', name: 'D' }],
    inmates_searched: 30,
    officers_searched: 2,
    summary,
  });
  await call('POST', `/v1/inspections/${report.id}/findings`, 'staff.banjarnegara', {
    category: 'cash',
    description: 'Uang tunai di dalam kaleng',
    quantity: 250000,
    unit: 'rupiah',
    location: 'Blok D kamar 2',
  });
  await call('POST', `/v1/inspections/${report.id}/actions`, 'staff.banjarnegara', {
    description: 'Periksa ulang blok D minggu depan',
    due_date: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
  });
  await call('POST', `/v1/inspections/${report.id}/submit`, 'staff.banjarnegara');
  return report.id as string;
}

/** An instant as the console shows it in Indonesian, in Banjarnegara's zone (without the zone's name). */
const wib = (at: Date) =>
  new Intl.DateTimeFormat('id-ID', {
    timeZone: 'Asia/Jakarta',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);

/** Elements of the screen's content that reach past its right edge (they would scroll sideways). */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('main *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
  );
}

async function demoSignedOff(): Promise<string> {
  const [row] = await harness.rows<{ id: string }>(
    "SELECT id FROM inspections WHERE facility_id = $1 AND summary LIKE 'Penggeledahan blok hunian A dan B%'",
    [banjarnegara],
  );
  return row?.id as string;
}

for (const { name, viewport } of SIZES) {
  t.test(`the facility head signs a submitted report off at ${name} size`, async (t) => {
    const id = await submittedReport(`Sidak blok D untuk ditandatangani (${name})`);
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signIn(page, 'head.banjarnegara');
    await page.goto(`/console/inspections/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Laporan sidak' }).waitFor();
    await page.getByText('Menunggu tanda tangan', { exact: true }).waitFor();
    t.match(await page.locator('main').textContent(), /Uang tunai di dalam kaleng/);
    t.match(await page.locator('main').textContent(), /250\.000 rupiah/);
    t.same(await accessibilityProblems(page), [], 'submitted report');

    await page.getByRole('button', { name: 'Tandatangani', exact: true }).click();
    t.match(await page.getByText(/laporan ini dibekukan/).textContent(), /Tandatangani sekarang\?/);
    t.same(await accessibilityProblems(page), [], 'the confirmation');
    await page.getByRole('button', { name: 'Ya, tandatangani' }).click();

    const line = page.getByText(/^Ditandatangani oleh /);
    await line.waitFor();
    t.equal(await page.getByRole('button', { name: 'Tandatangani', exact: true }).count(), 0, 'no second sign-off');
    await page.waitForFunction(() => document.activeElement?.id === 'insv-frozen');
    t.match(
      await page.evaluate(() => document.activeElement?.textContent),
      /^Ditandatangani oleh/,
      'focus on the outcome',
    );
    await page.getByText('Laporan dibekukan: tidak bisa diubah lagi. Koreksi dicatat sebagai adendum.').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Adendum' }).waitFor();
    t.same(await accessibilityProblems(page), [], 'the frozen view');

    const [stored] = await harness.rows<{ status: string; signed_off_by: string; signed_off_at: Date }>(
      'SELECT status, signed_off_by, signed_off_at FROM inspections WHERE id = $1',
      [id],
    );
    const [head] = await harness.rows<{ id: string }>("SELECT id FROM users WHERE username = 'head.banjarnegara'");
    t.same([stored?.status, stored?.signed_off_by], ['signed_off', head?.id], 'stored as signed off by the head');
    t.equal(
      await line.textContent(),
      `Ditandatangani oleh Karutan Banjarnegara pada ${wib(new Date(stored?.signed_off_at ?? 0))} WIB`,
      "who signed, and when in the facility's zone",
    );
    t.same(
      await harness.rows(
        "SELECT actor_id FROM audit_events WHERE entity_id = $1 AND action = 'inspection.signed_off'",
        [id],
      ),
      [{ actor_id: head?.id }],
      'the sign-off is audited, once',
    );
    t.same(faults, [], 'no policy refusal or script error');
  });

  t.test(`the demo's signed-off report, its custody chain and a new addendum at ${name} size`, async (t) => {
    const id = await demoSignedOff();
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signIn(page, 'staff.banjarnegara');
    await page.goto(`/console/inspections/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Laporan sidak' }).waitFor();
    const main = page.locator('main');
    await page.getByText(/^Ditandatangani oleh Karutan Banjarnegara pada .* WIB$/).waitFor();
    t.equal(await page.getByRole('button', { name: 'Tandatangani', exact: true }).count(), 0, 'staff cannot sign');

    // The two findings, with their quantities and the photo, fetched with the token.
    t.same(await page.getByRole('heading', { level: 3 }).allTextContents(), [
      '1. Telepon genggam',
      '2. Benda tajam',
      'Tambah adendum',
    ]);
    const text = (await main.textContent()) ?? '';
    t.match(text, /Dua telepon genggam di dalam bantal/);
    t.match(text, /2 buah/);
    t.match(text, /Blok B kamar 1/);
    t.match(text, /WBP: /, 'the inmate involved');
    const photo = page.getByRole('img', { name: 'Foto barang bukti: Foto telepon genggam di lokasi temuan' });
    await photo.waitFor();
    t.match(await photo.getAttribute('src'), /^blob:/);
    t.ok(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 1), 'the image decodes');
    t.match(text, /SHA-256: [0-9a-f]{64}/);

    // The overdue CCTV action, and the other still open in time.
    const cctv = page.getByRole('listitem').filter({ hasText: 'Pasang kamera CCTV di blok A' });
    t.equal(await cctv.getByText('Lewat batas waktu', { exact: true }).count(), 1);
    const locks = page.getByRole('listitem').filter({ hasText: 'Ganti kunci kamar blok B' });
    t.equal(await locks.getByText('Lewat batas waktu', { exact: true }).count(), 0);
    t.equal(await locks.getByText('Terbuka', { exact: true }).count(), 1);
    t.same(await accessibilityProblems(page), [], 'the frozen view');
    // (The shell's top bar is the shell's own matter; the report itself stays inside the screen.)
    t.same(await overflowing(page), [], 'no sideways scrolling of the report');

    // A handover of the photo's evidence goes on after sign-off.
    const evidence = page.getByRole('listitem').filter({ hasText: 'Foto telepon genggam di lokasi temuan' });
    const before = await evidence.locator('ol li').count();
    await evidence.getByRole('button', { name: 'Catat serah terima' }).click();
    await evidence.getByLabel('Diserahkan oleh').fill(`Kepala KPR (${name})`);
    await evidence.getByLabel('Diterima oleh').fill('Penyidik BNNK Purbalingga');
    t.match(await evidence.getByLabel('Waktu serah terima (WIB)').inputValue(), /^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    t.same(await accessibilityProblems(page), [], 'the custody form');
    await evidence.getByRole('button', { name: 'Simpan' }).click();
    const entry = evidence.locator('ol li').filter({ hasText: `Kepala KPR (${name}) → Penyidik BNNK Purbalingga` });
    await entry.waitFor();
    t.match(await entry.textContent(), /WIB: Kepala KPR/);
    t.equal(await evidence.locator('ol li').count(), before + 1);
    t.equal(await harness.count('custody_entries', `handed_by = 'Kepala KPR (${name})'`), 1, 'the handover is stored');

    // An addendum, listed and stored with its author.
    const reason = `Salah tulis lokasi (${name})`;
    await page.getByLabel('Bagian yang dikoreksi').selectOption({ label: 'Temuan 2: Benda tajam' });
    await page.getByLabel('Alasan').fill(reason);
    await page.getByLabel('Isi koreksi').fill('Lokasi yang benar: Blok B kamar 2.');
    await page.getByRole('button', { name: 'Tambah adendum' }).click();
    const added = page.getByRole('listitem').filter({ hasText: `Alasan: ${reason}` });
    await added.waitFor();
    t.match(await added.textContent(), /^Temuan 2: Benda tajamLokasi yang benar: Blok B kamar 2\./);
    t.match(await added.textContent(), /Oleh petugas UPT, .* WIB$/);
    const rows = await harness.rows<{ corrects_type: string; text: string; username: string }>(
      `SELECT a.corrects_type, a.text, u.username FROM inspection_addenda a JOIN users u ON u.id = a.author_id
       WHERE a.inspection_id = $1 AND a.reason = $2`,
      [id, reason],
    );
    t.same(rows, [
      { corrects_type: 'finding', text: 'Lokasi yang benar: Blok B kamar 2.', username: 'staff.banjarnegara' },
    ]);
    t.same(await accessibilityProblems(page), [], 'after the addendum');
    t.same(faults, [], 'no policy refusal or script error');
  });

  t.test(`the print page of a signed-off report at ${name} size`, async (t) => {
    const id = await demoSignedOff();
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signIn(page, 'head.banjarnegara');
    await page.goto(`/console/inspections/${id}`);
    await page.getByRole('link', { name: 'Tampilan cetak' }).click();
    await page.getByRole('heading', { level: 1, name: 'Berita acara sidak: Rutan Kelas IIB Banjarnegara' }).waitFor();
    t.equal(new URL(page.url()).pathname, `/console/inspections/${id}/print`);
    t.same(await page.getByRole('heading', { level: 2 }).allTextContents(), [
      'Temuan',
      'Tindak lanjut',
      'Adendum',
      'Tanda tangan',
    ]);
    const text = (await page.locator('main').textContent()) ?? '';
    t.match(text, /Laporan sidakUPTRutan Kelas IIB Banjarnegara/, 'the kind of inspection heads the sheet');
    t.match(text, /Waktu\d{1,2} \w{3} \d{4}, 09\.00 WIB – \d{1,2} \w{3} \d{4}, 11\.30 WIB/);
    t.match(text, /Dua telepon genggam di dalam bantal/);
    t.match(text, /Pasang kamera CCTV di blok A.*TerbukaLewat batas waktuGanti kunci kamar blok B.*Terbuka/);
    t.match(text, /SHA-256: [0-9a-f]{64}/);
    t.match(text, /Ditandatangani oleh Karutan Banjarnegara pada .* WIB/);
    t.equal(await page.getByRole('button', { name: 'Catat serah terima' }).count(), 0, 'no forms on paper');
    t.equal(await page.getByRole('button', { name: 'Tambah adendum' }).count(), 0);
    const print = page.getByRole('button', { name: 'Cetak' });
    t.ok(await print.isVisible());
    t.same(await accessibilityProblems(page), [], 'the print page');

    // The Cetak button asks the browser to print.
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed++;
      };
    });
    await print.click();
    t.equal(await page.evaluate(() => (window as unknown as { printed: number }).printed), 1);

    await page.emulateMedia({ media: 'print' });
    t.notOk(await page.getByRole('navigation', { name: 'Menu utama' }).isVisible(), 'no menu on paper');
    t.notOk(await page.locator('header.top').isVisible(), 'no top bar on paper');
    t.notOk(await print.isVisible(), 'no buttons on paper');
    t.notOk(await page.getByRole('link', { name: 'Kembali ke laporan' }).isVisible(), 'no links back on paper');
    const finding = page.getByRole('article', { name: '1. Telepon genggam' });
    t.equal(
      await finding.evaluate((e) => getComputedStyle(e).breakInside),
      'avoid',
      'a finding is not split across pages',
    );
    t.ok(
      await page
        .getByText(/Ditandatangani oleh Karutan Banjarnegara/)
        .first()
        .isVisible(),
    );
    t.same(await overflowing(page), [], 'nothing wider than the page');
    t.same(faults, [], 'no policy refusal or script error');
  });

  t.test(`another facility's or province's users get not found, not a crash, at ${name} size`, async (t) => {
    const id = await demoSignedOff();
    for (const username of ['staff.kupang', 'kanwil.ntt']) {
      const answer = await harness.call('GET', `/v1/inspections/${id}`, {
        token: await harness.login(username),
        headers: { 'accept-language': 'id' },
      });
      t.equal(answer.statusCode, 404, `${username}: the API says not found`);
      const { context, page, faults } = await open(server, viewport);
      await signIn(page, username);
      await page.goto(`/console/inspections/${id}`);
      await page.getByRole('heading', { level: 1, name: 'Laporan tidak ditemukan' }).waitFor();
      t.match(await page.getByRole('alert').textContent(), answer.json().title, "the API's problem, shown");
      t.notMatch(await page.locator('main').textContent(), /telepon genggam/);
      t.same(await accessibilityProblems(page), [], username);

      await page.goto(`/console/inspections/${id}/print`);
      await page.getByRole('heading', { level: 1, name: 'Laporan tidak ditemukan' }).waitFor();
      t.notMatch(await page.locator('main').textContent(), /telepon genggam/);
      t.same(faults, [], 'no policy refusal or script error');
      await context.close();
    }
  });

  t.test(`staff see no sign-off; a refused sign-off shows in place at ${name} size`, async (t) => {
    const id = await submittedReport(`Sidak blok D yang ditandatangani dua kali (${name})`);
    const staff = await open(server, viewport);
    t.teardown(() => staff.context.close());
    await signIn(staff.page, 'staff.banjarnegara');
    await staff.page.goto(`/console/inspections/${id}`);
    await staff.page.getByText('Menunggu tanda tangan', { exact: true }).waitFor();
    t.equal(await staff.page.getByRole('button', { name: 'Tandatangani', exact: true }).count(), 0);
    t.same(await accessibilityProblems(staff.page), [], 'the staff view');

    // The staff progress the corrective action: done with a comment, then verified.
    const action = staff.page.getByRole('listitem').filter({ hasText: 'Periksa ulang blok D minggu depan' });
    t.equal(await action.getByText('Terbuka', { exact: true }).count(), 1);
    await action.getByRole('button', { name: 'Tandai selesai' }).click();
    await action.getByLabel('Keterangan penyelesaian').fill('Blok D sudah diperiksa ulang');
    t.same(await accessibilityProblems(staff.page), [], 'closing an action');
    await action.getByRole('button', { name: 'Simpan selesai' }).click();
    await action.getByText('Selesai', { exact: true }).waitFor();
    t.match(await action.textContent(), /Keterangan penyelesaian: Blok D sudah diperiksa ulang/);
    await action.getByRole('button', { name: 'Verifikasi' }).click();
    await action.getByText('Terverifikasi', { exact: true }).waitFor();
    t.equal(await action.getByRole('button').count(), 0, 'nothing more to do');
    t.same(
      await harness.rows('SELECT status, closing_comment FROM corrective_actions WHERE inspection_id = $1', [id]),
      [{ status: 'verified', closing_comment: 'Blok D sudah diperiksa ulang' }],
    );
    t.same(staff.faults, []);

    // The head opens it; meanwhile it is signed off elsewhere: the second sign-off is refused.
    const head = await open(server, viewport);
    t.teardown(() => head.context.close());
    await signIn(head.page, 'head.banjarnegara');
    await head.page.goto(`/console/inspections/${id}`);
    await head.page.getByRole('button', { name: 'Tandatangani', exact: true }).click();
    await call('POST', `/v1/inspections/${id}/sign-off`, 'head.banjarnegara');
    await head.page.getByRole('button', { name: 'Ya, tandatangani' }).click();
    const alert = head.page.getByRole('alert');
    await alert.waitFor();
    t.match(await alert.textContent(), /./);
    t.ok(
      await head.page.getByRole('region', { name: 'Tandatangani' }).getByRole('alert').isVisible(),
      'in the sign-off section',
    );
    t.same(await accessibilityProblems(head.page), [], 'the refusal');
    t.equal(
      await harness.count('audit_events', `entity_id = '${id}' AND action = 'inspection.signed_off'`),
      1,
      'signed off once',
    );
    t.same(head.faults, []);
  });
}

t.test('a draft is shown read-only, with a note', async (t) => {
  const [draft] = await harness.rows<{ id: string }>(
    "SELECT id FROM inspections WHERE facility_id = $1 AND status = 'draft' AND summary = 'Pemeriksaan rutin blok C.'",
    [banjarnegara],
  );
  const { context, page, faults } = await open(server, SIZES[0].viewport);
  t.teardown(() => context.close());
  await signIn(page, 'head.banjarnegara');
  await page.goto(`/console/inspections/${draft?.id}`);
  await page.getByRole('heading', { level: 1, name: 'Laporan pemeriksaan terjadwal' }).waitFor();
  await page.getByText('Ini draf: belum dikirim, hanya ditampilkan untuk dibaca.').waitFor();
  t.equal(await page.getByRole('button', { name: 'Tandatangani', exact: true }).count(), 0);
  t.equal(
    await page
      .getByRole('button')
      .filter({ hasText: /Tandai selesai|Tambah adendum/ })
      .count(),
    0,
  );
  t.match(await page.locator('main').textContent(), /Blok C/);
  t.same(await accessibilityProblems(page), []);
  t.same(faults, []);
});
