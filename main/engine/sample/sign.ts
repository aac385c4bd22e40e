// Signs the exact bytes of manifest.json with the pipeline key into a Sigstore bundle v0.3 carrying a
// message signature and a public-key hint (no certificate, no transparency log, no timestamps).
// @sigstore/sign's MessageSignatureBundleBuilder always asks for a certificate chain, which yields a v0.2
// bundle; @sigstore/bundle's builder, which it delegates to, produces v0.3 for key-signed bundles.

import { createHash, sign } from 'node:crypto';
import { assertBundle, BUNDLE_V03_MEDIA_TYPE, bundleFromJSON, bundleToJSON, toMessageSignatureBundle } from '@sigstore/bundle';
import type { SigningKey } from './keys.js';

/** Signs any message the same way: log checkpoints are signed like the manifest. */
export function signMessage(message: Buffer, key: SigningKey): string {
  return signManifest(message, key);
}

export function signManifest(manifestBytes: Buffer, key: SigningKey): string {
  const bundle = toMessageSignatureBundle({
    digest: createHash('sha256').update(manifestBytes).digest(),
    signature: sign(null, manifestBytes, key.privateKey), // Ed25519 signs the message itself, not a prehash
    keyHint: key.hint,
    certificateChain: false,
  });
  if (bundle.mediaType !== BUNDLE_V03_MEDIA_TYPE) throw new Error(`expected a v0.3 bundle, got ${bundle.mediaType}`);
  const serialized = bundleToJSON(bundle);
  // Proto3 JSON drops empty lists; they are written out so a reader sees that no log entry or timestamp
  // was omitted by accident. Both forms parse to the same bundle.
  const material = serialized.verificationMaterial;
  if (!('publicKey' in material) || material.publicKey === undefined) throw new Error('the manifest bundle lost its public-key hint');
  const json = {
    mediaType: serialized.mediaType,
    verificationMaterial: { publicKey: material.publicKey, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
    messageSignature: serialized.messageSignature,
  };
  assertBundle(bundleFromJSON(json)); // the round trip a verifier makes must succeed
  return `${JSON.stringify(json, null, 2)}\n`;
}
