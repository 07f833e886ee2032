import { Writable } from 'node:stream';
import pino from 'pino';
import type { Test } from 'tap';

/**
 * Anything that escapes a request (an error event nobody hears, a rejected promise) fails the
 * file: the returned check, run at the end of each subtest, fails it with what escaped since.
 */
export function watchEscapes(t: Test): (t: Test) => void {
  const escaped: unknown[] = [];
  const onEscape = (err: unknown) => {
    escaped.push(err);
  };
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
  t.teardown(() => {
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
  });
  return (t: Test) => t.same(escaped.splice(0).map(String), [], 'no error escaped a request');
}

/** A logger whose lines are kept in `logs`, to tell a dropped client from a fault of ours. */
export function keptLog() {
  const logs: { level: number; msg: string }[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line));
        done();
      },
    }),
  );
  return { logs, logger };
}
