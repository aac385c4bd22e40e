// Assay's own model of security scan results and VEX statements, whatever format they came in: SARIF
// 2.1.0, CycloneDX vulnerability data (VDR) and VEX, OpenVEX, in-toto vulnerability predicates. The
// readers (sarif.ts, cyclonedx-vulnerabilities.ts, openvex.ts, in-toto-vulns.ts) fill it; the SCAN check
// decides over it. Pure types and small pure helpers only.

/** Severities as the check ranks them; `unknown` when the document gives none Assay can read. */
export const SCAN_SEVERITIES = ['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const;
export type ScanSeverity = (typeof SCAN_SEVERITIES)[number];

export type ScanFormat = 'sarif' | 'cyclonedx' | 'in-toto-vulns';

/** What a scan says it looked at. Identities are compared by the check against the release. */
export type ScanTarget =
  /** A container image by manifest digest, `sha256:<64 hex>` (lowercase). */
  | { readonly kind: 'image'; readonly digest: string; readonly name: string | null; readonly from: string }
  /** A source revision (git commit id, 40 or 64 hex, lowercase). */
  | { readonly kind: 'commit'; readonly commit: string; readonly repository: string | null; readonly from: string };

export interface ScanTool {
  readonly name: string;
  readonly version: string | null;
}

/** OpenVEX status names; CycloneDX analysis states are mapped onto them (see vexStatusOfCycloneDx). */
export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexStatus = (typeof VEX_STATUSES)[number];

/** CycloneDX `analysis.state` (1.4+) as an OpenVEX status; null for anything else. */
export function vexStatusOfCycloneDx(state: string): VexStatus | null {
  switch (state) {
    case 'not_affected':
    case 'false_positive':
      return 'not_affected';
    case 'resolved':
    case 'resolved_with_pedigree':
      return 'fixed';
    case 'exploitable':
      return 'affected';
    case 'in_triage':
      return 'under_investigation';
    default:
      return null;
  }
}

export interface ScanVulnerability {
  /** The identifier the scanner reports (CVE-…, GHSA-…, a rule id for SARIF). */
  readonly id: string;
  /** Other identifiers of the same vulnerability (CycloneDX references, SARIF rule name/aliases, in-toto annotations). */
  readonly aliases: readonly string[];
  readonly severity: ScanSeverity;
  /** Where the severity came from, for the finding's evidence: `security-severity 9.8`, `CycloneDX rating (NVD)`. */
  readonly severityFrom: string;
  /** Components or locations the vulnerability was found in (purls, bom-refs, file:line), for messages. */
  readonly affects: readonly string[];
  /**
   * An analysis carried in the scan document itself (CycloneDX `analysis`), which applies to the scanned
   * target. Null when the document has none. The check treats it like a VEX statement about the target.
   */
  readonly analysis: { readonly status: VexStatus; readonly justification: string | null; readonly detail: string | null } | null;
  /**
   * How the scan document itself suppresses the result (SARIF `suppressions`), for messages; null when it
   * does not. A suppression is the tool user's say-so, not a VEX statement: it settles nothing.
   */
  readonly suppression: string | null;
}

export interface ScanReport {
  readonly format: ScanFormat;
  /** Spec version the document declares: `2.1.0`, `1.6`, `v0.1`. */
  readonly specVersion: string;
  readonly tools: readonly ScanTool[];
  readonly targets: readonly ScanTarget[];
  readonly vulnerabilities: readonly ScanVulnerability[];
  /** Results that are not vulnerabilities to rank (SARIF results of kind pass/informational/notApplicable, baseline-absent). */
  readonly ignoredResults: number;
  /** Runs the document says did not complete (SARIF `invocations[].executionSuccessful: false`), described; a failed run is no scan. */
  readonly failedRuns: readonly string[];
  /** When the scan ran, when the document says (ISO 8601), else null. */
  readonly finishedAt: string | null;
}

export type ScanReading = { readonly ok: true; readonly report: ScanReport } | { readonly ok: false; readonly issues: readonly string[] };

/** A product a VEX statement is about, by every identity the document gives for it. */
export interface VexProduct {
  /** `@id`, purl, bom-ref or CPE as written. */
  readonly id: string;
  /** Other identifiers: purls, CPEs. */
  readonly identifiers: readonly string[];
  /** sha256 values (lowercase hex) the document gives for the product. */
  readonly sha256: readonly string[];
  /**
   * The packages inside the product the statement is limited to (OpenVEX `subcomponents`, a CycloneDX VEX
   * ref to a component of the product), as purls or ids; absent or empty: the whole product.
   */
  readonly subcomponents?: readonly string[];
}

export interface VexStatement {
  readonly vulnerability: string;
  readonly aliases: readonly string[];
  readonly products: readonly VexProduct[];
  readonly status: VexStatus;
  readonly justification: string | null;
  readonly impactStatement: string | null;
  readonly actionStatement: string | null;
  /** ISO 8601: the statement's own timestamp, else the document's; null when neither gives one. */
  readonly timestamp: string | null;
}

export interface VexDocument {
  readonly format: 'openvex' | 'cyclonedx';
  readonly id: string;
  readonly author: string | null;
  readonly timestamp: string | null;
  readonly statements: readonly VexStatement[];
}

export type VexReading = { readonly ok: true; readonly document: VexDocument } | { readonly ok: false; readonly issues: readonly string[] };

/** Severity from a CVSS base score (CVSS v3/v4 qualitative rating scale). */
export function severityOfScore(score: number): ScanSeverity {
  if (!Number.isFinite(score) || score < 0 || score > 10) return 'unknown';
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'none';
}

/** Severity from a word (CRITICAL, High, moderate, info, negligible...); `unknown` for anything else. */
export function severityOfWord(word: string): ScanSeverity {
  switch (word.trim().toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
    case 'important':
      return 'high';
    case 'medium':
    case 'moderate':
      return 'medium';
    case 'low':
    case 'negligible':
    case 'info':
    case 'informational':
      return 'low';
    case 'none':
      return 'none';
    default:
      return 'unknown';
  }
}

/** The higher of two severities; `unknown` ranks below every known one. */
export function worstSeverity(a: ScanSeverity, b: ScanSeverity): ScanSeverity {
  const rank = (s: ScanSeverity) => (s === 'unknown' ? -1 : SCAN_SEVERITIES.length - SCAN_SEVERITIES.indexOf(s));
  return rank(a) >= rank(b) ? a : b;
}

/** Identifiers of a vulnerability advisory (CVE, GHSA, and the OSV database prefixes), as opposed to a rule or matcher name. */
export const VULNERABILITY_ID = /^(?:CVE-\d{4}-\d+|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}|(?:GO|PYSEC|RUSTSEC|OSV|GMS|DLA|DSA|RHSA|ALAS|USN)-[\w.:-]+)$/i;

/** `sha256:<hex>` from the digest forms tools write: `sha256:<hex>`, `sha256%3A<hex>`, `name@sha256:<hex>`; null when none. */
export function imageDigestIn(text: string): string | null {
  const match = /sha256(?::|%3[Aa])([0-9a-fA-F]{64})(?![0-9a-fA-F])/.exec(text);
  return match === null ? null : `sha256:${match[1]!.toLowerCase()}`;
}
