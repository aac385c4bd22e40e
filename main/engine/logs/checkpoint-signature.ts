// Verifies a checkpoint statement's signature the way the manifest's is verified (checks/manifest-
// signature.ts): a Sigstore bundle whose public-key hint is the trusted key's, checked by @sigstore/verify
// over the statement's exact bytes (Ed25519 through withEd25519MessageSignatures). Only then is the
// statement parsed, from the same bytes.

import { isBundleWithPublicKey, type Bundle } from '@sigstore/bundle';
import { parseSignatureBundle } from '../sigstore/load-bundle.js';
import { verifyWithTrustedKey } from '../sigstore/verify-with-key.js';
import type { TrustedKey } from '../trust/trust-store.js';
import { CheckpointFormatError, parseCheckpoint, type Checkpoint } from './checkpoint.js';

export type CheckpointVerification =
  | { readonly ok: true; readonly checkpoint: Checkpoint }
  | { readonly ok: false; readonly kind: 'malformed' | 'signer-untrusted' | 'signature-invalid'; readonly message: string };

const MAX_SIGNATURE_BYTES = 1024 * 1024;

export function verifyCheckpoint(statement: Buffer, signature: Buffer, key: TrustedKey): CheckpointVerification {
  if (signature.length > MAX_SIGNATURE_BYTES) return { ok: false, kind: 'malformed', message: `the signature is ${signature.length} bytes, larger than any signature bundle` };
  let bundle: Bundle;
  try {
    bundle = parseSignatureBundle(signature).bundle;
  } catch (error) {
    return { ok: false, kind: 'malformed', message: `the signature is not a valid Sigstore bundle: ${firstLine(error)}` };
  }
  if (!isBundleWithPublicKey(bundle)) return { ok: false, kind: 'signer-untrusted', message: `the checkpoint is signed with a certificate, not with the key "${key.name}"` };
  const hint = bundle.verificationMaterial.content.publicKey.hint;
  if (hint !== key.hint) return { ok: false, kind: 'signer-untrusted', message: `the signature names key hint ${hint}, not the key "${key.name}" (${key.hint})` };
  try {
    verifyWithTrustedKey(bundle, statement, key);
  } catch (error) {
    return { ok: false, kind: 'signature-invalid', message: `the signature does not verify over the statement with key "${key.name}": the statement changed after signing, or another key signed (${firstLine(error)})` };
  }
  try {
    return { ok: true, checkpoint: parseCheckpoint(statement) };
  } catch (error) {
    return { ok: false, kind: 'malformed', message: `the signed statement is not an ${'assay.log-checkpoint/v1'} checkpoint: ${error instanceof CheckpointFormatError ? error.message : firstLine(error)}` };
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}
