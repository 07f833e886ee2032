import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredFile {
  key: string;
  sha256: string;
  size: number;
}

/** Uploads are written under incoming/ first; one left there longer than this never finished. */
export const INCOMING_MAX_AGE_MS = 3_600_000;
/** How often the app sweeps incoming/ while it runs. */
export const SWEEP_EVERY_MS = 900_000;
/** An evidence key as the database keeps it, whichever store holds the file: `ab/abcdef…`. */
export const EVIDENCE_KEY = /^[0-9a-f]{2}\/[0-9a-f]{64}$/;

/** Where evidence files live: local disk by default, object storage (s3-evidence-store.ts) when set. */
export interface EvidenceStore {
  /** Keeps the stream's bytes; rejects, keeping nothing, when the stream fails or is cut short. */
  save(content: Readable): Promise<StoredFile>;
  /** The file, opened: a missing or unreadable file rejects here, before an answer has begun. */
  open(key: string): Promise<Readable>;
  /** Whether the file is there: checked before an upload of it is recorded. */
  has(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
  /** Removes what uploads that never finished left behind, older than maxAgeMs; how many. */
  sweep?(maxAgeMs?: number, now?: number): Promise<number>;
  /** Lets go of connections when the app closes. */
  close?(): void;
}

/** Content-addressed files under a folder: the key is the SHA-256, so a file is stored once. */
export class LocalEvidenceStore implements EvidenceStore {
  constructor(private readonly dir: string) {}

  async save(content: Readable): Promise<StoredFile> {
    // The pipeline below hears the stream's failure, even one from before it began; until then an
    // error event without a listener would end the process.
    content.on('error', () => undefined);
    const temp = join(this.dir, 'incoming', randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    await mkdir(join(this.dir, 'incoming'), { recursive: true });
    const file = createWriteStream(temp, { mode: 0o600 });
    try {
      // pipeline destroys every stream on failure: the temp file's descriptor is closed with it.
      await pipeline(
        content,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        file,
      );
    } catch (err) {
      // The pipeline may fail before the file has opened; that open still creates it, so the
      // file is removed only once it has closed.
      file.destroy();
      if (!file.closed) await new Promise<void>((closed) => file.once('close', () => closed()));
      await rm(temp, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    const key = `${sha256.slice(0, 2)}/${sha256}`;
    await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
    await rename(temp, join(this.dir, key));
    return { key, sha256, size };
  }

  async open(key: string): Promise<Readable> {
    if (!EVIDENCE_KEY.test(key)) throw new Error('not an evidence key');
    const stream = createReadStream(join(this.dir, key));
    await once(stream, 'ready');
    return stream;
  }

  async has(key: string): Promise<boolean> {
    try {
      return (await stat(join(this.dir, key))).isFile();
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return false;
      throw err;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(join(this.dir, key), { force: true });
  }

  /**
   * Several processes may share the folder, so only files older than any upload in flight are
   * removed (an upload writes as it goes, which keeps its file's mtime fresh).
   */
  async sweep(maxAgeMs = INCOMING_MAX_AGE_MS, now = Date.now()): Promise<number> {
    const incoming = join(this.dir, 'incoming');
    let names: string[];
    try {
      names = await readdir(incoming);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return 0;
      throw err;
    }
    let removed = 0;
    for (const name of names) {
      const path = join(incoming, name);
      // Another process may have finished or removed it meanwhile.
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile() || now - info.mtimeMs <= maxAgeMs) continue;
      await rm(path, { force: true });
      removed++;
    }
    return removed;
  }
}
