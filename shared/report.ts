// The report model: findings, check results and the verdict. Pure types and pure functions, shared by
// the engine, the CLI and the renderer.

import type { FileRecord } from './file-records.js';
import type { FindingId } from './finding-ids.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** What a finding says about its subject. Only `fail` makes the verdict FAIL. */
export type FindingStatus = 'pass' | 'fail' | 'warn' | 'not-run';

export type Verdict = 'PASS' | 'FAIL' | 'INCOMPLETE';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** What a finding is about: a file of the bundle, a digest, a log entry, or the bundle as a whole. */
export type Subject =
  | { kind: 'bundle'; ref: string }
  | { kind: 'file'; path: string }
  | { kind: 'digest'; digest: string }
  | { kind: 'log-entry'; path: string; line: number; seq?: number }
  | { kind: 'trust'; ref: string }
  | { kind: 'policy'; ref: string };

/** Evidence is a flat record of the values that decided the finding, rendered as text only. */
export type Evidence = Readonly<Record<string, string | number | boolean | null>>;

export interface Finding {
  readonly id: FindingId;
  readonly status: FindingStatus;
  readonly severity: Severity;
  readonly subject: Subject;
  readonly message: string;
  readonly evidence: Evidence;
  /** Why it matters: the obligation the check serves. Filled in from the check's catalogue entry. */
  readonly obligation: string;
}

export type CheckStatus = 'passed' | 'failed' | 'not-run';

export interface CheckResult {
  /** The check's id prefix, e.g. `INT`. */
  readonly check: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly findings: readonly Finding[];
}

export interface ReportSummary {
  readonly checks: number;
  readonly findings: number;
  readonly failed: number;
  readonly notRun: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

export interface Report {
  readonly reportVersion: 'assay.report/v1';
  readonly verifier: { readonly name: 'assay'; readonly version: string };
  readonly bundle: { readonly source: string; readonly id: string | null; readonly manifestSha256: string | null };
  readonly generatedAt: string;
  readonly verdict: Verdict;
  readonly summary: ReportSummary;
  readonly checks: readonly CheckResult[];
  /** Every file the manifest lists or the bundle holds, with expected and actual hash and size. */
  readonly files: readonly FileRecord[];
}

/** A check's status follows from its findings: any fail fails it, any not-run leaves it not run. */
export function checkStatusOf(findings: readonly Finding[]): CheckStatus {
  if (findings.some((f) => f.status === 'fail')) return 'failed';
  if (findings.some((f) => f.status === 'not-run')) return 'not-run';
  return 'passed';
}

/** PASS only if every required check ran and passed; a check that could not run makes it INCOMPLETE. */
export function verdictOf(checks: readonly CheckResult[]): Verdict {
  if (checks.some((c) => c.status === 'failed')) return 'FAIL';
  if (checks.length === 0 || checks.some((c) => c.status === 'not-run')) return 'INCOMPLETE';
  return 'PASS';
}

export function summarise(checks: readonly CheckResult[]): ReportSummary {
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  let findings = 0;
  let failed = 0;
  let notRun = 0;
  for (const check of checks) {
    for (const f of check.findings) {
      findings += 1;
      if (f.status === 'fail') failed += 1;
      if (f.status === 'not-run') notRun += 1;
      if (f.status !== 'pass') bySeverity[f.severity] += 1;
    }
  }
  return { checks: checks.length, findings, failed, notRun, bySeverity };
}

/** Exit code contract of DESIGN §8: 0 PASS, 1 FAIL or INCOMPLETE. (2 is for could-not-run.) */
export function exitCodeOf(verdict: Verdict): 0 | 1 {
  return verdict === 'PASS' ? 0 : 1;
}

export function subjectLabel(subject: Subject): string {
  switch (subject.kind) {
    case 'bundle':
      return subject.ref;
    case 'file':
      return subject.path;
    case 'digest':
      return subject.digest;
    case 'log-entry':
      return `${subject.path}:${subject.line}${subject.seq === undefined ? '' : ` (seq ${subject.seq})`}`;
    case 'trust':
      return `trust:${subject.ref}`;
    case 'policy':
      return `policy:${subject.ref}`;
  }
}
