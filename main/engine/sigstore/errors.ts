// The typed outcomes of Sigstore verification: a stable failure code (tests and checks assert the code,
// so messages can improve freely) and two error classes that separate "the evidence does not verify"
// from "the verifier's own trust material is unusable" (exit 1 versus exit 2 in the CLI).

/** Why a signature bundle did not verify. Stable: checks map these to finding ids. */
export type SigstoreFailureCode =
  | 'BUNDLE_MALFORMED' // not JSON, duplicate keys, missing or mistyped fields, bad base64
  | 'BUNDLE_MEDIA_TYPE' // a media type Assay does not know
  | 'BUNDLE_UNSUPPORTED' // well-formed, but a shape Assay refuses (e.g. several DSSE signatures)
  | 'ARTIFACT_MISMATCH' // the bundle signs other bytes or another digest than the artefact given
  | 'PAYLOAD_TYPE' // a DSSE envelope whose payload type is not the one required
  | 'STATEMENT_MALFORMED' // an in-toto payload that is not a valid Statement
  | 'DIGEST_UNSUPPORTED' // a digest alone cannot verify this signature (e.g. Ed25519 signs the message)
  | 'SIGNER_MISMATCH' // another identity, issuer or key than the policy requires
  | 'NO_VERIFIED_TIMESTAMP' // a certificate signature with nothing that proves when it was made
  | 'SIGNATURE_INVALID'
  | 'CERTIFICATE_INVALID' // chain, validity at signing time, or SCTs
  | 'TLOG_INVALID' // SET, inclusion proof, checkpoint, or body not matching the signature
  | 'TIMESTAMP_INVALID' // an RFC 3161 timestamp that does not verify with the trusted root
  | 'PUBLIC_KEY_INVALID';

export interface SigstoreFailure {
  readonly ok: false;
  readonly code: SigstoreFailureCode;
  /** One line, for people. */
  readonly reason: string;
  /** The @sigstore/verify error code that decided it, when the library decided it. */
  readonly libraryCode: string | null;
}

/** A bundle that cannot be accepted; carries the failure it becomes. */
export class SigstoreBundleError extends Error {
  constructor(
    readonly code: SigstoreFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'SigstoreBundleError';
  }
}

/** Unusable trust material (a trusted root or key the assessor supplied): the verifier cannot run. */
export class TrustedMaterialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustedMaterialError';
  }
}

export function failure(code: SigstoreFailureCode, reason: string, libraryCode: string | null = null): SigstoreFailure {
  return { ok: false, code, reason: oneLine(reason), libraryCode };
}

export function oneLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim() || 'unknown error';
}

export function messageOf(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}
