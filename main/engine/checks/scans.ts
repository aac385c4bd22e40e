// SCAN: the security scans the policy requires (static analysis, dependency analysis, container image,
// infrastructure as code) are in the bundle under scans/<kind>/, readable, and about the released image
// (source scans: or the commit it was built from); every critical or high vulnerability they report is
// marked not_affected or fixed by the newest VEX statement about it and the release.

import type { Evidence } from '../../../shared/report.js';
import type { ScanReport, ScanSeverity, ScanVulnerability } from '../formats/scan-model.js';
import type { ScanKind } from '../schemas/policy.js';
import { isAttestationPath, supplyChainSigner } from './attestation-files.js';
import { digestHex, readBuildRecord } from './build-record.js';
import { findingOf, type Check, type FindingDraft, type VerifyContext } from './check.js';
import { readScanFile, readVexFile, scanKindOf, SCANS_DIRECTORY, VEX_DIRECTORY } from './scan-files.js';
import { describeTargets, resolveVulnerability, scanCoverage, VexIndex, type Coverage, type LocatedStatement, type ReleaseIdentity } from './vex-resolution.js';

/** Severities a release may not ship with unless VEX settles them. */
const BLOCKING: readonly ScanSeverity[] = ['critical', 'high'];
const LISTED = 10;

export const scansCheck: Check = {
  prefix: 'SCAN',
  title: 'Security scans and VEX',
  obligation:
    'Art. 15 (1), (4) and (5) accuracy, robustness and cybersecurity: the released system was scanned as the provider requires, and no known critical or high vulnerability ships unless a VEX statement says why it does not affect the release or that it is fixed.',
  findings: {
    'SCAN-VERIFIED': { status: 'pass', severity: 'info', when: 'A scan result is valid, (if signed) verified with the policy key, and about the released image or the built commit.' },
    'SCAN-VULNERABILITY-ADDRESSED': { status: 'pass', severity: 'info', when: 'A critical or high vulnerability is marked not_affected or fixed by the newest VEX statement about it and the release.' },
    'SCAN-NOT-REQUIRED': { status: 'warn', severity: 'low', when: 'The policy has no scans section, so scan evidence was not assessed.' },
    'SCAN-NO-TRUST': { status: 'not-run', severity: 'high', when: 'No trust store or policy was given.' },
    'SCAN-NOT-RUN': { status: 'not-run', severity: 'high', when: 'records/build.json is missing or invalid (the released image is unknown), or the trust store lacks the signer the policy names for signed scans.' },
    'SCAN-MISSING': { status: 'fail', severity: 'high', when: 'A scan kind the policy requires has no valid scan result about the release under scans/<kind>/.' },
    'SCAN-MALFORMED': { status: 'fail', severity: 'high', when: 'A file under scans/ is not valid SARIF 2.1.0, CycloneDX or an in-toto vulnerability statement.' },
    'SCAN-RUN-FAILED': { status: 'fail', severity: 'high', when: 'A scan document says its run did not complete (SARIF executionSuccessful false): it is no evidence of a scan.' },
    'SCAN-KIND-UNKNOWN': { status: 'warn', severity: 'low', when: 'A file under scans/ is not in a folder named after a scan kind Assay knows, so it counts for no required scan.' },
    'SCAN-SIGNATURE-INVALID': { status: 'fail', severity: 'critical', when: 'A signed scan statement does not verify with the policy key.' },
    'SCAN-NOT-COVERING-RELEASE': { status: 'fail', severity: 'high', when: 'A scan names another image (or commit) than the release, or no target at all, so its results say nothing about what is released.' },
    'SCAN-VULNERABILITY-UNRESOLVED': { status: 'fail', severity: 'critical', when: 'A scan of the release reports a critical or high vulnerability that no VEX statement about the release marks not_affected or fixed (or the newest says affected or under_investigation).' },
    'SCAN-SEVERITY-UNKNOWN': { status: 'warn', severity: 'medium', when: 'A scan of the release reports results without a severity Assay can read (no CVSS score, rating or severity tag), so they could not be ranked.' },
    'SCAN-VEX-MALFORMED': { status: 'fail', severity: 'high', when: 'A file under vex/ is not a valid OpenVEX or CycloneDX VEX document (e.g. not_affected without a justification).' },
  },
  async run(context: VerifyContext): Promise<readonly FindingDraft[]> {
    const bundleSubject = { kind: 'bundle', ref: context.bundle.source } as const;
    if (context.trust === null || context.policy === null) return [findingOf(this, 'SCAN-NO-TRUST', bundleSubject, 'No trust store and policy were given: the scans the release needs are unknown')];
    const required = context.policy.scans;
    const scanFiles = context.bundle.files.filter((f) => f.path.startsWith(SCANS_DIRECTORY)).sort((a, b) => (a.path < b.path ? -1 : 1));
    const vexFiles = context.bundle.files.filter((f) => f.path.startsWith(VEX_DIRECTORY)).sort((a, b) => (a.path < b.path ? -1 : 1));
    if (required === undefined) {
      return [findingOf(this, 'SCAN-NOT-REQUIRED', { kind: 'policy', ref: 'scans' }, `The policy has no scans section: ${scanFiles.length} scan file(s) and ${vexFiles.length} VEX file(s) were not assessed`)];
    }
    const build = await readBuildRecord(context);
    if (!build.ok) return [findingOf(this, 'SCAN-NOT-RUN', bundleSubject, `Scans cannot be tied to the release: ${build.reason}`)];
    const release: ReleaseIdentity = { imageDigest: build.record.outputs.image.digest.toLowerCase(), commit: build.record.source.commit.toLowerCase() };
    const resolved = supplyChainSigner(context, required.signer);
    const signer = 'missing' in resolved ? { missing: resolved.missing } : resolved.signer;

    const findings: FindingDraft[] = [];
    const statements: LocatedStatement[] = [];
    for (const file of vexFiles) {
      const reading = await readVexFile(file);
      if (!reading.ok) {
        findings.push(findingOf(this, 'SCAN-VEX-MALFORMED', { kind: 'file', path: file.path }, `${file.path}: ${reading.reason}`));
        continue;
      }
      for (const statement of reading.document.statements) statements.push({ statement, file: file.path, inline: false });
    }

    const vex = new VexIndex(statements, release);
    const covered = new Set<ScanKind>();
    for (const file of scanFiles) {
      const subject = { kind: 'file', path: file.path } as const;
      const kind = scanKindOf(file.path);
      if (kind === null) {
        findings.push(findingOf(this, 'SCAN-KIND-UNKNOWN', subject, `${file.path} is not under scans/<kind>/ for a known kind (static-analysis, dependency-analysis, container-image, iac): it counts for no required scan and was not read`));
        continue;
      }
      const reading = await readScanFile(file, { signer, imageHex: digestHex(release.imageDigest) });
      if (!reading.ok) {
        switch (reading.cause) {
          case 'malformed':
            findings.push(findingOf(this, 'SCAN-MALFORMED', subject, `${file.path}: ${reading.reason}`, { scanKind: kind }));
            break;
          case 'signature':
            findings.push(findingOf(this, 'SCAN-SIGNATURE-INVALID', subject, `${file.path}: ${reading.reason}`, { scanKind: kind }));
            break;
          case 'not-covering':
            findings.push(findingOf(this, 'SCAN-NOT-COVERING-RELEASE', subject, `${file.path} is a signed scan of another artefact than the released image ${release.imageDigest}: ${reading.reason}`, { scanKind: kind, imageDigest: release.imageDigest }));
            break;
          case 'no-key':
            findings.push(findingOf(this, 'SCAN-NOT-RUN', subject, `${file.path} is a signed scan statement, and it cannot be verified: ${reading.reason}`, { scanKind: kind }));
            break;
        }
        continue;
      }
      for (const report of reading.reports) {
        if (report.failedRuns.length > 0) {
          findings.push(findingOf(this, 'SCAN-RUN-FAILED', subject, `${file.path}: the scan did not complete (${report.failedRuns.join('; ')}), so it shows nothing about the release`, { scanKind: kind, tools: toolsOf(report) }));
          continue;
        }
        const coverage = scanCoverage(report, kind, release);
        if (coverage === null) {
          const accepted = kind === 'container-image' ? `the released image ${release.imageDigest}` : `the released image ${release.imageDigest} or the built commit ${release.commit}`;
          findings.push(
            findingOf(this, 'SCAN-NOT-COVERING-RELEASE', subject, `${file.path} (${toolsOf(report)}) scanned ${describeTargets(report)}, not ${accepted}: its ${report.vulnerabilities.length} result(s) say nothing about the release`, {
              scanKind: kind,
              targets: describeTargets(report),
              imageDigest: release.imageDigest,
              commit: release.commit,
            }),
          );
          continue;
        }
        if (!required.requireSigned || isAttestationPath(file.path, SCANS_DIRECTORY)) covered.add(kind);
        findings.push(...reportFindings(file.path, kind, report, coverage, vex));
      }
    }

    for (const kind of required.required) {
      if (covered.has(kind)) continue;
      const present = scanFiles.filter((f) => scanKindOf(f.path) === kind).length;
      findings.push(
        findingOf(
          this,
          'SCAN-MISSING',
          { kind: 'policy', ref: `scans.required: ${kind}` },
          present === 0
            ? `The policy requires a ${kind} scan, and ${SCANS_DIRECTORY}${kind}/ holds none`
            : `The policy requires a ${kind} scan${required.requireSigned ? ' signed by its scans.signer' : ''}, and none of the ${present} file(s) under ${SCANS_DIRECTORY}${kind}/ is a valid${required.requireSigned ? ', signed' : ''} scan of the release`,
          { scanKind: kind, files: present },
        ),
      );
    }
    return findings;
  },
};

function toolsOf(report: ScanReport): string {
  return report.tools.map((t) => (t.version === null ? t.name : `${t.name} ${t.version}`)).join(', ') || 'unnamed tool';
}

/** The findings of one scan of the release: it passes as evidence, and each blocking vulnerability is settled by VEX or not. */
export function reportFindings(path: string, kind: ScanKind, report: ScanReport, coverage: Exclude<Coverage, null>, statements: VexIndex): FindingDraft[] {
  const { release } = statements;
  const check = scansCheck;
  const subject = { kind: 'file', path } as const;
  const bySeverity: Record<string, number> = {};
  for (const v of report.vulnerabilities) bySeverity[v.severity] = (bySeverity[v.severity] ?? 0) + 1;
  const counts = Object.entries(bySeverity)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const about = coverage === 'image' ? `image ${release.imageDigest}` : `commit ${release.commit}`;
  const findings: FindingDraft[] = [
    findingOf(check, 'SCAN-VERIFIED', subject, `${path}: ${kind} scan of ${about} by ${toolsOf(report)} (${report.format} ${report.specVersion}): ${report.vulnerabilities.length === 0 ? 'no findings' : counts}`, {
      scanKind: kind,
      format: report.format,
      specVersion: report.specVersion,
      tools: toolsOf(report),
      coverage: about,
      finishedAt: report.finishedAt,
      ...bySeverity,
      ignoredResults: report.ignoredResults,
    }),
  ];
  for (const [id, group] of groupById(report.vulnerabilities)) {
    const blocking = group.filter((v) => BLOCKING.includes(v.severity));
    if (blocking.length === 0) continue;
    const worst = blocking.find((v) => v.severity === 'critical') ?? blocking[0]!;
    const affects = [...new Set(blocking.flatMap((v) => v.affects))];
    const evidence: Evidence = { vulnerability: id, severity: worst.severity, severityFrom: worst.severityFrom, affects: affects.slice(0, LISTED).join(', '), scanKind: kind };
    // Every blocking occurrence must be settled: one package's not_affected says nothing of another's.
    const resolutions = blocking.map((v) => resolveVulnerability(v, coverage, statements, path));
    const resolution = resolutions.find((r) => !r.addressed) ?? resolutions[0]!;
    if (resolution.addressed) {
      const { statement, file, inline } = resolution.by;
      findings.push(
        findingOf(check, 'SCAN-VULNERABILITY-ADDRESSED', subject, `${id} (${worst.severity}) reported by ${path} is ${statement.status} for the release per ${inline ? 'the analysis in the scan itself' : file}${statement.justification === null ? '' : ` (${statement.justification})`}`, {
          ...evidence,
          vex: file,
          status: statement.status,
          justification: statement.justification,
          impactStatement: statement.impactStatement,
          vexTimestamp: statement.timestamp,
        }),
      );
      continue;
    }
    const latest = resolution.latest;
    const suppressed = [...new Set(blocking.map((v) => v.suppression).filter((s) => s !== null))];
    const note = suppressed.length === 0 ? '' : ` (the scan output suppresses it: ${suppressed.join('; ')}; a suppression is not a VEX statement)`;
    const why =
      latest === null
        ? `no VEX statement about it and the release (${release.imageDigest}${coverage === 'commit' ? ` or ${release.commit}` : ''}) marks it not_affected or fixed`
        : `the newest VEX statement about it (${latest.inline ? 'in the scan itself' : latest.file}${latest.statement.timestamp === null ? '' : `, ${latest.statement.timestamp}`}) says ${latest.statement.status}`;
    findings.push(
      findingOf(check, 'SCAN-VULNERABILITY-UNRESOLVED', subject, `${path} reports ${worst.severity} vulnerability ${id}${affects.length === 0 ? '' : ` in ${affects.slice(0, 3).join(', ')}${affects.length > 3 ? ', …' : ''}`}, and ${why}${note}`, {
        ...evidence,
        vex: latest?.file ?? null,
        status: latest?.statement.status ?? null,
        actionStatement: latest?.statement.actionStatement ?? null,
        suppression: suppressed.join('; ') || null,
      }),
    );
  }
  const unranked = report.vulnerabilities.filter((v) => v.severity === 'unknown');
  if (unranked.length > 0) {
    const ids = [...new Set(unranked.map((v) => v.id))];
    findings.push(
      findingOf(check, 'SCAN-SEVERITY-UNKNOWN', subject, `${path}: ${unranked.length} result(s) carry no severity Assay can read, so they could not be ranked: ${ids.slice(0, LISTED).join(', ')}${ids.length > LISTED ? `, … (${ids.length} ids)` : ''}`, {
        scanKind: kind,
        results: unranked.length,
        ids: ids.slice(0, LISTED).join(', '),
      }),
    );
  }
  return findings;
}

/** Vulnerabilities by id, so that one CVE found in several packages is one finding. */
function groupById(vulnerabilities: readonly ScanVulnerability[]): Map<string, ScanVulnerability[]> {
  const groups = new Map<string, ScanVulnerability[]>();
  for (const v of vulnerabilities) {
    const group = groups.get(v.id);
    if (group === undefined) groups.set(v.id, [v]);
    else group.push(v);
  }
  return groups;
}
