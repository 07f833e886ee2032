import { deflateSync } from 'node:zlib';
import { addDays, type Demo } from './context.ts';
import type { Inmate } from './registers.ts';

// Sidak at Banjarnegara: one signed off three weeks ago with its findings, evidence and actions, and a
// draft begun yesterday.

/** A 1x1 PNG, built here so that the evidence upload sees a real image. */
export function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 0x2e, 0x7d, 0x32]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A surprise inspection three weeks ago, signed off; its CCTV action is overdue. */
export async function signedOffInspection(d: Demo, held: Inmate[]): Promise<void> {
  const { call, at, today } = d;
  const banjarnegara = d.facilities.banjarnegara as string;
  const sidak = addDays(today, -21);
  at(sidak, '12:00');
  const inspection = await call('POST', `/v1/facilities/${banjarnegara}/inspections`, 'staff.banjarnegara', {
    kind: 'surprise',
    team: [
      { name: 'Karutan Banjarnegara', agency: 'facility', role: 'ketua' },
      { name: 'Tim BNNK Purbalingga', agency: 'bnn' },
    ],
    started_at: `${sidak}T09:00:00`,
    ended_at: `${sidak}T11:30:00`,
    areas: [{ kind: 'block', name: 'A' }, { kind: 'block', name: 'B' }, { kind: 'kitchen' }],
    inmates_searched: 96,
    officers_searched: 8,
    summary: 'Penggeledahan blok hunian A dan B serta dapur bersama tim BNNK Purbalingga.',
  });
  const phone = await call('POST', `/v1/inspections/${inspection.id}/findings`, 'staff.banjarnegara', {
    category: 'mobile_phone',
    description: 'Dua telepon genggam di dalam bantal',
    quantity: 2,
    unit: 'pieces',
    location: 'Blok A kamar 3',
    people: [{ type: 'inmate', id: held[10]?.id }],
  });
  await call('POST', `/v1/inspections/${inspection.id}/findings`, 'staff.banjarnegara', {
    category: 'sharp_object',
    description: 'Sendok yang diasah',
    quantity: 1,
    unit: 'pieces',
    location: 'Blok B kamar 1',
  });
  const boundary = 'bersinar-demo-boundary';
  const part = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  await call(
    'POST',
    `/v1/inspections/${inspection.id}/findings/${phone.id}/evidence`,
    'staff.banjarnegara',
    Buffer.concat([
      Buffer.from(part('kind', 'photo') + part('description', 'Foto telepon genggam di lokasi temuan')),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="temuan.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      tinyPng(),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    { 'content-type': `multipart/form-data; boundary=${boundary}` },
  );
  await call('POST', `/v1/inspections/${inspection.id}/actions`, 'staff.banjarnegara', {
    description: 'Pasang kamera CCTV di blok A',
    due_date: addDays(today, -7),
  });
  await call('POST', `/v1/inspections/${inspection.id}/actions`, 'staff.banjarnegara', {
    description: 'Ganti kunci kamar blok B',
    due_date: addDays(today, 30),
  });
  await call('POST', `/v1/inspections/${inspection.id}/submit`, 'staff.banjarnegara');
  at(addDays(sidak, 1), '10:00');
  await call('POST', `/v1/inspections/${inspection.id}/sign-off`, 'head.banjarnegara');
  d.summary.inspections++;
}

/** A draft inspection begun yesterday, still being written. */
export async function draftInspection(d: Demo): Promise<void> {
  const { call, at, today } = d;
  const banjarnegara = d.facilities.banjarnegara as string;
  at(addDays(today, -1), '14:00');
  await call('POST', `/v1/facilities/${banjarnegara}/inspections`, 'staff.banjarnegara', {
    kind: 'scheduled',
    team: [{ name: 'Regu Pengamanan II', agency: 'facility', role: 'ketua' }],
    started_at: `${addDays(today, -1)}T08:00:00`,
    ended_at: `${addDays(today, -1)}T09:30:00`,
    areas: [{ kind: 'block', name: 'C' }],
    inmates_searched: 40,
    officers_searched: 0,
    summary: 'Pemeriksaan rutin blok C.',
  });
  d.summary.inspections++;
}
