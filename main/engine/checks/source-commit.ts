// SRC: the bundle carries the raw git commit object of the built commit (source/commit.git); its object
// id, recomputed from the bytes, is the commit records/build.json names, and its signature (SSH or
// OpenPGP) verifies with a developer key the policy names. The commit end of the chain is then proven.

import { readFile } from 'node:fs/promises';
import { commitObjectId, GitCommitError, objectFormatOf, parseCommit, type GitCommit } from '../formats/git-commit.js';
import { verifyOpenPgpDetached } from '../formats/openpgp-signature.js';
import { parseSshSignature, SshFormatError, verifySshSignature } from '../formats/ssh-signature.js';
import type { DeveloperKey } from '../trust/developer-keys.js';
import { readBuildRecord } from './build-record.js';
import { findingOf, type Check, type FindingDraft, type VerifyContext } from './check.js';

export const SOURCE_COMMIT_PATH = 'source/commit.git';
/** The namespace git signs commits in (gpg.format=ssh). */
const GIT_NAMESPACE = 'git';
const MAX_COMMIT_FILE_BYTES = 1024 * 1024;

export const sourceCommitCheck: Check = {
  prefix: 'SRC',
  title: 'Signed source commit',
  obligation:
    'Annex IV (2)(b) and Art. 15 cybersecurity: the released model was built from source a known developer signed, so the start of the traceability chain is proven rather than claimed.',
  findings: {
    'SRC-COMMIT-VERIFIED': { status: 'pass', severity: 'info', when: 'source/commit.git hashes to the commit records/build.json names and is signed by a developer key the policy names.' },
    'SRC-NOT-REQUIRED': { status: 'warn', severity: 'low', when: 'The policy has no sourceCommit section, so the source commit was not assessed.' },
    'SRC-NO-TRUST': { status: 'not-run', severity: 'high', when: 'No trust store or policy was given.' },
    'SRC-NOT-RUN': { status: 'not-run', severity: 'high', when: 'records/build.json is missing or invalid, or the policy names developer keys the trust store lacks.' },
    'SRC-COMMIT-MISSING': { status: 'fail', severity: 'high', when: 'The policy requires a signed commit and the bundle has no source/commit.git.' },
    'SRC-COMMIT-MALFORMED': { status: 'fail', severity: 'high', when: 'source/commit.git is not a well-formed git commit object.' },
    'SRC-COMMIT-ID-MISMATCH': { status: 'fail', severity: 'critical', when: 'The object id recomputed from source/commit.git is not the commit records/build.json names (the object was edited, or is another commit).' },
    'SRC-COMMIT-UNSIGNED': { status: 'fail', severity: 'high', when: 'The commit carries no signature.' },
    'SRC-SIGNATURE-INVALID': { status: 'fail', severity: 'critical', when: 'The commit signature does not verify over the commit (or is of a kind Assay does not verify, e.g. X.509).' },
    'SRC-SIGNER-UNTRUSTED': { status: 'fail', severity: 'critical', when: 'The commit is signed by a key that is not one of the developer keys the policy names.' },
  },
  async run(context: VerifyContext): Promise<readonly FindingDraft[]> {
    const subject = { kind: 'file', path: SOURCE_COMMIT_PATH } as const;
    if (context.trust === null || context.policy === null) return [findingOf(this, 'SRC-NO-TRUST', subject, 'No trust store and policy were given: the source commit signature cannot be checked')];
    const required = context.policy.sourceCommit;
    if (required === undefined) return [findingOf(this, 'SRC-NOT-REQUIRED', { kind: 'policy', ref: 'sourceCommit' }, 'The policy has no sourceCommit section: the source commit was not assessed')];
    const build = await readBuildRecord(context);
    if (!build.ok) return [findingOf(this, 'SRC-NOT-RUN', subject, `The commit cannot be tied to the release: ${build.reason}`)];
    const lacking = required.signers.filter((name) => !context.trust!.developers.has(name));
    if (lacking.length > 0) return [findingOf(this, 'SRC-NOT-RUN', { kind: 'policy', ref: 'sourceCommit.signers' }, `The policy names developer keys the trust store does not hold: ${lacking.join(', ')}`)];
    const keys = required.signers.map((name) => context.trust!.developers.get(name)!);
    const file = context.bundle.files.find((f) => f.path === SOURCE_COMMIT_PATH);
    if (file === undefined) return [findingOf(this, 'SRC-COMMIT-MISSING', subject, `The policy requires the signed source commit, and the bundle has no ${SOURCE_COMMIT_PATH}`)];
    if (file.size > MAX_COMMIT_FILE_BYTES) return [findingOf(this, 'SRC-COMMIT-MALFORMED', subject, `${SOURCE_COMMIT_PATH} is ${file.size} bytes, larger than any commit object`)];
    return [await commitFinding(await readFile(file.absPath), build.record.source.commit, keys)];
  },
};

/** Decides one commit object against the expected id and the allowed keys. */
export async function commitFinding(bytes: Buffer, expectedId: string, keys: readonly DeveloperKey[]): Promise<FindingDraft> {
  const check = sourceCommitCheck;
  const subject = { kind: 'file', path: SOURCE_COMMIT_PATH } as const;
  const format = objectFormatOf(expectedId)!;
  const actualId = commitObjectId(bytes, format);
  if (actualId !== expectedId) {
    return findingOf(check, 'SRC-COMMIT-ID-MISMATCH', subject, `${SOURCE_COMMIT_PATH} is commit ${actualId} (${format}); records/build.json names ${expectedId}`, { actualId, expectedId, objectFormat: format });
  }
  let commit: GitCommit;
  try {
    commit = parseCommit(bytes, format);
  } catch (error) {
    if (!(error instanceof GitCommitError)) throw error;
    return findingOf(check, 'SRC-COMMIT-MALFORMED', subject, `${SOURCE_COMMIT_PATH}: ${error.message}`, { commit: actualId });
  }
  const base = { commit: actualId, author: `${commit.author.name} <${commit.author.email}>`, committedAt: new Date(commit.committer.time * 1000).toISOString() };
  if (commit.signature === null) return findingOf(check, 'SRC-COMMIT-UNSIGNED', subject, `Commit ${actualId} carries no signature`, base);
  if (commit.signatureKind === 'ssh') {
    let signature;
    try {
      signature = parseSshSignature(commit.signature);
    } catch (error) {
      if (!(error instanceof SshFormatError)) throw error;
      return findingOf(check, 'SRC-SIGNATURE-INVALID', subject, `Commit ${actualId}: the SSH signature cannot be read: ${error.message}`, base);
    }
    const key = keys.find((k) => k.kind === 'ssh' && k.ssh.blob.equals(signature.publicKey.blob));
    if (key === undefined) {
      return findingOf(check, 'SRC-SIGNER-UNTRUSTED', subject, `Commit ${actualId} is signed with SSH key ${signature.publicKey.fingerprint}, which is none of the developer keys the policy names`, { ...base, fingerprint: signature.publicKey.fingerprint });
    }
    if (signature.namespace !== GIT_NAMESPACE || !verifySshSignature(signature, commit.payload, GIT_NAMESPACE)) {
      const why = signature.namespace !== GIT_NAMESPACE ? `it was made in namespace "${signature.namespace}", not "${GIT_NAMESPACE}"` : 'it does not verify over the commit';
      return findingOf(check, 'SRC-SIGNATURE-INVALID', subject, `Commit ${actualId}: the SSH signature by "${key.name}" is invalid: ${why}`, { ...base, key: key.name });
    }
    return findingOf(check, 'SRC-COMMIT-VERIFIED', subject, `Commit ${actualId} is signed by developer "${key.name}" (SSH ${signature.publicKey.fingerprint})`, { ...base, key: key.name, kind: 'ssh', fingerprint: signature.publicKey.fingerprint });
  }
  if (commit.signatureKind === 'openpgp') {
    const pgpKeys = keys.flatMap((k) => (k.kind === 'openpgp' ? [k] : []));
    const result = await verifyOpenPgpDetached(commit.signature, commit.payload, pgpKeys.map((k) => k.openpgp));
    if (!result.ok) {
      return findingOf(check, result.knownKey ? 'SRC-SIGNATURE-INVALID' : 'SRC-SIGNER-UNTRUSTED', subject, `Commit ${actualId}: OpenPGP signature ${result.reason}`, { ...base, keyIds: result.keyIds.join(', ') });
    }
    const key = pgpKeys.find((k) => k.openpgp.fingerprint === result.fingerprint)!;
    return findingOf(check, 'SRC-COMMIT-VERIFIED', subject, `Commit ${actualId} is signed by developer "${key.name}" (OpenPGP ${result.fingerprint})`, { ...base, key: key.name, kind: 'openpgp', fingerprint: result.fingerprint });
  }
  return findingOf(check, 'SRC-SIGNATURE-INVALID', subject, `Commit ${actualId} carries a ${commit.signatureKind} signature, which Assay does not verify (SSH and OpenPGP are supported)`, base);
}
