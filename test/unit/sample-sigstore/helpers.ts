// Verifying what the test Sigstore instance produces with @sigstore/verify itself, the way the brief of
// the instance demands: tlogThreshold 1, ctlogThreshold as the instance, timestampThreshold 1, exact SAN
// and issuer.

import { bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import type { SignerIdentity } from '../../../main/engine/sample/sigstore/instance.js';
import type { TrustedRootDocument } from '../../../main/engine/sample/sigstore/trusted-root.js';

export const NOW = new Date('2026-09-30T08:00:00Z');

export const RELEASE_WORKFLOW: SignerIdentity = {
  identity: 'https://github.com/acme/credit-model/.github/workflows/release.yml@refs/tags/v1.4.0',
  issuer: 'https://token.actions.githubusercontent.com',
};

export const RELEASE_MANAGER: SignerIdentity = { identity: 'release-manager@acme.example', issuer: 'https://accounts.google.com' };

function exact(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'u');
}

export interface VerifyRequest {
  readonly bundle: SerializedBundle;
  /** The artefact for a message signature; ignored (may be empty) for DSSE. */
  readonly artifact?: Buffer;
  readonly trustedRoot: TrustedRootDocument;
  readonly policy: SignerIdentity;
  readonly withCtLog: boolean;
}

/** Throws the library's VerificationError / PolicyError when the bundle does not verify. */
export function verifyWithLibrary(request: VerifyRequest): void {
  const bundle = bundleFromJSON(request.bundle);
  const entity = toSignedEntity(bundle, request.artifact ?? Buffer.alloc(0));
  const trust = toTrustMaterial(TrustedRoot.fromJSON(request.trustedRoot));
  const verifier = new Verifier(trust, { tlogThreshold: 1, ctlogThreshold: request.withCtLog ? 1 : 0, timestampThreshold: 1 });
  verifier.verify(entity, { subjectAlternativeName: exact(request.policy.identity), extensions: { issuer: request.policy.issuer } });
}

/** The library's error code (VerificationError.code / PolicyError.code), or "OK". */
export function verificationCode(request: VerifyRequest): string {
  try {
    verifyWithLibrary(request);
    return 'OK';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    throw error;
  }
}

/** A deep copy of a serialized bundle, for tampering. */
export function cloneBundle(bundle: SerializedBundle): SerializedBundle {
  return JSON.parse(JSON.stringify(bundle)) as SerializedBundle;
}
