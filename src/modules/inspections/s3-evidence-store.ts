import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { EVIDENCE_KEY, type EvidenceStore, INCOMING_MAX_AGE_MS, type StoredFile } from './evidence-store.ts';

export interface S3Settings {
  bucket: string;
  /** Put before every key: several services (or stages) may share one bucket. */
  prefix: string;
  region: string;
  /** MinIO, R2 or a local S3 server; unset for AWS S3. */
  endpoint?: string | undefined;
  forcePathStyle: boolean;
  /** Else the SDK's default chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** How long a connection to the store may stay silent before the request fails. */
  idleTimeoutMs?: number;
}

const IDLE_TIMEOUT_MS = 30_000;

/** The S3 client for these settings. */
export function s3Client(s: S3Settings): S3Client {
  return new S3Client({
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    ...(s.credentials ? { credentials: s.credentials } : {}),
    // The SDK's default checksums (CRC32 on every upload and download) are refused or mishandled by
    // several S3-compatible servers; the SHA-256 the service takes of every file is its own check.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A store out of reach, or gone silent mid-request, fails the request rather than holding it
    // (the SDK sets no idle timeout of its own); a slow transfer that keeps moving is not cut.
    requestHandler: { connectionTimeout: 5_000, socketTimeout: s.idleTimeoutMs ?? IDLE_TIMEOUT_MS },
  });
}

const PART_BYTES = 5 * 1_048_576;

/** Whether an SDK error says the object (or bucket key) is not there. */
const isMissing = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

/**
 * Content-addressed objects in a bucket, under the same keys as the local store (`ab/abcdef…`),
 * so that the rows of either store read the same. The address is known only once the bytes have
 * passed, so an upload goes to `<prefix>incoming/<uuid>` first and is copied to its address after.
 */
export class S3EvidenceStore implements EvidenceStore {
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;

  constructor(settings: S3Settings, client: S3Client = s3Client(settings)) {
    this.client = client;
    this.bucket = settings.bucket;
    this.prefix = settings.prefix;
  }

  /** The object key of an evidence key. */
  objectKey(key: string): string {
    return `${this.prefix}${key}`;
  }

  get incomingPrefix(): string {
    return `${this.prefix}incoming/`;
  }

  async save(content: Readable): Promise<StoredFile> {
    // The upload below hears the stream's failure, even one from before it began; until then an
    // error event without a listener would end the process.
    content.on('error', () => undefined);
    const temp = `${this.incomingPrefix}${randomUUID()}`;
    const hash = createHash('sha256');
    let size = 0;
    // The stream's own failure is what the caller must hear (a cut body, a dropped client), not
    // whatever the clean-up of the upload answers after it.
    let failed: unknown;
    const body = Readable.from(
      (async function* () {
        try {
          for await (const chunk of content as AsyncIterable<Buffer>) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        } catch (err) {
          failed = err;
          throw err;
        }
      })(),
      { objectMode: false },
    );
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: temp, Body: body },
      partSize: PART_BYTES,
      // Parts held in memory per upload: at most this many times PART_BYTES.
      queueSize: 2,
      // A failed multipart upload is aborted, its parts dropped.
      leavePartsOnError: false,
    });
    try {
      await upload.done();
      // What arrived is what was read: a short object would be stored under the address of the
      // whole, so it is checked before the copy.
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: temp }));
      if (head.ContentLength !== size) {
        throw new Error(`evidence upload stored ${head.ContentLength} bytes of ${size}`);
      }
      const sha256 = hash.digest('hex');
      const key = `${sha256.slice(0, 2)}/${sha256}`;
      // The same bytes are stored once: an object already at the address is the file.
      if (!(await this.has(key))) {
        await this.client.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: this.objectKey(key),
            CopySource: `${this.bucket}/${temp.split('/').map(encodeURIComponent).join('/')}`,
          }),
        );
      }
      await this.deleteObject(temp);
      return { key, sha256, size };
    } catch (err) {
      content.destroy();
      // An upload that never completed left no object, but one cut after it did (the head or the
      // copy failing) may have: the temp is removed either way, and sweep takes what this misses.
      await this.deleteObject(temp).catch(() => undefined);
      throw failed ?? err;
    }
  }

  async open(key: string): Promise<Readable> {
    if (!EVIDENCE_KEY.test(key)) throw new Error('not an evidence key');
    // The answer's head is awaited here: a missing object rejects before the download has begun.
    const got = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    if (!(got.Body instanceof Readable)) throw new Error('the object store answered no stream');
    return got.Body;
  }

  async remove(key: string): Promise<void> {
    if (!EVIDENCE_KEY.test(key)) throw new Error('not an evidence key');
    await this.deleteObject(this.objectKey(key));
  }

  /**
   * Several processes may share the bucket, so only temp objects older than any upload in flight
   * are removed (a temp object lives only between an upload's end and its copy).
   */
  async sweep(maxAgeMs = INCOMING_MAX_AGE_MS, now = Date.now()): Promise<number> {
    let removed = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.incomingPrefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key || !object.LastModified || now - object.LastModified.getTime() <= maxAgeMs) continue;
        await this.deleteObject(object.Key);
        removed++;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return removed;
  }

  async has(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (err) {
      // Without s3:ListBucket, S3 answers a missing object with 403, not 404. Taking it as missing is
      // safe for both callers: save copies the same bytes again; an upload being recorded asks to be
      // sent again.
      if (isMissing(err) || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403)
        return false;
      throw err;
    }
  }

  close(): void {
    this.client.destroy();
  }

  private async deleteObject(objectKey: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
  }
}
