// SIG (manifest): manifest.sigstore.json is a Sigstore bundle whose signature over the exact bytes of
// manifest.json verifies with the signer the assessor's policy names: a key of the trust store, or a
// certificate identity and issuer whose certificate, log entry and timestamps chain to a trusted root of
// the trust store (never one the bundle carries). @sigstore/verify does the cryptography; this module
// does the policy: which signer, and that the bundle names no other.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBundleWithPublicKey, type Bundle } from '@sigstore/bundle';
import { parseSignatureBundle } from '../sigstore/load-bundle.js';
import { verifyWithTrustedKey } from '../sigstore/verify-with-key.js';
import { MANIFEST_SIGNATURE_PATH } from '../schemas/manifest.js';
import { isKeySigner } from '../schemas/policy.js';
import type { LoadedBundle } from '../sigstore/load-bundle.js';
import { resolveSigner } from '../trust/resolve-signers.js';
import type { TrustedKey } from '../trust/trust-store.js';
import type { FindingId } from '../../../shared/finding-ids.js';
import { findingOf, type Check, type FindingDraft, type VerifyContext } from './check.js';
import { verifySignature, type SignatureCause } from './signature-evidence.js';

const SUBJECT = { kind: 'file', path: MANIFEST_SIGNATURE_PATH } as const;
const MAX_SIGNATURE_BUNDLE_BYTES = 1024 * 1024;

export const manifestSignatureCheck: Check = {
  prefix: 'SIG',
  title: 'Manifest signature',
  obligation:
    'Art. 15 cybersecurity and Art. 12 record-keeping: only a signature by the identity the assessor trusts ties the manifest, and so every file, to the release pipeline.',
  findings: {
    'SIG-MANIFEST-VERIFIED': { status: 'pass', severity: 'info', when: 'The manifest signature verifies with the signer the policy names (key, or certificate identity and issuer with a log entry or timestamp from the trusted root).' },
    'SIG-MANIFEST-NO-TRUST': { status: 'not-run', severity: 'high', when: 'No trust store or policy was given, so the signature cannot be checked (verdict INCOMPLETE).' },
    'SIG-MANIFEST-SIGNATURE-MISSING': { status: 'fail', severity: 'critical', when: 'The bundle has no manifest.sigstore.json (or no manifest to sign).' },
    'SIG-MANIFEST-SIGNATURE-MALFORMED': { status: 'fail', severity: 'critical', when: 'manifest.sigstore.json is not a valid Sigstore bundle.' },
    'SIG-MANIFEST-SIGNER-UNTRUSTED': { status: 'fail', severity: 'critical', when: 'The signature names another signer than the policy requires.' },
    'SIG-MANIFEST-SIGNATURE-INVALID': { status: 'fail', severity: 'critical', when: 'The signature does not verify over the exact bytes of manifest.json with the required key or certificate.' },
    'SIG-MANIFEST-CERTIFICATE-UNTRUSTED': { status: 'fail', severity: 'critical', when: "The signing certificate does not chain to a certificate authority of the policy's trusted root (e.g. another CA, or a root the bundle carries)." },
    'SIG-MANIFEST-CERTIFICATE-EXPIRED': { status: 'fail', severity: 'critical', when: "No verified time (log integration or RFC 3161 timestamp) falls inside the signing certificate's validity." },
    'SIG-MANIFEST-NO-TIMESTAMP': { status: 'fail', severity: 'critical', when: 'A certificate signature carries nothing that proves when it was made (no log entry with a signed time, no RFC 3161 timestamp).' },
    'SIG-MANIFEST-TLOG-MISMATCH': { status: 'fail', severity: 'critical', when: 'The transparency log entry records another artefact, signature or key than this signature.' },
    'SIG-MANIFEST-TLOG-INVALID': { status: 'fail', severity: 'critical', when: "The log entry's signed entry timestamp, inclusion proof or checkpoint does not verify with the trusted root's log." },
    'SIG-MANIFEST-TIMESTAMP-INVALID': { status: 'fail', severity: 'critical', when: "An RFC 3161 timestamp does not verify with the trusted root's timestamp authorities." },
    'SIG-TRUST-MATERIAL-IGNORED': { status: 'warn', severity: 'medium', when: 'The bundle carries a file that looks like trust material (trusted_root.json, a key or certificate); it is never used as an anchor.' },
  },
  async run(context: VerifyContext): Promise<readonly FindingDraft[]> {
    return [...(await manifestFindings(context)), ...trustMaterialNotes(context)];
  },
};

async function manifestFindings(context: VerifyContext): Promise<readonly FindingDraft[]> {
  const check = manifestSignatureCheck;
  if (context.trust === null || context.policy === null) {
    return [findingOf(check, 'SIG-MANIFEST-NO-TRUST', SUBJECT, 'No trust store and policy were given (--trust, --policy): the manifest signature was not checked')];
  }
  if (context.manifest.state === 'missing') {
    return [findingOf(check, 'SIG-MANIFEST-SIGNATURE-MISSING', SUBJECT, 'There is no manifest.json to verify a signature over')];
  }
  const required = context.policy.manifest.signer;
  const file = context.bundle.files.find((f) => f.path === MANIFEST_SIGNATURE_PATH);
  if (file === undefined) {
    return [findingOf(check, 'SIG-MANIFEST-SIGNATURE-MISSING', SUBJECT, `The bundle has no ${MANIFEST_SIGNATURE_PATH}: the manifest is unsigned`)];
  }
  if (file.size > MAX_SIGNATURE_BUNDLE_BYTES) {
    return [findingOf(check, 'SIG-MANIFEST-SIGNATURE-MALFORMED', SUBJECT, `${MANIFEST_SIGNATURE_PATH} is ${file.size} bytes, larger than any signature bundle`, { size: file.size })];
  }
  let loaded: LoadedBundle;
  try {
    loaded = parseSignatureBundle(await readFile(join(context.bundle.root, file.path)), { requireCanonical: true });
  } catch (error) {
    return [findingOf(check, 'SIG-MANIFEST-SIGNATURE-MALFORMED', SUBJECT, `${MANIFEST_SIGNATURE_PATH} is not a valid Sigstore bundle: ${firstLine(error)}`)];
  }
  if (isKeySigner(required)) {
    const key = context.trust.keys.get(required.key);
    if (key === undefined) throw new Error(`policy names key ${required.key}, which the trust store lacks`); // refused at load time
    return [verifyWithKey(loaded.bundle, context.manifest.bytes, key)];
  }
  return [verifyWithCertificate(loaded, context)];
}

/** Files that look like trust anchors (trusted roots, keys, certificates): listed so the assessor sees they were not used. */
const TRUST_MATERIAL = /(^|\/)(trusted[_-]?root[^/]*\.json|[^/]+\.(pem|crt|cer|pub|key))$/i;

function trustMaterialNotes(context: VerifyContext): FindingDraft[] {
  return context.bundle.files
    .filter((f) => TRUST_MATERIAL.test(f.path))
    .map((f) =>
      findingOf(manifestSignatureCheck, 'SIG-TRUST-MATERIAL-IGNORED', { kind: 'file', path: f.path }, `${f.path} looks like trust material (a trusted root, key or certificate); trust anchors inside a bundle are never used, only the assessor's trust store`, {
        trustStore: context.trust?.dir ?? null,
      }),
    );
}

const CERTIFICATE_FINDINGS: Record<SignatureCause, FindingId> = {
  malformed: 'SIG-MANIFEST-SIGNATURE-MALFORMED',
  'signer-untrusted': 'SIG-MANIFEST-SIGNER-UNTRUSTED',
  'artifact-mismatch': 'SIG-MANIFEST-SIGNATURE-INVALID',
  'signature-invalid': 'SIG-MANIFEST-SIGNATURE-INVALID',
  'certificate-untrusted': 'SIG-MANIFEST-CERTIFICATE-UNTRUSTED',
  'certificate-expired': 'SIG-MANIFEST-CERTIFICATE-EXPIRED',
  'no-timestamp': 'SIG-MANIFEST-NO-TIMESTAMP',
  'tlog-mismatch': 'SIG-MANIFEST-TLOG-MISMATCH',
  'tlog-invalid': 'SIG-MANIFEST-TLOG-INVALID',
  'timestamp-invalid': 'SIG-MANIFEST-TIMESTAMP-INVALID',
};

/** A keyless signature: exact identity and issuer, certificate, log entry and timestamps against the policy's trusted root. */
function verifyWithCertificate(loaded: LoadedBundle, context: VerifyContext): FindingDraft {
  const check = manifestSignatureCheck;
  if (context.trust === null || context.policy === null || context.manifest.state === 'missing') throw new Error('unreachable: checked by run()');
  const signer = resolveSigner(context.trust, context.policy.manifest.signer);
  const manifestBytes = context.manifest.bytes;
  const outcome = verifySignature(loaded, { kind: 'bytes', bytes: manifestBytes }, signer);
  if (!outcome.ok) {
    return findingOf(check, CERTIFICATE_FINDINGS[outcome.cause], SUBJECT, `${MANIFEST_SIGNATURE_PATH} does not prove that manifest.json was signed as the policy requires: ${outcome.reason}`, {
      ...outcome.evidence,
      manifestSha256: sha256(manifestBytes),
    });
  }
  return findingOf(check, 'SIG-MANIFEST-VERIFIED', SUBJECT, `manifest.json is signed by ${outcome.summary}`, { ...outcome.evidence, manifestSha256: sha256(manifestBytes) });
}

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
    verifyWithTrustedKey(bundle, manifestBytes, key);
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

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
