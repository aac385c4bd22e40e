// Verifying a message signature from the artefact's digest alone (`FILE_OR_DIGEST` given as
// sha256:<hex>). Node's crypto always hashes the message itself, so ECDSA over a given digest is checked
// by @noble/curves (audited, prehash: false; high-S signatures accepted as OpenSSL and Go do), and RSA
// PKCS#1 v1.5 by Node recovering the DigestInfo, which is then compared whole. Ed25519 and RSA-PSS cannot
// be checked from a digest of the message; those are refused rather than guessed.

import { constants, publicDecrypt, type KeyObject } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';

export class PrehashUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrehashUnsupportedError';
  }
}

// Curves Sigstore signs with, by Node's name for them.
const CURVES: Record<string, typeof p256> = { prime256v1: p256, secp384r1: p384, secp521r1: p521 };

const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** Verifies `signature` over a SHA-256 `digest` with `key`; throws PrehashUnsupportedError for key types that cannot. */
export function verifyDigestSignature(key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  if (digest.length !== 32) throw new PrehashUnsupportedError('only SHA-256 digests are supported');
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
      if (curve === undefined) throw new PrehashUnsupportedError(`EC curve ${key.asymmetricKeyDetails?.namedCurve ?? 'unknown'} is not supported`);
      const jwk = key.export({ format: 'jwk' });
      const point = Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
      try {
        return curve.verify(signature, digest, point, { prehash: false, lowS: false, format: 'der' });
      } catch {
        return false; // not a DER ECDSA signature, or a point not on the curve
      }
    }
    case 'rsa': {
      let recovered: Buffer;
      try {
        recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
      } catch {
        return false; // not a PKCS#1 v1.5 signature block under this key
      }
      return recovered.equals(Buffer.concat([SHA256_DIGEST_INFO, digest]));
    }
    default:
      // Ed25519 (pure EdDSA) signs the message itself, so no digest of it can be checked.
      throw new PrehashUnsupportedError(`a ${key.asymmetricKeyType ?? 'unknown'} signature cannot be verified from a digest; give the artefact itself`);
  }
}
