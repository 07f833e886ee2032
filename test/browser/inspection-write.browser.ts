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
    await page.getByRole('button', { name: `Pilih ${label}` }).first().click();
    t.same(await accessibilityProblems(page), [], 'step 3 with the register searched');
    await page.getByRole('button', { name: 'Simpan temuan' }).click();
    const written = page.getByRole('list', { name: 'Temuan yang dicatat' }).getByRole('listitem');
    await written.getByText('Draf tersimpan di server').waitFor();
    t.match(await written.textContent(), `Narkotika: 0.8 gram — Satu paket kristal bening diduga sabu · ${label} · 1 foto`);

    await page.getByRole('button', { name: 'Lanjut' }).click();
    await stepHeading(page, 4, 'Tindakan perbaikan');
    await page.getByLabel('Tindakan yang harus dilakukan').fill('Pasang kamera CCTV di blok A');
    await page.getByLabel('Cari petugas menurut nama').fill(officer.name.slice(0, 4));
    await page.getByRole('button', { name: 'Cari', exact: true }).click();
    await page.getByRole('button', { name: new RegExp(`^Pilih ${officer.name}`) }).first().click();
    t.same(await accessibilityProblems(page), [], 'step 4');
    await page.getByRole('button', { name: 'Simpan tindakan' }).click();
    await page
      .getByRole('list', { name: 'Tindakan yang dicatat' })
      .getByText('Draf tersimpan di server')
      .waitFor();

    await page.getByRole('button', { name: 'Lanjut' }).click();
    await stepHeading(page, 5, 'Tinjau dan kirim');
    t.same(await accessibilityProblems(page), [], 'step 5');
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
