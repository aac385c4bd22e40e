// Signed in-toto statements read from the bundle for the supply-chain checks (PROV, SCAN): Sigstore
// bundles (`*.sigstore.json`, verified by verifyArtifact) and DSSE JSON Lines (`*.intoto.jsonl`), each
// verified with a key of the assessor's trust store and bound to an artefact digest before its statement
// is used. The predicate type is peeked from the unverified payload only to decide which check reads it.

import { readFile } from 'node:fs/promises';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { dsseSignedBy, parseDsseJsonLines, type DsseEnvelope } from '../formats/dsse-envelope.js';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, subjectsMatchingSha256, type InTotoStatement } from '../sigstore/in-toto.js';
import { parseSignatureBundle, type LoadedBundle } from '../sigstore/load-bundle.js';
import { TRUSTED_ROOT_MEDIA_TYPES, type LoadedTrustedRoot } from '../sigstore/trusted-root.js';
import { verifyArtifact } from '../sigstore/verify-artifact.js';
import type { TrustedKey } from '../trust/trust-store.js';
import type { Policy } from '../schemas/policy.js';
import type { BundleFile } from '../sources/bundle-source.js';
import type { VerifyContext } from './check.js';

const MAX_ATTESTATION_BYTES = 16 * 1024 * 1024;

export type StatementFailure = 'malformed' | 'signer-untrusted' | 'signature-invalid' | 'subject-mismatch';

export type VerifiedStatement =
  | { readonly ok: true; readonly statement: InTotoStatement; readonly format: 'sigstore-bundle' | 'dsse-jsonl' }
  | { readonly ok: false; readonly cause: StatementFailure; readonly reason: string };

export interface AttestationFile {
  readonly path: string;
  /** Predicate types of the statements in the file, read before verification (classification only). */
  readonly predicateTypes: readonly string[];
  /** Verifies every statement in the file with `key` and binds it to `sha256Hex`. */
  verify(key: TrustedKey, sha256Hex: string): VerifiedStatement[];
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
      return { path: file.path, predicateTypes: [predicateType], verify: (key, sha256Hex) => [verifyBundle(loaded, key, sha256Hex)] };
    }
    const envelopes = parseDsseJsonLines(bytes);
    for (const e of envelopes) if (e.payloadType !== IN_TOTO_PAYLOAD_TYPE) return `${file.path}: DSSE payload type is ${e.payloadType}, not ${IN_TOTO_PAYLOAD_TYPE}`;
    const predicateTypes = envelopes.map((e) => parseStatement(e.payload).predicateType);
    return { path: file.path, predicateTypes, verify: (key, sha256Hex) => envelopes.map((e) => verifyEnvelope(e, key, sha256Hex)) };
  } catch (error) {
    return `${file.path}: ${(error as Error).message.split('\n')[0]}`;
  }
}

function verifyBundle(loaded: LoadedBundle, key: TrustedKey, sha256Hex: string): VerifiedStatement {
  const material = loaded.bundle.verificationMaterial.content;
  if (material.$case !== 'publicKey') return { ok: false, cause: 'signer-untrusted', reason: `signed with a certificate, but the policy requires key "${key.name}"` };
  if (material.publicKey.hint !== '' && material.publicKey.hint !== key.hint) {
    return { ok: false, cause: 'signer-untrusted', reason: `names key hint ${material.publicKey.hint}, not key "${key.name}" (${key.hint})` };
  }
  const result = verifyArtifact({
    bundle: loaded,
    artifact: { kind: 'digest', sha256: Buffer.from(sha256Hex, 'hex') },
    trustedRoot: keyOnlyRoot(),
    policy: { kind: 'key', key, name: key.name },
    envelope: 'attestation',
  });
  if (result.ok) return { ok: true, statement: result.statement!, format: 'sigstore-bundle' };
  switch (result.code) {
    case 'ARTIFACT_MISMATCH':
      return { ok: false, cause: 'subject-mismatch', reason: result.reason };
    case 'SIGNER_MISMATCH':
    case 'PUBLIC_KEY_INVALID':
      return { ok: false, cause: 'signer-untrusted', reason: result.reason };
    case 'SIGNATURE_INVALID':
    case 'TLOG_INVALID':
    case 'TIMESTAMP_INVALID':
    case 'CERTIFICATE_INVALID':
    case 'NO_VERIFIED_TIMESTAMP':
      return { ok: false, cause: 'signature-invalid', reason: result.reason };
    default:
      return { ok: false, cause: 'malformed', reason: result.reason };
  }
}

function verifyEnvelope(envelope: DsseEnvelope, key: TrustedKey, sha256Hex: string): VerifiedStatement {
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
  return { ok: true, statement, format: 'dsse-jsonl' };
}

/** Key-signed bundles need no Sigstore authority: an empty root, so any log entry or timestamp present fails. */
function keyOnlyRoot(): LoadedTrustedRoot {
  const root: TrustedRoot = { mediaType: TRUSTED_ROOT_MEDIA_TYPES[0], tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] };
  return { source: 'trust store key (no Sigstore authority)', mediaType: root.mediaType, sha256: '', tlogs: [], ctlogs: [], certificateAuthorities: [], timestampAuthorities: [], root };
}

/** The key a supply-chain section names, else the manifest's signer when that is a key; null when neither. */
export function supplyChainKey(context: VerifyContext, named: { readonly key: string } | undefined): { key: TrustedKey } | { missing: string } {
  const policy = context.policy as Policy;
  const manifestSigner = policy.manifest.signer as { key?: string };
  const name = named?.key ?? manifestSigner.key;
  if (name === undefined) return { missing: 'the policy names no key signer for it (and the manifest signer is not a key)' };
  const key = context.trust?.keys.get(name);
  if (key === undefined) return { missing: `the policy names key "${name}", which the trust store does not hold` };
  return { key };
}
