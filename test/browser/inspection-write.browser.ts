import type { Page } from 'playwright-core';
import t from 'tap';
import { accessibilityProblems, DESKTOP, open, PHONE, SIZES, signIn, startConsole } from './harness.ts';

t.setTimeout(600_000);
const server = await startConsole(t);
const { harness } = server;

// A real PNG (one pixel): the API reads the first bytes of every upload.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const [facility] = await harness.rows<{ id: string }>(
  `SELECT id FROM facilities WHERE name ILIKE '%Banjarnegara%' ORDER BY name LIMIT 1`,
);
const facilityId = facility?.id as string;
const [inmate] = await harness.rows<{ id: string; name: string; registration_number: string }>(
  `SELECT id, name, registration_number FROM inmates WHERE facility_id = $1 AND status IN ('detained','sentenced')
   ORDER BY name LIMIT 1`,
  [facilityId],
);
const [officer] = await harness.rows<{ id: string; name: string }>(
  `SELECT id, name FROM officers WHERE facility_id = $1 AND status = 'active' ORDER BY name LIMIT 1`,
  [facilityId],
);
if (!inmate || !officer) throw new Error('the demo has no inmate or officer at Banjarnegara');

async function openInspections(page: Page) {
  await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Sidak' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sidak' }).waitFor();
}

async function stepHeading(page: Page, n: number, name: string) {
  await page.getByRole('heading', { level: 2, name: `Langkah ${n} dari 5: ${name}` }).waitFor();
}

/** Steps 1 and 2: when, who, and where; the report is queued from the second step on. */
async function writeHeader(page: Page, summary: string) {
  await page.getByRole('link', { name: 'Sidak baru' }).click();
  await stepHeading(page, 1, 'Waktu dan tim');
  await page.getByLabel('Nama anggota tim 1').fill('Budi Santoso');
  await page.getByLabel('Jumlah WBP yang digeledah').fill('120');
  await page.getByLabel('Jumlah petugas yang digeledah').fill('12');
  await page.getByLabel('Ringkasan', { exact: true }).fill(summary);
  const problems1 = await accessibilityProblems(page);
  await page.getByRole('button', { name: 'Lanjut' }).click();
  await stepHeading(page, 2, 'Area yang digeledah');
  await page.getByLabel('Nama area 1').fill('A');
  const problems2 = await accessibilityProblems(page);
  await page.getByRole('button', { name: 'Lanjut' }).click();
  await stepHeading(page, 3, 'Temuan');
  return [...problems1, ...problems2];
}

/** Nothing of the screen's content reaches past the window's width, at a phone's width too. */
async function fits(page: Page): Promise<boolean> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('main *')).every((e) => e.getBoundingClientRect().right <= window.innerWidth),
  );
}

async function fillFinding(page: Page, description: string) {
  await page.getByLabel('Kategori').selectOption('narcotics');
  await page.getByLabel('Uraian').fill(description);
  await page.getByLabel('Jumlah', { exact: true }).fill('0.8');
  await page.getByLabel('Satuan').selectOption('grams');
  await page.getByLabel('Lokasi ditemukan').fill('Blok A kamar 12, di bawah kasur');
}

async function localStore(page: Page): Promise<{ reports: number; outbox: number; problems: string[] }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const request = indexedDB.open('bersinar-console');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction(['reports', 'outbox'], 'readonly');
          const reports = tx.objectStore('reports').getAll();
          const outbox = tx.objectStore('outbox').getAll();
          tx.oncomplete = () => {
            resolve({
              reports: reports.result.length,
              outbox: outbox.result.length,
              problems: outbox.result.filter((i) => i.problem).map((i) => i.type),
            });
            db.close();
          };
        };
      }),
  );
}

async function inspectionBySummary(summary: string) {
  return harness.rows<{ id: string; status: string; inmates_searched: number; areas: unknown; team: unknown }>(
    'SELECT id, status, inmates_searched, areas, team FROM inspections WHERE summary = $1',
    [summary],
  );
}

for (const { name, viewport } of SIZES) {
  t.test(`writes a report online step by step and submits it at ${name} size`, async (t) => {
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signIn(page, 'staff.banjarnegara');
    await openInspections(page);
    t.same(await accessibilityProblems(page), [], 'list');

    const summary = `Sidak daring ${name}: blok hunian A.`;
    t.same(await writeHeader(page, summary), [], 'steps 1 and 2');

    await fillFinding(page, 'Satu paket kristal bening diduga sabu');
    await page.getByLabel('Nomor segel barang sitaan (bila disita)').fill(`SEGEL-BNJ-${name}`);
    await page.getByLabel('Foto dari kamera').setInputFiles({ name: 'temuan.png', mimeType: 'image/png', buffer: PNG });
    await page.getByLabel('Cari WBP menurut nama').fill(inmate.name.slice(0, 4));
    await page.getByRole('button', { name: 'Cari', exact: true }).click();
    const label = `${inmate.name} (${inmate.registration_number})`;
    await page
      .getByRole('button', { name: `Pilih ${label}` })
      .first()
      .click();
    t.same(await accessibilityProblems(page), [], 'step 3 with the register searched');
    t.ok(await fits(page), 'step 3 fits the width');
    await page.getByRole('button', { name: 'Simpan temuan' }).click();
    const written = page.getByRole('list', { name: 'Temuan yang dicatat' }).getByRole('listitem');
    await written.getByText('Draf tersimpan di server').waitFor();
    t.match(
      await written.textContent(),
      `Narkotika: 0.8 gram — Satu paket kristal bening diduga sabu · ${label} · 1 foto`,
    );

    await page.getByRole('button', { name: 'Lanjut' }).click();
    await stepHeading(page, 4, 'Tindakan perbaikan');
    await page.getByLabel('Tindakan yang harus dilakukan').fill('Pasang kamera CCTV di blok A');
    await page.getByLabel('Cari petugas menurut nama').fill(officer.name.slice(0, 4));
    await page.getByRole('button', { name: 'Cari', exact: true }).click();
    await page
      .getByRole('button', { name: new RegExp(`^Pilih ${officer.name}`) })
      .first()
      .click();
    t.same(await accessibilityProblems(page), [], 'step 4');
    await page.getByRole('button', { name: 'Simpan tindakan' }).click();
    await page.getByRole('list', { name: 'Tindakan yang dicatat' }).getByText('Draf tersimpan di server').waitFor();

    await page.getByRole('button', { name: 'Lanjut' }).click();
    await stepHeading(page, 5, 'Tinjau dan kirim');
    t.same(await accessibilityProblems(page), [], 'step 5');
    t.ok(await fits(page), 'step 5 fits the width');
    await page.getByRole('button', { name: 'Ajukan laporan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sidak' }).waitFor();
    await page.getByText('Tidak ada laporan yang menunggu.').waitFor();
    await page
      .getByRole('list', { name: 'Laporan di server' })
      .getByRole('listitem')
      .filter({ hasText: summary })
      .getByText('Diajukan')
      .waitFor();
    t.same(await accessibilityProblems(page), [], 'list after submitting');

    const [inspection, ...more] = await inspectionBySummary(summary);
    t.equal(more.length, 0, 'one report');
    t.equal(inspection?.status, 'submitted');
    t.equal(inspection?.inmates_searched, 120);
    t.same(inspection?.areas, [{ kind: 'block', name: 'A' }]);
    t.same(inspection?.team, [{ name: 'Budi Santoso', agency: 'facility' }]);
    const findings = await harness.rows(
      'SELECT category, quantity, unit, location, people FROM inspection_findings WHERE inspection_id = $1',
      [inspection?.id],
    );
    t.same(findings, [
      {
        category: 'narcotics',
        quantity: '0.800',
        unit: 'grams',
        location: 'Blok A kamar 12, di bawah kasur',
        people: [{ type: 'inmate', id: inmate.id }],
      },
    ]);
    const evidence = await harness.rows(
      'SELECT kind, seal_number, file_media_type, file_name FROM evidence_items WHERE inspection_id = $1 ORDER BY kind',
      [inspection?.id],
    );
    t.same(evidence, [
      { kind: 'photo', seal_number: null, file_media_type: 'image/png', file_name: 'temuan.png' },
      { kind: 'seized_item', seal_number: `SEGEL-BNJ-${name}`, file_media_type: null, file_name: null },
    ]);
    const actions = await harness.rows(
      `SELECT description, owner_officer_id FROM corrective_actions WHERE inspection_id = $1 AND description LIKE 'Pasang%'`,
      [inspection?.id],
    );
    t.same(actions, [{ description: 'Pasang kamera CCTV di blok A', owner_officer_id: officer.id }]);
    t.same(await localStore(page), { reports: 0, outbox: 0, problems: [] }, 'nothing left on the device');
    t.same(faults, [], 'no policy refusal or script error');
  });
}

/** Signs in, then lets the service worker take the page, so the console opens with no network. */
async function signInAndInstall(page: Page) {
  await signIn(page, 'staff.banjarnegara');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.getByRole('heading', { level: 1, name: 'Beranda' }).waitFor();
}

for (const { name, viewport } of SIZES) {
  t.test(`writes a report with no network and sends it when back online at ${name} size`, async (t) => {
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    await signInAndInstall(page);

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Beranda' }).waitFor();
    await page.getByText('Luring: laporan disimpan di perangkat ini').waitFor();
    await openInspections(page);
    t.same(await accessibilityProblems(page), [], 'list offline');

    const summary = `Sidak luring ${name}: blok hunian B.`;
    t.same(await writeHeader(page, summary), [], 'steps 1 and 2 offline');
    await fillFinding(page, 'Dua telepon genggam dalam kaleng');
    await page.getByLabel('Kategori').selectOption('mobile_phone');
    await page.getByLabel('Jumlah', { exact: true }).fill('2');
    await page.getByLabel('Satuan').selectOption('pieces');
    await page.getByText('Register tidak dapat dicari tanpa sambungan').waitFor();
    await page.getByLabel('Nomor registrasi WBP').fill(inmate.registration_number);
    await page.getByRole('button', { name: 'Tambah orang' }).click();
    await page.getByLabel('Foto dari kamera').setInputFiles({ name: 'ponsel.png', mimeType: 'image/png', buffer: PNG });
    t.same(await accessibilityProblems(page), [], 'step 3 offline');
    await page.getByRole('button', { name: 'Simpan temuan' }).click();
    const written = page.getByRole('list', { name: 'Temuan yang dicatat' }).getByRole('listitem');
    await written.getByText('Menunggu sambungan').waitFor();

    await page.getByRole('button', { name: 'Lanjut' }).click();
    await stepHeading(page, 4, 'Tindakan perbaikan');
    await page.getByRole('button', { name: 'Lanjut' }).click();
    await stepHeading(page, 5, 'Tinjau dan kirim');
    await page.getByRole('button', { name: 'Ajukan laporan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sidak' }).waitFor();
    const waiting = page.getByRole('list', { name: 'Menunggu di perangkat ini' }).getByRole('listitem').first();
    await waiting.getByText('Menunggu sambungan').waitFor();
    t.match(await waiting.textContent(), '4 bagian menunggu dikirim');
    t.same(await accessibilityProblems(page), [], 'list with the report waiting');
    t.ok(await fits(page), 'the list fits the width');
    t.same(await localStore(page), { reports: 1, outbox: 4, problems: [] }, 'the report and its four requests');
    t.same(await inspectionBySummary(summary), [], 'nothing reached the server');
    // Signing out asks first: the report is not sent yet.
    const asked = new Promise<string>((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.dismiss();
      }),
    );
    await page.getByRole('button', { name: 'Keluar' }).click();
    t.match(await asked, /^Ada 1 laporan yang belum terkirim\./);

    await context.setOffline(false);
    await page.getByText('Tidak ada laporan yang menunggu.').waitFor();
    await page
      .getByRole('list', { name: 'Laporan di server' })
      .getByRole('listitem')
      .filter({ hasText: summary })
      .getByText('Diajukan')
      .waitFor();

    const inspections = await inspectionBySummary(summary);
    t.equal(inspections.length, 1, 'one report');
    t.equal(inspections[0]?.status, 'submitted');
    const findings = await harness.rows(
      'SELECT id, category, quantity, people FROM inspection_findings WHERE inspection_id = $1',
      [inspections[0]?.id],
    );
    t.same(
      findings.map(({ id: _id, ...rest }) => rest),
      [{ category: 'mobile_phone', quantity: '2.000', people: [{ type: 'inmate', id: inmate.id }] }],
      'one finding, the registration number resolved',
    );
    t.equal(await harness.count('evidence_items', `inspection_id = '${inspections[0]?.id}'`), 1, 'one photo');
    t.same(await localStore(page), { reports: 0, outbox: 0, problems: [] }, 'the device holds nothing more');
    t.same(faults, [], 'no policy refusal or script error');
  });
}

t.test('a finding whose answer was lost is sent again under the same key, and kept once', async (t) => {
  const { context, page, faults } = await open(server, PHONE);
  t.teardown(() => context.close());
  await signIn(page, 'staff.banjarnegara');
  const keys: string[] = [];
  let dropped = false;
  await page.route('**/v1/inspections/*/findings', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    keys.push(route.request().headers()['idempotency-key'] ?? '');
    if (dropped) return route.continue();
    dropped = true;
    // The server keeps the finding; its answer never reaches the page.
    const response = await route.fetch();
    t.equal(response.status(), 201, 'the server kept the first one');
    await route.abort('connectionreset');
  });
  await openInspections(page);
  const summary = 'Sidak dengan jawaban hilang.';
  await writeHeader(page, summary);
  await fillFinding(page, 'Sebilah pisau cukur');
  await page.getByLabel('Kategori').selectOption('sharp_object');
  await page.getByLabel('Jumlah', { exact: true }).fill('1');
  await page.getByLabel('Satuan').selectOption('pieces');
  await page.getByRole('button', { name: 'Simpan temuan' }).click();
  const written = page.getByRole('list', { name: 'Temuan yang dicatat' }).getByRole('listitem');
  await written.getByText('Draf tersimpan di server').waitFor();

  t.equal(keys.length, 2, 'sent twice');
  t.equal(keys[0], keys[1], 'under the same Idempotency-Key');
  t.match(keys[0], /^[0-9a-f-]{36}$/);
  const [inspection] = await inspectionBySummary(summary);
  t.equal(await harness.count('inspection_findings', `inspection_id = '${inspection?.id}'`), 1, 'one finding, not two');
  t.same(await accessibilityProblems(page), []);
  t.same(faults, [], 'no policy refusal or script error');
});

t.test('a refusal on sync is shown against its item, which is kept', async (t) => {
  const { context, page, faults } = await open(server, DESKTOP);
  t.teardown(() => context.close());
  await signIn(page, 'staff.banjarnegara');
  await openInspections(page);
  const summary = 'Sidak yang diajukan dari perangkat lain.';
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && /\/inspections$/.test(r.url()));
  await writeHeader(page, summary);
  await created;
  const [inspection] = await inspectionBySummary(summary);

  // Offline, a finding is queued; meanwhile the report is submitted elsewhere.
  await context.setOffline(true);
  await fillFinding(page, 'Satu botol minuman keras');
  await page.getByLabel('Kategori').selectOption('alcohol');
  await page.getByLabel('Satuan').selectOption('millilitres');
  await page.getByRole('button', { name: 'Simpan temuan' }).click();
  const written = page.getByRole('list', { name: 'Temuan yang dicatat' }).getByRole('listitem');
  await written.getByText('Menunggu sambungan').waitFor();
  const token = await harness.login('staff.banjarnegara');
  const submitted = await harness.call('POST', `/v1/inspections/${inspection?.id}/submit`, { token });
  t.equal(submitted.statusCode, 200);

  const refusal = page.waitForResponse((r) => r.request().method() === 'POST' && /\/findings$/.test(r.url()));
  await context.setOffline(false);
  const answer = await refusal;
  t.equal(answer.status(), 409);
  const problem = (await answer.json()) as { title: string; detail: string };
  const alert = page.getByRole('alert');
  await alert.waitFor();
  t.match(await alert.textContent(), problem.title);
  t.match(await alert.textContent(), problem.detail);
  await written.getByText('Ditolak server').waitFor();
  t.same(await accessibilityProblems(page), [], 'the refusal in the editor');
  t.same(await localStore(page), { reports: 1, outbox: 1, problems: ['finding'] }, 'the item is kept');
  t.equal(await harness.count('inspection_findings', `inspection_id = '${inspection?.id}'`), 0);

  // The list shows it too, and the user may discard it.
  await openInspections(page);
  const waiting = page.getByRole('list', { name: 'Menunggu di perangkat ini' }).getByRole('listitem').first();
  await waiting.getByText('Ditolak server').waitFor();
  t.match(await page.getByRole('alert').textContent(), problem.detail);
  t.same(await accessibilityProblems(page), [], 'the refusal in the list');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Buang' }).click();
  await page.getByText('Ditolak server').waitFor({ state: 'detached' });
  t.same(await localStore(page), { reports: 1, outbox: 0, problems: [] }, 'the finding discarded, the draft kept');
  t.same(faults, [], 'no policy refusal or script error');
});

t.test('a finding refused for an unknown registration number is fixed and sent', async (t) => {
  const { context, page, faults } = await open(server, PHONE);
  t.teardown(() => context.close());
  await signIn(page, 'staff.banjarnegara');
  await openInspections(page);
  const summary = 'Sidak dengan nomor registrasi salah ketik.';
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && /\/inspections$/.test(r.url()));
  await writeHeader(page, summary);
  await created;
  const [inspection] = await inspectionBySummary(summary);

  await context.setOffline(true);
  await fillFinding(page, 'Satu paket serbuk putih');
  await page.getByLabel('Nomor registrasi WBP').fill('TIDAK-ADA-999');
  await page.getByRole('button', { name: 'Tambah orang' }).click();
  await page.getByRole('button', { name: 'Simpan temuan' }).click();
  const written = page.getByRole('list', { name: 'Temuan yang dicatat' }).getByRole('listitem');
  await written.getByText('Menunggu sambungan').waitFor();
  await context.setOffline(false);

  const alert = page.getByRole('alert');
  await alert.waitFor();
  t.equal(await alert.textContent(), 'Tidak ditemukan di register / Not in the registerTIDAK-ADA-999');
  await written.getByText('Ditolak server').waitFor();
  t.same(await localStore(page), { reports: 1, outbox: 1, problems: ['finding'] }, 'kept with its refusal');

  await page.getByRole('button', { name: 'Perbaiki temuan' }).click();
  await page.getByRole('button', { name: 'Hapus TIDAK-ADA-999' }).last().click();
  const fix = page.getByRole('group', { name: 'Orang yang terlibat' }).first();
  await fix.getByLabel('Nomor registrasi WBP').fill(inmate.registration_number);
  await fix.getByRole('button', { name: 'Tambah orang' }).click();
  t.same(await accessibilityProblems(page), [], 'the fix');
  await page.getByRole('button', { name: 'Simpan perbaikan dan kirim' }).click();
  await written.getByText('Draf tersimpan di server').waitFor();
  t.equal(await page.getByRole('alert').count(), 0, 'no refusal left');

  const findings = await harness.rows('SELECT people FROM inspection_findings WHERE inspection_id = $1', [
    inspection?.id,
  ]);
  t.same(findings, [{ people: [{ type: 'inmate', id: inmate.id }] }]);
  t.same(await localStore(page), { reports: 1, outbox: 0, problems: [] }, 'only the draft is left');
  t.same(faults, [], 'no policy refusal or script error');
});

t.test("a report waits for its writer: another user's session does not send it", async (t) => {
  const { context, page, faults } = await open(server, DESKTOP);
  t.teardown(() => context.close());
  await signInAndInstall(page);
  await context.setOffline(true);
  await page.reload();
  await page.getByText('Luring: laporan disimpan di perangkat ini').waitFor();
  await openInspections(page);
  const summary = 'Sidak yang ditulis sebelum berganti pengguna.';
  await writeHeader(page, summary);
  await page.getByRole('button', { name: 'Lanjut' }).click();
  await stepHeading(page, 4, 'Tindakan perbaikan');
  await page.getByRole('button', { name: 'Lanjut' }).click();
  await stepHeading(page, 5, 'Tinjau dan kirim');
  await page.getByRole('button', { name: 'Ajukan laporan' }).click();
  await page.getByRole('list', { name: 'Menunggu di perangkat ini' }).getByText('Menunggu sambungan').waitFor();

  // The writer signs out (the report stays on the device); the head signs in on the same device.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Keluar' }).click();
  await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
  // Offline, the revocation could not reach the server: the cookie would bring the writer back.
  await context.clearCookies();
  await context.setOffline(false);
  await signIn(page, 'head.banjarnegara');
  await openInspections(page);
  await page.getByText('Tidak ada laporan yang menunggu.').waitFor();
  await page.getByRole('list', { name: 'Laporan di server' }).waitFor();
  t.same(await inspectionBySummary(summary), [], "the head's session sent nothing of it");
  t.same(await localStore(page), { reports: 1, outbox: 2, problems: [] }, 'still on the device');

  await page.getByRole('button', { name: 'Keluar' }).click();
  await page.getByRole('heading', { level: 1, name: 'Masuk' }).waitFor();
  await signIn(page, 'staff.banjarnegara');
  await openInspections(page);
  await page.getByText('Tidak ada laporan yang menunggu.').waitFor();
  const sent = await inspectionBySummary(summary);
  t.equal(sent.length, 1, 'sent once its writer is back');
  t.equal(sent[0]?.status, 'submitted');
  t.same(await localStore(page), { reports: 0, outbox: 0, problems: [] });
  t.same(faults, [], 'no policy refusal or script error');
});

t.test('a console built for another contract keeps its reports until it reloads', async (t) => {
  const { context, page, faults } = await open(server, DESKTOP);
  t.teardown(() => context.close());
  // The server now answers by another contract than this build was made from.
  await page.route('**/console/version.json', (route) => route.fulfill({ json: { contract: '0000000000000000' } }));
  await signIn(page, 'staff.banjarnegara');
  await page.getByText('Versi baru konsol tersedia.').waitFor();
  await openInspections(page);
  const summary = 'Sidak yang menunggu konsol baru.';
  await writeHeader(page, summary);
  // The list says "waiting", not "sending", once the pass the write started has ended.
  await openInspections(page);
  const waiting = page.getByRole('list', { name: 'Menunggu di perangkat ini' }).getByRole('listitem').first();
  await waiting.getByText('Menunggu sambungan').waitFor();
  t.same(await localStore(page), { reports: 1, outbox: 1, problems: [] }, 'kept on the device');
  t.same(await inspectionBySummary(summary), [], 'nothing sent to a server of another contract');

  // Reloaded on the server's contract, the console sends what waited.
  await page.unroute('**/console/version.json');
  const created = page.waitForResponse(
    (r) => r.request().method() === 'POST' && /\/v1\/facilities\/[^/]+\/inspections$/.test(r.url()),
  );
  await page.getByRole('button', { name: 'Muat ulang' }).click();
  t.equal((await created).status(), 201);
  t.equal((await inspectionBySummary(summary)).length, 1, 'sent once');
  t.same(faults, []);
});
