// Which scan results are about the release, and whether a VEX statement settles a vulnerability: pure
// functions over the scan model, so every rule is testable without files. Used by the SCAN check.

import { imageDigestIn, type ScanReport, type ScanVulnerability, type VexProduct, type VexStatement, type VexStatus } from '../formats/scan-model.js';
import type { ScanKind } from '../schemas/policy.js';

/** What the release is: the image records/build.json says was built, and the commit it was built from. */
export interface ReleaseIdentity {
  /** `sha256:<hex>`, lowercase. */
  readonly imageDigest: string;
  /** git commit id, lowercase hex. */
  readonly commit: string;
}

/** Scans of source (code, infrastructure code, dependency manifests) may name the built commit instead of the image. */
export const SOURCE_SCAN_KINDS: readonly ScanKind[] = ['static-analysis', 'dependency-analysis', 'iac'];

/** What a scan covers of the release: the image itself, the built commit (source scans only), or nothing. */
export type Coverage = 'image' | 'commit' | null;

export function scanCoverage(report: ScanReport, kind: ScanKind, release: ReleaseIdentity): Coverage {
  if (report.targets.some((t) => t.kind === 'image' && t.digest === release.imageDigest)) return 'image';
  if (SOURCE_SCAN_KINDS.includes(kind) && report.targets.some((t) => t.kind === 'commit' && t.commit === release.commit)) return 'commit';
  return null;
}

export function describeTargets(report: ScanReport): string {
  if (report.targets.length === 0) return 'no target';
  return report.targets.map((t) => (t.kind === 'image' ? `image ${t.name === null ? '' : `${t.name}@`}${t.digest} (${t.from})` : `commit ${t.commit} (${t.from})`)).join(', ');
}

/** True when a VEX product identifies the release as `coverage` requires: the image always; the commit only for scans of the commit. */
export function productIsRelease(product: VexProduct, release: ReleaseIdentity, coverage: Exclude<Coverage, null>): boolean {
  const names = [product.id, ...product.identifiers];
  if (product.sha256.includes(release.imageDigest.slice('sha256:'.length))) return true;
  if (names.some((n) => imageDigestIn(n) === release.imageDigest)) return true;
  if (coverage !== 'commit') return false;
  return names.some((n) => mentionsCommit(n, release.commit));
}

function mentionsCommit(name: string, commit: string): boolean {
  const lower = name.toLowerCase();
  for (let at = lower.indexOf(commit); at !== -1; at = lower.indexOf(commit, at + 1)) {
    const before = at === 0 ? '' : lower[at - 1]!;
    const after = lower[at + commit.length] ?? '';
    if ((before === '' || before === '@' || before === '/') && !/[0-9a-f]/.test(after)) return true;
  }
  return false;
}

/**
 * A package named by a purl or as a scanner writes it ("name version", "name@version"): its name and
 * version, and for a purl its type and namespace, compared case-insensitively, qualifiers left out.
 */
interface PackageKey {
  readonly purlBase: string | null;
  readonly name: string;
  readonly version: string | null;
}

export function packageKey(text: string): PackageKey {
  const trimmed = text.trim();
  if (trimmed.toLowerCase().startsWith('pkg:')) {
    const base = trimmed.split(/[?#]/)[0]!;
    const at = base.lastIndexOf('@');
    const path = at > 4 ? base.slice(0, at) : base;
    const version = at > 4 ? safeDecode(base.slice(at + 1)) : null;
    const name = safeDecode(path.split('/').pop() ?? '').toLowerCase();
    return { purlBase: `${safeDecode(path).toLowerCase()}@${version ?? ''}`, name, version };
  }
  const spaced = /^(\S+)\s+(\S+)$/.exec(trimmed);
  if (spaced !== null) return { purlBase: null, name: spaced[1]!.toLowerCase(), version: spaced[2]! };
  const at = trimmed.lastIndexOf('@');
  if (at > 0) return { purlBase: null, name: trimmed.slice(0, at).toLowerCase(), version: trimmed.slice(at + 1) };
  return { purlBase: null, name: trimmed.toLowerCase(), version: null };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Does a subcomponent a statement is limited to name this package? Both purls: the same purl; else the same name, and version when both give one. */
export function samePackage(subcomponent: string, affected: string): boolean {
  const a = packageKey(subcomponent);
  const b = packageKey(affected);
  if (a.purlBase !== null && b.purlBase !== null) return a.purlBase === b.purlBase;
  return a.name === b.name && (a.version === null || b.version === null || a.version === b.version);
}

/** A VEX statement with where it came from: a file under vex/, or the scan document's own analysis. */
export interface LocatedStatement {
  readonly statement: VexStatement;
  readonly file: string;
  readonly inline: boolean;
}

export type Resolution =
  | { readonly addressed: true; readonly by: LocatedStatement }
  /** `latest`: the newest statement about it when one exists (affected, under_investigation), else null. */
  | { readonly addressed: false; readonly latest: LocatedStatement | null };

const SETTLING: readonly VexStatus[] = ['not_affected', 'fixed'];

function idsOf(id: string, aliases: readonly string[]): Set<string> {
  return new Set([id, ...aliases].map((s) => s.trim().toUpperCase()).filter((s) => s !== ''));
}

/**
 * The VEX statements of one verification, about one release: by every vulnerability id and alias they
 * name, so a large scan against a large VEX set stays linear.
 */
export class VexIndex {
  private readonly byId = new Map<string, LocatedStatement[]>();
  /** A statement's products that are the release, per coverage: computed once however many results it is checked against. */
  private readonly releaseProducts = { image: new Map<LocatedStatement, readonly VexProduct[]>(), commit: new Map<LocatedStatement, readonly VexProduct[]>() };

  constructor(
    statements: readonly LocatedStatement[],
    readonly release: ReleaseIdentity,
  ) {
    for (const located of statements) {
      for (const id of idsOf(located.statement.vulnerability, located.statement.aliases)) {
        const list = this.byId.get(id);
        if (list === undefined) this.byId.set(id, [located]);
        else list.push(located);
      }
    }
  }

  productsOfRelease(located: LocatedStatement, coverage: Exclude<Coverage, null>): readonly VexProduct[] {
    const cache = this.releaseProducts[coverage];
    let products = cache.get(located);
    if (products === undefined) {
      products = located.statement.products.filter((p) => productIsRelease(p, this.release, coverage));
      cache.set(located, products);
    }
    return products;
  }

  /** Statements naming any of `ids`, each once, in the order they were given. */
  about(ids: ReadonlySet<string>): LocatedStatement[] {
    const found = new Set<LocatedStatement>();
    for (const id of ids) for (const located of this.byId.get(id) ?? []) found.add(located);
    return [...found];
  }
}

/**
 * The newest statement about the vulnerability and the release decides (OpenVEX: later statements supersede
 * earlier ones). A statement without a timestamp is older than any with one. When the newest statements tie
 * and disagree, the one that does not settle the vulnerability wins: doubt never passes.
 */
export function resolveVulnerability(vulnerability: ScanVulnerability, coverage: Exclude<Coverage, null>, statements: VexIndex, scanPath: string): Resolution {
  // A statement counts for this occurrence when one of its products is the release, as a whole or limited
  // to subcomponents of which one is a package the occurrence was found in (none known: it does not count).
  const candidates: LocatedStatement[] = statements.about(idsOf(vulnerability.id, vulnerability.aliases)).filter((located) =>
    statements.productsOfRelease(located, coverage).some((p) => (p.subcomponents ?? []).length === 0 || p.subcomponents!.some((sub) => vulnerability.affects.some((affected) => samePackage(sub, affected)))),
  );
  if (vulnerability.analysis !== null) {
    candidates.push({
      file: scanPath,
      inline: true,
      statement: {
        vulnerability: vulnerability.id,
        aliases: vulnerability.aliases,
        products: [],
        status: vulnerability.analysis.status,
        justification: vulnerability.analysis.justification,
        impactStatement: vulnerability.analysis.detail,
        actionStatement: null,
        timestamp: null,
      },
    });
  }
  if (candidates.length === 0) return { addressed: false, latest: null };
  // Untimed statements are the oldest. One whose time cannot be read is placed where it helps least: the
  // oldest when it would settle, the newest when it would not.
  const time = (s: LocatedStatement) => {
    if (s.statement.timestamp === null) return Number.NEGATIVE_INFINITY;
    const t = instantOf(s.statement.timestamp);
    if (!Number.isNaN(t)) return t;
    return SETTLING.includes(s.statement.status) ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  };
  const newest = candidates.reduce((max, c) => Math.max(max, time(c)), Number.NEGATIVE_INFINITY);
  const latest = candidates.filter((c) => time(c) === newest);
  const open = latest.find((c) => !SETTLING.includes(c.statement.status));
  if (open !== undefined) return { addressed: false, latest: open };
  return { addressed: true, by: latest[0]! };
}

/**
 * The instant of an ISO 8601 timestamp the readers accepted, NaN when there is none. A leap second
 * (`23:59:60`, which the CycloneDX schema allows and Date.parse refuses) is read as the end of that
 * minute, so the statement keeps its place in time.
 */
export function instantOf(timestamp: string): number {
  const parsed = Date.parse(timestamp);
  if (!Number.isNaN(parsed)) return parsed;
  return Date.parse(timestamp.replace(/:60(\.\d+)?(?=Z$|[+-]\d{2}:?\d{2}$)/i, ':59.999'));
}
