import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.ts';
import { S3EvidenceStore } from '../src/modules/inspections/s3-evidence-store.ts';
import { build } from './helpers/app.ts';
import { multipart, png } from './helpers/multipart.ts';
import { draftFinding } from './helpers/reports.ts';
import { keptLog, watchEscapes } from './helpers/watch.ts';

// Evidence in object storage (issue 20): the same uploads and downloads as on disk, through HTTP,
// with the app's store chosen by its settings and an S3 server of the test's own.

interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverServer;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

const BUCKET = 'bersinar-evidence';
const s3dir = mkdtempSync(join(tmpdir(), 'bersinar-s3-'));
const s3 = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory: s3dir,
  configureBuckets: [{ name: BUCKET }],
});
const s3port = (await s3.run()).port;
t.teardown(async () => {
  await s3.close();
  rmSync(s3dir, { recursive: true, force: true });
});
const S3_ENV = {
  S3_BUCKET: BUCKET,
  S3_ENDPOINT: `http://127.0.0.1:${s3port}`,
  S3_FORCE_PATH_STYLE: 'true',
  // The server's own pair: it checks signatures.
  S3_ACCESS_KEY_ID: 'S3RVER',
  S3_SECRET_ACCESS_KEY: 'S3RVER',
};

const noneEscaped = watchEscapes(t);

// What the service logs, to tell a dropped client from a fault of ours.
const { logs, logger } = keptLog();

const h = await build(t, S3_ENV, { logger });
await h.app.listen({ port: 0, host: '127.0.0.1' });
const port = (h.app.server.address() as AddressInfo).port;
const store = h.app.evidenceStore as S3EvidenceStore;

/** Every object in the bucket, by key. */
async function bucketKeys(prefix = ''): Promise<string[]> {
  const listed = await store.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key ?? '').sort();
}
const incomingKeys = () => bucketKeys('evidence/incoming/');
const shaOf = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const objectKeyOf = (data: Buffer) => `evidence/${shaOf(data).slice(0, 2)}/${shaOf(data)}`;

/** The commands the store sends while `run` runs, by name. */
async function commandsOf(run: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const send = store.client.send.bind(store.client);
  store.client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
    sent.push(command.constructor.name);
    return (send as (...a: unknown[]) => unknown)(command, ...rest);
  }) as typeof store.client.send;
  try {
    await run();
  } finally {
    store.client.send = send;
  }
  return sent;
}

const countAt = (url: string) => h.count('evidence_items', `finding_id = '${url.split('/')[5]}'`);
const auditsAt = (url: string) =>
  h.count('audit_events', `action = 'inspection.evidence_added' AND entity_id = '${url.split('/')[3]}'`);
const photoFields = { kind: 'photo', description: 'Foto temuan di lokasi' };

async function upload(url: string, data: Buffer, name = 'temuan.png') {
  const { body, contentType } = multipart(photoFields, { name, type: 'image/png', data });
  return h.call('POST', url, {
    token: await h.login('staff.banjarnegara'),
    payload: body,
    headers: { 'content-type': contentType },
  });
}

/** A socket of its own to the listening app; the answer is read until the server closes it. */
function connect() {
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  socket.setTimeout(25_000, () => socket.destroy());
  const answer = new Promise<{ status: number; body: string }>((resolve) => {
    socket.on('close', () => {
      const [head = '', ...rest] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1] ?? 0), body: rest.join('\r\n\r\n') });
    });
  });
  return { socket, answer };
}

async function requestHead(url: string, contentType: string, length: number) {
  const token = await h.login('staff.banjarnegara');
  return (
    `POST ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
    `Content-Type: ${contentType}\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`
  );
}

async function eventually(condition: () => Promise<boolean>, ms = 20_000): Promise<boolean> {
  const until = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

t.test('the store is chosen by S3_BUCKET', async (t) => {
  t.ok(h.app.evidenceStore instanceof S3EvidenceStore, 'object storage when a bucket is named');
  t.equal(store.prefix, 'evidence/', 'under the default prefix');
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      return err instanceof ConfigError ? err.issues.map((i) => i.setting) : [String(err)];
    }
  };
  t.same(
    problems({ ...S3_ENV, S3_SECRET_ACCESS_KEY: '' }),
    ['S3_SECRET_ACCESS_KEY'],
    'half a key pair stops the start',
  );
  t.same(problems({ ...S3_ENV, S3_ACCESS_KEY_ID: '' }), ['S3_ACCESS_KEY_ID'], 'the other half too');
  t.same(problems({ ...S3_ENV, S3_ENDPOINT: 'minio:9000' }), ['S3_ENDPOINT'], 'an endpoint that is no URL');
  t.same(problems({ ...S3_ENV, S3_FORCE_PATH_STYLE: 'maybe' }), ['S3_FORCE_PATH_STYLE'], 'a flag that is none');
  const defaults = loadConfig({});
  t.same(
    [defaults.S3_BUCKET, defaults.S3_REGION, defaults.S3_FORCE_PATH_STYLE, defaults.S3_PREFIX],
    [undefined, 'us-east-1', false, 'evidence/'],
    'the defaults: local disk',
  );
});

t.test('an upload is stored at its address in the bucket and downloaded as sent', async (t) => {
  const url = await draftFinding(h);
  const photo = png(40_000);
  const sha = shaOf(photo);
  const sent = await commandsOf(async () => {
    const res = await upload(url, photo);
    t.equal(res.statusCode, 201);
    t.equal(res.json().file?.sha256, sha);
    t.equal(res.json().file?.size, photo.length);
  });
  t.same(
    sent,
    [
      'PutObjectCommand',
      'HeadObjectCommand',
      'HeadObjectCommand',
      'CopyObjectCommand',
      'DeleteObjectCommand',
      'HeadObjectCommand',
    ],
    'to a temp key, checked, copied to its address, the temp removed; still there when recorded',
  );
  const [row] = await h.rows<{ storage_key: string }>('SELECT storage_key FROM evidence_items WHERE finding_id = $1', [
    url.split('/')[5],
  ]);
  t.equal(row?.storage_key, `${sha.slice(0, 2)}/${sha}`, 'the database keeps the key as the local store does');
  t.ok((await bucketKeys()).includes(objectKeyOf(photo)), 'the object lives at <prefix><sha[0..2]>/<sha>');
  t.same(await incomingKeys(), [], 'no temp object remains');

  const evidenceId = (
    await h.rows<{ id: string }>('SELECT id FROM evidence_items WHERE finding_id = $1', [url.split('/')[5]])
  )[0]?.id;
  const got = await h.call('GET', `/v1/evidence/${evidenceId}/file`, { token: await h.login('head.banjarnegara') });
  t.equal(got.statusCode, 200);
  t.equal(got.headers['content-type'], 'image/png');
  t.equal(got.headers['repr-digest'], `sha-256=:${Buffer.from(sha, 'hex').toString('base64')}:`);
  t.ok(got.rawPayload.equals(photo), 'the same bytes');
  t.equal(shaOf(got.rawPayload), sha, 'the same SHA-256');
  const elsewhere = await h.call('GET', `/v1/evidence/${evidenceId}/file`, { token: await h.login('head.kupang') });
  t.equal(elsewhere.statusCode, 404, 'beyond reach, as from disk: downloads go through the API');
  noneEscaped(t);
});

t.test('a file past one part goes up in parts and comes back whole', async (t) => {
  const url = await draftFinding(h);
  const photo = png(12 * 1_048_576);
  const sent = await commandsOf(async () => {
    const res = await upload(url, photo, 'besar.png');
    t.equal(res.statusCode, 201);
    t.equal(res.json().file?.sha256, shaOf(photo));
  });
  t.same(
    sent.filter((c) => c.includes('Multipart') || c === 'UploadPartCommand'),
    [
      'CreateMultipartUploadCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'CompleteMultipartUploadCommand',
    ],
    'three parts',
  );
  const got = await h.call('GET', (await upload(url, photo, 'besar.png')).json().file.url, {
    token: await h.login('head.banjarnegara'),
  });
  t.equal(got.statusCode, 200);
  t.ok(got.rawPayload.equals(photo), 'the same bytes');
  t.same(await incomingKeys(), [], 'no temp object remains');
  noneEscaped(t);
});

t.test('the same file twice is stored once', async (t) => {
  const photo = png(8192);
  const first = await draftFinding(h);
  const second = await draftFinding(h);
  t.equal((await upload(first, photo)).statusCode, 201);
  const sent = await commandsOf(async () => t.equal((await upload(second, photo)).statusCode, 201));
  t.notOk(sent.includes('CopyObjectCommand'), 'no copy over an object already at its address');
  t.equal(await countAt(first), 1);
  t.equal(await countAt(second), 1, 'two records');
  t.same(
    (await bucketKeys()).filter((k) => k === objectKeyOf(photo)),
    [objectKeyOf(photo)],
    'one object',
  );
  t.same(await incomingKeys(), [], 'no temp object remains');
  noneEscaped(t);
});

for (const [what, size] of [
  ['a small file', 8192],
  ['a file past one part', 8 * 1_048_576],
] as const) {
  t.test(`${what} cut short or dropped leaves no object and writes nothing`, async (t) => {
    const url = await draftFinding(h);
    const photo = png(size);
    const { body, contentType } = multipart(photoFields, { name: 'temuan.png', type: 'image/png', data: photo });
    const before = await bucketKeys();
    const cutAt = body.indexOf('Content-Type: image/png') + Math.floor(size * 0.9);

    const sent = await commandsOf(async () => {
      // Cut: the body ends before its closing boundary.
      const cut = connect();
      cut.socket.write(await requestHead(url, contentType, cutAt));
      cut.socket.write(body.subarray(0, cutAt));
      const answer = await cut.answer;
      t.equal(answer.status, 400, 'cut: a 400');
      t.equal(JSON.parse(answer.body || '{}').code, 'malformed_multipart', 'cut: malformed_multipart');
    });
    if (size > 5 * 1_048_576) t.ok(sent.includes('AbortMultipartUploadCommand'), 'the multipart upload is aborted');
    t.notOk(sent.includes('CopyObjectCommand'), 'nothing copied to an address');

    // Dropped: the client goes away once the store is reading the file.
    const logged = logs.length;
    const save = store.save.bind(store);
    let reading!: () => void;
    const saving = new Promise<void>((resolve) => {
      reading = resolve;
    });
    store.save = (content: Readable) => {
      reading();
      return save(content);
    };
    t.teardown(() => {
      store.save = save;
    });
    const dropped = connect();
    dropped.socket.write(await requestHead(url, contentType, body.length));
    dropped.socket.write(body.subarray(0, cutAt));
    await saving;
    dropped.socket.destroy();
    await dropped.answer;
    store.save = save;
    t.ok(
      await eventually(async () =>
        logs.slice(logged).some((l) => l.msg === 'evidence upload dropped by its client before its end'),
      ),
      'dropped: the server heard it',
    );

    t.ok(await eventually(async () => (await incomingKeys()).length === 0), 'no temp object left');
    t.same(await bucketKeys(), before, 'no object kept');
    t.notOk((await bucketKeys()).includes(objectKeyOf(photo)), 'nothing at the address');
    t.equal(await countAt(url), 0, 'no evidence recorded');
    t.equal(await auditsAt(url), 0, 'nothing audited');
    t.same(
      logs
        .slice(logged)
        .filter((l) => l.level >= 50)
        .map((l) => l.msg),
      [],
      'no error logged',
    );
    const whole = await upload(url, photo);
    t.equal(whole.statusCode, 201, 'the same file whole is taken afterwards');
    noneEscaped(t);
  });
}

t.test('a stream that fails reaches the caller as its own error, and leaves nothing', async (t) => {
  const before = await bucketKeys();
  const atOnce = new Readable({
    read() {
      this.destroy(new Error('client went away'));
    },
  });
  await t.rejects(store.save(atOnce), { message: 'client went away' }, 'failing at once');
  let sentBytes = 0;
  const midway = new Readable({
    read() {
      if (sentBytes >= 7 * 1_048_576) return this.destroy(new Error('client went away'));
      sentBytes += 1_048_576;
      this.push(randomBytes(1_048_576));
    },
  });
  await t.rejects(store.save(midway), { message: 'client went away' }, 'failing past the first part');
  const destroyed = Readable.from([Buffer.from('part of a file')]);
  destroyed.destroy(new Error('cut before the store began'));
  await t.rejects(store.save(destroyed), { message: 'cut before the store began' }, 'failed before it began');
  t.same(await bucketKeys(), before, 'no object kept');
  noneEscaped(t);
});

t.test('a store that hides missing objects behind 403 (no s3:ListBucket) still takes uploads', async (t) => {
  const send = store.client.send.bind(store.client);
  store.client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) =>
    command.constructor.name === 'HeadObjectCommand' &&
    !(command as { input?: { Key?: string } }).input?.Key?.includes('/incoming/')
      ? Promise.reject(Object.assign(new Error('Forbidden'), { name: 'Forbidden', $metadata: { httpStatusCode: 403 } }))
      : (send as (...a: unknown[]) => unknown)(command, ...rest)) as typeof store.client.send;
  t.teardown(() => {
    store.client.send = send;
  });
  const photo = png(3000);
  const saved = await store.save(Readable.from([photo]));
  store.client.send = send;
  t.equal(saved.sha256, shaOf(photo), 'stored under its address');
  t.ok((await bucketKeys()).includes(objectKeyOf(photo)), 'the object is at its address');
  t.same(await incomingKeys(), [], 'no temp object remains');
  noneEscaped(t);
});

t.test('a copy that fails leaves no temp object and no address', async (t) => {
  const before = await bucketKeys();
  const send = store.client.send.bind(store.client);
  store.client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) =>
    command.constructor.name === 'CopyObjectCommand'
      ? Promise.reject(Object.assign(new Error('We encountered an internal error.'), { name: 'InternalError' }))
      : (send as (...a: unknown[]) => unknown)(command, ...rest)) as typeof store.client.send;
  t.teardown(() => {
    store.client.send = send;
  });
  await t.rejects(store.save(Readable.from([png(2048)])), { name: 'InternalError' }, "the store's error");
  store.client.send = send;
  t.same(await bucketKeys(), before, 'no object kept');
  noneEscaped(t);
});

t.test('an object shorter than what was read is not stored under its address', async (t) => {
  const before = await bucketKeys();
  const send = store.client.send.bind(store.client);
  // As a server that kept less than it was sent would answer.
  store.client.send = (async (command: { constructor: { name: string } }, ...rest: unknown[]) => {
    const answer = (await (send as (...a: unknown[]) => Promise<{ ContentLength?: number }>)(command, ...rest)) ?? {};
    return command.constructor.name === 'HeadObjectCommand' && answer.ContentLength
      ? { ...answer, ContentLength: answer.ContentLength - 1 }
      : answer;
  }) as typeof store.client.send;
  t.teardown(() => {
    store.client.send = send;
  });
  await t.rejects(
    store.save(Readable.from([png(2048)])),
    { message: 'evidence upload stored 2047 bytes of 2048' },
    'refused',
  );
  store.client.send = send;
  t.same(await bucketKeys(), before, 'no object kept');
  noneEscaped(t);
});

for (const [what, size, failing] of [
  ['a small file', 4096, 'PutObjectCommand'],
  ['a file past one part', 8 * 1_048_576, 'UploadPartCommand'],
] as const) {
  t.test(`a store that fails on ${what} answers a problem, records nothing, and the process goes on`, async (t) => {
    const url = await draftFinding(h);
    const send = store.client.send.bind(store.client);
    store.client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) =>
      command.constructor.name === failing
        ? Promise.reject(Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' }))
        : (send as (...a: unknown[]) => unknown)(command, ...rest)) as typeof store.client.send;
    t.teardown(() => {
      store.client.send = send;
    });
    const logged = logs.length;
    const failed = await upload(url, png(size));
    store.client.send = send;
    t.equal(failed.statusCode, 500);
    t.equal(failed.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.equal(failed.json().code, 'internal_error');
    t.equal(logs.slice(logged).filter((l) => l.level >= 50).length, 1, 'logged once, as a fault of ours');
    t.equal(await countAt(url), 0, 'no evidence recorded');
    t.equal(await auditsAt(url), 0, 'nothing audited');
    t.same(await incomingKeys(), [], 'no temp object left');
    t.equal((await upload(url, png(size))).statusCode, 201, 'the next upload is taken');
    noneEscaped(t);
  });
}

t.test('a download whose object is gone from the bucket is a 500 told before any byte', async (t) => {
  const url = await draftFinding(h);
  const photo = png(4096);
  const uploaded = await upload(url, photo, 'hilang.png');
  t.equal(uploaded.statusCode, 201);
  await store.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: objectKeyOf(photo) }));
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
  await t.rejects(store.open('../../etc/passwd'), { message: 'not an evidence key' }, 'no key but an address');
  noneEscaped(t);
});

t.test('incoming/ is swept of temp objects older than an hour, at start and on demand', async (t) => {
  const prefix = 'sweep/';
  const swept = new S3EvidenceStore(
    { bucket: BUCKET, prefix, region: 'us-east-1', forcePathStyle: true },
    store.client,
  );
  const now = Date.now();
  // The server tells an object's age by its file's time, which the test sets as an old upload's.
  const aged = async (key: string, ageMs: number) => {
    await store.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'part of an upload' }));
    const at = new Date(now - ageMs);
    const path = join(s3dir, BUCKET, ...key.split('/').slice(0, -1), `${key.split('/').pop()}._S3rver_object`);
    utimesSync(path, at, at);
  };
  await aged('sweep/incoming/two-hours', 2 * 3_600_000);
  await aged('sweep/incoming/just-over-an-hour', 3_600_000 + 60_000);
  await aged('sweep/incoming/ten-minutes', 600_000);
  await aged('sweep/incoming/now', 0);
  await aged('sweep/ab/an-old-stored-file', 5 * 3_600_000);
  await aged('sweep-other/incoming/of-another-prefix', 5 * 3_600_000);
  t.equal(await swept.sweep(3_600_000, now), 2, 'two removed');
  t.same(
    await bucketKeys('sweep'),
    [
      'sweep-other/incoming/of-another-prefix',
      'sweep/ab/an-old-stored-file',
      'sweep/incoming/now',
      'sweep/incoming/ten-minutes',
    ],
    'uploads in flight, stored files and other prefixes kept',
  );
  t.equal(
    await new S3EvidenceStore(
      { bucket: BUCKET, prefix: 'none/', region: 'us-east-1', forcePathStyle: true },
      store.client,
    ).sweep(),
    0,
    'no incoming/ yet: nothing to do',
  );

  // At start: an app on the bucket with a stale upload left by a process that stopped.
  await aged('sweep/incoming/left-by-a-crash', 5 * 3_600_000);
  const started = await build(t, { ...S3_ENV, S3_PREFIX: prefix }, { seed: false });
  // The start does not wait for the sweep (a silent store must not hold it): it follows soon after.
  await eventually(async () => (await bucketKeys('sweep/incoming/')).length === 2);
  t.same(await bucketKeys('sweep/incoming/'), ['sweep/incoming/now', 'sweep/incoming/ten-minutes'], 'swept at start');
  await started.app.close();
  noneEscaped(t);
});

t.test('a store gone silent fails its request in time, and never holds the start', async (t) => {
  // Accepts connections and never answers: a store behind a network that dropped its packets.
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
  t.teardown(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const store = new S3EvidenceStore({
    bucket: BUCKET,
    prefix: 'evidence/',
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    idleTimeoutMs: 300,
  });
  t.teardown(() => store.close());
  await t.rejects(store.open(`ab/${'a'.repeat(64)}`), { name: 'TimeoutError' }, 'a download fails, not waits');
  await t.rejects(store.save(Readable.from([png(64)])), { name: 'TimeoutError' }, 'an upload fails, not waits');

  // The app's own store (the sweep at start meets the silence) still starts and answers.
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  const started = await build(t, { ...S3_ENV, S3_ENDPOINT: endpoint }, { seed: false });
  const ready = await started.call('GET', '/health/ready');
  t.equal(ready.statusCode, 200, 'ready while the store is silent');
  t.equal(
    [...sockets].filter((socket) => !socket.destroyed).length,
    1,
    'the sweep still waits on the store: the start did not',
  );
  await started.app.close();
  noneEscaped(t);
});
