// The container images of a bundle (`images/<name>/`), read once per verification and shared by the
// SIG-IMAGE and ATT checks; and the policy's signer for an image or a predicate type.

import { readOciLayouts, type ImageReading } from '../formats/oci-layout.js';
import type { Policy, SignerRequirement } from '../schemas/policy.js';
import type { VerifyContext } from './check.js';

export type { ImageReading };

const readings = new WeakMap<VerifyContext, Promise<readonly ImageReading[]>>();

/**
 * Every image layout of the bundle, read and checked within the bundle-wide read limits (memoised for the
 * verification context); a layout past the limits is a reading with an OciBundleLimitError, never left out.
 */
export function bundleImages(context: VerifyContext): Promise<readonly ImageReading[]> {
  let pending = readings.get(context);
  if (pending === undefined) {
    pending = readOciLayouts({ root: context.bundle.root, files: context.bundle.files, hashes: context.hashes });
    readings.set(context, pending);
  }
  return pending;
}

/** The signer the policy requires for images/<name>/: its named entry, else the images default; null when it names none. */
export function imageSigner(policy: Policy, name: string): SignerRequirement | null {
  const images = policy.images;
  if (images === undefined) return null;
  return images.named.find((n) => n.name === name)?.signer ?? images.signer ?? null;
}

/** The signer the policy requires for attestations of a predicate type (exact match), else the default; null when none. */
export function attestationSigner(policy: Policy, predicateType: string): SignerRequirement | null {
  const attestations = policy.attestations;
  if (attestations === undefined) return null;
  const entry = attestations.predicateTypes.find((p) => p.predicateType === predicateType);
  return entry?.signer ?? attestations.signer ?? null;
}
