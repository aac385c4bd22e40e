// PROV: SLSA provenance (v0.2, v1) under attestations/ says that the released image was built by a builder
// the assessor trusts, from the commit records/build.json names, from base images pinned by digest and
// with the lockfiles the build record lists. Each statement is verified with the policy's key and bound
// to the image digest before its predicate is read.

import type { FindingId } from '../../../shared/finding-ids.js';
import { isImageDependency, isSlsaProvenance, parseSlsaProvenance, pinnedImageDigest, SlsaFormatError, type SlsaProvenance } from '../formats/slsa.js';
import { describeSigner } from '../schemas/policy.js';
import type { BuildRecord } from '../schemas/records.js';
import { isAttestationPath, readAttestationFile, supplyChainSigner, type StatementFailure } from './attestation-files.js';
import { digestHex, readBuildRecord } from './build-record.js';
import { findingOf, type Check, type FindingDraft, type VerifyContext } from './check.js';

export const ATTESTATIONS_DIRECTORY = 'attestations/';

const FAILURES: Record<StatementFailure, FindingId> = {
  malformed: 'PROV-MALFORMED',
  'signer-untrusted': 'PROV-SIGNER-UNTRUSTED',
  'signature-invalid': 'PROV-SIGNATURE-INVALID',
  'subject-mismatch': 'PROV-SUBJECT-MISMATCH',
};

export const provenanceCheck: Check = {
  prefix: 'PROV',
  title: 'Build provenance (SLSA)',
  obligation:
    'Art. 15 cybersecurity and Annex IV (2)(b), (d): a signed record by a trusted builder ties the released image to the source commit and the dependencies it was built from, so the build cannot have been tampered with unnoticed.',
  findings: {
    'PROV-VERIFIED': { status: 'pass', severity: 'info', when: 'A SLSA provenance statement is signed by the policy key, names the built image, a trusted builder, the recorded commit, pinned base images and every lockfile.' },
    'PROV-NOT-REQUIRED': { status: 'warn', severity: 'low', when: 'The policy has no provenance section, so provenance was not assessed.' },
    'PROV-NO-TRUST': { status: 'not-run', severity: 'high', when: 'No trust store or policy was given.' },
    'PROV-NOT-RUN': { status: 'not-run', severity: 'high', when: 'records/build.json is missing or invalid, or the trust store lacks the signer the policy names, so provenance cannot be tied to the release.' },
    'PROV-MISSING': { status: 'fail', severity: 'high', when: 'The policy requires provenance and attestations/ holds no SLSA provenance statement.' },
    'PROV-MALFORMED': { status: 'fail', severity: 'high', when: 'A provenance file is not a valid DSSE envelope, Sigstore bundle, in-toto statement or SLSA predicate.' },
    'PROV-SIGNATURE-INVALID': { status: 'fail', severity: 'critical', when: "The provenance signature does not verify with the policy's signer: a changed byte, an untrusted certificate chain, log entry or timestamp, or a bare certificate with no verifiable time." },
    'PROV-SIGNER-UNTRUSTED': { status: 'fail', severity: 'critical', when: 'The provenance is signed by another key, certificate identity or issuer than the policy requires.' },
    'PROV-SUBJECT-MISMATCH': { status: 'fail', severity: 'critical', when: 'No subject of the provenance has the digest of the image records/build.json says was built.' },
    'PROV-BUILDER-UNTRUSTED': { status: 'fail', severity: 'critical', when: "The provenance's builder id is not one of the policy's provenance.builderIds." },
    'PROV-SOURCE-MISSING': { status: 'fail', severity: 'high', when: 'The provenance names no git source commit (v1 resolvedDependencies, v0.2 materials or configSource).' },
    'PROV-SOURCE-MISMATCH': { status: 'fail', severity: 'critical', when: 'The git commit the provenance names is not the commit records/build.json records.' },
    'PROV-BASE-IMAGE-NOT-PINNED': { status: 'fail', severity: 'high', when: 'A container image the build depended on is referenced by tag only, not by digest.' },
    'PROV-LOCKFILE-MISSING': { status: 'fail', severity: 'high', when: 'A lockfile of records/build.json is not among the provenance dependencies with a sha256.' },
    'PROV-LOCKFILE-MISMATCH': { status: 'fail', severity: 'critical', when: 'The provenance records another sha256 for a lockfile than records/build.json.' },
  },
  async run(context: VerifyContext): Promise<readonly FindingDraft[]> {
    const bundleSubject = { kind: 'bundle', ref: context.bundle.source } as const;
    if (context.trust === null || context.policy === null) return [findingOf(this, 'PROV-NO-TRUST', bundleSubject, 'No trust store and policy were given: provenance signatures and builders cannot be checked')];
    const required = context.policy.provenance;
    const candidates = context.bundle.files.filter((f) => isAttestationPath(f.path, ATTESTATIONS_DIRECTORY));
    if (required === undefined) {
      return [findingOf(this, 'PROV-NOT-REQUIRED', { kind: 'policy', ref: 'provenance' }, `The policy has no provenance section: ${candidates.length} attestation file(s) were not assessed as provenance`)];
    }
    const build = await readBuildRecord(context);
    if (!build.ok) return [findingOf(this, 'PROV-NOT-RUN', bundleSubject, `Provenance cannot be tied to the release: ${build.reason}`)];
    const resolved = supplyChainSigner(context, required.signer);
    if ('missing' in resolved) return [findingOf(this, 'PROV-NOT-RUN', { kind: 'policy', ref: 'provenance.signer' }, `Provenance signatures cannot be checked: ${resolved.missing}`)];
    const { signer } = resolved;
    const requiredSigner = describeSigner(signer.requirement);
    const imageHex = digestHex(build.record.outputs.image.digest);
    const findings: FindingDraft[] = [];
    let seen = 0;
    for (const file of candidates) {
      const subject = { kind: 'file', path: file.path } as const;
      const attestation = await readAttestationFile(file);
      if (typeof attestation === 'string') {
        // Only files that at least look like provenance are this check's business; others belong to other checks.
        if (/provenance|slsa/i.test(file.path)) findings.push(findingOf(this, 'PROV-MALFORMED', subject, attestation));
        continue;
      }
      if (!attestation.predicateTypes.some(isSlsaProvenance)) continue;
      seen += 1;
      for (const result of attestation.verify(signer, imageHex)) {
        if (!result.ok) {
          findings.push(findingOf(this, FAILURES[result.cause], subject, `${file.path}: ${result.reason}`, { requiredSigner, imageDigest: build.record.outputs.image.digest }));
          continue;
        }
        const { statement } = result;
        if (!isSlsaProvenance(statement.predicateType)) continue;
        let provenance: SlsaProvenance;
        try {
          provenance = parseSlsaProvenance(statement.predicateType, statement.predicate);
        } catch (error) {
          if (!(error instanceof SlsaFormatError)) throw error;
          findings.push(findingOf(this, 'PROV-MALFORMED', subject, `${file.path}: ${error.message}`));
          continue;
        }
        findings.push(...provenanceFindings(file.path, provenance, build.record, required.builderIds, result.signedBy));
      }
    }
    if (seen === 0) findings.push(findingOf(this, 'PROV-MISSING', bundleSubject, `The policy requires SLSA provenance, and ${ATTESTATIONS_DIRECTORY} holds none (${candidates.length} attestation file(s) looked at)`));
    return findings;
  },
};

/** The content rules, over a verified predicate: pure, so each rule is testable without files. */
export function provenanceFindings(path: string, provenance: SlsaProvenance, build: BuildRecord, builderIds: readonly string[], signedBy: string): FindingDraft[] {
  const check = provenanceCheck;
  const subject = { kind: 'file', path } as const;
  const findings: FindingDraft[] = [];
  if (!builderIds.includes(provenance.builderId)) {
    findings.push(findingOf(check, 'PROV-BUILDER-UNTRUSTED', subject, `${path} was produced by builder ${JSON.stringify(provenance.builderId)}, which the policy does not trust (trusted: ${builderIds.map((b) => JSON.stringify(b)).join(', ')})`, { builderId: provenance.builderId }));
  }
  const expected = build.source.commit;
  if (provenance.sourceCommits.length === 0) {
    findings.push(findingOf(check, 'PROV-SOURCE-MISSING', subject, `${path} names no git source commit (${provenance.version === 'v1' ? 'resolvedDependencies' : 'materials / invocation.configSource'} with a git+ URI and a gitCommit or sha1 digest)`, { expectedCommit: expected }));
  } else if (!provenance.sourceCommits.some((c) => c.commit === expected)) {
    findings.push(findingOf(check, 'PROV-SOURCE-MISMATCH', subject, `${path} says the build was from ${provenance.sourceCommits.map((c) => `${c.commit} (${c.from})`).join(', ')}; records/build.json records commit ${expected}`, { provenanceCommit: provenance.sourceCommits[0]!.commit, buildCommit: expected }));
  }
  for (const d of provenance.dependencies.filter(isImageDependency)) {
    if (pinnedImageDigest(d) === null) {
      findings.push(findingOf(check, 'PROV-BASE-IMAGE-NOT-PINNED', subject, `${path}: image ${d.uri ?? '?'} (${d.from}) is referenced without a sha256 digest, so which image was used is not fixed`, { uri: d.uri }));
    }
  }
  for (const lock of build.lockfiles) {
    const named = provenance.dependencies.filter((d) => d.name === lock.path || (d.uri !== null && (d.uri === lock.path || d.uri.endsWith(`/${lock.path}`) || d.uri.endsWith(`#${lock.path}`))));
    if (named.length === 0 || named.every((d) => d.digest['sha256'] === undefined)) {
      findings.push(findingOf(check, 'PROV-LOCKFILE-MISSING', subject, `${path} does not record lockfile ${lock.path} with a sha256 among its dependencies`, { lockfile: lock.path, buildSha256: lock.sha256 }));
    } else if (!named.some((d) => d.digest['sha256'] === lock.sha256)) {
      findings.push(findingOf(check, 'PROV-LOCKFILE-MISMATCH', subject, `${path} records lockfile ${lock.path} with sha256 ${named.map((d) => d.digest['sha256']).join(', ')}; records/build.json has ${lock.sha256}`, { lockfile: lock.path, provenanceSha256: named[0]!.digest['sha256'] ?? null, buildSha256: lock.sha256 }));
    }
  }
  if (findings.length > 0) return findings;
  return [
    findingOf(check, 'PROV-VERIFIED', subject, `${path}: SLSA ${provenance.version} provenance signed by ${signedBy}: builder ${provenance.builderId} built ${build.outputs.image.digest} from ${expected}`, {
      signedBy,
      predicateType: provenance.predicateType,
      builderId: provenance.builderId,
      buildType: provenance.buildType,
      invocationId: provenance.invocationId,
      invocation: provenance.invocation.length > 500 ? `${provenance.invocation.slice(0, 500)}…` : provenance.invocation,
      commit: expected,
      imageDigest: build.outputs.image.digest,
      dependencies: provenance.dependencies.length,
    }),
  ];
}
