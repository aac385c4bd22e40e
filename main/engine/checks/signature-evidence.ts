// Shared by the SIG and ATT checks: one Sigstore signature verified against one policy signer with
// `verifyArtifact`, turned into the cause an assessor needs (who signed, when, what went wrong where) and
// the evidence of the finding. The verdict is always the library's; when it refuses, the diagnosis below
// only names the root cause (a changed signature also breaks the timestamp over it, but "the timestamp
// is invalid" would send the assessor the wrong way). Nothing here can turn a failure into a pass.

import { constants, createHash, verify as cryptoVerify, X509Certificate as NodeX509, type KeyObject } from 'node:crypto';
import { RFC3161Timestamp } from '@sigstore/core';
import type { Evidence } from '../../../shared/report.js';
import { describeSigner } from '../schemas/policy.js';
import { messageOf, type SigstoreFailure } from '../sigstore/errors.js';
import type { LoadedBundle } from '../sigstore/load-bundle.js';
import { PrehashUnsupportedError, verifyDigestSignature } from '../sigstore/prehash.js';
import { verifyArtifact, type ArtifactInput, type EnvelopeMode, type VerifiedArtifact } from '../sigstore/verify-artifact.js';
import type { ResolvedSigner } from '../trust/resolve-signers.js';

/** Why a signature does not prove what it should; each check maps a cause to its own finding id. */
export type SignatureCause =
  | 'malformed' // the bundle or the annotations it was built from cannot be read
  | 'signer-untrusted' // another identity, issuer, key or kind of signer than the policy requires
  | 'artifact-mismatch' // it signs other bytes, another digest, or a statement about another subject
  | 'signature-invalid' // the signature bytes do not verify under the signer's key
  | 'certificate-untrusted' // the certificate does not chain to a CA of the assessor's trusted root
  | 'certificate-expired' // no verified time falls inside the certificate's validity
  | 'no-timestamp' // a certificate signature with nothing that proves when it was made
  | 'tlog-mismatch' // the log entry records another artefact, signature or key
  | 'tlog-invalid' // signed entry timestamp, inclusion proof or checkpoint does not verify
  | 'timestamp-invalid'; // an RFC 3161 timestamp that the trusted root's TSAs did not sign

export type SignatureOutcome =
  | { readonly ok: true; readonly verified: VerifiedArtifact; readonly evidence: Evidence; readonly summary: string }
  | { readonly ok: false; readonly cause: SignatureCause; readonly reason: string; readonly evidence: Evidence };

/** Verifies, and on failure says why in terms of the cause; `where` names the signature in messages. */
export function verifySignature(bundle: LoadedBundle, artifact: ArtifactInput, signer: ResolvedSigner, envelope: EnvelopeMode = 'any'): SignatureOutcome {
  const result = verifyArtifact({ bundle, artifact, trustedRoot: signer.trustedRoot, policy: signer.policy, envelope });
  if (result.ok) return { ok: true, verified: result, evidence: verifiedEvidence(result, signer), summary: signedBy(result) };
  const cause = diagnose(bundle, artifact, signer, result);
  return { ok: false, cause: cause.cause, reason: cause.reason, evidence: failureEvidence(bundle, signer, result) };
}

/** "<identity> via <issuer>, logged at index N at <time>" or "key NAME (algorithm)". */
function signedBy(verified: VerifiedArtifact): string {
  const signer = verified.signer;
  const who = signer.kind === 'certificate' ? `${JSON.stringify(signer.identity)} via ${signer.issuer}` : `key "${signer.name ?? signer.keyHint}" (${signer.algorithm})`;
  const entry = verified.tlogEntries[0];
  const logged = entry === undefined ? '' : `, logged at index ${entry.logIndex}${entry.integratedTime === null ? '' : ` at ${entry.integratedTime.toISOString()}`}`;
  const stamped = verified.rfc3161Timestamps[0] === undefined ? '' : `, timestamped ${verified.rfc3161Timestamps[0].time.toISOString()}`;
  return `${who}${logged}${stamped}`;
}

function verifiedEvidence(verified: VerifiedArtifact, signer: ResolvedSigner): Evidence {
  const entry = verified.tlogEntries[0];
  const base: Record<string, string | number | boolean | null> = {
    mediaType: verified.mediaType,
    format: verified.format,
    artifactSha256: verified.artifact.sha256,
    boundBy: verified.artifact.boundBy,
    payloadType: verified.payloadType,
    predicateType: verified.statement?.predicateType ?? null,
    logIndex: entry?.logIndex ?? null,
    log: entry?.log ?? null,
    integratedTime: entry?.integratedTime?.toISOString() ?? null,
    inclusionProof: entry?.inclusionProof ?? null,
    timestamp: verified.rfc3161Timestamps[0]?.time.toISOString() ?? null,
    trustedRoot: signer.trustedRootName,
    trustedRootSha256: signer.trustedRootName === null ? null : verified.trustedRoot.sha256,
  };
  if (verified.signer.kind === 'certificate') {
    Object.assign(base, {
      signerIdentity: verified.signer.identity,
      issuer: verified.signer.issuer,
      certNotBefore: verified.signer.notBefore.toISOString(),
      certNotAfter: verified.signer.notAfter.toISOString(),
      certificateSerial: verified.signer.serialNumber,
    });
  } else {
    Object.assign(base, { key: verified.signer.name, algorithm: verified.signer.algorithm, keyHint: verified.signer.keyHint });
  }
  return base;
}

function failureEvidence(bundle: LoadedBundle, signer: ResolvedSigner, failure: SigstoreFailure): Evidence {
  const certificate = signingCertificate(bundle);
  const entry = bundle.bundle.verificationMaterial.tlogEntries[0];
  return {
    requiredSigner: describeSigner(signer.requirement),
    trustedRoot: signer.trustedRootName,
    failureCode: failure.code,
    libraryCode: failure.libraryCode,
    mediaType: bundle.mediaType,
    certNotBefore: certificate === null ? null : new Date(certificate.validFrom).toISOString(),
    certNotAfter: certificate === null ? null : new Date(certificate.validTo).toISOString(),
    certificateSubjectAltName: certificate?.subjectAltName ?? null,
    logIndex: entry?.logIndex ?? null,
    integratedTime: entry === undefined || entry.integratedTime === '' || entry.integratedTime === '0' ? null : new Date(Number(entry.integratedTime) * 1000).toISOString(),
    timestamp: claimedTimestamps(bundle)[0]?.toISOString() ?? null,
  };
}

type Diagnosis = { cause: SignatureCause; reason: string };

function diagnose(bundle: LoadedBundle, artifact: ArtifactInput, signer: ResolvedSigner, failure: SigstoreFailure): Diagnosis {
  switch (failure.code) {
    case 'SIGNER_MISMATCH':
      return { cause: 'signer-untrusted', reason: `the policy requires ${describeSigner(signer.requirement)}, but ${failure.reason}` };
    case 'ARTIFACT_MISMATCH':
    case 'PAYLOAD_TYPE':
      return { cause: 'artifact-mismatch', reason: failure.reason };
    case 'NO_VERIFIED_TIMESTAMP':
      return { cause: 'no-timestamp', reason: failure.reason };
    case 'BUNDLE_MALFORMED':
    case 'BUNDLE_MEDIA_TYPE':
    case 'BUNDLE_UNSUPPORTED':
    case 'STATEMENT_MALFORMED':
    case 'DIGEST_UNSUPPORTED':
    case 'PUBLIC_KEY_INVALID':
      return { cause: 'malformed', reason: failure.reason };
    default:
      break;
  }
  // The library stops at its first failing step, which is not always the root cause: look for it in
  // the order an assessor would, then fall back on the library's own classification.
  const certificate = signingCertificate(bundle);
  const key = certificate?.publicKey ?? signer.key?.key ?? null;
  if (key !== null && signatureVerifies(bundle, artifact, key) === false) {
    return { cause: 'signature-invalid', reason: `the signature does not verify over the signed content with the ${certificate === null ? 'key' : "certificate's key"}: a signature byte was changed, or the content was` };
  }
  if (certificate !== null && !chainsToTrustedCa(certificate, signer)) {
    return {
      cause: 'certificate-untrusted',
      reason: `the signing certificate (issuer "${certificate.issuer.replace(/\n/g, ', ')}") was not issued by any certificate authority of trusted root "${signer.trustedRootName ?? '?'}"`,
    };
  }
  switch (failure.code) {
    case 'CERTIFICATE_INVALID': {
      if (certificate !== null && !claimedTimesWithin(bundle, certificate)) {
        return {
          cause: 'certificate-expired',
          reason: `no logged or timestamped time falls inside the certificate's validity (${new Date(certificate.validFrom).toISOString()} to ${new Date(certificate.validTo).toISOString()}); the signature may have been made with an expired certificate`,
        };
      }
      return { cause: 'certificate-untrusted', reason: failure.reason };
    }
    case 'TLOG_INVALID':
      if (failure.libraryCode === 'TLOG_BODY_ERROR' || /records another|logs another/.test(failure.reason)) {
        return { cause: 'tlog-mismatch', reason: `the transparency log entry is not the record of this signature: ${failure.reason}` };
      }
      return { cause: 'tlog-invalid', reason: tlogReason(failure) };
    case 'TIMESTAMP_INVALID':
      return { cause: 'timestamp-invalid', reason: failure.reason };
    case 'SIGNATURE_INVALID':
      return { cause: 'signature-invalid', reason: failure.reason };
    default:
      return { cause: 'malformed', reason: failure.reason };
  }
}

function tlogReason(failure: SigstoreFailure): string {
  if (/checkpoint/i.test(failure.reason)) return `the log checkpoint does not verify with the log's key in the trusted root: ${failure.reason}`;
  if (failure.libraryCode === 'TLOG_INCLUSION_PROOF_ERROR') return `the Merkle inclusion proof does not lead to the checkpoint's root: ${failure.reason}`;
  if (failure.libraryCode === 'TLOG_INCLUSION_PROMISE_ERROR') return `the signed entry timestamp does not verify with a log key of the trusted root: ${failure.reason}`;
  return failure.reason;
}

function signingCertificate(bundle: LoadedBundle): NodeX509 | null {
  const content = bundle.bundle.verificationMaterial.content;
  const der = content.$case === 'certificate' ? content.certificate.rawBytes : content.$case === 'x509CertificateChain' ? content.x509CertificateChain.certificates[0]?.rawBytes : undefined;
  if (der === undefined) return null;
  try {
    return new NodeX509(der);
  } catch {
    return null;
  }
}

/** Does the signature verify over what the bundle signs? null when that cannot be decided here. */
function signatureVerifies(bundle: LoadedBundle, artifact: ArtifactInput, key: KeyObject): boolean | null {
  const content = bundle.bundle.content;
  try {
    if (content.$case === 'messageSignature') {
      const signature = content.messageSignature.signature;
      if (artifact.kind === 'bytes') return cryptoVerify(hashFor(key), artifact.bytes, paddingFor(key), signature);
      return verifyDigestSignature(key, artifact.sha256, signature);
    }
    const { payloadType, payload, signatures } = content.dsseEnvelope;
    const signature = signatures[0]?.sig;
    if (signature === undefined) return null;
    return cryptoVerify(hashFor(key), preAuthEncoding(payloadType, payload), paddingFor(key), signature);
  } catch (error) {
    if (error instanceof PrehashUnsupportedError) return null;
    return false;
  }
}

function hashFor(key: KeyObject): string | null {
  if (key.asymmetricKeyType === 'ed25519') return null;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'secp384r1') return 'sha384';
  if (curve === 'secp521r1') return 'sha512';
  return 'sha256';
}

function paddingFor(key: KeyObject): KeyObject | { key: KeyObject; padding: number } {
  return key.asymmetricKeyType === 'rsa' ? { key, padding: constants.RSA_PKCS1_PADDING } : key;
}

/** DSSE v1 pre-authentication encoding. */
function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, 'utf8'), type, Buffer.from(` ${payload.length} `, 'utf8'), payload]);
}

function chainsToTrustedCa(certificate: NodeX509, signer: ResolvedSigner): boolean {
  for (const authority of signer.trustedRoot.root.certificateAuthorities) {
    for (const raw of authority.certChain?.certificates ?? []) {
      try {
        const ca = new NodeX509(raw.rawBytes);
        if (certificate.checkIssued(ca) && certificate.verify(ca.publicKey)) return true;
      } catch {
        // an unparseable CA certificate cannot have issued it
      }
    }
  }
  return false;
}

/** The times the bundle claims (integrated times with a SET, RFC 3161 times), unverified: for diagnosis only. */
function claimedTimestamps(bundle: LoadedBundle): Date[] {
  const material = bundle.bundle.verificationMaterial;
  const times: Date[] = [];
  for (const entry of material.tlogEntries) {
    if (entry.inclusionPromise !== undefined && entry.integratedTime !== '' && entry.integratedTime !== '0') times.push(new Date(Number(entry.integratedTime) * 1000));
  }
  for (const ts of material.timestampVerificationData?.rfc3161Timestamps ?? []) {
    try {
      times.push(RFC3161Timestamp.parse(Buffer.from(ts.signedTimestamp)).signingTime);
    } catch {
      // unreadable: the library reports it
    }
  }
  return times;
}

function claimedTimesWithin(bundle: LoadedBundle, certificate: NodeX509): boolean {
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  return claimedTimestamps(bundle).some((t) => t.getTime() >= from && t.getTime() <= to);
}

/** `sha256:<hex>` of bytes. */
export function ociDigestOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function firstLine(error: unknown): string {
  return messageOf(error);
}
