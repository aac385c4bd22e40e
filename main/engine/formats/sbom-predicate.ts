// Which in-toto predicate types carry an SBOM, and which SBOM format each one promises. The URIs are
// the ones the in-toto attestation predicate registry (spec/predicates/cyclonedx.md, spdx2.md, spdx3.md)
// and cosign (`attest --type cyclonedx`, `--type spdx` / `spdxjson`) write; the predicate of such a
// statement is the SBOM document itself, as JSON.

import type { SbomFormat } from './sbom-model.js';

/** The SBOM family a predicate type promises; `spdx` when the type does not say which SPDX version. */
export type SbomPredicateFamily = 'cyclonedx' | 'spdx' | 'spdx2' | 'spdx3';

export const SBOM_PREDICATE_FAMILY_LABELS: Readonly<Record<SbomPredicateFamily, string>> = {
  cyclonedx: 'CycloneDX JSON',
  spdx: 'SPDX JSON (2 or 3)',
  spdx2: 'SPDX 2 JSON',
  spdx3: 'SPDX 3 JSON-LD',
};

interface SbomPredicateType {
  /** The type URI, or its stem when `versions` matches a version suffix (`<stem>/v1.6`). */
  readonly uri: string;
  readonly family: SbomPredicateFamily;
  /** Matches the version suffix after `<uri>/`; absent: the URI alone, with no suffix. */
  readonly versions?: RegExp;
  readonly source: string;
}

/** Every SBOM predicate type Assay recognises, exact URIs first, then versioned forms. */
export const SBOM_PREDICATE_TYPES: readonly SbomPredicateType[] = [
  { uri: 'https://cyclonedx.org/bom', family: 'cyclonedx', source: 'in-toto CycloneDX predicate; cosign attest --type cyclonedx' },
  { uri: 'https://spdx.dev/Document', family: 'spdx', source: 'in-toto SPDX 2 predicate; cosign attest --type spdx, spdxjson' },
  { uri: 'https://cyclonedx.org/bom', family: 'cyclonedx', versions: /^v1\.\d+$/, source: 'in-toto CycloneDX predicate, versioned (e.g. /v1.6)' },
  { uri: 'https://spdx.dev/Document', family: 'spdx2', versions: /^v2\.\d+$/, source: 'in-toto SPDX 2 predicate, versioned (e.g. /v2.3)' },
  { uri: 'https://spdx.dev/Document', family: 'spdx3', versions: /^v3(\.\d+){0,2}$/, source: 'in-toto SPDX 3 predicate (/v3, also /v3.0, /v3.0.1)' },
];

/** The family of an SBOM predicate type, or null when the type is no SBOM (compared exactly, case-sensitive). */
export function sbomPredicateFamily(predicateType: string): SbomPredicateFamily | null {
  for (const known of SBOM_PREDICATE_TYPES) {
    if (known.versions === undefined) {
      if (predicateType === known.uri) return known.family;
    } else if (predicateType.startsWith(`${known.uri}/`) && known.versions.test(predicateType.slice(known.uri.length + 1))) {
      return known.family;
    }
  }
  return null;
}

export function isSbomPredicateType(predicateType: string): boolean {
  return sbomPredicateFamily(predicateType) !== null;
}

/** Whether a document of `format` is what a predicate of `family` promises (SPDX predicates carry JSON only). */
export function formatFitsFamily(format: SbomFormat, family: SbomPredicateFamily): boolean {
  switch (family) {
    case 'cyclonedx':
      return format === 'cyclonedx-json';
    case 'spdx2':
      return format === 'spdx2-json';
    case 'spdx3':
      return format === 'spdx3-jsonld';
    case 'spdx':
      return format === 'spdx2-json' || format === 'spdx3-jsonld';
  }
}
