// SPDX 2.2 and 2.3 documents (the JSON shape; tag-value is converted into it first), validated from the
// specifications (spdx.github.io/spdx-spec v2.2.2 and v2.3, clauses 6 to 12): required fields present
// per version, enumerations valid, identifiers well-formed and unique, and every referenced SPDX id
// resolving to an element of the document (or of a declared external document). Then mapped into
// Assay's SBOM model.

import {
  hashOf,
  invalid,
  isObject,
  objects,
  str,
  strings,
  type ComponentKind,
  type ExternalReference,
  type Json,
  type Sbom,
  type SbomComponent,
  type SbomFormat,
  type SbomReading,
  type SbomRelationship,
} from './sbom-model.js';

export const SPDX2_VERSIONS = ['SPDX-2.2', 'SPDX-2.3'] as const;
type Spdx2Version = (typeof SPDX2_VERSIONS)[number];

const ID_STRING = /^SPDXRef-[A-Za-z0-9.-]+$/;
const DOCUMENT_REF = /^DocumentRef-[A-Za-z0-9.-]+$/;
const EXTERNAL_ID = /^(DocumentRef-[A-Za-z0-9.-]+):(SPDXRef-[A-Za-z0-9.-]+)$/;
const LICENSE_REF = /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const CREATOR = /^(Person|Organization|Tool):\s*\S/;

/** Clause 7.10 / 8.4: checksum algorithms. SPDX 2.3 added the SHA-3, BLAKE and ADLER32 families. */
const CHECKSUM_ALGORITHMS_22 = ['SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'MD2', 'MD4', 'MD5', 'MD6'];
const CHECKSUM_ALGORITHMS: Readonly<Record<Spdx2Version, readonly string[]>> = {
  'SPDX-2.2': CHECKSUM_ALGORITHMS_22,
  'SPDX-2.3': [...CHECKSUM_ALGORITHMS_22, 'SHA3-256', 'SHA3-384', 'SHA3-512', 'BLAKE2b-256', 'BLAKE2b-384', 'BLAKE2b-512', 'BLAKE3', 'ADLER32'],
};

/** Clause 11.1: relationship types. SPDX 2.3 added REQUIREMENT_DESCRIPTION_FOR and SPECIFICATION_FOR. */
const RELATIONSHIP_TYPES_22 = [
  'DESCRIBES', 'DESCRIBED_BY', 'CONTAINS', 'CONTAINED_BY', 'DEPENDS_ON', 'DEPENDENCY_OF', 'DEPENDENCY_MANIFEST_OF',
  'BUILD_DEPENDENCY_OF', 'DEV_DEPENDENCY_OF', 'OPTIONAL_DEPENDENCY_OF', 'PROVIDED_DEPENDENCY_OF', 'TEST_DEPENDENCY_OF',
  'RUNTIME_DEPENDENCY_OF', 'EXAMPLE_OF', 'GENERATES', 'GENERATED_FROM', 'ANCESTOR_OF', 'DESCENDANT_OF', 'VARIANT_OF',
  'DISTRIBUTION_ARTIFACT', 'PATCH_FOR', 'PATCH_APPLIED', 'COPY_OF', 'FILE_ADDED', 'FILE_DELETED', 'FILE_MODIFIED',
  'EXPANDED_FROM_ARCHIVE', 'DYNAMIC_LINK', 'STATIC_LINK', 'DATA_FILE_OF', 'TEST_CASE_OF', 'BUILD_TOOL_OF', 'DEV_TOOL_OF',
  'TEST_OF', 'TEST_TOOL_OF', 'DOCUMENTATION_OF', 'OPTIONAL_COMPONENT_OF', 'METAFILE_OF', 'PACKAGE_OF', 'AMENDS',
  'PREREQUISITE_FOR', 'HAS_PREREQUISITE', 'OTHER',
];
const RELATIONSHIP_TYPES: Readonly<Record<Spdx2Version, readonly string[]>> = {
  'SPDX-2.2': RELATIONSHIP_TYPES_22,
  'SPDX-2.3': [...RELATIONSHIP_TYPES_22, 'REQUIREMENT_DESCRIPTION_FOR', 'SPECIFICATION_FOR'],
};

/** Clause 7.24 (2.3 only): primary package purpose. */
const PACKAGE_PURPOSES = ['APPLICATION', 'FRAMEWORK', 'LIBRARY', 'CONTAINER', 'OPERATING-SYSTEM', 'DEVICE', 'FIRMWARE', 'SOURCE', 'ARCHIVE', 'FILE', 'INSTALL', 'OTHER'];
/** Clause 8.3: file types. */
const FILE_TYPES = ['SOURCE', 'BINARY', 'ARCHIVE', 'APPLICATION', 'AUDIO', 'IMAGE', 'TEXT', 'VIDEO', 'DOCUMENTATION', 'SPDX', 'OTHER'];
/** Clause 7.21: external reference categories (JSON uses dashes, tag-value underscores in 2.3). */
const REFERENCE_CATEGORIES = ['SECURITY', 'PACKAGE-MANAGER', 'PACKAGE_MANAGER', 'PERSISTENT-ID', 'PERSISTENT_ID', 'OTHER'];
const ANNOTATION_TYPES = ['REVIEW', 'OTHER'];
const SPECIAL_ELEMENTS = ['NONE', 'NOASSERTION'];

/** Validates an SPDX 2 document in its JSON shape and maps it; `format` says which syntax it came in. */
export function readSpdx2Value(document: unknown, format: SbomFormat): SbomReading {
  if (!isObject(document)) return invalid('unknown-format', format, null, ['(root): an SPDX document is an object']);
  const versionText = str(document['spdxVersion']);
  if (versionText === undefined) return invalid('schema', format, null, ['spdxVersion: required field missing']);
  if (!(SPDX2_VERSIONS as readonly string[]).includes(versionText)) {
    return invalid('unsupported-version', format, versionText.replace(/^SPDX-/, ''), [`spdxVersion ${versionText} is not supported (SPDX-2.2, SPDX-2.3)`]);
  }
  const version = versionText as Spdx2Version;
  const specVersion = version.replace(/^SPDX-/, '');
  const validator = new Spdx2Validator(document, version);
  validator.validate();
  if (validator.schemaIssues.length > 0) return invalid('schema', format, specVersion, validator.schemaIssues);
  if (validator.referenceIssues.length > 0) return invalid('dangling-reference', format, specVersion, validator.referenceIssues);
  return { ok: true, sbom: toModel(document, format, specVersion) };
}

class Spdx2Validator {
  readonly schemaIssues: string[] = [];
  readonly referenceIssues: string[] = [];
  private readonly ids = new Map<string, string>();
  private readonly externalDocuments = new Set<string>();
  private readonly licenseRefs = new Set<string>();

  constructor(
    private readonly document: Json,
    private readonly version: Spdx2Version,
  ) {}

  private get is22(): boolean {
    return this.version === 'SPDX-2.2';
  }

  validate(): void {
    this.documentCreation();
    objects(this.document['hasExtractedLicensingInfos']).forEach((licence, i) => this.extractedLicence(licence, `hasExtractedLicensingInfos[${i}]`));
    this.elements('packages', (p, at) => this.packageInfo(p, at));
    this.elements('files', (f, at) => this.fileInfo(f, at));
    this.elements('snippets', (s, at) => this.snippetInfo(s, at));
    this.references();
  }

  private issue(message: string): void {
    this.schemaIssues.push(message);
  }

  private required(object: Json, key: string, at: string): unknown {
    const value = object[key];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      this.issue(`${at}.${key}: required field missing`);
      return undefined;
    }
    return value;
  }

  private requiredString(object: Json, key: string, at: string): string | undefined {
    const value = this.required(object, key, at);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.issue(`${at}.${key}: must be a string`);
      return undefined;
    }
    return value;
  }

  private optionalString(object: Json, key: string, at: string): string | undefined {
    const value = object[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.issue(`${at}.${key}: must be a string`);
      return undefined;
    }
    return value;
  }

  private enumValue(value: string | undefined, allowed: readonly string[], at: string): void {
    if (value !== undefined && !allowed.includes(value)) this.issue(`${at}: "${value}" is not one of ${allowed.join(', ')}`);
  }

  private declareId(id: string | undefined, at: string): void {
    if (id === undefined) return;
    if (!ID_STRING.test(id)) {
      this.issue(`${at}.SPDXID: "${id}" is not of the form SPDXRef-[A-Za-z0-9.-]+`);
      return;
    }
    const previous = this.ids.get(id);
    if (previous !== undefined) this.issue(`${at}.SPDXID: "${id}" is already the id of ${previous}`);
    else this.ids.set(id, at);
  }

  private elements(key: 'packages' | 'files' | 'snippets', visit: (element: Json, at: string) => void): void {
    const value = this.document[key];
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      this.issue(`${key}: must be an array`);
      return;
    }
    value.forEach((element, i) => {
      if (!isObject(element)) this.issue(`${key}[${i}]: must be an object`);
      else visit(element, `${key}[${i}]`);
    });
  }

  /** Clause 6: document creation information. */
  private documentCreation(): void {
    const d = this.document;
    const dataLicense = this.requiredString(d, 'dataLicense', 'document');
    if (dataLicense !== undefined && dataLicense !== 'CC0-1.0') this.issue(`document.dataLicense: must be CC0-1.0, not "${dataLicense}"`);
    const id = this.requiredString(d, 'SPDXID', 'document');
    if (id !== undefined && id !== 'SPDXRef-DOCUMENT') this.issue(`document.SPDXID: must be SPDXRef-DOCUMENT, not "${id}"`);
    if (id === 'SPDXRef-DOCUMENT') this.ids.set(id, 'the document');
    this.requiredString(d, 'name', 'document');
    const namespace = this.requiredString(d, 'documentNamespace', 'document');
    if (namespace !== undefined && (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(namespace) || namespace.includes('#'))) {
      this.issue(`document.documentNamespace: "${namespace}" must be an absolute URI without "#"`);
    }
    objects(d['externalDocumentRefs']).forEach((ref, i) => {
      const at = `externalDocumentRefs[${i}]`;
      const docId = this.requiredString(ref, 'externalDocumentId', at);
      if (docId !== undefined && !DOCUMENT_REF.test(docId)) this.issue(`${at}.externalDocumentId: "${docId}" is not of the form DocumentRef-[A-Za-z0-9.-]+`);
      else if (docId !== undefined) this.externalDocuments.add(docId);
      this.requiredString(ref, 'spdxDocument', at);
      const checksum = this.required(ref, 'checksum', at);
      if (isObject(checksum)) this.checksum(checksum, `${at}.checksum`);
    });
    const creation = this.required(d, 'creationInfo', 'document');
    if (creation !== undefined && !isObject(creation)) this.issue('document.creationInfo: must be an object');
    if (isObject(creation)) {
      const created = this.requiredString(creation, 'created', 'creationInfo');
      if (created !== undefined && !DATE_TIME.test(created)) this.issue(`creationInfo.created: "${created}" is not YYYY-MM-DDThh:mm:ssZ`);
      const creators = this.required(creation, 'creators', 'creationInfo');
      if (creators !== undefined) {
        const list = strings(creators);
        if (list.length === 0) this.issue('creationInfo.creators: at least one creator is required');
        list.forEach((c, i) => {
          if (!CREATOR.test(c)) this.issue(`creationInfo.creators[${i}]: "${c}" must start with Person:, Organization: or Tool:`);
        });
      }
    }
  }

  private checksum(checksum: Json, at: string): string | undefined {
    const algorithm = this.requiredString(checksum, 'algorithm', at);
    this.enumValue(algorithm, CHECKSUM_ALGORITHMS[this.version], `${at}.algorithm`);
    const value = this.requiredString(checksum, 'checksumValue', at);
    if (value !== undefined && !/^[0-9a-fA-F]+$/.test(value)) this.issue(`${at}.checksumValue: "${value}" is not hexadecimal`);
    return algorithm;
  }

  private checksums(element: Json, at: string, required: boolean): string[] {
    const value = element['checksums'];
    if (value === undefined) {
      if (required) this.issue(`${at}.checksums: required field missing`);
      return [];
    }
    if (!Array.isArray(value)) {
      this.issue(`${at}.checksums: must be an array`);
      return [];
    }
    return value.flatMap((c, i) => {
      if (!isObject(c)) {
        this.issue(`${at}.checksums[${i}]: must be an object`);
        return [];
      }
      const algorithm = this.checksum(c, `${at}.checksums[${i}]`);
      return algorithm === undefined ? [] : [algorithm];
    });
  }

  private licence(element: Json, key: string, at: string, required: boolean): void {
    const value = required ? this.requiredString(element, key, at) : this.optionalString(element, key, at);
    if (value === undefined) return;
    for (const token of value.match(/(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+/g) ?? []) {
      if (!token.includes(':') && !this.licenseRefs.has(token)) {
        this.referenceIssues.push(`${at}.${key}: ${token} is not defined in hasExtractedLicensingInfos`);
      }
    }
  }

  /** Clause 10: other licensing information detected. */
  private extractedLicence(licence: Json, at: string): void {
    const id = this.requiredString(licence, 'licenseId', at);
    if (id !== undefined && !LICENSE_REF.test(id)) this.issue(`${at}.licenseId: "${id}" is not of the form LicenseRef-[A-Za-z0-9.-]+`);
    else if (id !== undefined) this.licenseRefs.add(id);
    this.requiredString(licence, 'extractedText', at);
  }

  /** Clause 7: package information. */
  private packageInfo(p: Json, at: string): void {
    this.requiredString(p, 'name', at);
    this.declareId(this.requiredString(p, 'SPDXID', at), at);
    this.requiredString(p, 'downloadLocation', at);
    const filesAnalyzed = p['filesAnalyzed'];
    if (filesAnalyzed !== undefined && typeof filesAnalyzed !== 'boolean') this.issue(`${at}.filesAnalyzed: must be true or false`);
    const analysed = filesAnalyzed !== false;
    const verification = p['packageVerificationCode'];
    if (analysed && this.is22 && verification === undefined) this.issue(`${at}.packageVerificationCode: required when filesAnalyzed is true (SPDX 2.2, 7.9)`);
    if (!analysed && verification !== undefined) this.issue(`${at}.packageVerificationCode: must be omitted when filesAnalyzed is false`);
    if (verification !== undefined) {
      if (!isObject(verification)) this.issue(`${at}.packageVerificationCode: must be an object`);
      else {
        const value = this.requiredString(verification, 'packageVerificationCodeValue', `${at}.packageVerificationCode`);
        if (value !== undefined && !/^[0-9a-f]{40}$/.test(value)) this.issue(`${at}.packageVerificationCode.packageVerificationCodeValue: must be 40 lowercase hex digits`);
      }
    }
    this.checksums(p, at, false);
    this.licence(p, 'licenseConcluded', at, this.is22);
    this.licence(p, 'licenseDeclared', at, this.is22);
    if (this.is22) this.requiredString(p, 'copyrightText', at);
    if (analysed && this.is22 && p['licenseInfoFromFiles'] === undefined) this.issue(`${at}.licenseInfoFromFiles: required when filesAnalyzed is true (SPDX 2.2, 7.14)`);
    const purpose = this.optionalString(p, 'primaryPackagePurpose', at);
    if (purpose !== undefined && this.is22) this.issue(`${at}.primaryPackagePurpose: not defined in SPDX 2.2`);
    else this.enumValue(purpose, PACKAGE_PURPOSES, `${at}.primaryPackagePurpose`);
    objects(p['externalRefs']).forEach((ref, i) => {
      const refAt = `${at}.externalRefs[${i}]`;
      this.enumValue(this.requiredString(ref, 'referenceCategory', refAt), REFERENCE_CATEGORIES, `${refAt}.referenceCategory`);
      this.requiredString(ref, 'referenceType', refAt);
      this.requiredString(ref, 'referenceLocator', refAt);
    });
  }

  /** Clause 8: file information. */
  private fileInfo(f: Json, at: string): void {
    this.requiredString(f, 'fileName', at);
    this.declareId(this.requiredString(f, 'SPDXID', at), at);
    const algorithms = this.checksums(f, at, true);
    if (f['checksums'] !== undefined && !algorithms.includes('SHA1')) this.issue(`${at}.checksums: a SHA1 checksum is required (8.4)`);
    strings(f['fileTypes']).forEach((t, i) => this.enumValue(t, FILE_TYPES, `${at}.fileTypes[${i}]`));
    this.licence(f, 'licenseConcluded', at, this.is22);
    if (this.is22) {
      if (f['licenseInfoInFiles'] === undefined) this.issue(`${at}.licenseInfoInFiles: required field missing`);
      this.requiredString(f, 'copyrightText', at);
    }
  }

  /** Clause 9: snippet information. */
  private snippetInfo(s: Json, at: string): void {
    this.declareId(this.requiredString(s, 'SPDXID', at), at);
    this.requiredString(s, 'snippetFromFile', at);
    const ranges = this.required(s, 'ranges', at);
    if (ranges !== undefined && (!Array.isArray(ranges) || ranges.length === 0)) this.issue(`${at}.ranges: at least one range is required`);
    this.licence(s, 'licenseConcluded', at, this.is22);
    if (this.is22) this.requiredString(s, 'copyrightText', at);
  }

  /** Every id a document element names must resolve (clauses 6.6, 7.x hasFiles, 9.3, 11, 12.5). */
  private references(): void {
    const check = (id: string | undefined, at: string, allowSpecial: boolean) => {
      if (id === undefined) return;
      if (allowSpecial && SPECIAL_ELEMENTS.includes(id)) return;
      const external = EXTERNAL_ID.exec(id);
      if (external !== null) {
        if (!this.externalDocuments.has(external[1]!)) this.referenceIssues.push(`${at}: "${id}" names ${external[1]!}, which externalDocumentRefs does not declare`);
        return;
      }
      if (!ID_STRING.test(id)) this.issue(`${at}: "${id}" is not an SPDX element id`);
      else if (!this.ids.has(id)) this.referenceIssues.push(`${at}: "${id}" does not resolve to any element of the document`);
    };
    strings(this.document['documentDescribes']).forEach((id, i) => check(id, `documentDescribes[${i}]`, false));
    objects(this.document['packages']).forEach((p, i) => strings(p['hasFiles']).forEach((id, j) => check(id, `packages[${i}].hasFiles[${j}]`, false)));
    objects(this.document['snippets']).forEach((s, i) => check(str(s['snippetFromFile']), `snippets[${i}].snippetFromFile`, false));
    const relationships = this.document['relationships'];
    if (relationships !== undefined && !Array.isArray(relationships)) this.issue('relationships: must be an array');
    objects(relationships).forEach((r, i) => {
      const at = `relationships[${i}]`;
      check(this.requiredString(r, 'spdxElementId', at), `${at}.spdxElementId`, false);
      this.enumValue(this.requiredString(r, 'relationshipType', at), RELATIONSHIP_TYPES[this.version], `${at}.relationshipType`);
      check(this.requiredString(r, 'relatedSpdxElement', at), `${at}.relatedSpdxElement`, true);
    });
    objects(this.document['annotations']).forEach((a, i) => this.annotation(a, `annotations[${i}]`));
    for (const key of ['packages', 'files', 'snippets'] as const) {
      objects(this.document[key]).forEach((e, i) => objects(e['annotations']).forEach((a, j) => this.annotation(a, `${key}[${i}].annotations[${j}]`)));
    }
    // Tag-value annotations name their element (SPDXREF); JSON ones nested in an element do not.
    objects(this.document['annotations']).forEach((a, i) => check(str(a['spdxElementId']), `annotations[${i}].spdxElementId`, false));
  }

  /** Clause 12: annotations. */
  private annotation(a: Json, at: string): void {
    this.requiredString(a, 'annotator', at);
    const date = this.requiredString(a, 'annotationDate', at);
    if (date !== undefined && !DATE_TIME.test(date)) this.issue(`${at}.annotationDate: "${date}" is not YYYY-MM-DDThh:mm:ssZ`);
    this.enumValue(this.requiredString(a, 'annotationType', at), ANNOTATION_TYPES, `${at}.annotationType`);
    this.requiredString(a, 'comment', at);
  }
}

const RELATIONSHIP_NAMES: Readonly<Record<string, string>> = {
  DESCRIBES: 'describes',
  CONTAINS: 'contains',
  DEPENDS_ON: 'depends-on',
  GENERATED_FROM: 'generated-from',
  GENERATES: 'generates',
  DYNAMIC_LINK: 'depends-on',
  STATIC_LINK: 'depends-on',
  HAS_PREREQUISITE: 'depends-on',
};

/** Relationships stated from the other end (X DEPENDENCY_OF Y is Y depends-on X). */
const INVERSE_NAMES: Readonly<Record<string, string>> = {
  DESCRIBED_BY: 'describes',
  CONTAINED_BY: 'contains',
  DEPENDENCY_OF: 'depends-on',
  BUILD_DEPENDENCY_OF: 'build-depends-on',
  DEV_DEPENDENCY_OF: 'dev-depends-on',
  OPTIONAL_DEPENDENCY_OF: 'depends-on',
  PROVIDED_DEPENDENCY_OF: 'depends-on',
  RUNTIME_DEPENDENCY_OF: 'depends-on',
  TEST_DEPENDENCY_OF: 'test-depends-on',
  PREREQUISITE_FOR: 'depends-on',
  PACKAGE_OF: 'contains',
};

const PURPOSE_KINDS: Readonly<Record<string, ComponentKind>> = {
  APPLICATION: 'application',
  FRAMEWORK: 'framework',
  LIBRARY: 'library',
  CONTAINER: 'container',
  'OPERATING-SYSTEM': 'operating-system',
  DEVICE: 'device',
  FIRMWARE: 'firmware',
  SOURCE: 'source',
  ARCHIVE: 'archive',
  FILE: 'file',
  INSTALL: 'other',
  OTHER: 'other',
};

function toModel(document: Json, format: SbomFormat, specVersion: string): Sbom {
  const components: SbomComponent[] = [];
  const relationships: SbomRelationship[] = [];
  for (const p of objects(document['packages'])) {
    const ref = str(p['SPDXID'])!;
    const externalReferences = objects(p['externalRefs']).map((r): ExternalReference => ({ type: str(r['referenceType'])!, locator: str(r['referenceLocator'])! }));
    const purpose = str(p['primaryPackagePurpose']);
    const licences = [str(p['licenseConcluded']), str(p['licenseDeclared'])].filter((l): l is string => l !== undefined && !['NOASSERTION', 'NONE'].includes(l));
    components.push({
      ref,
      kind: purpose === undefined ? 'library' : (PURPOSE_KINDS[purpose] ?? 'other'),
      rawType: purpose ?? 'package',
      name: str(p['name'])!,
      version: str(p['versionInfo']),
      purl: externalReferences.find((r) => r.type === 'purl')?.locator,
      cpe: externalReferences.find((r) => r.type.startsWith('cpe'))?.locator,
      supplier: str(p['supplier'])?.replace(/^(Person|Organization):\s*/, ''),
      description: str(p['description']) ?? str(p['summary']),
      hashes: objects(p['checksums']).map((c) => hashOf(str(c['algorithm'])!, str(c['checksumValue'])!)),
      licences: [...new Set(licences)],
      externalReferences,
    });
    for (const file of strings(p['hasFiles'])) relationships.push({ from: ref, to: file, type: 'contains', sourceType: 'hasFiles' });
  }
  for (const f of objects(document['files'])) {
    const concluded = str(f['licenseConcluded']);
    components.push({
      ref: str(f['SPDXID'])!,
      kind: 'file',
      rawType: strings(f['fileTypes']).join(',') || 'file',
      name: str(f['fileName'])!,
      hashes: objects(f['checksums']).map((c) => hashOf(str(c['algorithm'])!, str(c['checksumValue'])!)),
      licences: concluded === undefined || ['NOASSERTION', 'NONE'].includes(concluded) ? [] : [concluded],
      externalReferences: [],
    });
  }
  const subjects = [...strings(document['documentDescribes'])];
  for (const r of objects(document['relationships'])) {
    const type = str(r['relationshipType'])!;
    const a = str(r['spdxElementId'])!;
    const b = str(r['relatedSpdxElement'])!;
    if (SPECIAL_ELEMENTS.includes(b)) continue;
    if (type === 'DESCRIBES' && a === 'SPDXRef-DOCUMENT' && !subjects.includes(b)) subjects.push(b);
    if (type === 'DESCRIBED_BY' && b === 'SPDXRef-DOCUMENT' && !subjects.includes(a)) subjects.push(a);
    if (INVERSE_NAMES[type] !== undefined) relationships.push({ from: b, to: a, type: INVERSE_NAMES[type], sourceType: type });
    else relationships.push({ from: a, to: b, type: RELATIONSHIP_NAMES[type] ?? type.toLowerCase().replace(/_/g, '-'), sourceType: type });
  }
  const creation = isObject(document['creationInfo']) ? document['creationInfo'] : {};
  return {
    format,
    specVersion,
    documentId: str(document['documentNamespace']),
    name: str(document['name']),
    created: str(creation['created']),
    creators: [...strings(creation['creators'])],
    subjects,
    components,
    relationships,
  };
}
