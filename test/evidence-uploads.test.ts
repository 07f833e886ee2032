import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import pg from 'pg';
import t, { type Test } from 'tap';
import { LocalEvidenceStore } from '../src/modules/inspections/evidence-store.ts';
import { build } from './helpers/app.ts';
import { multipart, png } from './helpers/multipart.ts';
import { draftFinding } from './helpers/reports.ts';
import { keptLog, watchEscapes } from './helpers/watch.ts';

// Hostile evidence uploads (issue 15): bodies cut short, clients that drop off, no boundary, content
// that is not what it claims, file names that lie. Sent over a real socket where inject cannot
// (a body that stops half-way), and the same process must answer afterwards.

const noneEscaped = watchEscapes(t);

// What the service logs, to tell a dropped client from a fault of ours.
const { logs, logger } = keptLog();

const h = await build(t, {}, { logger });
await h.app.listen({ port: 0, host: '127.0.0.1' });
const port = (h.app.server.address() as AddressInfo).port;
const evidenceDir = h.app.config.EVIDENCE_DIR as string;
const incoming = join(evidenceDir, 'incoming');
const NO_ID = '00000000-0000-0000-0000-000000000000';

// Sample files: what a phone or camera writes at the start, then bytes of no meaning.
const JFIF = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
const jpeg = (size = 2048) => Buffer.concat([JFIF, randomBytes(size - JFIF.length - 2), Buffer.from([0xff, 0xd9])]);
const ftyp = (brand: string, compatible: string) =>
  Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from(`ftyp${brand}`), Buffer.alloc(4), Buffer.from(compatible)]);
const heic = (size = 2048) => Buffer.concat([ftyp('heic', 'mif1heic'), randomBytes(size - 24)]);
/** A lossy WebP: its RIFF header, then a VP8 chunk of bytes of no meaning. */
const webp = (size = 2048) => {
  const head = Buffer.alloc(20);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(size - 8, 4);
  head.write('WEBPVP8 ', 8, 'latin1');
  head.writeUInt32LE(size - 20, 16);
  return Buffer.concat([head, randomBytes(size - 20)]);
};

/** Evidence recorded on the finding an upload URL names. */
const countAt = (url: string) => h.count('evidence_items', `finding_id = '${url.split('/')[5]}'`);

const photoFields = { kind: 'photo', description: 'Foto temuan di lokasi' };

async function upload(
  url: string,
  file: { name: string; type: string; data: Buffer },
  fields: Record<string, string> = photoFields,
  key?: string,
) {
  // A fresh boundary each time, as a client resending a form writes it anew.
  const { body, contentType } = multipart(fields, file);
  return h.call('POST', url, {
    token: await h.login('staff.banjarnegara'),
    payload: body,
    headers: { 'content-type': contentType, ...(key ? { 'idempotency-key': key } : {}) },
  });
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
}

/** A socket of its own to the listening app; the answer is read until the server closes it. */
function connect() {
  const socket = net.connect(port, '127.0.0.1');
  const started = performance.now();
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  // A server that never answers fails the test here rather than hanging it (before the server's own
  // 30-second connection timeout, which is what a cut body met before).
  socket.setTimeout(25_000, () => socket.destroy());
  const answer = new Promise<RawAnswer>((resolve) => {
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const at = line.indexOf(':');
        if (at > 0) headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({
        status: Number(statusLine.split(' ')[1] ?? 0),
        headers,
        body: rest.join('\r\n\r\n'),
        ms: performance.now() - started,
      });
    });
  });
  return { socket, answer };
}

async function requestHead(method: string, url: string, contentType: string, length: number) {
  const token = await h.login('staff.banjarnegara');
  return (
    `${method} ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
    `Content-Type: ${contentType}\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`
  );
}

/** Sends a whole request and reads its answer. */
async function exchange(method: string, url: string, contentType: string, body: Buffer, length = body.length) {
  const { socket, answer } = connect();
  socket.write(await requestHead(method, url, contentType, length));
  socket.write(body);
  return answer;
}

async function stillAnswers(t: Test) {
  const { socket, answer } = connect();
  socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  t.equal((await answer).status, 200, 'the same process still answers');
}

/** Descriptors this process holds open on files in the evidence folder. */
function evidenceDescriptors(): string[] {
  const held: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(evidenceDir)) held.push(target);
    } catch {
      // closed while we looked
    }
  }
  return held;
}

const incomingFiles = () => {
  try {
    return readdirSync(incoming);
  } catch {
    return [];
  }
};

/** Waits for a condition the server reaches on its own (closing a file after a dropped upload). */
async function eventually(condition: () => boolean, ms = 20_000): Promise<boolean> {
  const until = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

t.test('a body cut before its closing boundary is a 400 as soon as it ends, and nothing is kept', async (t) => {
  const url = await draftFinding(h);
  const { body, contentType } = multipart(photoFields, { name: 'temuan.png', type: 'image/png', data: png(8192) });
  const fileStarts = body.indexOf('Content-Type: image/png');
  const cuts: [string, number][] = [
    ['within a field', body.indexOf('Foto temuan') + 4],
    ['within the file part headers', fileStarts + 10],
    ['within the file', fileStarts + 4000],
    ['after the file, before the closing delimiter', body.length - `--\r\n`.length - 40],
  ];
  for (const [where, at] of cuts) {
    const answer = await exchange('POST', url, contentType, body.subarray(0, at));
    t.equal(answer.status, 400, where);
    t.equal(answer.headers['content-type'], 'application/problem+json; charset=utf-8', `${where}: problem+json`);
    const problem = JSON.parse(answer.body || '{}');
    t.equal(problem.code, 'malformed_multipart', `${where}: code`);
    t.equal(
      problem.detail,
      'The multipart/form-data body cannot be read: it ends before its closing boundary. Nothing was stored.',
      `${where}: detail`,
    );
    t.ok(answer.ms < 15_000, `${where}: answered as the body ended, not at a timeout (${Math.round(answer.ms)} ms)`);
  }
  t.equal(await countAt(url), 0, 'no evidence recorded');
  t.ok(await eventually(() => incomingFiles().length === 0), 'no temp file left');
  t.same(evidenceDescriptors(), [], 'no descriptor held');
  const whole = await exchange('POST', url, contentType, body);
  t.equal(whole.status, 201, 'the same body whole is taken');
  await stillAnswers(t);
  noneEscaped(t);
});

t.test('a body cut while the store is still getting ready lets no error escape', async (t) => {
  const url = await draftFinding(h);
  const { body, contentType } = multipart(photoFields, { name: 'temuan.png', type: 'image/png', data: png(8192) });
  const cut = body.subarray(0, body.length - 1000);
  const firstPart = body.indexOf('Content-Type: image/png') + 2000;
  // A store slow to start writing (a disk or object store that takes its time): the body's end
  // arrives while it gets ready, and it starts only once the stream it was given has failed.
  const store = h.app.evidenceStore;
  const save = store.save.bind(store);
  let started!: () => void;
  const saveStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  // The real save runs after the answer has gone: the checks below wait for it to have ended.
  let ended!: () => void;
  const saved = new Promise<void>((resolve) => {
    ended = resolve;
  });
  store.save = async (content: Readable) => {
    started();
    await eventually(() => content.destroyed);
    return save(content).finally(ended);
  };
  t.teardown(() => {
    store.save = save;
  });

  const { socket, answer } = connect();
  socket.write(await requestHead('POST', url, contentType, cut.length));
  socket.write(cut.subarray(0, firstPart));
  await saveStarted;
  socket.write(cut.subarray(firstPart));
  const answered = await answer;
  t.equal(answered.status, 400);
  t.equal(JSON.parse(answered.body || '{}').code, 'malformed_multipart');
  store.save = save;
  await saved;
  t.same(incomingFiles(), [], 'no temp file left');
  t.equal(await countAt(url), 0, 'no evidence recorded');
  await stillAnswers(t);
  noneEscaped(t);
});

t.test('clients that drop off mid-upload leave no descriptor, no temp file and no error log', async (t) => {
  const url = await draftFinding(h);
  const { body, contentType } = multipart(photoFields, { name: 'temuan.png', type: 'image/png', data: png(200_000) });
  const fileData = body.indexOf('Content-Type: image/png') + 100;
  const logged = logs.length;
  const dropped = () =>
    logs.slice(logged).filter((l) => l.msg === 'evidence upload dropped by its client before its end');
  for (let i = 0; i < 50; i++) {
    // One at a time: the last one is done with before the next begins.
    if (!(await eventually(() => dropped().length === i && evidenceDescriptors().length === 0))) break;
    const { socket, answer } = connect();
    socket.write(await requestHead('POST', url, contentType, body.length));
    socket.write(body.subarray(0, fileData + 50_000));
    // Dropped once the server is writing the file: the moment a descriptor is held.
    t.ok(await eventually(() => evidenceDescriptors().length > 0), `upload ${i + 1}: the server was writing it`, {
      diagnostic: false,
    });
    socket.destroy();
    await answer;
  }
  t.ok(await eventually(() => evidenceDescriptors().length === 0), 'every descriptor closed');
  t.same(evidenceDescriptors(), [], 'no descriptor held after 50 dropped uploads');
  t.ok(await eventually(() => incomingFiles().length === 0), 'every temp file removed');
  t.same(incomingFiles(), [], 'nothing left in incoming/');
  t.equal(await countAt(url), 0, 'no evidence recorded');
  const after = logs.slice(logged);
  t.same(
    after.filter((l) => l.level >= 50).map((l) => l.msg),
    [],
    'no error logged (a dropped client is no fault of ours)',
  );
  await eventually(() => dropped().length === 50);
  t.equal(dropped().length, 50, 'each dropped upload logged as such');
  const whole = await exchange('POST', url, contentType, body);
  t.equal(whole.status, 201, 'a whole upload is taken afterwards');
  await stillAnswers(t);
  noneEscaped(t);
});

t.test('multipart/form-data without a usable boundary is a 400', async (t) => {
  const url = await draftFinding(h);
  const { body } = multipart(photoFields, { name: 'temuan.png', type: 'image/png', data: png() });
  const noBoundary = await exchange('POST', url, 'multipart/form-data', body);
  t.equal(noBoundary.status, 400, 'no boundary, over a socket');
  t.equal(noBoundary.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(
    JSON.parse(noBoundary.body || '{}').detail,
    'The multipart/form-data body cannot be read: the Content-Type names no boundary. Nothing was stored.',
  );
  const token = await h.login('staff.banjarnegara');
  const injected = await h.call('POST', url, {
    token,
    payload: body,
    headers: { 'content-type': 'multipart/form-data' },
  });
  t.equal(injected.statusCode, 400, 'no boundary');
  t.equal(injected.json().code, 'malformed_multipart');
  const tooLong = await h.call('POST', url, {
    token,
    payload: body,
    headers: { 'content-type': `multipart/form-data; boundary=${'b'.repeat(300)}` },
  });
  t.equal(tooLong.statusCode, 400, 'a boundary longer than any parser takes');
  t.equal(tooLong.json().code, 'malformed_multipart');
  t.equal(await countAt(url), 0);
  await stillAnswers(t);
  noneEscaped(t);
});

t.test('imports and downloads: a dropped or cut stream leaves the process whole', async (t) => {
  const facility = h.world.facilities.banjarnegara;
  for (const [type, start] of [
    ['text/csv', 'registration_number;name;birth_date\nB.I-1/2026;Budi;1990-01-01\n'],
    ['application/json', '[{"registration_number":"B.I-1/2026","name":"Bu'],
  ] as const) {
    const { socket, answer } = connect();
    socket.write(await requestHead('POST', `/v1/facilities/${facility}/inmates/import`, type, 100_000));
    socket.write(start);
    socket.destroy();
    await answer;
  }
  // A download the client stops reading and drops: the file is closed.
  const url = await draftFinding(h);
  const big = await upload(url, { name: 'besar.png', type: 'image/png', data: png(16_000_000) });
  t.equal(big.statusCode, 201);
  const { socket, answer } = connect();
  socket.pause();
  socket.write(
    `GET ${big.json().file.url} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${await h.login('staff.banjarnegara')}\r\n\r\n`,
  );
  t.ok(await eventually(() => evidenceDescriptors().length > 0), 'the server is sending the file');
  socket.destroy();
  await answer;
  t.ok(await eventually(() => evidenceDescriptors().length === 0), 'the file is closed when its reader leaves');
  await stillAnswers(t);
  noneEscaped(t);
});

t.test('a download whose file is gone from the store is a 500 told before any byte', async (t) => {
  const url = await draftFinding(h);
  const uploaded = await upload(url, { name: 'hilang.png', type: 'image/png', data: png() });
  t.equal(uploaded.statusCode, 201);
  const [row] = await h.rows<{ storage_key: string }>('SELECT storage_key FROM evidence_items WHERE id = $1', [
    uploaded.json().id,
  ]);
  rmSync(join(evidenceDir, row?.storage_key as string));
  const logged = logs.length;
  const gone = await h.call('GET', uploaded.json().file.url, { token: await h.login('head.banjarnegara') });
  t.equal(gone.statusCode, 500);
  t.equal(gone.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(gone.json().code, 'internal_error');
  t.same(
    logs
      .slice(logged)
      .filter((l) => l.level >= 50)
      .map((l) => l.msg),
    ['evidence file missing or unreadable'],
    'logged as what it is',
  );
  await stillAnswers(t);
  noneEscaped(t);
});

t.test('a file removed before its upload is recorded is a 503 to send again, and nothing is recorded', async (t) => {
  // Another upload of the same bytes, refused at that moment, removes the shared file: this one
  // must not record evidence whose file is gone.
  const url = await draftFinding(h);
  const photo = { name: 'kembar.png', type: 'image/png', data: png(2048) };
  const store = h.app.evidenceStore;
  const save = store.save.bind(store);
  store.save = async (content) => {
    const stored = await save(content);
    await store.remove(stored.key);
    return stored;
  };
  t.teardown(() => {
    store.save = save;
  });
  const audits = () =>
    h.count('audit_events', `action = 'inspection.evidence_added' AND entity_id = '${url.split('/')[3]}'`);
  const auditedBefore = await audits();
  const gone = await upload(url, photo);
  store.save = save;
  t.equal(gone.statusCode, 503);
  t.equal(gone.headers['retry-after'], '1');
  t.equal(gone.json().code, 'evidence_file_gone');
  t.equal(await countAt(url), 0, 'no evidence recorded');
  t.equal(await audits(), auditedBefore, 'nothing audited');
  const again = await upload(url, photo);
  t.equal(again.statusCode, 201, 'sent again, it is taken');
  t.equal(await countAt(url), 1);
  noneEscaped(t);
});

t.test('content is checked by file-type: HEIC photos taken, a page behind a JPEG header refused', async (t) => {
  const url = await draftFinding(h);
  const photo = jpeg();
  const taken = await upload(url, { name: 'foto.jpg', type: 'image/jpeg', data: photo });
  t.equal(taken.statusCode, 201, 'a JPEG photo');

  const page = Buffer.from('<!DOCTYPE html><html><body><script>fetch("/v1/inspections")</script></body></html>');
  for (const [what, data] of [
    ['a JPEG header followed by a page', Buffer.concat([JFIF, page])],
    ['a page after 10 KB of JPEG', Buffer.concat([jpeg(10_240).subarray(0, -2), page, Buffer.from([0xff, 0xd9])])],
    ['an SVG behind a PNG header', Buffer.concat([png(600), Buffer.from('<svg onload="alert(1)"/>')])],
  ] as const) {
    const refused = await upload(url, {
      name: 'foto.jpg',
      type: what.includes('PNG') ? 'image/png' : 'image/jpeg',
      data,
    });
    t.equal(refused.statusCode, 415, what);
    t.equal(refused.json().code, 'unsupported_media_type', `${what}: code`);
  }

  const iphone = heic();
  const heicPhoto = await upload(url, { name: 'IMG_0042.HEIC', type: 'image/heic', data: iphone });
  t.equal(heicPhoto.statusCode, 201, 'a HEIC photo');
  t.equal(heicPhoto.json().file?.media_type, 'image/heic');
  const [stored] = await h.rows<{ file_media_type: string }>(
    'SELECT file_media_type FROM evidence_items WHERE id = $1',
    [heicPhoto.json().id ?? NO_ID],
  );
  t.equal(stored?.file_media_type, 'image/heic', 'stored as image/heic');
  const heifLabel = await upload(url, { name: 'IMG_0043.heif', type: 'image/heif', data: heic() });
  t.equal(heifLabel.statusCode, 201, 'labelled image/heif by the phone');
  t.equal(heifLabel.json().file?.media_type, 'image/heic', 'kept as what the content is');
  const heicAsVideo = await upload(
    url,
    { name: 'IMG_0044.mp4', type: 'video/mp4', data: heic() },
    {
      kind: 'video',
      description: 'Video temuan',
    },
  );
  t.equal(heicAsVideo.statusCode, 415, 'a HEIC photo is no video');
  const video = await upload(
    url,
    { name: 'VID_0001.mp4', type: 'video/mp4', data: Buffer.concat([ftyp('isom', 'isomiso2'), randomBytes(4000)]) },
    { kind: 'video', description: 'Video temuan' },
  );
  t.equal(video.statusCode, 201, 'an MP4 video');
  t.equal(await countAt(url), 4, 'the JPEG, two HEIC photos and the video');
  noneEscaped(t);
});

t.test('a WebP photo is taken for what its content is, and only for that', async (t) => {
  const url = await draftFinding(h);
  const taken = await upload(url, { name: 'IMG_0050.webp', type: 'image/webp', data: webp() });
  t.equal(taken.statusCode, 201, 'a WebP photo');
  t.equal(taken.json().file?.media_type, 'image/webp');
  const named = await upload(url, { name: 'IMG_0051.png', type: 'image/png', data: webp() });
  t.same(
    [named.statusCode, named.json().code, named.json().detail],
    [
      415,
      'unsupported_media_type',
      'Content type image/png (the content is image/webp) is not accepted here; send a photo as image/jpeg, image/png, image/webp, image/heic, image/heif.',
    ],
    'a WebP named a PNG',
  );
  const page = Buffer.from('<!DOCTYPE html><html><body><script>fetch("/v1/inspections")</script></body></html>');
  const behind = await upload(url, {
    name: 'IMG_0052.webp',
    type: 'image/webp',
    data: Buffer.concat([webp(600), page]),
  });
  t.equal(behind.statusCode, 415, 'a page behind a WebP header');
  const posing = await upload(url, { name: 'IMG_0053.webp', type: 'image/webp', data: jpeg() });
  t.equal(posing.statusCode, 415, 'a JPEG named a WebP');
  t.equal(await countAt(url), 1, 'only the WebP photo');
  noneEscaped(t);
});

t.test('downloads are attachments under a safe name, sandboxed and not sniffed', async (t) => {
  const url = await draftFinding(h);
  const token = await h.login('head.banjarnegara');
  const plain = await upload(url, { name: 'temuan.png', type: 'image/png', data: png() });
  const first = await h.call('GET', plain.json().file.url, { token });
  t.equal(first.statusCode, 200);
  t.equal(first.headers['content-disposition'], 'attachment; filename="temuan.png"');
  t.equal(first.headers['content-security-policy'], 'sandbox');
  t.equal(first.headers['x-content-type-options'], 'nosniff');
  const named = await upload(url, { name: 'Barang bukti sabu café 图片 100%.png', type: 'image/png', data: png() });
  const second = await h.call('GET', named.json().file.url, { token });
  t.equal(
    second.headers['content-disposition'],
    `attachment; filename="Barang bukti sabu cafe __ 100%.png"; filename*=UTF-8''Barang%20bukti%20sabu%20caf%C3%A9%20%E5%9B%BE%E7%89%87%20100%25.png`,
  );
  noneEscaped(t);
});

t.test('file names: no path, no controls or bidi marks, NFC, at most 255 characters', async (t) => {
  const url = await draftFinding(h);
  const cases: [string, string, string][] = [
    ['path parts', 'C:\\Users\\budi\\..\\Desktop\\foto.png', 'foto.png'],
    [
      'controls and bidi marks',
      'foto\u0000\u0007\u0085\u200e\u200f\u202a\u202b\u202c\u202d\u202egnp\u2066\u2067\u2068\u2069.exe.png',
      'fotognp.exe.png',
    ],
    ['NFD made NFC', 'fo\u0308to Cafe\u0301.png', 'f\u00f6to Caf\u00e9.png'],
    ['5,000 characters', `${'a'.repeat(5_000)}.png`, `${'a'.repeat(251)}.png`],
  ];
  for (const [what, given, kept] of cases) {
    const res = await upload(url, { name: given, type: 'image/png', data: png() });
    t.equal(res.statusCode, 201, what);
    t.equal(res.json().file?.name, kept, `${what}: answered`);
    const [row] = await h.rows<{ file_name: string }>('SELECT file_name FROM evidence_items WHERE id = $1', [
      res.json().id ?? NO_ID,
    ]);
    t.equal(row?.file_name, kept, `${what}: stored`);
  }
  noneEscaped(t);
});

t.test('incoming/ is swept of files older than an hour, at start and on demand', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bersinar-sweep-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'incoming'));
  const now = Date.now();
  const aged = (name: string, ageMs: number) => {
    writeFileSync(join(dir, 'incoming', name), 'part of an upload');
    const at = new Date(now - ageMs);
    utimesSync(join(dir, 'incoming', name), at, at);
  };
  aged('two-hours', 2 * 3_600_000);
  aged('just-over-an-hour', 3_600_000 + 60_000);
  aged('ten-minutes', 600_000);
  aged('now', 0);
  const store = new LocalEvidenceStore(dir);
  t.equal(await store.sweep(3_600_000, now), 2, 'two removed');
  t.same(readdirSync(join(dir, 'incoming')).sort(), ['now', 'ten-minutes'], 'uploads in flight kept');
  t.equal(await new LocalEvidenceStore(join(dir, 'none')).sweep(), 0, 'no incoming/ yet: nothing to do');

  // At start: an app on a folder with a stale upload left by a process that stopped.
  aged('left-by-a-crash', 5 * 3_600_000);
  const started = await build(t, { EVIDENCE_DIR: dir }, { seed: false });
  // The start does not wait for the sweep (a silent store must not hold it): it follows soon after.
  await eventually(() => readdirSync(join(dir, 'incoming')).length === 2);
  t.same(readdirSync(join(dir, 'incoming')).sort(), ['now', 'ten-minutes'], 'swept when the app started');
  await started.app.close();
  noneEscaped(t);
});

// Offline sync (issue 18): a phone resends an upload whose answer it never got, under the same Idempotency-Key.
/** Where the store keeps a file of these bytes (content-addressed). */
const storedPath = (data: Buffer) => {
  const sha = createHash('sha256').update(data).digest('hex');
  return join(evidenceDir, sha.slice(0, 2), sha);
};
const inspectionOf = (url: string) => url.split('/')[3] ?? NO_ID;
const evidenceAudits = (url: string) =>
  h.count('audit_events', `action = 'inspection.evidence_added' AND entity_id = '${inspectionOf(url)}'`);

t.test('an upload resent under its Idempotency-Key gets the first answer and keeps nothing new', async (t) => {
  const url = await draftFinding(h);
  const photo = png(4096);
  const file = { name: 'temuan.png', type: 'image/png', data: photo };
  const first = await upload(url, file, photoFields, 'sync-evidence-1');
  t.equal(first.statusCode, 201);
  t.equal(first.headers.location, `/v1/inspections/${inspectionOf(url)}`);
  t.notOk(first.headers['idempotent-replayed']);
  t.equal(first.json().file?.sha256, createHash('sha256').update(photo).digest('hex'));

  const again = await upload(url, file, photoFields, 'sync-evidence-1');
  t.equal(again.statusCode, 201, 'the first status');
  t.same(again.json(), first.json(), 'the first body');
  t.equal(again.headers.location, first.headers.location, 'the first Location');
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal(await countAt(url), 1, 'one evidence record');
  t.equal(await evidenceAudits(url), 1, 'one audit event');
  t.equal(await h.count('idempotency_keys', `key = 'sync-evidence-1'`), 1, 'one kept answer');
  const [kept] = await h.rows<{ hours: number }>(
    `SELECT extract(epoch FROM expires_at - created_at)::float / 3600 AS hours FROM idempotency_keys WHERE key = 'sync-evidence-1'`,
  );
  t.ok(
    Math.abs((kept?.hours ?? 0) - 168) < 0.1,
    `kept a week, as long as a report may wait offline (${kept?.hours} h)`,
  );
  t.ok(existsSync(storedPath(photo)), 'the file of the record is kept');
  t.same(incomingFiles(), [], 'no temp file left');

  // The report moves on while the phone is still offline: its resend is answered all the same.
  const staff = await h.login('staff.banjarnegara');
  t.equal((await h.call('POST', `/v1/inspections/${inspectionOf(url)}/submit`, { token: staff })).statusCode, 200);
  const late = await upload(url, file, photoFields, 'sync-evidence-1');
  t.equal(late.statusCode, 201, 'answered as first, though the report is no longer a draft');
  t.same(late.json(), first.json());
  t.equal(late.headers['idempotent-replayed'], 'true');
  t.equal(await countAt(url), 1);
  const unkeyed = await upload(url, { ...file, data: png(4096) }, photoFields, 'sync-evidence-new');
  t.equal(unkeyed.statusCode, 409, 'a new key on a submitted report is refused as before');
  t.equal(unkeyed.json().code, 'conflict');
  noneEscaped(t);
});

t.test('a seized item sent as JSON under a key is replayed like any POST', async (t) => {
  const url = await draftFinding(h);
  const token = await h.login('staff.banjarnegara');
  const body = { kind: 'seized_item', description: 'Telepon genggam disita', seal_number: 'SEG-2026-0042' };
  const headers = { 'idempotency-key': 'sync-seized-1' };
  const first = await h.call('POST', url, { token, body, headers });
  t.equal(first.statusCode, 201);
  const again = await h.call('POST', url, { token, body, headers });
  t.equal(again.statusCode, 201);
  t.same(again.json(), first.json());
  t.equal(again.headers.location, first.headers.location);
  t.equal(again.headers['idempotent-replayed'], 'true');
  const other = await h.call('POST', url, { token, body: { ...body, seal_number: 'SEG-2026-0043' }, headers });
  t.equal(other.statusCode, 422);
  t.equal(other.json().code, 'idempotency_key_reused');
  t.equal(await countAt(url), 1);
  t.equal(await evidenceAudits(url), 1);
  noneEscaped(t);
});

t.test('without a key an upload is as before: the same file again answers the first record', async (t) => {
  const url = await draftFinding(h);
  const file = { name: 'temuan.png', type: 'image/png', data: png(2048) };
  const first = await upload(url, file);
  t.equal(first.statusCode, 201);
  const again = await upload(url, file);
  t.equal(again.statusCode, 200, 'the record on file');
  t.equal(again.json().id, first.json().id);
  t.notOk(again.headers['idempotent-replayed']);
  t.equal(await countAt(url), 1);
  t.equal(await evidenceAudits(url), 1);
  t.equal(await h.count('idempotency_keys', `response_body LIKE '%${first.json().id}%'`), 0, 'no answer kept');
  noneEscaped(t);
});

t.test('the same key with other content is a 422 and keeps nothing of it', async (t) => {
  const url = await draftFinding(h);
  const photo = png(4096);
  const file = { name: 'temuan.png', type: 'image/png', data: photo };
  const first = await upload(url, file, photoFields, 'sync-evidence-2');
  t.equal(first.statusCode, 201);
  const otherPhoto = png(4096);
  for (const [what, part, fields] of [
    ['another file', { ...file, data: otherPhoto }, photoFields],
    ['other fields', file, { ...photoFields, description: 'Foto lain' }],
    ['another file name', { ...file, name: 'lain.png' }, photoFields],
  ] as const) {
    const reused = await upload(url, part, fields, 'sync-evidence-2');
    t.equal(reused.statusCode, 422, what);
    t.equal(reused.headers['content-type'], 'application/problem+json; charset=utf-8', `${what}: problem+json`);
    t.equal(reused.json().code, 'idempotency_key_reused', `${what}: code`);
    t.notOk(reused.headers['idempotent-replayed'], `${what}: not a replay`);
  }
  t.notOk(existsSync(storedPath(otherPhoto)), 'the other file is not kept');
  t.ok(existsSync(storedPath(photo)), 'the file on record stays');
  t.same(incomingFiles(), [], 'no temp file left');
  t.equal(await countAt(url), 1, 'one evidence record');
  t.equal(await evidenceAudits(url), 1, 'one audit event');
  noneEscaped(t);
});

t.test('a replay whose file is no longer on record leaves no file behind', async (t) => {
  const url = await draftFinding(h);
  const photo = png(4096);
  const file = { name: 'temuan.png', type: 'image/png', data: photo };
  const first = await upload(url, file, photoFields, 'sync-evidence-3');
  t.equal(first.statusCode, 201);
  // The record goes (as a draft's evidence may), its file with it; the answer is still kept under the key.
  await h.rows('DELETE FROM evidence_items WHERE id = $1', [first.json().id]);
  rmSync(storedPath(photo));
  const again = await upload(url, file, photoFields, 'sync-evidence-3');
  t.equal(again.statusCode, 201);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.notOk(existsSync(storedPath(photo)), 'the resent bytes are not kept for nothing');
  t.same(incomingFiles(), [], 'no temp file left');
  t.equal(await countAt(url), 0);
  noneEscaped(t);
});

t.test(
  'a resend while the first is still writing is a 409, before its body is taken in',
  { skip: h.test.kind === 'pglite' ? 'needs a PostgreSQL server' : false },
  async (t) => {
    const url = await draftFinding(h);
    const token = await h.login('staff.banjarnegara');
    const me = (await h.call('GET', '/v1/me', { token })).json();
    const key = 'sync-evidence-4';
    const other = new pg.Client({ connectionString: h.test.url });
    await other.connect();
    t.teardown(() => other.end());
    // Holding the key's lock from another session is what a first request still writing looks like.
    await other.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`user:${me.id} ${key}`]);
    const photo = png(4096);
    const res = await upload(url, { name: 'temuan.png', type: 'image/png', data: photo }, photoFields, key);
    t.equal(res.statusCode, 409);
    t.equal(res.json().code, 'idempotency_in_flight');
    t.equal(res.headers['retry-after'], '1');
    t.notOk(existsSync(storedPath(photo)), 'nothing kept');
    t.equal(await countAt(url), 0);
    noneEscaped(t);
  },
);
