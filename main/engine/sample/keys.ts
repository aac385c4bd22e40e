// The sample pipeline's signing key: Ed25519, derived from the seed so that samples are reproducible.
// Only the public half ever leaves this module's callers (trust/keys/<name>.pem).

import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { Prng } from './prng.js';

/** DER prefix of a PKCS#8 Ed25519 private key (RFC 8410): the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SigningKey {
  readonly name: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SPKI PEM of the public key, as the trust store holds it. */
  readonly publicKeyPem: string;
  /** hex sha256 of the SPKI DER: the Sigstore public-key hint. */
  readonly hint: string;
}

export function deriveEd25519Key(seed: string, name: string): SigningKey {
  const secret = Prng.for(seed, `key:${name}`).bytes(32);
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, secret]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return {
    name,
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    hint: createHash('sha256').update(spki).digest('hex'),
  };
}
