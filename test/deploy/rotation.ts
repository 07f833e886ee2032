import type { Test } from 'tap';
import { loadSigningKey } from '../../src/http/keys.ts';
import { call, login, type ServerProcess, startServer } from './processes.ts';

/** The key id JWKS publishes for a key: its RFC 7638 thumbprint. */
const kidOf = (pem: string) => loadSigningKey({ pem, log: () => undefined }).kid;

interface Stage {
  current: string;
  next?: string;
  previous?: string[];
}

/**
 * A rolling rotation from A to B and on to C, a process restarted at a time: at every step, the
 * tokens signed at every earlier stage by either process still work on both, including while the
 * two stand at adjacent stages; each signs with its stage's current key and publishes its keys.
 * `pair` is changed in place: its processes are replaced by their restarts.
 */
export async function rotationTest(
  t: Test,
  options: { pair: ServerProcess[]; keys: [string, string, string]; password: string; stderr: () => string },
) {
  const { pair, password } = options;
  const [a, b, c] = options.keys;
  // Publish the next key, then sign with it keeping the old one to verify.
  const stages: Stage[] = [
    { current: a },
    { current: a, next: b },
    { current: b, previous: [a] },
    { current: b, next: c, previous: [a] },
    { current: c, previous: [b, a] },
  ];
  const published = (s: Stage) => [s.current, ...(s.next ? [s.next] : []), ...(s.previous ?? [])].map(kidOf).sort();
  const at = [0, 0];
  const stageOf = (i: number) => stages[at[i] as number] as Stage;

  async function restart(i: number, stage: number) {
    const old = pair[i] as ServerProcess;
    await old.stop();
    // The one-key form gives way to the rotation's; the port and data folder are the new process's own.
    const { JWT_PRIVATE_KEY: _one, PORT: _port, DATA_DIR: _data, ...rest } = old.env;
    const next = await startServer(`process ${i + 1} at stage ${stage}`, {
      ...rest,
      SEED_DEMO: 'false',
      JWT_PRIVATE_KEYS: JSON.stringify(stages[stage]),
    });
    pair[i] = next;
    await next.ready();
    at[i] = stage;
  }

  const tokens: { label: string; token: string }[] = [];
  async function mint() {
    for (const [i, p] of pair.entries()) {
      const token = await login(p, 'head.banjarnegara', password);
      const kid = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()).kid;
      t.equal(kid, kidOf(stageOf(i).current), `${p.name} signs with its stage's current key`);
      tokens.push({ label: `signed by ${p.name}`, token });
    }
  }
  async function check(step: string) {
    const refused: string[] = [];
    for (const { label, token } of tokens) {
      for (const p of pair) {
        const res = await call(p, 'GET', '/v1/me', { token });
        if (res.status !== 200) refused.push(`${label} refused by ${p.name}: ${res.status} ${res.text}`);
      }
    }
    t.same(refused, [], `${step}: ${tokens.length} tokens accepted by both`, { stderr: options.stderr() });
    for (const [i, p] of pair.entries()) {
      const jwks = await call(p, 'GET', '/.well-known/jwks.json');
      t.same(
        (jwks.body.keys as { kid: string }[]).map((k) => k.kid).sort(),
        published(stageOf(i)),
        `${step}: ${p.name} publishes its stage's keys`,
      );
    }
  }

  // The one-key form of A and the first stage are the same key.
  await mint();
  await restart(0, 0);
  await restart(1, 0);
  await mint();
  await check('stage 0 on both');
  for (let stage = 1; stage < stages.length; stage++) {
    await restart(0, stage);
    await mint();
    await check(`process 1 at stage ${stage}, process 2 at ${stage - 1}`);
    await restart(1, stage);
    await mint();
    await check(`stage ${stage} on both`);
  }
}
