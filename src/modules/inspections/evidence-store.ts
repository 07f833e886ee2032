import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredFile {
  key: string;
  sha256: string;
  size: number;
}

/** Where evidence files live. Local disk by default; a production store (object storage) implements the same. */
export interface EvidenceStore {
  save(content: Readable): Promise<StoredFile>;
  open(key: string): Readable;
  remove(key: string): Promise<void>;
}

/** Content-addressed files under a folder: the key is the SHA-256, so a file is stored once. */
export class LocalEvidenceStore implements EvidenceStore {
  constructor(private readonly dir: string) {}

  async save(content: Readable): Promise<StoredFile> {
    await mkdir(join(this.dir, 'incoming'), { recursive: true });
    const temp = join(this.dir, 'incoming', randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    content.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
    });
    try {
      await pipeline(content, createWriteStream(temp, { mode: 0o600 }));
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    const key = `${sha256.slice(0, 2)}/${sha256}`;
    await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
    await rename(temp, join(this.dir, key));
    return { key, sha256, size };
  }

  open(key: string): Readable {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(key)) throw new Error('not an evidence key');
    return createReadStream(join(this.dir, key));
  }

  async remove(key: string): Promise<void> {
    await rm(join(this.dir, key), { force: true });
  }
}
