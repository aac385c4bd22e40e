// `assay verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
//  [--trusted-root FILE] FILE_OR_DIGEST`: cosign verify-blob for one artefact, offline. Exit 0 verified,
// 1 not verified (one line saying why), 2 could not run (usage, unreadable input, unusable trust material).

import { constants as bufferConstants } from 'node:buffer';
import { realpath, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { hashFile, type FileDigest } from '../../engine/hash/hash-file.js';
import { SigstoreBundleError, TrustedMaterialError, messageOf } from '../../engine/sigstore/errors.js';
import type { SignerPolicy } from '../../engine/sigstore/identity.js';
import { parseSignatureBundle, type LoadedBundle } from '../../engine/sigstore/load-bundle.js';
import { loadPublicGoodTrustedRoot } from '../../engine/sigstore/public-good.js';
import { parseVerificationKey } from '../../engine/sigstore/public-key.js';
import { loadTrustedRootFile } from '../../engine/sigstore/trusted-root.js';
import { parseDigestRef, verifyArtifact, type ArtifactInput, type VerifiedArtifact } from '../../engine/sigstore/verify-artifact.js';
import { EXIT_COULD_NOT_RUN, UsageError } from '../errors.js';
import { cannotRead, CouldNotRunError, readInput } from '../read-input.js';

const USAGE = 'assay verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM) [--trusted-root FILE] FILE_OR_DIGEST';
const EXIT_VERIFIED = 0;
const EXIT_NOT_VERIFIED = 1;
/**
 * Artefacts up to this size are read into memory, as cosign does; larger ones (model weights run to many
 * GB) are hashed as a stream and verified by digest, which DSSE bundles and ECDSA / RSA PKCS#1 v1.5
 * message signatures over SHA-256 allow. Ed25519 signs the message itself: only then is a large
 * artefact read whole, if it fits in a buffer at all.
 */
const IN_MEMORY_BYTES = 256 * 1024 * 1024;


export async function verifyBundleCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      bundle: { type: 'string' },
      'certificate-identity': { type: 'string' },
      'certificate-oidc-issuer': { type: 'string' },
      key: { type: 'string' },
      'trusted-root': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(USAGE);
  if (values.bundle === undefined) throw new UsageError(`--bundle is required: ${USAGE}`);
  const identity = values['certificate-identity'];
  const issuer = values['certificate-oidc-issuer'];
  const usesCertificate = identity !== undefined || issuer !== undefined;
  if (usesCertificate === (values.key !== undefined)) throw new UsageError('give either --certificate-identity with --certificate-oidc-issuer, or --key, not both and not neither');
  if (usesCertificate && (identity === undefined || issuer === undefined || identity === '' || issuer === '')) {
    throw new UsageError('--certificate-identity and --certificate-oidc-issuer go together (both exact, non-empty)');
  }
  try {
    const policy: SignerPolicy = values.key !== undefined ? { kind: 'key', key: parseVerificationKey(await readInput(values.key, 'key', 'utf8'), values.key) } : { kind: 'certificate', identity: identity!, issuer: issuer! };
    const trustedRoot = values['trusted-root'] === undefined ? await loadPublicGoodTrustedRoot() : await loadTrustedRootFile(values['trusted-root']);
    const source = await readArtifact(positionals[0]!);
    const bundleBytes = await readInput(values.bundle, 'bundle');
    let bundle: LoadedBundle;
    try {
      bundle = parseSignatureBundle(bundleBytes);
    } catch (error) {
      if (!(error instanceof SigstoreBundleError)) throw error;
      return notVerified(error.code, error.message);
    }
    let result = verifyArtifact({ bundle, artifact: source.artifact, trustedRoot, policy });
    if (!result.ok && result.code === 'DIGEST_UNSUPPORTED' && source.streamed !== null) {
      // This signature needs the artefact's bytes, not its digest: read it whole, where a buffer can hold it.
      if (source.streamed.size > bufferConstants.MAX_LENGTH) throw new CouldNotRunError(`${positionals[0]!} is ${source.streamed.size} bytes: ${result.reason}, and it is too large to read into memory`);
      result = verifyArtifact({ bundle, artifact: { kind: 'bytes', bytes: await readInput(source.streamed.path, 'artefact') }, trustedRoot, policy });
    }
    if (!result.ok) return notVerified(result.code, result.reason);
    process.stdout.write(summary(values.bundle, result));
    return EXIT_VERIFIED;
  } catch (error) {
    if (error instanceof TrustedMaterialError || error instanceof CouldNotRunError) {
      process.stderr.write(`assay: ${messageOf(error)}\n`);
      return EXIT_COULD_NOT_RUN;
    }
    throw error;
  }
}

function notVerified(code: string, reason: string): number {
  process.stderr.write(`assay: not verified [${code}]: ${reason}\n`);
  return EXIT_NOT_VERIFIED;
}

interface ArtefactSource {
  readonly artifact: ArtifactInput;
  /** Set when a large file was hashed as a stream: where to read it should its bytes be needed. */
  readonly streamed: { readonly path: string; readonly size: number } | null;
}

/** A path that exists wins over the sha256:<hex> reading, as in cosign. */
async function readArtifact(fileOrDigest: string): Promise<ArtefactSource> {
  const stats = await stat(fileOrDigest).catch(() => null);
  if (stats === null) {
    const digest = parseDigestRef(fileOrDigest);
    if (digest !== null) return { artifact: { kind: 'digest', sha256: digest }, streamed: null };
    if (fileOrDigest.startsWith('sha256:')) throw new CouldNotRunError(`${fileOrDigest} is neither a file nor sha256:<64 lowercase hex digits>`);
  }
  if (stats === null || !stats.isFile() || stats.size <= IN_MEMORY_BYTES) return { artifact: { kind: 'bytes', bytes: await readInput(fileOrDigest, 'artefact') }, streamed: null };
  let digest: FileDigest;
  try {
    // The engine's file hasher (overlapping reads, see docs/performance.md) refuses links; the user named this path, so its target is meant.
    digest = await hashFile(await realpath(fileOrDigest));
  } catch (error) {
    throw cannotRead('artefact', fileOrDigest, error);
  }
  return { artifact: { kind: 'digest', sha256: Buffer.from(digest.sha256, 'hex') }, streamed: { path: fileOrDigest, size: digest.size } };
}

function summary(bundlePath: string, result: VerifiedArtifact): string {
  const lines = ['Verified OK'];
  const row = (label: string, value: string): void => {
    lines.push(`  ${`${label}:`.padEnd(14)}${value}`);
  };
  row('bundle', `${bundlePath} (${result.format}, ${result.content === 'dsse-envelope' ? `DSSE ${result.payloadType ?? ''}` : 'message signature'})`);
  row('artefact', `sha256:${result.artifact.sha256} (bound by ${result.artifact.boundBy})`);
  if (result.statement !== null) row('predicate', result.statement.predicateType);
  if (result.signer.kind === 'certificate') {
    row('identity', result.signer.identity);
    row('issuer', result.signer.issuer);
    row('certificate', `valid ${iso(result.signer.notBefore)} to ${iso(result.signer.notAfter)}`);
  } else {
    row('key', `${result.signer.algorithm}, sha256 ${result.signer.keyHint}`);
  }
  if (result.tlogEntries.length === 0) row('tlog', 'none');
  for (const entry of result.tlogEntries) {
    const time = entry.integratedTime === null ? 'no integrated time' : `integrated ${iso(entry.integratedTime)}`;
    row('tlog', `log index ${entry.logIndex} at ${entry.log ?? entry.logId} (${entry.kind}), ${time}`);
  }
  for (const ts of result.rfc3161Timestamps) row('timestamp', `${iso(ts.time)} (RFC 3161)`);
  row('trusted root', `${result.trustedRoot.source} (sha256 ${result.trustedRoot.sha256})`);
  return `${lines.join('\n')}\n`;
}

function iso(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}
