// Verifies a key-signed Sigstore bundle over exact bytes with one trusted key and no Sigstore authority:
// @sigstore/verify does the check (Ed25519 through withEd25519MessageSignatures). Throws the library's
// error when the signature does not verify. Shared by the manifest and the log-checkpoint signatures.

import type { Bundle } from '@sigstore/bundle';
import { toSignedEntity, toTrustMaterial, Verifier, type TrustMaterial } from '@sigstore/verify';
import type { TrustedKey } from '../trust/trust-store.js';
import { withEd25519MessageSignatures } from './ed25519-message.js';

export function verifyWithTrustedKey(bundle: Bundle, signedBytes: Buffer, key: TrustedKey): void {
  new Verifier(keyOnlyTrust(key), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(
    withEd25519MessageSignatures(toSignedEntity(bundle, signedBytes), signedBytes),
  );
}

/** Trust material holding exactly one public key and no Sigstore authorities. */
function keyOnlyTrust(key: TrustedKey): TrustMaterial {
  const material = toTrustMaterial({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] });
  return {
    ...material,
    publicKey: (hint: string) => {
      if (hint !== key.hint) throw Object.assign(new Error(`no trusted key with hint ${hint}`), { code: 'PUBLIC_KEY_ERROR' });
      return { publicKey: key.key, validFor: () => true };
    },
  };
}
