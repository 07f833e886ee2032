// The glossary's Indonesian words for what the English texts name by their API codes: the records a
// 404 names, the statuses a conflict names (DOMAIN.md). The API keeps its English codes.

/** What a 404 names, in Indonesian with the glossary's terms. */
export const ENTITIES = {
  'API client': 'klien API',
  'KOTAN assessment': 'penilaian KOTAN',
  MoU: 'MoU (nota kesepahaman)',
  'action item': 'rencana aksi rakor',
  addendum: 'adendum',
  campaign: 'kegiatan P4GN',
  'closed scorecard': 'rapor kepatuhan yang sudah ditutup',
  'coordination meeting': 'rakor (rapat koordinasi)',
  'corrective action': 'tindakan korektif',
  'custody entry': 'catatan penahanan',
  evidence: 'bukti',
  facility: 'Lapas/Rutan',
  file: 'berkas',
  finding: 'temuan',
  'follow-up case': 'kasus tindak lanjut (asesmen)',
  inmate: 'WBP',
  inspection: 'sidak (inspeksi mendadak)',
  officer: 'petugas',
  organisation: 'organisasi',
  'rehab enrolment': 'peserta rehabilitasi sosial',
  'rehab programme': 'program rehabilitasi sosial',
  'rehab session': 'sesi rehabilitasi sosial',
  'training participant': 'peserta pelatihan petugas',
  training: 'pelatihan petugas',
  'urine test round': 'putaran tes urine',
  'urine test': 'tes urine',
  user: 'pengguna',
  'webhook delivery': 'pengiriman webhook',
  'webhook subscription': 'langganan webhook',
} as const satisfies Record<string, string>;
export type Entity = keyof typeof ENTITIES;
/** An entity's Indonesian name; a value that is none is shown as given. */
export const entity = (v: unknown) => ENTITIES[v as Entity] ?? String(v);

/** Indonesian words for the record statuses a conflict names. */
const STATUS_ID: Record<string, string> = {
  // WBP
  detained: 'ditahan',
  sentenced: 'berstatus narapidana',
  released: 'sudah bebas',
  transferred: 'sudah dipindahkan',
  deceased: 'sudah meninggal dunia',
  // Follow-up cases (asesmen)
  awaiting_assessment: 'menunggu asesmen TAT',
  assessed: 'sudah diases',
  decided: 'sudah diputuskan',
  closed: 'sudah ditutup',
  // Draws of a tes urine round
  selected: 'terpilih',
  standby: 'cadangan',
  tested: 'sudah dites',
  not_tested: 'tidak dites',
  // Enrolments in rehabilitasi sosial
  awaiting: 'menunggu',
  active: 'aktif',
  completed: 'selesai',
  withdrawn: 'mengundurkan diri',
};
export const statusId = (status: unknown) => STATUS_ID[String(status)] ?? String(status);
/** Who a tes urine round tests, in Indonesian. */
const SUBJECTS_ID: Record<string, string> = { inmate: 'WBP', officer: 'petugas' };
export const subjectId = (type: string) => SUBJECTS_ID[type] ?? type;
/** What a booking clash names: a room, a facilitator or a WBP. */
const BOOKED_ID: Record<string, string> = { room: 'ruang', facilitator: 'fasilitator', inmate: 'WBP' };
export const bookedId = (kind: string) => {
  const [first = '', ...rest] = kind.split(' ');
  return [BOOKED_ID[first] ?? first, ...rest].join(' ');
};
