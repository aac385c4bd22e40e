// ECDSA keys of the sample's test Sigstore instance, derived from the seed, and deterministic signatures
// (RFC 6979 through @noble/curves). Node's ECDSA signing draws a random nonce, so every run would give
// other bytes; with RFC 6979 the same seed gives the same certificates, log entries and timestamps, and
// the signatures still verify with any ECDSA verifier (the nonce choice is invisible to the verifier).

import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { p256, p384 } from '@noble/curves/nist.js';
import { Prng } from '../prng.js';

export type Curve = 'P-256' | 'P-384';

const CURVES = {
  'P-256': { ecdsa: p256, hash: 'sha256', coordinateBytes: 32 },
  'P-384': { ecdsa: p384, hash: 'sha384', coordinateBytes: 48 },
} as const;

/** OIDs of ecdsa-with-SHA256/384 (RFC 5758), the signature algorithm each curve signs with here. */
export const ECDSA_SIGNATURE_OIDS: Record<Curve, string> = { 'P-256': '1.2.840.10045.4.3.2', 'P-384': '1.2.840.10045.4.3.3' };

export class EcKey {
  readonly name: string;
  readonly curve: Curve;
  readonly #secret: Uint8Array;
  readonly publicKey: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Buffer;

  constructor(name: string, curve: Curve, secret: Uint8Array) {
    const { ecdsa, coordinateBytes } = CURVES[curve];
    const point = ecdsa.getPublicKey(secret, false); // 0x04 || x || y
    const x = Buffer.from(point.subarray(1, 1 + coordinateBytes)).toString('base64url');
    const y = Buffer.from(point.subarray(1 + coordinateBytes)).toString('base64url');
    const privateKey = createPrivateKey({ key: { kty: 'EC', crv: curve, x, y, d: Buffer.from(secret).toString('base64url') }, format: 'jwk' });
    this.name = name;
    this.curve = curve;
    this.#secret = secret;
    this.publicKey = createPublicKey(privateKey);
    this.spki = this.publicKey.export({ type: 'spki', format: 'der' });
  }

  /** The hash this key signs with (SHA-256 for P-256, SHA-384 for P-384). */
  get hash(): 'sha256' | 'sha384' {
    return CURVES[this.curve].hash;
  }

  get signatureAlgorithmOid(): string {
    return ECDSA_SIGNATURE_OIDS[this.curve];
  }

  /** PEM SubjectPublicKeyInfo. */
  get publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /** DER ECDSA signature over `data`, hashed with the key's hash (what crypto.verify(hash, data, ...) checks). */
  sign(data: Uint8Array): Buffer {
    return this.signDigest(createHash(this.hash).update(data).digest());
  }

  /** DER ECDSA signature over a digest already computed with the key's hash. */
  signDigest(digest: Uint8Array): Buffer {
    // lowS: Go's and OpenSSL's verifiers accept either half; low-S signatures are the canonical ones.
    return Buffer.from(CURVES[this.curve].ecdsa.sign(digest, this.#secret, { prehash: false, lowS: true, format: 'der' }));
  }
}

/** The key named `name` of the instance with this seed: the same (seed, name) always gives the same key. */
export function deriveEcKey(seed: string, name: string, curve: Curve): EcKey {
  // randomSecretKey(seed) reduces 1.5x the field size of seed material into [1, n-1] without bias (FIPS 186-5 A.2.1).
  const { ecdsa, coordinateBytes } = CURVES[curve];
  const material = Prng.for(seed, `sigstore-key:${curve}:${name}`).bytes(coordinateBytes + coordinateBytes / 2);
  return new EcKey(name, curve, ecdsa.utils.randomSecretKey(material));
}
