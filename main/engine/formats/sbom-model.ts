// Assay's own SBOM model: what every reader (CycloneDX JSON/XML, SPDX 2 JSON/tag-value, SPDX 3 JSON-LD)
// produces once a document has passed its validator. Checks (SBOM-, and later ATT-, PROV-, SCAN-) see
// only this model, never the raw document (STYLE §5).

export type SbomFormat = 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx2-json' | 'spdx2-tagvalue' | 'spdx3-jsonld';

export const SBOM_FORMAT_LABELS: Readonly<Record<SbomFormat, string>> = {
  'cyclonedx-json': 'CycloneDX JSON',
  'cyclonedx-xml': 'CycloneDX XML',
  'spdx2-json': 'SPDX 2 JSON',
  'spdx2-tagvalue': 'SPDX 2 tag-value',
  'spdx3-jsonld': 'SPDX 3 JSON-LD',
};

/**
 * Hash algorithm names, normalised across formats: lowercase, no dashes or underscores except the
 * SHA-3 family (`sha3-256`) and BLAKE2b (`blake2b-256`). CycloneDX `SHA-256`, SPDX 2 `SHA256` and SPDX 3
 * `sha256` all become `sha256`.
 */
export type HashAlgorithm = string;

export interface SbomHash {
  readonly algorithm: HashAlgorithm;
  /** Lowercase hex (base64 values of other algorithms are kept as given). */
  readonly value: string;
}

/**
 * What a component is. CycloneDX component types and SPDX purposes map onto this list; `model` and
 * `dataset` are the two an AI release is judged by.
 */
export type ComponentKind =
  | 'application'
  | 'framework'
  | 'library'
  | 'container'
  | 'platform'
  | 'operating-system'
  | 'device'
  | 'device-driver'
  | 'firmware'
  | 'file'
  | 'source'
  | 'archive'
  | 'model'
  | 'dataset'
  | 'cryptographic-asset'
  | 'other';

export interface ExternalReference {
  /** The format's own reference type, e.g. CycloneDX `vcs`, SPDX 2 `purl`, SPDX 3 `packageUrl`. */
  readonly type: string;
  readonly locator: string;
}

export interface PerformanceMetric {
  readonly type: string;
  readonly value: string;
  readonly slice?: string | undefined;
}

/** The model card of a model component: CycloneDX `modelCard`, SPDX 3 `ai_*` properties. */
export interface ModelCard {
  readonly approach?: string | undefined;
  readonly task?: string | undefined;
  readonly architectureFamily?: string | undefined;
  readonly modelArchitecture?: string | undefined;
  /** Datasets the card names: component refs where the document links them, else names or URLs. */
  readonly datasets: readonly string[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly metrics: readonly PerformanceMetric[];
  readonly limitations: readonly string[];
  readonly useCases: readonly string[];
  readonly ethicalConsiderations: readonly string[];
  /** Other key/value facts (SPDX 3 hyperparameters, autonomy type, domain, CycloneDX properties). */
  readonly properties: readonly { readonly name: string; readonly value: string }[];
}

/** What a dataset component says about its data: CycloneDX `data`, SPDX 3 `dataset_*` properties. */
export interface DatasetInfo {
  readonly types: readonly string[];
  readonly classification?: string | undefined;
  readonly contents: readonly string[];
  readonly sizeBytes?: number | undefined;
  readonly sensitive: readonly string[];
  readonly description?: string | undefined;
}

export interface SbomComponent {
  /** The document's identifier: CycloneDX `bom-ref`, SPDX 2 `SPDXID`, SPDX 3 `spdxId`; synthesised when absent. */
  readonly ref: string;
  readonly kind: ComponentKind;
  /** The format's own type or purpose, as written (e.g. `machine-learning-model`, `ai_AIPackage`). */
  readonly rawType: string;
  readonly name: string;
  readonly version?: string | undefined;
  readonly group?: string | undefined;
  readonly purl?: string | undefined;
  readonly cpe?: string | undefined;
  readonly supplier?: string | undefined;
  readonly description?: string | undefined;
  readonly hashes: readonly SbomHash[];
  /** SPDX licence expressions or licence names, as the document gives them. */
  readonly licences: readonly string[];
  readonly externalReferences: readonly ExternalReference[];
  /** Ref of the component this one is nested in (CycloneDX nested components, SPDX 2 package files). */
  readonly parent?: string | undefined;
  readonly modelCard?: ModelCard | undefined;
  readonly dataset?: DatasetInfo | undefined;
}

/**
 * A directed edge between two refs. `type` is normalised: `depends-on`, `contains`, `describes`,
 * `generated-from`, `trained-on`, `tested-on`, ...; `sourceType` keeps the document's own word.
 */
export interface SbomRelationship {
  readonly from: string;
  readonly to: string;
  readonly type: string;
  readonly sourceType: string;
}

export interface Sbom {
  readonly format: SbomFormat;
  /** e.g. `1.6` (CycloneDX), `2.3` (SPDX 2), `3.0.1` (SPDX 3). */
  readonly specVersion: string;
  /** CycloneDX serialNumber, SPDX 2 documentNamespace, SPDX 3 SpdxDocument spdxId. */
  readonly documentId?: string | undefined;
  readonly name?: string | undefined;
  readonly created?: string | undefined;
  readonly creators: readonly string[];
  /** Refs of what the document describes: CycloneDX metadata.component, SPDX DESCRIBES / rootElement. */
  readonly subjects: readonly string[];
  /** Every component, nested ones flattened (their `parent` says where they were). */
  readonly components: readonly SbomComponent[];
  readonly relationships: readonly SbomRelationship[];
}

export type SbomProblemKind =
  | 'unreadable'
  | 'syntax'
  | 'duplicate-key'
  | 'unsafe-xml'
  | 'unknown-format'
  | 'unsupported-version'
  | 'schema'
  | 'dangling-reference';

export type SbomReading =
  | { readonly ok: true; readonly sbom: Sbom }
  | {
      readonly ok: false;
      readonly kind: SbomProblemKind;
      readonly format: SbomFormat | null;
      readonly specVersion: string | null;
      /** One reason per entry, each naming where in the document it applies. */
      readonly issues: readonly string[];
    };

export function invalid(kind: SbomProblemKind, format: SbomFormat | null, specVersion: string | null, issues: readonly string[]): SbomReading {
  return { ok: false, kind, format, specVersion, issues };
}

/** ` (CycloneDX JSON 1.6)` for an invalid reading, as far as the format and version are known; '' when neither is. */
export function invalidFormatNote(reading: { readonly format: SbomFormat | null; readonly specVersion: string | null }): string {
  return reading.format === null ? '' : ` (${SBOM_FORMAT_LABELS[reading.format]}${reading.specVersion === null ? '' : ` ${reading.specVersion}`})`;
}

/** Normalises an algorithm name from any of the formats (see HashAlgorithm). */
export function normaliseHashAlgorithm(name: string): HashAlgorithm {
  const lower = name.trim().toLowerCase().replace(/_/g, '-');
  const sha3 = /^sha-?3-?(\d{3})$/.exec(lower);
  if (sha3) return `sha3-${sha3[1]}`;
  const blake2b = /^blake-?2b-?(\d{3})$/.exec(lower);
  if (blake2b) return `blake2b-${blake2b[1]}`;
  return lower.replace(/-/g, '');
}

export function hashOf(algorithm: string, value: string): SbomHash {
  const trimmed = value.trim();
  return { algorithm: normaliseHashAlgorithm(algorithm), value: /^[0-9a-fA-F]+$/.test(trimmed) ? trimmed.toLowerCase() : trimmed };
}

/** The component's sha256 values (a component may list several, e.g. one per packaging). */
export function sha256Of(component: SbomComponent): readonly string[] {
  return component.hashes.filter((h) => h.algorithm === 'sha256').map((h) => h.value);
}

export function componentsWithHash(sbom: Sbom, algorithm: string, value: string): readonly SbomComponent[] {
  const wanted = hashOf(algorithm, value);
  return sbom.components.filter((c) => c.hashes.some((h) => h.algorithm === wanted.algorithm && h.value === wanted.value));
}

export function modelComponents(sbom: Sbom): readonly SbomComponent[] {
  return sbom.components.filter((c) => c.kind === 'model');
}

export function datasetComponents(sbom: Sbom): readonly SbomComponent[] {
  return sbom.components.filter((c) => c.kind === 'dataset');
}

/** Refs every relationship of the given (normalised) type leads to from `ref`. */
export function relatedRefs(sbom: Sbom, ref: string, type: string): readonly string[] {
  return sbom.relationships.filter((r) => r.from === ref && r.type === type).map((r) => r.to);
}

/** A short summary for the CLI and the UI: counts, and the model and dataset components. */
export interface SbomSummary {
  readonly format: SbomFormat;
  readonly formatLabel: string;
  readonly specVersion: string;
  readonly components: number;
  readonly relationships: number;
  readonly models: readonly ComponentSummary[];
  readonly datasets: readonly ComponentSummary[];
}

export interface ComponentSummary {
  readonly ref: string;
  readonly name: string;
  readonly version: string | null;
  readonly hashes: readonly SbomHash[];
}

export function summariseSbom(sbom: Sbom): SbomSummary {
  const brief = (c: SbomComponent): ComponentSummary => ({ ref: c.ref, name: c.name, version: c.version ?? null, hashes: c.hashes });
  return {
    format: sbom.format,
    formatLabel: SBOM_FORMAT_LABELS[sbom.format],
    specVersion: sbom.specVersion,
    components: sbom.components.length,
    relationships: sbom.relationships.length,
    models: modelComponents(sbom).map(brief),
    datasets: datasetComponents(sbom).map(brief),
  };
}

/** Small helpers shared by the readers for untyped, already-validated JSON. */
export type Json = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function objects(value: unknown): readonly Json[] {
  return arr(value).filter(isObject);
}

export function strings(value: unknown): readonly string[] {
  if (typeof value === 'string') return [value];
  return arr(value).filter((v): v is string => typeof v === 'string');
}
