import t from 'tap';
import { accessibilityProblems, DESKTOP, open, SIZES, signIn, startConsole } from './harness.ts';

// Social rehabilitation in the console: the demo programme's week, moving and cancelling a
// session (a clash shown on the session's own form), the attendance checklist and progress, reach.

t.setTimeout(600_000);
const server = await startConsole(t);
const { harness } = server;
const ZONE = 'Asia/Jakarta';
const TITLE = 'Konseling kelompok WBP pengguna';

interface Session {
  id: string;
  number: number | null;
  curriculum_title: string | null;
  starts_at: string;
  ends_at: string;
  room: string;
  facilitator_id: string;
  status: string;
  held: boolean;
  version: number;
}

async function get<T>(url: string, user = 'bnnk.purbalingga'): Promise<T> {
  const res = await harness.call('GET', url, { token: await harness.login(user) });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

const programmes = await get<{ data: { id: string; title: string; facility_id: string }[] }>(
  '/v1/rehab-programmes?limit=200',
);
const programme = programmes.data.find((p) => p.title === TITLE);
if (!programme) throw new Error('the demo programme is missing');
const PID = programme.id;

const addDays = (date: string, days: number) => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
};
const today = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
const mondayOf = (date: string) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
const dayName = (date: string) =>
  new Intl.DateTimeFormat('id-ID', {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(`${date}T00:00:00Z`));
const hm = (local: string) => local.slice(11, 16).replace(':', '.');
const range = (s: Session) => `${hm(s.starts_at)}–${hm(s.ends_at)} WIB`;

async function sessions(from: string, to: string): Promise<Session[]> {
  const page = await get<{ data: Session[] }>(
    `/v1/rehab-sessions?facility_id=${programme?.facility_id}&programme_id=${PID}&from=${from}&to=${to}&limit=200`,
  );
  return page.data;
}

/** Open sessions after this week, in time order: what the move and cancel flows may change. */
async function coming(): Promise<Session[]> {
  const from = addDays(mondayOf(today()), 7);
  return (await sessions(from, addDays(from, 60))).filter((s) => s.status === 'scheduled' && !s.held);
}

async function facilitatorName(id: string): Promise<string> {
  const [row] = await harness.rows<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [id]);
  return row?.display_name ?? '';
}

async function stored(id: string) {
  const [row] = await harness.rows<{ starts_at: string; room: string; status: string; cancel_reason: string | null }>(
    `SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS starts_at, room, status, cancel_reason
       FROM rehab_sessions WHERE id = $1`,
    [id],
  );
  return row;
}

for (const [index, { name, viewport }] of SIZES.entries()) {
  t.test(`the week of the demo programme at ${name} size`, async (t) => {
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    const monday = mondayOf(today());
    const week = await sessions(monday, addDays(monday, 6));
    t.ok(week.length > 0, 'the demo has sessions this week');

    await signIn(page, 'bnnk.purbalingga');
    await page.getByRole('link', { name: 'Rehabilitasi sosial' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rehabilitasi sosial' }).waitFor();
    t.same(await accessibilityProblems(page), []);
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await page
      .getByRole('heading', {
        level: 2,
        name: `Minggu: ${dayName(monday).replace(/^\S+, /, '')} – ${dayName(addDays(monday, 6)).replace(/^\S+, /, '')}`,
      })
      .waitFor();
    const days = page.locator('.rehab-day');
    await days.first().waitFor();
    t.equal(await days.count(), 7, 'seven days');
    t.same(
      await page.getByRole('heading', { level: 3 }).allTextContents(),
      Array.from({ length: 7 }, (_, i) => dayName(addDays(monday, i))),
    );
    t.equal(await page.locator('.rehab-session').count(), week.length, 'every session of the week, no more');
    for (const s of week) {
      const item = page.locator(`[data-session="${s.id}"]`);
      const day = page
        .locator('.rehab-day')
        .filter({ has: page.getByRole('heading', { name: dayName(s.starts_at.slice(0, 10)) }) });
      t.equal(await day.locator(`[data-session="${s.id}"]`).count(), 1, 'on its day');
      t.equal(await item.getByText(range(s), { exact: true }).count(), 1, `time ${range(s)}`);
      t.equal(await item.getByText(`Ruangan: ${s.room}`, { exact: true }).count(), 1);
      t.equal(
        await item.getByText(`Fasilitator: ${await facilitatorName(s.facilitator_id)}`, { exact: true }).count(),
        1,
      );
      if (s.number) {
        t.equal(await item.getByText(`Sesi ${s.number}: ${s.curriculum_title}`, { exact: true }).count(), 1);
      }
    }
    t.equal(await page.locator('.rehab-day[aria-current="date"] h3').textContent(), dayName(today()));
    t.same(await accessibilityProblems(page), []);

    // Next week and back with "today".
    await page.getByRole('button', { name: 'Minggu berikutnya' }).click();
    const next = await sessions(addDays(monday, 7), addDays(monday, 13));
    await page.getByRole('heading', { level: 3, name: dayName(addDays(monday, 7)) }).waitFor();
    await page.locator('.rehab-session').first().waitFor();
    t.equal(await page.locator('.rehab-session').count(), next.length);
    await page.getByRole('button', { name: 'Hari ini' }).click();
    await page.getByRole('heading', { level: 3, name: dayName(monday) }).waitFor();
    // Nothing of this screen reaches past the window (the shell's top bar is not this screen's).
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('main *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    t.same(wide, [], 'no horizontal scroll in the screen');
    t.same(faults, []);
  });

  t.test(`moving a session at ${name} size: a clash in place, then a free time`, async (t) => {
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    const open_ = await coming();
    const a = open_[2 * index];
    const b = open_[2 * index + 1];
    if (!a || !b) throw new Error('not enough sessions to come');
    const before = await stored(a.id);

    // What the API says of the clash, asked directly: the same refusal must be on the form.
    const token = await harness.login('bnnk.purbalingga');
    const refusal = await harness.call('PATCH', `/v1/rehab-sessions/${a.id}`, {
      token,
      headers: { 'if-match': `"${a.version}"`, 'accept-language': 'id' },
      body: {
        starts_at: b.starts_at.slice(0, 16),
        duration_minutes: 90,
        room: b.room,
        facilitator_id: a.facilitator_id,
      },
    });
    t.equal(refusal.statusCode, 409);
    const problem = refusal.json() as { title: string; detail: string };

    await signIn(page, 'bnnk.purbalingga');
    await page.goto(`/console/rehab/${PID}/sessions/${a.id}`);
    await page.getByRole('heading', { level: 2, name: `${dayName(a.starts_at.slice(0, 10))}, ${range(a)}` }).waitFor();
    t.same(await accessibilityProblems(page), []);

    const form = page.getByRole('form', { name: 'Pindahkan sesi' });
    await form.getByLabel('Tanggal').fill(b.starts_at.slice(0, 10));
    await form.getByLabel('Jam mulai').fill(b.starts_at.slice(11, 16));
    // Sent from the keyboard: Enter in a field submits the form.
    await form.getByLabel('Jam mulai').press('Enter');
    const alert = form.getByRole('alert');
    await alert.waitFor();
    t.equal(await alert.locator('strong').textContent(), problem.title);
    t.equal(await alert.locator('p').textContent(), problem.detail);
    t.match(problem.detail, b.id, 'the API names the session in the way');
    const clash = `Bentrok dengan: Sesi ${b.number}, ${dayName(b.starts_at.slice(0, 10))}, ${range(b)}, Ruangan ${b.room}, Fasilitator ${await facilitatorName(b.facilitator_id)}`;
    await form.getByText(clash, { exact: true }).waitFor();
    t.equal(await page.getByRole('alert').count(), 1, 'the refusal only on the form');
    t.same(await stored(a.id), before, 'nothing changed');
    t.same(await accessibilityProblems(page), []);

    // A free time the same day: 14.00 WIB.
    await form.getByLabel('Tanggal').fill(a.starts_at.slice(0, 10));
    await form.getByLabel('Jam mulai').fill('14:00');
    await form.getByRole('button', { name: 'Simpan jadwal baru' }).click();
    await form.getByRole('status').filter({ hasText: 'Jadwal sesi disimpan.' }).waitFor();
    await page
      .getByRole('heading', { level: 2, name: `${dayName(a.starts_at.slice(0, 10))}, 14.00–15.30 WIB` })
      .waitFor();
    const after = await stored(a.id);
    t.equal(after?.starts_at, new Date(`${a.starts_at.slice(0, 10)}T14:00:00+07:00`).toISOString().replace('.000', ''));
    t.equal(after?.room, a.room);
    t.equal(after?.status, 'scheduled');
    t.same(await accessibilityProblems(page), []);
    t.same(faults, []);
  });

  t.test(`cancelling a session at ${name} size`, async (t) => {
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    const open_ = await coming();
    const c = open_[open_.length - 1 - index];
    if (!c) throw new Error('no session to come');
    await signIn(page, 'bnnk.purbalingga');
    await page.goto(`/console/rehab/${PID}/sessions/${c.id}`);
    await page.getByRole('heading', { level: 2, name: `${dayName(c.starts_at.slice(0, 10))}, ${range(c)}` }).waitFor();
    const form = page.getByRole('form', { name: 'Batalkan sesi' });
    await form.getByLabel('Alasan pembatalan').fill('Penggeledahan mendadak di blok hunian');
    await form.getByRole('button', { name: 'Batalkan sesi' }).click();
    await page.getByText('Alasan: Penggeledahan mendadak di blok hunian', { exact: true }).waitFor();
    t.equal(await page.locator('.card .badge').first().textContent(), 'Dibatalkan');
    t.equal(await page.getByRole('form', { name: 'Pindahkan sesi' }).count(), 0, 'no move once cancelled');
    const row = await stored(c.id);
    t.equal(row?.status, 'cancelled');
    t.equal(row?.cancel_reason, 'Penggeledahan mendadak di blok hunian');
    t.same(await accessibilityProblems(page), []);

    // The calendar shows it cancelled too.
    await page.getByRole('link', { name: 'Kembali ke kalender' }).click();
    // Back at the session's own week.
    await page.getByRole('heading', { level: 3, name: dayName(mondayOf(c.starts_at.slice(0, 10))) }).waitFor();
    const item = page.locator(`[data-session="${c.id}"]`);
    await item.waitFor();
    t.equal(await item.locator('.badge').textContent(), 'Dibatalkan');
    t.same(await accessibilityProblems(page), []);
    t.same(faults, []);
  });

  t.test(
    `the attendance checklist and progress at ${name} size${viewport === DESKTOP ? ', by keyboard' : ''}`,
    async (t) => {
      const { context, page, faults } = await open(server, viewport);
      t.teardown(() => context.close());
      const start = addDays(today(), -60);
      const held = (await sessions(start, addDays(start, 61))).filter((s) => s.held);
      const s = held[held.length - 1 - index];
      if (!s) throw new Error('no held session');
      type Attendance = {
        version: number;
        records: {
          enrolment_id: string;
          inmate: { pseudonym: string; name: string | null };
          status: string;
          reason: string | null;
        }[];
      };
      const list = await get<Attendance>(`/v1/rehab-sessions/${s.id}/attendance`);
      const label = (r: Attendance['records'][number]) =>
        r.inmate.name ? `${r.inmate.name} (${r.inmate.pseudonym})` : r.inmate.pseudonym;
      const present = (status: string) => status === 'attended' || status === 'late';
      // Untick the first who came; tick one who did not, or else untick a second.
      const first = list.records.find((r) => r.status === 'attended');
      const second = list.records.find((r) => !present(r.status)) ?? list.records.find((r) => r !== first);
      if (!first || !second) throw new Error('the roster is too short');
      type Progress = { data: { id: string; progress: { attended: number; sessions_held: number } }[] };
      const progressBefore = (await get<Progress>(`/v1/rehab-programmes/${PID}/enrolments?limit=200`)).data.find(
        (e) => e.id === first.enrolment_id,
      )?.progress;

      await signIn(page, 'bnnk.purbalingga');
      await page.goto(`/console/rehab/${PID}/sessions/${s.id}`);
      const checklist = page.getByRole('group', { name: 'Hadir (centang yang hadir)' });
      await checklist.waitFor();
      for (const r of list.records) {
        t.equal(await checklist.getByLabel(label(r), { exact: true }).isChecked(), present(r.status), label(r));
      }
      t.same(await accessibilityProblems(page), []);

      const targets = [first, second];
      if (viewport === DESKTOP) {
        // Keyboard only: Tab to each box, Space to toggle, Tab to the button, Enter to save.
        const tabTo = async (locator: ReturnType<typeof page.getByLabel>) => {
          for (let i = 0; i < 100; i++) {
            if (await locator.evaluate((el) => el === document.activeElement)) return;
            await page.keyboard.press('Tab');
          }
          throw new Error('not reached by Tab');
        };
        await page.getByRole('heading', { level: 1 }).focus();
        for (const r of targets) {
          await tabTo(checklist.getByLabel(label(r), { exact: true }));
          await page.keyboard.press('Space');
        }
        await tabTo(page.getByRole('button', { name: 'Simpan daftar hadir' }));
        await page.keyboard.press('Enter');
      } else {
        for (const r of targets) await checklist.getByLabel(label(r), { exact: true }).click();
        await page.getByRole('button', { name: 'Simpan daftar hadir' }).click();
      }
      await page.getByRole('status').filter({ hasText: 'Daftar hadir disimpan.' }).waitFor();

      const expected = list.records
        .map((r) => {
          if (!targets.includes(r)) return { enrolment_id: r.enrolment_id, status: r.status, reason: r.reason };
          if (present(r.status)) return { enrolment_id: r.enrolment_id, status: 'absent', reason: null };
          return { enrolment_id: r.enrolment_id, status: 'attended', reason: null };
        })
        .sort((x, y) => x.enrolment_id.localeCompare(y.enrolment_id));
      const rows = await harness.rows<{ enrolment_id: string; status: string; reason: string | null }>(
        'SELECT enrolment_id, status, reason FROM rehab_attendance WHERE session_id = $1 ORDER BY enrolment_id',
        [s.id],
      );
      t.same(
        rows.map((r) => ({ ...r })),
        expected,
        'stored exactly',
      );
      for (const r of list.records) {
        const ticked = targets.includes(r) ? !present(r.status) : present(r.status);
        t.equal(await checklist.getByLabel(label(r), { exact: true }).isChecked(), ticked);
      }
      t.same(await accessibilityProblems(page), []);

      // Progress: one fewer attended for the one unticked.
      await page.getByRole('link', { name: 'Peserta dan kemajuan' }).click();
      await page.getByRole('heading', { level: 1, name: 'Peserta dan kemajuan' }).waitFor();
      const attended = (progressBefore?.attended ?? 0) - 1;
      const heldCount = progressBefore?.sessions_held ?? 0;
      await page
        .locator(`[data-enrolment="${first.enrolment_id}"]`)
        .getByText(`${attended} dari ${heldCount} sesi dihadiri`, { exact: true })
        .waitFor();
      t.same(await accessibilityProblems(page), []);
      t.same(faults, []);
    },
  );
}

for (const user of ['staff.kupang', 'bnnp.ntt']) {
  t.test(`${user} has no reach: the programme is not found`, async (t) => {
    const { context, page, faults } = await open(server, DESKTOP);
    t.teardown(() => context.close());
    await signIn(page, user);
    await page.goto(`/console/rehab/${PID}`);
    await page.getByRole('heading', { level: 1, name: 'Program tidak ditemukan' }).waitFor();
    t.equal(await page.locator('.rehab-session').count(), 0);
    t.same(await accessibilityProblems(page), []);
    t.same(faults, []);
  });
}

t.test('a facility head reads the week without changing it', async (t) => {
  const { context, page, faults } = await open(server, SIZES[0].viewport);
  t.teardown(() => context.close());
  const open_ = await coming();
  const s = open_[0];
  if (!s) throw new Error('no session to come');
  await signIn(page, 'head.banjarnegara');
  await page.goto(`/console/rehab/${PID}/sessions/${s.id}`);
  await page.getByRole('heading', { level: 2, name: `${dayName(s.starts_at.slice(0, 10))}, ${range(s)}` }).waitFor();
  t.equal(await page.getByRole('form').count(), 0, 'no forms for a reader');
  t.same(await accessibilityProblems(page), []);
  t.same(faults, []);
});

for (const [index, { name, viewport }] of SIZES.entries()) {
  t.test(`weekly slots at ${name} size: listed, and one added`, async (t) => {
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    const slots = await get<{ data: { weekday: number; start_time: string; room: string; facilitator_id: string }[] }>(
      `/v1/rehab-programmes/${PID}/slots`,
    );
    await signIn(page, 'bnnk.purbalingga');
    await page.goto(`/console/rehab/${PID}/slots`);
    await page.getByRole('heading', { level: 1, name: 'Slot mingguan' }).waitFor();
    const weekdays = ['Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu'];
    const facilitator = await facilitatorName(slots.data[0]?.facilitator_id ?? '');
    for (const s of slots.data) {
      await page
        .getByText(`${weekdays[s.weekday - 1]} ${s.start_time.slice(0, 5).replace(':', '.')} WIB`, { exact: true })
        .first()
        .waitFor();
    }
    t.equal(
      await page.getByText(`90 menit · Ruangan: Aula Bimker · Fasilitator: ${facilitator}`, { exact: true }).count(),
      slots.data.length,
    );
    t.same(await accessibilityProblems(page), []);

    // Past the curriculum, at an hour nothing else takes: Monday for one size, Friday for the other.
    const weekday = index === 0 ? 1 : 5;
    const form = page.getByRole('form', { name: 'Tambah slot mingguan' });
    await form.getByLabel('Hari').selectOption(String(weekday));
    await form.getByLabel('Jam mulai (WIB)').fill('13:00');
    await form.getByLabel('Lanjutkan melewati kurikulum').check();
    await form.getByRole('button', { name: 'Tambah slot mingguan' }).click();
    await form.getByRole('status').filter({ hasText: 'Slot ditambahkan; sesinya dijadwalkan.' }).waitFor();
    await page.getByText(`${weekdays[weekday - 1]} 13.00 WIB`, { exact: true }).waitFor();
    const [row] = await harness.rows<{ start_time: string; room: string; sessions: number }>(
      `SELECT s.start_time::text AS start_time, s.room, (SELECT count(*)::int FROM rehab_sessions r WHERE r.slot_id = s.id) AS sessions
         FROM rehab_slots s WHERE s.programme_id = $1 AND s.weekday = $2`,
      [PID, weekday],
    );
    t.equal(row?.start_time.slice(0, 5), '13:00');
    t.equal(row?.room, 'Aula Bimker');
    t.ok((row?.sessions ?? 0) > 0, 'its sessions are booked');
    t.same(await accessibilityProblems(page), []);
    t.same(faults, []);
  });

  t.test(`enrolling from the register at ${name} size`, async (t) => {
    const { context, page, faults } = await open(server, viewport);
    t.teardown(() => context.close());
    type Enrolments = { data: { id: string; status: string; inmate: { id: string } }[] };
    const enrolled = (await get<Enrolments>(`/v1/rehab-programmes/${PID}/enrolments?limit=200`)).data;
    const register = await get<{
      data: { id: string; name: string; pseudonym: string; status: string }[];
    }>(`/v1/facilities/${programme?.facility_id}/inmates?limit=200`);
    const candidate = register.data.filter(
      (i) => (i.status === 'detained' || i.status === 'sentenced') && !enrolled.some((e) => e.inmate.id === i.id),
    )[index];
    if (!candidate) throw new Error('no one left to enrol');

    await signIn(page, 'bnnk.purbalingga');
    await page.goto(`/console/rehab/${PID}/enrolments`);
    await page.getByRole('heading', { level: 1, name: 'Peserta dan kemajuan' }).waitFor();
    await page.locator('[data-enrolment]').first().waitFor();
    t.equal(await page.locator('[data-enrolment]').count(), enrolled.length, 'every participant listed');
    t.same(await accessibilityProblems(page), []);
    const form = page.getByRole('form', { name: 'Daftarkan WBP' });
    await form.getByLabel('WBP dari register').selectOption(candidate.id);
    await form.getByLabel('Menunggu tempat').check();
    await form
      .getByLabel('Alasan (wajib bila bukan pengguna atau positif terkonfirmasi)')
      .fill('Rujukan wali pemasyarakatan setelah asesmen');
    await form.getByRole('button', { name: 'Daftarkan WBP' }).click();
    await form.getByRole('status').filter({ hasText: 'WBP didaftarkan.' }).waitFor();
    const [row] = await harness.rows<{ id: string; status: string }>(
      'SELECT id, status FROM rehab_enrolments WHERE programme_id = $1 AND inmate_id = $2',
      [PID, candidate.id],
    );
    t.equal(row?.status, 'awaiting');
    const item = page.locator(`[data-enrolment="${row?.id}"]`);
    await item.getByText('Menunggu tempat', { exact: true }).waitFor();

    // Then a place: awaiting becomes active.
    await item.getByLabel('Ubah status menjadi').selectOption('active');
    await item.getByRole('button', { name: 'Ubah status' }).click();
    await item.locator('.badge.ok').filter({ hasText: 'Aktif' }).waitFor();
    const [after] = await harness.rows<{ status: string }>('SELECT status FROM rehab_enrolments WHERE id = $1', [
      row?.id,
    ]);
    t.equal(after?.status, 'active');
    t.same(await accessibilityProblems(page), []);
    t.same(faults, []);
  });
}
