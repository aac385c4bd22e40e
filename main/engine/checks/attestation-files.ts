// Signed in-toto statements read from the bundle for the supply-chain checks (PROV, SCAN): Sigstore
// bundles (`*.sigstore.json`) and DSSE JSON Lines (`*.intoto.jsonl`), each verified against the policy's
// signer (a trust-store key, or a certificate identity with the trusted root of its Sigstore instance)
// and bound to an artefact digest before its statement is used. A bare DSSE envelope carries no log
// entry or timestamp, so only a key can verify it. The predicate type is peeked from the unverified
// payload only to decide which check reads it.

import { readFile } from 'node:fs/promises';
import { dsseSignedBy, parseDsseJsonLines, type DsseEnvelope } from '../formats/dsse-envelope.js';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, subjectsMatchingSha256, type InTotoStatement } from '../sigstore/in-toto.js';
import { parseSignatureBundle, type LoadedBundle } from '../sigstore/load-bundle.js';
import { resolveSigner, type ResolvedSigner } from '../trust/resolve-signers.js';
import { describeSigner, type Policy, type SignerRequirement } from '../schemas/policy.js';
import type { BundleFile } from '../sources/bundle-source.js';
import type { VerifyContext } from './check.js';
import { verifySignature, type SignatureCause } from './signature-evidence.js';

const MAX_ATTESTATION_BYTES = 16 * 1024 * 1024;

export type StatementFailure = 'malformed' | 'signer-untrusted' | 'signature-invalid' | 'subject-mismatch';

export type VerifiedStatement =
  | { readonly ok: true; readonly statement: InTotoStatement; readonly format: 'sigstore-bundle' | 'dsse-jsonl'; /** who signed, for messages */ readonly signedBy: string }
  | { readonly ok: false; readonly cause: StatementFailure; readonly reason: string };

export interface AttestationFile {
  readonly path: string;
  /** Predicate types of the statements in the file, read before verification (classification only). */
  readonly predicateTypes: readonly string[];
  /** Verifies every statement in the file against `signer` and binds it to `sha256Hex`. */
  verify(signer: ResolvedSigner, sha256Hex: string): VerifiedStatement[];
}

export function isAttestationPath(path: string, directory: string): boolean {
  return path.startsWith(directory) && (path.endsWith('.sigstore.json') || path.endsWith('.intoto.jsonl'));
}

/** Reads a signed-statement file; a file that cannot be read as one is returned as an error string. */
export async function readAttestationFile(file: BundleFile): Promise<AttestationFile | string> {
  if (file.size > MAX_ATTESTATION_BYTES) return `${file.path} is ${file.size} bytes, larger than any attestation`;
  const bytes = await readFile(file.absPath);
  try {
    if (file.path.endsWith('.sigstore.json')) {
      const loaded = parseSignatureBundle(bytes, { requireCanonical: true });
      const content = loaded.bundle.content;
      if (content.$case !== 'dsseEnvelope') return `${file.path} holds a message signature, not a DSSE envelope with an in-toto statement`;
      if (content.dsseEnvelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) return `${file.path}: DSSE payload type is ${content.dsseEnvelope.payloadType}, not ${IN_TOTO_PAYLOAD_TYPE}`;
      const predicateType = parseStatement(content.dsseEnvelope.payload).predicateType;
      return { path: file.path, predicateTypes: [predicateType], verify: (signer, sha256Hex) => [verifyBundle(loaded, signer, sha256Hex)] };
    }
    const envelopes = parseDsseJsonLines(bytes);
    for (const e of envelopes) if (e.payloadType !== IN_TOTO_PAYLOAD_TYPE) return `${file.path}: DSSE payload type is ${e.payloadType}, not ${IN_TOTO_PAYLOAD_TYPE}`;
    const predicateTypes = envelopes.map((e) => parseStatement(e.payload).predicateType);
    return { path: file.path, predicateTypes, verify: (signer, sha256Hex) => envelopes.map((e) => verifyEnvelope(e, signer, sha256Hex)) };
  } catch (error) {
    return `${file.path}: ${(error as Error).message.split('\n')[0]}`;
  }
}

function verifyBundle(loaded: LoadedBundle, signer: ResolvedSigner, sha256Hex: string): VerifiedStatement {
  const material = loaded.bundle.verificationMaterial.content;
  const required = describeSigner(signer.requirement);
  if (signer.key !== null) {
    if (material.$case !== 'publicKey') return { ok: false, cause: 'signer-untrusted', reason: `signed with a certificate, but the policy requires ${required}` };
    if (material.publicKey.hint !== '' && material.publicKey.hint !== signer.key.hint) {
      return { ok: false, cause: 'signer-untrusted', reason: `names key hint ${material.publicKey.hint}, not ${required} (${signer.key.hint})` };
    }
  } else if (material.$case === 'publicKey') {
    return { ok: false, cause: 'signer-untrusted', reason: `signed with a key (hint ${material.publicKey.hint || 'none'}), but the policy requires ${required}` };
  }
  const outcome = verifySignature(loaded, { kind: 'digest', sha256: Buffer.from(sha256Hex, 'hex') }, signer, 'attestation');
  if (outcome.ok) return { ok: true, statement: outcome.verified.statement!, format: 'sigstore-bundle', signedBy: outcome.summary };
  return { ok: false, cause: STATEMENT_FAILURES[outcome.cause], reason: outcome.reason };
}

const STATEMENT_FAILURES: Readonly<Record<SignatureCause, StatementFailure>> = {
  malformed: 'malformed',
  'signer-untrusted': 'signer-untrusted',
  'artifact-mismatch': 'subject-mismatch',
  'signature-invalid': 'signature-invalid',
  'certificate-untrusted': 'signature-invalid',
  'certificate-expired': 'signature-invalid',
  'no-timestamp': 'signature-invalid',
  'tlog-mismatch': 'signature-invalid',
  'tlog-invalid': 'signature-invalid',
  'timestamp-invalid': 'signature-invalid',
};

function verifyEnvelope(envelope: DsseEnvelope, signer: ResolvedSigner, sha256Hex: string): VerifiedStatement {
  const key = signer.key;
  if (key === null) {
    return { ok: false, cause: 'signature-invalid', reason: `a bare DSSE envelope carries no certificate chain, log entry or timestamp, so it cannot show it was signed by ${describeSigner(signer.requirement)}; only a key signer can verify it` };
  }
  if (!dsseSignedBy(envelope, key.key)) {
    const certOnly = envelope.signatures.every((s) => s.cert !== null);
    return {
      ok: false,
      cause: 'signature-invalid',
      reason: certOnly
        ? `the envelope is signed with a certificate and carries no log entry or timestamp, so nothing proves when or by whom it was signed; key "${key.name}" did not sign it`
        : `no signature of the envelope verifies with key "${key.name}"`,
    };
  }
  let statement: InTotoStatement;
  try {
    statement = parseStatement(envelope.payload);
  } catch (error) {
    return { ok: false, cause: 'malformed', reason: (error as Error).message };
  }
  if (subjectsMatchingSha256(statement, sha256Hex).length === 0) {
    return { ok: false, cause: 'subject-mismatch', reason: `no subject of the statement has sha256 ${sha256Hex} (subjects: ${statement.subjects.map((s) => s.name || '?').join(', ')})` };
  }
  return { ok: true, statement, format: 'dsse-jsonl', signedBy: `key "${key.name}"` };
}

/** The signer a supply-chain section names, else the manifest's signer; `missing` when the trust store lacks what it names. */
export function supplyChainSigner(context: VerifyContext, named: SignerRequirement | undefined): { signer: ResolvedSigner } | { missing: string } {
  const policy = context.policy as Policy;
  const requirement = named ?? policy.manifest.signer;
  if (context.trust === null) return { missing: 'no trust store was given' };
  try {
    return { signer: resolveSigner(context.trust, requirement) };
  } catch (error) {
    return { missing: `the policy names ${describeSigner(requirement)}, and ${(error as Error).message}` };
  }
}
