import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKey {
  privatePem: string;
  publicPem: string;
  kid: string;
  jwk: JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' };
}

/**
 * The keys of this service: one signs, the others only verify. A rotation publishes the next key
 * before any process signs with it, and keeps the previous ones until their tokens have expired.
 */
export interface KeyRing {
  /** The current key: signs every token. */
  signing: SigningKey;
  /** Verify-only: the next key (published ahead) and the previous ones (until their tokens expire). */
  verifying: SigningKey[];
}

/** The ES256 key that signs access tokens: from the environment, else kept in a file, else made for this run. */
export function loadSigningKey(options: { pem?: string; file?: string; log: (msg: string) => void }): SigningKey {
  let pem = options.pem?.replace(/\\n/g, '\n');
  if (!pem && options.file) {
    if (existsSync(options.file)) {
      pem = readFileSync(options.file, 'utf8');
    } else {
      pem = generatePem();
      mkdirSync(join(options.file, '..'), { recursive: true });
      writeFileSync(options.file, pem, { mode: 0o600 });
      options.log(`made a new ES256 signing key in ${options.file}`);
    }
  }
  if (!pem) {
    pem = generatePem();
    options.log('no JWT_PRIVATE_KEY: made an ES256 key for this run only; tokens will not survive a restart');
  }
  return signingKeyOf(pem, options.pem ? 'JWT_PRIVATE_KEY' : `the key in ${options.file ?? 'memory'}`);
}

export interface KeySource {
  keys?: string | undefined;
  pem?: string | undefined;
  file?: string | undefined;
  log: (msg: string) => void;
}

/** Where the settings say the keys are: JWT_PRIVATE_KEYS, JWT_PRIVATE_KEY, or (embedded) a file in DATA_DIR. */
export function keySourceOf(
  settings: {
    JWT_PRIVATE_KEYS?: string | undefined;
    JWT_PRIVATE_KEY?: string | undefined;
    DATABASE_URL?: string | undefined;
    DATA_DIR: string;
  },
  log: (msg: string) => void,
): KeySource {
  return {
    keys: settings.JWT_PRIVATE_KEYS,
    pem: settings.JWT_PRIVATE_KEY,
    file: settings.DATABASE_URL ? undefined : join(settings.DATA_DIR, 'jwt-es256.pem'),
    log,
  };
}

/** JWT_PRIVATE_KEYS when given (a rotation), else the one key of loadSigningKey. */
export function loadKeyRing(options: KeySource): KeyRing {
  if (options.keys) return keyRingFrom(options.keys);
  return { signing: loadSigningKey(options), verifying: [] };
}

/**
 * JWT_PRIVATE_KEYS, `{"current": PEM, "next"?: PEM, "previous"?: [PEM, …]}`, as a key ring. An error
 * names the stage at fault: a key that is not EC P-256, or one given twice (a next or previous key
 * equal to current would make the rotation a no-op that looks like one).
 */
export function keyRingFrom(json: string): KeyRing {
  let given: unknown;
  try {
    given = JSON.parse(json);
  } catch (err) {
    throw new Error(`is not JSON (${(err as Error).message})`);
  }
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new Error('must be a JSON object: {"current": PEM, "next": PEM, "previous": [PEM, …]}');
  }
  const { current, next, previous, ...rest } = given as Record<string, unknown>;
  const stray = Object.keys(rest);
  if (stray.length > 0) throw new Error(`has unknown stages (${stray.join(', ')}): only current, next and previous`);
  if (typeof current !== 'string') throw new Error('current must be a PEM string: the key that signs');
  if (next !== undefined && typeof next !== 'string') throw new Error('next must be a PEM string');
  if (previous !== undefined && !(Array.isArray(previous) && previous.every((p) => typeof p === 'string'))) {
    throw new Error('previous must be an array of PEM strings');
  }
  const stages: [string, string][] = [
    ['current', current],
    ...(next === undefined ? [] : [['next', next] as [string, string]]),
    ...((previous ?? []) as string[]).map((pem, i) => [`previous[${i}]`, pem] as [string, string]),
  ];
  const byKid = new Map<string, string>();
  const keys = stages.map(([stage, pem]) => {
    const key = signingKeyOf(pem.replace(/\\n/g, '\n'), stage);
    const same = byKid.get(key.kid);
    if (same) throw new Error(`${stage} is the same key as ${same}`);
    byKid.set(key.kid, stage);
    return key;
  });
  const [signing, ...verifying] = keys as [SigningKey, ...SigningKey[]];
  return { signing, verifying };
}

/** One EC P-256 private key in PEM, with its public half, kid and JWK; `name` says where it came from. */
function signingKeyOf(pem: string, name: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new Error(`${name} is not a private key in PEM (${(err as Error).message.split('\n')[0]})`);
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`${name} must be an EC P-256 private key (ES256)`);
  }
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' });
  // RFC 7638 thumbprint: the required members in lexicographic order.
  const kid = createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
    .digest('base64url');
  return {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    kid,
    jwk: { ...jwk, kid, alg: 'ES256', use: 'sig' },
  };
}

/**
 * The key that seals the feed's cursors and encrypts webhook secrets: SECRETS_KEY, else one drawn
 * from the signing key, which then must not change while webhook secrets are kept under it.
 */
export function secretsKeyOf(configured: string | undefined, signingKey: SigningKey): Buffer {
  if (configured) return Buffer.from(configured, 'base64');
  return Buffer.from(hkdfSync('sha256', signingKey.privatePem, 'bersinar', 'secrets key', 32));
}

function generatePem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** The outside issuer's keys could not be fetched (the JWKS URL failed or did not answer in time). */
export class KeysUnavailable extends Error {}
/** The token names a key the issuer does not publish, or none. */
export class UnknownKey extends Error {}

export interface RemoteKeySetOptions {
  url: string;
  /** How long one fetch of the JWKS may take. */
  timeoutMs: number;
  /** The least time between two fetches that a kid we do not know may cause. */
  refetchAfterMs: number;
  /** How long a fetched key set is used before it is fetched again. */
  maxAgeMs: number;
  now: () => number;
  /** Told of each failed fetch (for the log). */
  onFailure?: (err: unknown) => void;
}

/**
 * An outside issuer's public keys, fetched from its JWKS URL. An unknown kid fetches the set again at
 * most once per refetchAfterMs, whatever kid it is: made-up kids cannot make us hammer the issuer.
 * A key already known stays in use while a refetch fails.
 */
export class RemoteKeySet {
  #keys = new Map<string, { pem: string; alg?: string }>();
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #triedAt = Number.NEGATIVE_INFINITY;
  #failed = false;
  #pending: Promise<void> | undefined;

  constructor(private readonly options: RemoteKeySetOptions) {}

  async publicKey(kid: string | undefined, alg: string | undefined): Promise<string> {
    if (!kid) throw new UnknownKey('the token names no key');
    const now = this.options.now();
    const fresh = now - this.#fetchedAt < this.options.maxAgeMs;
    if (!fresh || !this.#keys.has(kid)) {
      if (now - this.#triedAt >= this.options.refetchAfterMs || this.#pending) await this.#refresh(now);
    }
    const key = this.#keys.get(kid);
    if (key && (!key.alg || key.alg === alg)) return key.pem;
    if (!key && this.#failed) throw new KeysUnavailable('the issuer keys could not be fetched');
    throw new UnknownKey('the issuer publishes no such key');
  }

  /** One fetch at a time; callers that come while it runs wait for it. */
  #refresh(now: number): Promise<void> {
    this.#pending ??= this.#fetch(now).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #fetch(now: number): Promise<void> {
    this.#triedAt = now;
    try {
      const res = await fetch(this.options.url, {
        signal: AbortSignal.timeout(this.options.timeoutMs),
        headers: { accept: 'application/json' },
      });
      if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
      const body = (await res.json()) as { keys?: unknown };
      if (!Array.isArray(body.keys)) throw new Error('JWKS without keys');
      const keys = new Map<string, { pem: string; alg?: string }>();
      for (const jwk of body.keys as (JsonWebKey & { kid?: unknown; alg?: unknown; use?: unknown })[]) {
        if (typeof jwk.kid !== 'string' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
        try {
          const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
          keys.set(jwk.kid, { pem, ...(typeof jwk.alg === 'string' ? { alg: jwk.alg } : {}) });
        } catch {
          // A key we cannot read (another key type, a private part missing) is left out.
        }
      }
      this.#keys = keys;
      this.#fetchedAt = now;
      this.#failed = false;
    } catch (err) {
      this.#failed = true;
      this.options.onFailure?.(err);
    }
  }
}
