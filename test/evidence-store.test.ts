import * as fs from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as streamPromises from 'node:stream/promises';
import t from 'tap';

// The local store's clean-up, driven step by step: an upload that fails before the disk has
// opened its temp file must not leave that file behind once the open completes.

t.test('an upload cut before its temp file opens leaves nothing in incoming/', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'evidence-store-'));
  t.teardown(() => fsPromises.rm(dir, { recursive: true, force: true }));

  // The open waits for the pipeline to have failed, as a slow disk would make it.
  let pipelineSettled!: () => void;
  const settled = new Promise<void>((resolve) => {
    pipelineSettled = resolve;
  });
  let closed = false;
  const removals: { path: string; afterClose: boolean }[] = [];

  type Store = typeof import('../src/modules/inspections/evidence-store.ts');
  const { LocalEvidenceStore } = await t.mockImport<Store>('../src/modules/inspections/evidence-store.ts', {
    'node:fs': {
      ...fs,
      createWriteStream: (path: string, options: { mode?: number }) =>
        fs.createWriteStream(path, {
          ...options,
          fs: {
            open: (...args: Parameters<typeof fs.open>) => {
              void settled.then(() => (fs.open as (...a: unknown[]) => void)(...args));
            },
            write: fs.write,
            writev: fs.writev,
            close: (fd: number, done: (err: NodeJS.ErrnoException | null) => void) =>
              fs.close(fd, (err) => {
                closed = true;
                done(err);
              }),
          },
        }),
    },
    'node:fs/promises': {
      ...fsPromises,
      rm: async (path: string, options?: fs.RmOptions) => {
        removals.push({ path, afterClose: closed });
        return fsPromises.rm(path, options);
      },
    },
    'node:stream/promises': {
      ...streamPromises,
      pipeline: (...streams: Parameters<typeof streamPromises.pipeline>) => {
        const run = streamPromises.pipeline(...streams);
        run.then(pipelineSettled, pipelineSettled);
        return run;
      },
    },
  });

  const store = new LocalEvidenceStore(dir);
  const cut = new Readable({
    read() {
      this.destroy(new Error('client went away'));
    },
  });
  await t.rejects(store.save(cut), { message: 'client went away' });

  t.equal(removals.length, 1, 'the temp file is removed once');
  t.equal(removals[0]?.afterClose, true, 'and only after its descriptor has closed');
  t.same(await readdir(join(dir, 'incoming')), [], 'nothing left in incoming/');
});
