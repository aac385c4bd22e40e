// `assay verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
//  [--trusted-root FILE] FILE_OR_DIGEST`: cosign verify-blob for one artefact, offline. Exit 0 verified,
// 1 not verified (one line saying why), 2 could not run (usage, unreadable input, unusable trust material).

import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SigstoreBundleError, TrustedMaterialError, messageOf } from '../../engine/sigstore/errors.js';
import type { SignerPolicy } from '../../engine/sigstore/identity.js';
import { parseSignatureBundle, type LoadedBundle } from '../../engine/sigstore/load-bundle.js';
import { loadPublicGoodTrustedRoot } from '../../engine/sigstore/public-good.js';
import { parseVerificationKey } from '../../engine/sigstore/public-key.js';
import { loadTrustedRootFile } from '../../engine/sigstore/trusted-root.js';
import { parseDigestRef, verifyArtifact, type ArtifactInput, type VerifiedArtifact } from '../../engine/sigstore/verify-artifact.js';
import { EXIT_COULD_NOT_RUN, UsageError } from '../errors.js';

const USAGE = 'assay verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM) [--trusted-root FILE] FILE_OR_DIGEST';
const EXIT_VERIFIED = 0;
const EXIT_NOT_VERIFIED = 1;

/** Input the command could not read: exit 2, like a usage error, but with its own message. */
class CouldNotRunError extends Error {}

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
    const artifact = await readArtifact(positionals[0]!);
    const bundleBytes = await readInput(values.bundle, 'bundle');
    let bundle: LoadedBundle;
    try {
      bundle = parseSignatureBundle(bundleBytes);
    } catch (error) {
      if (!(error instanceof SigstoreBundleError)) throw error;
      return notVerified(error.code, error.message);
    }
    const result = verifyArtifact({ bundle, artifact, trustedRoot, policy });
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

async function readInput(path: string, what: string): Promise<Buffer>;
async function readInput(path: string, what: string, encoding: 'utf8'): Promise<string>;
async function readInput(path: string, what: string, encoding?: 'utf8'): Promise<Buffer | string> {
  try {
    return encoding === undefined ? await readFile(path) : await readFile(path, encoding);
  } catch (error) {
    throw new CouldNotRunError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? messageOf(error)}`);
  }
}

/** A path that exists wins over the sha256:<hex> reading, as in cosign. */
async function readArtifact(fileOrDigest: string): Promise<ArtifactInput> {
  const exists = await stat(fileOrDigest).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const digest = parseDigestRef(fileOrDigest);
    if (digest !== null) return { kind: 'digest', sha256: digest };
    if (fileOrDigest.startsWith('sha256:')) throw new CouldNotRunError(`${fileOrDigest} is neither a file nor sha256:<64 lowercase hex digits>`);
  }
  return { kind: 'bytes', bytes: await readInput(fileOrDigest, 'artefact') };
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
