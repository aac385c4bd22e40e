// SIG (manifest): manifest.sigstore.json is a Sigstore bundle whose signature over the exact bytes of
// manifest.json verifies with the key the assessor's policy names. @sigstore/verify does the cryptography;
// this module does the policy: which key, and that the bundle names no other signer.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBundleWithPublicKey, type Bundle } from '@sigstore/bundle';
import { toSignedEntity, toTrustMaterial, Verifier, type TrustMaterial } from '@sigstore/verify';
import { parseSignatureBundle } from '../sigstore/load-bundle.js';
import { withEd25519MessageSignatures } from '../sigstore/ed25519-message.js';
import { MANIFEST_SIGNATURE_PATH } from '../schemas/manifest.js';
import type { TrustedKey } from '../trust/trust-store.js';
import { findingOf, type Check, type FindingDraft, type VerifyContext } from './check.js';

const SUBJECT = { kind: 'file', path: MANIFEST_SIGNATURE_PATH } as const;
const MAX_SIGNATURE_BUNDLE_BYTES = 1024 * 1024;

export const manifestSignatureCheck: Check = {
  prefix: 'SIG',
  title: 'Manifest signature',
  obligation:
    'Art. 15 cybersecurity and Art. 12 record-keeping: only a signature by the identity the assessor trusts ties the manifest, and so every file, to the release pipeline.',
  findings: {
    'SIG-MANIFEST-VERIFIED': { status: 'pass', severity: 'info', when: 'The manifest signature verifies with the key the policy names.' },
    'SIG-MANIFEST-NO-TRUST': { status: 'not-run', severity: 'high', when: 'No trust store or policy was given, so the signature cannot be checked (verdict INCOMPLETE).' },
    'SIG-MANIFEST-SIGNATURE-MISSING': { status: 'fail', severity: 'critical', when: 'The bundle has no manifest.sigstore.json (or no manifest to sign).' },
    'SIG-MANIFEST-SIGNATURE-MALFORMED': { status: 'fail', severity: 'critical', when: 'manifest.sigstore.json is not a valid Sigstore bundle.' },
    'SIG-MANIFEST-SIGNER-UNTRUSTED': { status: 'fail', severity: 'critical', when: 'The signature names another signer than the policy requires.' },
    'SIG-MANIFEST-SIGNATURE-INVALID': { status: 'fail', severity: 'critical', when: 'The signature does not verify over the exact bytes of manifest.json with the required key.' },
  },
  async run(context: VerifyContext): Promise<readonly FindingDraft[]> {
    if (context.trust === null || context.policy === null) {
      return [findingOf(this, 'SIG-MANIFEST-NO-TRUST', SUBJECT, 'No trust store and policy were given (--trust, --policy): the manifest signature was not checked')];
    }
    if (context.manifest.state === 'missing') {
      return [findingOf(this, 'SIG-MANIFEST-SIGNATURE-MISSING', SUBJECT, 'There is no manifest.json to verify a signature over')];
    }
    const required = context.policy.manifest.signer;
    const key = context.trust.keys.get(required.key);
    if (key === undefined) throw new Error(`policy names key ${required.key}, which the trust store lacks`); // refused at load time
    const file = context.bundle.files.find((f) => f.path === MANIFEST_SIGNATURE_PATH);
    if (file === undefined) {
      return [findingOf(this, 'SIG-MANIFEST-SIGNATURE-MISSING', SUBJECT, `The bundle has no ${MANIFEST_SIGNATURE_PATH}: the manifest is unsigned`)];
    }
    if (file.size > MAX_SIGNATURE_BUNDLE_BYTES) {
      return [findingOf(this, 'SIG-MANIFEST-SIGNATURE-MALFORMED', SUBJECT, `${MANIFEST_SIGNATURE_PATH} is ${file.size} bytes, larger than any signature bundle`, { size: file.size })];
    }
    let bundle: Bundle;
    try {
      bundle = parseSignatureBundle(await readFile(join(context.bundle.root, file.path)), { requireCanonical: true }).bundle;
    } catch (error) {
      return [findingOf(this, 'SIG-MANIFEST-SIGNATURE-MALFORMED', SUBJECT, `${MANIFEST_SIGNATURE_PATH} is not a valid Sigstore bundle: ${firstLine(error)}`)];
    }
    return [verifyWithKey(bundle, context.manifest.bytes, key)];
  },
};

function verifyWithKey(bundle: Bundle, manifestBytes: Buffer, key: TrustedKey): FindingDraft {
  const check = manifestSignatureCheck;
  if (!isBundleWithPublicKey(bundle)) {
    return findingOf(check, 'SIG-MANIFEST-SIGNER-UNTRUSTED', SUBJECT, `The manifest is signed with a certificate, but the policy requires the key "${key.name}"`, {
      requiredKey: key.name,
    });
  }
  const hint = bundle.verificationMaterial.content.publicKey.hint;
  if (hint !== key.hint) {
    return findingOf(check, 'SIG-MANIFEST-SIGNER-UNTRUSTED', SUBJECT, `The signature names key hint "${hint}", not the policy's key "${key.name}" (${key.hint})`, {
      requiredKey: key.name,
      requiredHint: key.hint,
      bundleHint: hint,
    });
  }
  try {
    new Verifier(keyOnlyTrust(key), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(withEd25519MessageSignatures(toSignedEntity(bundle, manifestBytes), manifestBytes));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return findingOf(check, 'SIG-MANIFEST-SIGNATURE-INVALID', SUBJECT, `The signature in ${MANIFEST_SIGNATURE_PATH} does not verify over manifest.json with key "${key.name}": one of the two files was changed after signing, or another key signed (${firstLine(error)})`, {
      key: key.name,
      keyHint: key.hint,
      manifestSha256: sha256(manifestBytes),
      errorCode: typeof code === 'string' ? code : null,
    });
  }
  return findingOf(check, 'SIG-MANIFEST-VERIFIED', SUBJECT, `manifest.json is signed by key "${key.name}" (${key.algorithm})`, {
    key: key.name,
    algorithm: key.algorithm,
    keyHint: key.hint,
    manifestSha256: sha256(manifestBytes),
    mediaType: bundle.mediaType,
  });
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

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
