// The in-toto vulnerabilities predicate v0.1 (https://in-toto.io/attestation/vulns/v0.1, spec
// in-toto/attestation spec/predicates/vuln.md) into Assay's scan model. The statement's subjects are
// what was scanned; the caller has verified the envelope and binds the subjects to the release.

import { z } from 'zod';
import { severityOfScore, VULNERABILITY_ID, severityOfWord, worstSeverity, type ScanReading, type ScanSeverity, type ScanTarget, type ScanVulnerability } from './scan-model.js';
import { isoDateTime, schemaIssues } from './schema-issues.js';

export const IN_TOTO_VULNS_PREDICATE_TYPE = 'https://in-toto.io/attestation/vulns/v0.1';

/** The subject shape of an in-toto Statement (structurally the same as sigstore/in-toto.ts InTotoSubject). */
export interface VulnsSubject {
  readonly name?: string;
  readonly digest: Readonly<Record<string, string>>;
}

const vulnerability = z.looseObject({
  id: z.string().min(1),
  severity: z.array(z.looseObject({ method: z.string(), score: z.string() })),
  annotations: z.array(z.looseObject({})).optional(),
});

const predicate = z.looseObject({
  invocation: z.looseObject({}).optional(),
  scanner: z.looseObject({
    uri: z.string().min(1),
    version: z.string().optional(),
    db: z.looseObject({ uri: z.string().optional(), version: z.string().optional(), lastUpdate: isoDateTime }).optional(),
    result: z.array(z.looseObject({})),
  }),
  metadata: z.looseObject({ scanStartedOn: isoDateTime, scanFinishedOn: isoDateTime }),
});

type Vulnerability = z.output<typeof vulnerability>;


export function readInTotoVulns(predicateType: string, value: unknown, subjects: readonly VulnsSubject[]): ScanReading {
  if (predicateType !== IN_TOTO_VULNS_PREDICATE_TYPE) return { ok: false, issues: [`predicateType ${predicateType} is not ${IN_TOTO_VULNS_PREDICATE_TYPE}`] };
  const parsed = predicate.safeParse(value);
  if (!parsed.success) return { ok: false, issues: schemaIssues(parsed.error).map((issue) => `predicate.${issue}`) };
  const { scanner, metadata } = parsed.data;
  const issues: string[] = [];
  const vulnerabilities: ScanVulnerability[] = [];
  scanner.result.forEach((entry, i) => {
    // The field list nests each entry under `vulnerability`; the spec's own example does not. Both are read.
    const nested = 'vulnerability' in entry;
    const entryParsed = vulnerability.safeParse(nested ? entry['vulnerability'] : entry);
    const where = `predicate.scanner.result[${i}]${nested ? '.vulnerability' : ''}`;
    if (entryParsed.success) vulnerabilities.push(vulnerabilityOf(entryParsed.data));
    else issues.push(...schemaIssues(entryParsed.error).map((issue) => (issue.startsWith('(root)') ? `${where}${issue.slice('(root)'.length)}` : `${where}.${issue}`)));
  });
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    report: {
      format: 'in-toto-vulns',
      specVersion: 'v0.1',
      tools: [{ name: scanner.uri, version: scanner.version ?? null }],
      targets: targetsOf(subjects),
      vulnerabilities,
      ignoredResults: 0,
      failedRuns: [],
      finishedAt: metadata.scanFinishedOn,
    },
  };
}

function vulnerabilityOf(v: Vulnerability): ScanVulnerability {
  let severity: ScanSeverity = 'unknown';
  let severityFrom = 'no severity score Assay can read';
  for (const { method, score } of v.severity) {
    // A score is a word ("HIGH", "medium") or a CVSS number ("7.5"), per the scoring method.
    const number = /^\s*\d+(?:\.\d+)?\s*$/.test(score) ? Number(score) : NaN;
    const rated = Number.isFinite(number) ? severityOfScore(number) : severityOfWord(score);
    if (rated === 'unknown') continue;
    if (severity === 'unknown' || worstSeverity(severity, rated) !== severity) {
      severity = rated;
      severityFrom = `${method} ${score.trim()}`;
    }
  }
  const aliases = new Set<string>();
  for (const annotation of v.annotations ?? []) {
    for (const value of Object.values(annotation)) if (typeof value === 'string' && value !== v.id && VULNERABILITY_ID.test(value)) aliases.add(value);
  }
  return { id: v.id, aliases: [...aliases], severity, severityFrom, affects: affectsOf(v.annotations ?? []), analysis: null, suppression: null };
}

/** The spec leaves annotations free-form; scanners name the package as a purl or as package + version. */
function affectsOf(annotations: readonly Readonly<Record<string, unknown>>[]): string[] {
  const out = new Set<string>();
  for (const a of annotations) {
    const text = (key: string) => (typeof a[key] === 'string' && a[key] !== '' ? a[key] : null);
    const purl = text('purl');
    const name = text('package') ?? text('pkgName') ?? text('packageName');
    if (purl !== null) out.add(purl);
    else if (name !== null) out.add(`${name}${(text('installedVersion') ?? text('version')) === null ? '' : ` ${text('installedVersion') ?? text('version')}`}`);
  }
  return [...out];
}

/** Subjects by sha256 digest are images to the check (it binds them); a gitCommit digest is a source revision. */
function targetsOf(subjects: readonly VulnsSubject[]): ScanTarget[] {
  const targets: ScanTarget[] = [];
  subjects.forEach((subject, i) => {
    const sha256 = subject.digest['sha256'];
    if (sha256 !== undefined && /^[0-9a-fA-F]{64}$/.test(sha256)) targets.push({ kind: 'image', digest: `sha256:${sha256.toLowerCase()}`, name: subject.name || null, from: `subject[${i}]` });
    const commit = subject.digest['gitCommit'];
    if (commit !== undefined && /^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/.test(commit)) targets.push({ kind: 'commit', commit: commit.toLowerCase(), repository: subject.name || null, from: `subject[${i}]` });
  });
  return targets;
}
