// The shape of a check: data (prefix, title, obligation, the findings it can emit) plus one function over
// the verification context. The catalogue registers them; docs/checks.md is generated from it.

import type { Evidence, Finding, FindingStatus, Severity, Subject } from '../../../shared/report.js';
import type { FindingId } from '../../../shared/finding-ids.js';
import type { HashOutcome } from '../hash/hash-pool.js';
import type { Manifest } from '../schemas/manifest.js';
import type { Policy } from '../schemas/policy.js';
import type { DocumentProblemKind } from '../schemas/validate.js';
import type { OpenedBundle } from '../sources/bundle-source.js';
import type { TrustStore } from '../trust/trust-store.js';

export type ManifestState =
  | { readonly state: 'missing' }
  | { readonly state: 'invalid'; readonly bytes: Buffer; readonly sha256: string; readonly kind: DocumentProblemKind; readonly issues: readonly string[] }
  | { readonly state: 'ok'; readonly bytes: Buffer; readonly sha256: string; readonly value: Manifest };

export interface VerifyContext {
  readonly bundle: OpenedBundle;
  readonly manifest: ManifestState;
  /** Null when the assessor gave no trust store or policy: checks that need them cannot run. */
  readonly trust: TrustStore | null;
  readonly policy: Policy | null;
  /** sha256 and size of every regular file of the bundle, by bundle path. */
  readonly hashes: ReadonlyMap<string, HashOutcome>;
}

export type FindingDraft = Omit<Finding, 'obligation'>;

export interface FindingSpec {
  readonly status: FindingStatus;
  readonly severity: Severity;
  /** One sentence for the catalogue: when this finding is emitted. */
  readonly when: string;
}

export interface Check {
  /** Id prefix shared by every finding of this check, e.g. `INT`. */
  readonly prefix: string;
  readonly title: string;
  /** Why it matters: the obligation the check serves. */
  readonly obligation: string;
  /** Every finding the check can emit, with its status and severity. */
  readonly findings: Partial<Record<FindingId, FindingSpec>>;
  run(context: VerifyContext): Promise<readonly FindingDraft[]> | readonly FindingDraft[];
}

/** Builds a finding whose status and severity come from the check's declared spec, so they cannot drift. */
export function findingOf(
  check: Pick<Check, 'findings'>,
  id: FindingId,
  subject: Subject,
  message: string,
  evidence: Evidence = {},
): FindingDraft {
  const spec = check.findings[id];
  if (spec === undefined) throw new Error(`finding ${id} is not declared by its check`);
  return { id, status: spec.status, severity: spec.severity, subject, message, evidence };
}
