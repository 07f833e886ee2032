import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKey {
  privatePem: string;
  publicPem: string;
  kid: string;
  jwk: JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' };
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
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('JWT_PRIVATE_KEY must be an EC P-256 private key (ES256)');
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

function generatePem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}
