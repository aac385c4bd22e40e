// Binds the policy's signers to the assessor's trust material: every key and trusted root the policy
// names must be in the trust store (the embedded public-good root is loaded only when named), and each
// signer becomes the request `verifyArtifact` takes. Trust never comes from the bundle.

import { TrustedRoot } from '@sigstore/protobuf-specs';
import { isKeySigner, policySigners, PUBLIC_GOOD_ROOT_NAME, type Policy, type SignerRequirement } from '../schemas/policy.js';
import type { SignerPolicy } from '../sigstore/identity.js';
import { loadPublicGoodTrustedRoot } from '../sigstore/public-good.js';
import type { LoadedTrustedRoot } from '../sigstore/trusted-root.js';
import { PolicyFileError } from './load-policy.js';
import type { TrustedKey, TrustStore } from './trust-store.js';

export interface ResolvedSigner {
  readonly requirement: SignerRequirement;
  readonly policy: SignerPolicy;
  /** The trusted root named by a certificate signer; for a key, an empty root (no log, CA or TSA is trusted). */
  readonly trustedRoot: LoadedTrustedRoot;
  /** The trust-store name of the root or key, for evidence. */
  readonly trustedRootName: string | null;
  readonly key: TrustedKey | null;
}

/**
 * Checks that the trust store holds every key and trusted root the policy names; returns the trust store
 * with the public-good root added when the policy names it. Throws PolicyFileError (exit 2) otherwise.
 */
export async function resolvePolicyTrust(trust: TrustStore, policy: Policy, policyPath: string): Promise<TrustStore> {
  const added = new Map<string, LoadedTrustedRoot>();
  for (const { where, signer } of policySigners(policy)) {
    if (isKeySigner(signer)) {
      if (!trust.keys.has(signer.key)) {
        throw new PolicyFileError(`policy ${policyPath} ${where} names key "${signer.key}", which trust store ${trust.dir} does not hold (keys: ${[...trust.keys.keys()].join(', ') || 'none'})`);
      }
      continue;
    }
    if (trust.trustedRoots.has(signer.trustedRoot) || added.has(signer.trustedRoot)) continue;
    if (signer.trustedRoot === PUBLIC_GOOD_ROOT_NAME) {
      added.set(PUBLIC_GOOD_ROOT_NAME, await loadPublicGoodTrustedRoot());
      continue;
    }
    const known = [...trust.trustedRoots.keys(), PUBLIC_GOOD_ROOT_NAME].join(', ');
    throw new PolicyFileError(`policy ${policyPath} ${where} names trusted root "${signer.trustedRoot}", which trust store ${trust.dir} does not hold (trusted roots: ${known}; add it as sigstore/${signer.trustedRoot}.json)`);
  }
  return added.size === 0 ? trust : { ...trust, trustedRoots: new Map([...trust.trustedRoots, ...added]) };
}

/** The verification request for one signer; throws if the trust store lacks what it names (resolvePolicyTrust prevents that). */
export function resolveSigner(trust: TrustStore, requirement: SignerRequirement): ResolvedSigner {
  if (isKeySigner(requirement)) {
    const key = trust.keys.get(requirement.key);
    if (key === undefined) throw new Error(`the trust store has no key "${requirement.key}"`);
    return { requirement, policy: { kind: 'key', key, name: key.name }, trustedRoot: NO_AUTHORITIES, trustedRootName: null, key };
  }
  const trustedRoot = trust.trustedRoots.get(requirement.trustedRoot);
  if (trustedRoot === undefined) throw new Error(`the trust store has no trusted root "${requirement.trustedRoot}"`);
  return {
    requirement,
    policy: { kind: 'certificate', identity: requirement.certificateIdentity, issuer: requirement.certificateOidcIssuer },
    trustedRoot,
    trustedRootName: requirement.trustedRoot,
    key: null,
  };
}

/** A root trusting no authority: a key signer's signature stands on the key alone. */
const NO_AUTHORITIES: LoadedTrustedRoot = {
  source: 'none (key signer)',
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  sha256: '',
  tlogs: [],
  ctlogs: [],
  certificateAuthorities: [],
  timestampAuthorities: [],
  root: TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] }),
};
