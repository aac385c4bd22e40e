// verifyArtifact: does this bundle prove that the artefact (its bytes, or its sha256) was signed by the
// signer the policy names, and logged or timestamped by authorities of the assessor's trusted root?
// @sigstore/verify does the cryptography (chains, SCTs, SETs, checkpoints, inclusion proofs, RFC 3161);
// this module decides what it is asked and guards what it leaves to the caller: the artefact binding
// (message digest, DSSE payload, in-toto subjects), exact identity, and a certificate without a time.

import { createHash, X509Certificate as NodeX509 } from 'node:crypto';
import { RFC3161Timestamp, X509Certificate } from '@sigstore/core';
import { HashAlgorithm } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier, type SignedEntity, type TrustMaterial, type VerifierOptions } from '@sigstore/verify';
import { failure, messageOf, SigstoreBundleError, type SigstoreFailure, type SigstoreFailureCode } from './errors.js';
import { exactPattern, identityMismatch, readCertificateIdentity, type SignerPolicy } from './identity.js';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, subjectsMatchingSha256, type InTotoStatement } from './in-toto.js';
import type { BundleFormat, LoadedBundle } from './load-bundle.js';
import { withEd25519MessageSignatures } from './ed25519-message.js';
import { PrehashUnsupportedError, verifyDigestSignature } from './prehash.js';
import { loggedVerifierKeys, spkiOf } from './tlog-verifier.js';
import type { LoadedTrustedRoot } from './trusted-root.js';

/** The artefact: its bytes, or only its sha256 (message signatures verify from it; DSSE needs in-toto or the payload). */
export type ArtifactInput = { readonly kind: 'bytes'; readonly bytes: Buffer } | { readonly kind: 'digest'; readonly sha256: Buffer };

/**
 * How a DSSE envelope binds the artefact. 'attestation': the payload must be an in-toto Statement
 * naming the artefact's sha256 as a subject. 'any' (cosign verify-blob): in-toto payloads are matched
 * the same way, any other payload type must be the artefact itself.
 */
export type EnvelopeMode = 'any' | 'attestation';

export interface VerifyArtifactRequest {
  readonly bundle: LoadedBundle;
  readonly artifact: ArtifactInput;
  readonly trustedRoot: LoadedTrustedRoot;
  readonly policy: SignerPolicy;
  readonly envelope?: EnvelopeMode;
}

export type VerifiedSigner =
  | {
      readonly kind: 'certificate';
      readonly identity: string;
      readonly issuer: string;
      readonly notBefore: Date;
      readonly notAfter: Date;
      readonly serialNumber: string;
    }
  | { readonly kind: 'key'; readonly algorithm: string; readonly keyHint: string; readonly name: string | null };

export interface VerifiedTlogEntry {
  readonly logIndex: string;
  /** hex */
  readonly logId: string;
  /** baseUrl of the trusted-root log with that id, or null */
  readonly log: string | null;
  readonly kind: string;
  /** Only an entry with a verified SET proves a time; Rekor v2 entries carry none. */
  readonly integratedTime: Date | null;
  readonly inclusionPromise: boolean;
  readonly inclusionProof: boolean;
}

export interface VerifiedArtifact {
  readonly ok: true;
  readonly format: BundleFormat;
  readonly mediaType: string;
  readonly content: LoadedBundle['content'];
  readonly signer: VerifiedSigner;
  readonly tlogEntries: readonly VerifiedTlogEntry[];
  readonly rfc3161Timestamps: readonly { readonly time: Date }[];
  readonly artifact: { readonly sha256: string; readonly boundBy: 'message-digest' | 'dsse-payload' | 'in-toto-subject' };
  readonly payloadType: string | null;
  /** The in-toto Statement, parsed from the verified payload bytes, when the envelope holds one. */
  readonly statement: InTotoStatement | null;
  readonly trustedRoot: { readonly source: string; readonly sha256: string };
}

export type VerifyArtifactResult = VerifiedArtifact | SigstoreFailure;

const DIGEST_REF = /^sha256:([0-9a-f]{64})$/;

/** `sha256:<64 lowercase hex>` to its bytes; null for anything else. */
export function parseDigestRef(text: string): Buffer | null {
  const match = DIGEST_REF.exec(text);
  return match === null ? null : Buffer.from(match[1]!, 'hex');
}

export function verifyArtifact(request: VerifyArtifactRequest): VerifyArtifactResult {
  try {
    return verifyOrThrow(request);
  } catch (error) {
    if (error instanceof SigstoreBundleError) return failure(error.code, error.message);
    return failure('BUNDLE_MALFORMED', `verification aborted: ${messageOf(error)}`);
  }
}

function verifyOrThrow(request: VerifyArtifactRequest): VerifyArtifactResult {
  const { bundle, policy } = request;
  const binding = bindArtifact(request);
  if (!binding.ok) return binding;
  const signerKind = checkSignerKind(bundle, policy);
  if (signerKind !== null) return signerKind;
  const timeAnchor = checkTimeAnchor(bundle, policy);
  if (timeAnchor !== null) return timeAnchor;
  const verifiedSigner = checkIdentity(bundle, policy);
  if (!('kind' in verifiedSigner)) return verifiedSigner;
  const unsupported: { error: PrehashUnsupportedError | null } = { error: null };
  const entity = signedEntity(request, unsupported);
  if (!('signature' in entity)) return entity;
  try {
    // The identity was compared exactly above; the library checks it again, anchored, after the crypto.
    new Verifier(trustMaterial(request), verifierOptions(request)).verify(entity, libraryPolicy(policy));
  } catch (error) {
    // The library reads a throwing signature check as a bad signature; a digest that cannot be checked is not one.
    return libraryFailure(unsupported.error ?? error);
  }
  const logged = checkLoggedSigner(request);
  if (logged !== null) return logged;
  return {
    ok: true,
    format: bundle.format,
    mediaType: bundle.mediaType,
    content: bundle.content,
    signer: verifiedSigner,
    tlogEntries: tlogEntries(request),
    rfc3161Timestamps: (bundle.bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? []).map((ts) => ({
      time: RFC3161Timestamp.parse(Buffer.from(ts.signedTimestamp)).signingTime,
    })),
    artifact: { sha256: binding.sha256, boundBy: binding.boundBy },
    payloadType: bundle.bundle.content.$case === 'dsseEnvelope' ? bundle.bundle.content.dsseEnvelope.payloadType : null,
    statement: binding.statement,
    trustedRoot: { source: request.trustedRoot.source, sha256: request.trustedRoot.sha256 },
  };
}

type Binding = { ok: true; sha256: string; boundBy: VerifiedArtifact['artifact']['boundBy']; statement: InTotoStatement | null } | SigstoreFailure;

/** Does the signed content name this artefact? (Checked before the signature; success needs both.) */
function bindArtifact({ bundle, artifact, envelope = 'any' }: VerifyArtifactRequest): Binding {
  const sha256 = artifact.kind === 'bytes' ? createHash('sha256').update(artifact.bytes).digest() : artifact.sha256;
  const sha256Hex = sha256.toString('hex');
  const content = bundle.bundle.content;
  if (content.$case === 'messageSignature') {
    const { algorithm, digest } = content.messageSignature.messageDigest;
    let expected: Buffer;
    if (artifact.kind === 'digest') {
      if (algorithm !== HashAlgorithm.SHA2_256) return failure('DIGEST_UNSUPPORTED', `the bundle's message digest is ${HashAlgorithm[algorithm]}, so a sha256 digest cannot identify the artefact`);
      expected = sha256;
    } else {
      const name = NODE_HASHES[algorithm];
      if (name === undefined) return failure('BUNDLE_UNSUPPORTED', `unsupported message digest algorithm ${HashAlgorithm[algorithm]}`);
      expected = createHash(name).update(artifact.bytes).digest();
    }
    // The library verifies the signature over the artefact but never compares it with messageDigest,
    // which the tlog body is matched against; both must name the same bytes.
    if (!expected.equals(digest)) return failure('ARTIFACT_MISMATCH', `the bundle signs another artefact (digest ${digest.toString('hex')}, artefact ${expected.toString('hex')})`);
    return { ok: true, sha256: sha256Hex, boundBy: 'message-digest', statement: null };
  }
  const { payloadType, payload } = content.dsseEnvelope;
  if (payloadType === IN_TOTO_PAYLOAD_TYPE) {
    const statement = parseStatement(payload);
    if (subjectsMatchingSha256(statement, sha256Hex).length === 0) {
      return failure('ARTIFACT_MISMATCH', `no subject of the in-toto statement has sha256 ${sha256Hex} (subjects: ${statement.subjects.map((s) => s.name || '?').join(', ')})`);
    }
    return { ok: true, sha256: sha256Hex, boundBy: 'in-toto-subject', statement };
  }
  if (envelope === 'attestation') return failure('PAYLOAD_TYPE', `DSSE payload type is "${payloadType}", not "${IN_TOTO_PAYLOAD_TYPE}"`);
  const payloadSha256 = createHash('sha256').update(payload).digest();
  if (!payloadSha256.equals(sha256)) return failure('ARTIFACT_MISMATCH', `the DSSE payload (${payloadType}, sha256 ${payloadSha256.toString('hex')}) is not the artefact (sha256 ${sha256Hex})`);
  return { ok: true, sha256: sha256Hex, boundBy: 'dsse-payload', statement: null };
}

const NODE_HASHES: Partial<Record<HashAlgorithm, string>> = {
  [HashAlgorithm.SHA2_256]: 'sha256',
  [HashAlgorithm.SHA2_384]: 'sha384',
  [HashAlgorithm.SHA2_512]: 'sha512',
};

function checkSignerKind(bundle: LoadedBundle, policy: SignerPolicy): SigstoreFailure | null {
  if (policy.kind === 'key' && bundle.verificationMaterial === 'certificate') return failure('SIGNER_MISMATCH', 'the bundle is signed with a certificate, but a key was required');
  if (policy.kind === 'certificate' && bundle.verificationMaterial === 'public-key') return failure('SIGNER_MISMATCH', 'the bundle is signed with a key, but a certificate identity was required');
  return null;
}

/**
 * A short-lived certificate proves nothing without a trusted time inside its validity. The library
 * enforces a timestamp threshold, but only counts what it finds; say plainly when there is nothing.
 */
function checkTimeAnchor(bundle: LoadedBundle, policy: SignerPolicy): SigstoreFailure | null {
  if (policy.kind !== 'certificate') return null;
  const material = bundle.bundle.verificationMaterial;
  const setTimes = material.tlogEntries.filter((e) => e.inclusionPromise !== undefined && e.integratedTime !== '' && e.integratedTime !== '0').length;
  const tsaTimes = material.timestampVerificationData?.rfc3161Timestamps.length ?? 0;
  if (setTimes + tsaTimes === 0) return failure('NO_VERIFIED_TIMESTAMP', 'the certificate signature carries no signed time (no Rekor SET with integrated time, no RFC 3161 timestamp)');
  return null;
}

function signedEntity({ bundle, artifact }: VerifyArtifactRequest, unsupported: { error: PrehashUnsupportedError | null }): SignedEntity | SigstoreFailure {
  let entity: SignedEntity;
  try {
    entity = toSignedEntity(bundle.bundle, artifact.kind === 'bytes' ? artifact.bytes : Buffer.alloc(0));
  } catch (error) {
    return failure('TIMESTAMP_INVALID', `cannot read the bundle's timestamps or certificate: ${messageOf(error)}`);
  }
  if (bundle.content !== 'message-signature') return entity;
  // Ed25519 signs the message itself, which the library's message check cannot do (ed25519-message.ts).
  if (artifact.kind === 'bytes') return withEd25519MessageSignatures(entity, artifact.bytes);
  // Digest only: the library's message check hashes the artefact itself, so verify over the digest here;
  // every other step (tlog body, timestamps over the signature) stays the library's.
  const base = entity.signature;
  return {
    ...entity,
    signature: {
      signature: base.signature,
      compareSignature: (s) => base.compareSignature(s),
      compareDigest: (d) => base.compareDigest(d),
      compareSignedDigest: (d) => base.compareSignedDigest(d),
      verifySignature: (key) => {
        try {
          return verifyDigestSignature(key, artifact.sha256, base.signature);
        } catch (error) {
          if (error instanceof PrehashUnsupportedError) unsupported.error = error;
          throw error;
        }
      },
    },
  };
}

function trustMaterial({ trustedRoot, policy }: VerifyArtifactRequest): TrustMaterial {
  if (policy.kind === 'key') {
    // The key is the assessor's; the bundle's hint only names it, so any hint resolves to this key.
    return toTrustMaterial(trustedRoot.root, () => ({ publicKey: policy.key.key, validFor: () => true }));
  }
  return toTrustMaterial(trustedRoot.root, (hint) => {
    throw Object.assign(new Error(`no key for hint ${hint}: a certificate identity was required`), { code: 'PUBLIC_KEY_ERROR' });
  });
}

/**
 * Certificates: at least one verified timestamp; SCTs only if the root has CT logs (private instances
 * without one are first-class); a tlog entry if the root has logs, unless an RFC 3161 timestamp from a
 * trusted TSA anchors the time (the TSA-only profile). Keys: nothing required, everything present verified.
 */
export function verifierOptions({ bundle, trustedRoot, policy }: Pick<VerifyArtifactRequest, 'bundle' | 'trustedRoot' | 'policy'>): VerifierOptions {
  if (policy.kind === 'key') return { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 };
  const tsaTimestamps = bundle.bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length ?? 0;
  return {
    timestampThreshold: 1,
    ctlogThreshold: trustedRoot.ctlogs.length > 0 ? 1 : 0,
    tlogThreshold: trustedRoot.tlogs.length > 0 && tsaTimestamps === 0 ? 1 : 0,
  };
}

function libraryPolicy(policy: SignerPolicy): Parameters<Verifier['verify']>[1] {
  if (policy.kind === 'key') return undefined;
  return { subjectAlternativeName: exactPattern(policy.identity), extensions: { issuer: policy.issuer } };
}

/** Reads the signer from the certificate and compares exactly (the library's check is a second line). */
function checkIdentity(bundle: LoadedBundle, policy: SignerPolicy): VerifiedSigner | SigstoreFailure {
  if (policy.kind === 'key') {
    return { kind: 'key', algorithm: policy.key.algorithm, keyHint: policy.key.hint, name: policy.name ?? null };
  }
  const material = bundle.bundle.verificationMaterial.content;
  const der = material.$case === 'certificate' ? material.certificate.rawBytes : material.$case === 'x509CertificateChain' ? material.x509CertificateChain.certificates[0]?.rawBytes : undefined;
  if (der === undefined) return failure('SIGNER_MISMATCH', 'the bundle has no signing certificate');
  const identity = readCertificateIdentity(X509Certificate.parse(Buffer.from(der)));
  const mismatch = identityMismatch(identity, policy);
  if (mismatch !== null) return failure('SIGNER_MISMATCH', mismatch);
  return { kind: 'certificate', identity: policy.identity, issuer: policy.issuer, notBefore: identity.notBefore, notAfter: identity.notAfter, serialNumber: identity.serialNumber };
}

/** Every log entry must record the key that verified the signature (see tlog-verifier.ts for why). */
function checkLoggedSigner({ bundle, policy }: VerifyArtifactRequest): SigstoreFailure | null {
  const signerSpki = signerKeySpki(bundle, policy);
  for (const entry of bundle.bundle.verificationMaterial.tlogEntries) {
    const kind = entry.kindVersion?.kind ?? '';
    const version = entry.kindVersion?.version ?? '';
    let keys: Buffer[];
    try {
      keys = loggedVerifierKeys(kind, version, entry.canonicalizedBody);
    } catch (error) {
      return failure('TLOG_INVALID', `log entry ${entry.logIndex}: cannot read the signer it records: ${messageOf(error)}`);
    }
    if (!keys.some((k) => k.equals(signerSpki))) return failure('TLOG_INVALID', `log entry ${entry.logIndex} records another signing key than the one that verified the signature`);
  }
  return null;
}

function signerKeySpki(bundle: LoadedBundle, policy: SignerPolicy): Buffer {
  if (policy.kind === 'key') return spkiOf(policy.key.key);
  const material = bundle.bundle.verificationMaterial.content;
  const der = material.$case === 'certificate' ? material.certificate.rawBytes : material.$case === 'x509CertificateChain' ? material.x509CertificateChain.certificates[0]!.rawBytes : Buffer.alloc(0);
  return spkiOf(new NodeX509(der).publicKey);
}

function tlogEntries({ bundle, trustedRoot }: VerifyArtifactRequest): VerifiedTlogEntry[] {
  return bundle.bundle.verificationMaterial.tlogEntries.map((entry) => {
    const logId = entry.logId?.keyId.toString('hex') ?? '';
    const hasTime = entry.inclusionPromise !== undefined && entry.integratedTime !== '' && entry.integratedTime !== '0';
    return {
      logIndex: entry.logIndex,
      logId,
      log: trustedRoot.tlogs.find((l) => l.logId === logId)?.baseUrl ?? null,
      kind: `${entry.kindVersion?.kind ?? '?'} ${entry.kindVersion?.version ?? '?'}`,
      integratedTime: hasTime ? new Date(Number(entry.integratedTime) * 1000) : null,
      inclusionPromise: entry.inclusionPromise !== undefined,
      inclusionProof: entry.inclusionProof !== undefined,
    };
  });
}

const LIBRARY_CODES: Record<string, SigstoreFailureCode> = {
  UNTRUSTED_SIGNER_ERROR: 'SIGNER_MISMATCH',
  SIGNATURE_ERROR: 'SIGNATURE_INVALID',
  CERTIFICATE_ERROR: 'CERTIFICATE_INVALID',
  PUBLIC_KEY_ERROR: 'PUBLIC_KEY_INVALID',
  TIMESTAMP_ERROR: 'TIMESTAMP_INVALID',
  TLOG_ERROR: 'TLOG_INVALID',
  TLOG_INCLUSION_PROOF_ERROR: 'TLOG_INVALID',
  TLOG_INCLUSION_PROMISE_ERROR: 'TLOG_INVALID',
  TLOG_MISSING_INCLUSION_ERROR: 'TLOG_INVALID',
  TLOG_BODY_ERROR: 'TLOG_INVALID',
  NOT_IMPLEMENTED_ERROR: 'BUNDLE_UNSUPPORTED',
};

const CONTEXT: Partial<Record<SigstoreFailureCode, string>> = {
  CERTIFICATE_INVALID: 'signing certificate: ',
  TIMESTAMP_INVALID: 'RFC 3161 timestamp (checked against the trusted root\'s timestamp authorities): ',
  TLOG_INVALID: 'transparency log entry: ',
  PUBLIC_KEY_INVALID: 'public key: ',
};

function libraryFailure(error: unknown): SigstoreFailure {
  if (error instanceof PrehashUnsupportedError) return failure('DIGEST_UNSUPPORTED', error.message);
  const code = (error as { code?: unknown }).code;
  const libraryCode = typeof code === 'string' ? code : null;
  const mapped = libraryCode === null ? undefined : LIBRARY_CODES[libraryCode];
  if (mapped === undefined) return failure('BUNDLE_MALFORMED', `verification aborted: ${messageOf(error)}`, libraryCode);
  return failure(mapped, `${CONTEXT[mapped] ?? ''}${messageOf(error)}`, libraryCode);
}
