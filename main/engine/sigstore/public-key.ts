// A verification key the assessor names (`--key PEM`, or a key the policy points to): SPKI PEM of a type
// Sigstore signs with (ECDSA P-256/P-384/P-521, Ed25519, RSA >= 2048 bits). Anything else is refused as
// unusable trust material, with a reason, before any signature is looked at.

import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { messageOf, TrustedMaterialError } from './errors.js';

export interface VerificationKey {
  readonly key: KeyObject;
  /** e.g. "ECDSA P-256", "Ed25519", "RSA 3072" */
  readonly algorithm: string;
  /** hex sha256 of the SPKI DER: the Sigstore public-key hint convention. */
  readonly hint: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----/g;

export function parseVerificationKey(pem: string, source: string): VerificationKey {
  const labels = [...pem.matchAll(PEM_BLOCK)].map((m) => m[1]);
  if (labels.length !== 1) throw new TrustedMaterialError(`key ${source}: expected one PEM block, found ${labels.length}`);
  if (labels[0] !== 'PUBLIC KEY') throw new TrustedMaterialError(`key ${source}: a "${labels[0]}" PEM block is not a public key (expected "-----BEGIN PUBLIC KEY-----")`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new TrustedMaterialError(`key ${source}: not a valid public key (${messageOf(error)})`);
  }
  const algorithm = describeKey(key, source);
  const hint = createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
  return { key, algorithm, hint };
}

function describeKey(key: KeyObject, source: string): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'Ed25519';
    case 'ec': {
      const names: Record<string, string> = { prime256v1: 'ECDSA P-256', secp384r1: 'ECDSA P-384', secp521r1: 'ECDSA P-521' };
      const name = names[details.namedCurve ?? ''];
      if (name === undefined) throw new TrustedMaterialError(`key ${source}: EC curve ${details.namedCurve ?? 'unknown'} is not one Sigstore signs with`);
      return name;
    }
    case 'rsa': {
      const bits = details.modulusLength ?? 0;
      if (bits < 2048) throw new TrustedMaterialError(`key ${source}: RSA key of ${bits} bits is too small (minimum 2048)`);
      return `RSA ${bits}`;
    }
    default:
      throw new TrustedMaterialError(`key ${source}: unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
  }
}
