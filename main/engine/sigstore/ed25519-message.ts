// Guards a gap of @sigstore/verify 4: it checks message signatures with crypto.verify(<digest name>, ...),
// which Node refuses for Ed25519 keys (pure EdDSA, RFC 8032, signs the message itself and takes no
// digest), so every Ed25519 message signature would fail. For Ed25519 keys only, the signature check is
// done by Node's crypto with no digest name, after the bundle's message digest has been compared with
// the artefact's; every other step of the library's procedure (key lookup, tlog, thresholds) is kept.

import { createHash, verify as nodeVerify } from 'node:crypto';
import type { SignedEntity } from '@sigstore/verify';

const DIGEST_NAMES = { 32: 'sha256', 48: 'sha384', 64: 'sha512' } as const;

export function withEd25519MessageSignatures(entity: SignedEntity, artifact: Buffer): SignedEntity {
  const content = entity.signature;
  return {
    ...entity,
    signature: {
      signature: content.signature,
      compareSignature: (s) => content.compareSignature(s),
      compareDigest: (d) => content.compareDigest(d),
      compareSignedDigest: (d) => content.compareSignedDigest(d),
      verifySignature: (key) => {
        if (key.asymmetricKeyType !== 'ed25519') return content.verifySignature(key);
        return digestMatches(content, artifact) && nodeVerify(null, artifact, key, content.signature);
      },
    },
  };
}

/** The bundle's message digest must be the digest of these exact bytes, whichever SHA-2 size it names. */
function digestMatches(content: SignedEntity['signature'], artifact: Buffer): boolean {
  return Object.entries(DIGEST_NAMES).some(([, name]) => content.compareDigest(createHash(name).update(artifact).digest()));
}
