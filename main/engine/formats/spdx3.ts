// SPDX 3.0.x JSON-LD (the serialisation of spdx.github.io/spdx-spec v3.0.1, with the published context
// https://spdx.org/rdf/3.0.x/spdx-context.jsonld), validated from the model: every node has a known
// class, every element an spdxId (unique) and a creation info, creation infos their spec version, time
// and creators, enumerations their listed values, and every reference (from, to, rootElement, element,
// createdBy, suppliedBy, ...) resolves to a node of the graph, an import of the document or one of the
// spec's named individuals. The JSON-LD is read in its compact published form; no context is fetched.

import { tryParseStrictJson } from '../json/strict-json.js';
import {
  hashOf,
  invalid,
  isObject,
  objects,
  str,
  strings,
  type ComponentKind,
  type DatasetInfo,
  type ExternalReference,
  type Json,
  type ModelCard,
  type Sbom,
  type SbomComponent,
  type SbomReading,
  type SbomRelationship,
} from './sbom-model.js';

const CONTEXT = /^https:\/\/spdx\.org\/rdf\/(3\.0\.\d+)\/spdx-context\.jsonld$/;
const SPEC_VERSION = /^3\.0\.\d+$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const CLASSES = new Set([
  'Annotation', 'Bom', 'Bundle', 'CreationInfo', 'DictionaryEntry', 'ExternalIdentifier', 'ExternalMap', 'ExternalRef', 'Hash',
  'IndividualElement', 'LifecycleScopedRelationship', 'NamespaceMap', 'Organization', 'PackageVerificationCode', 'Person',
  'PositiveIntegerRange', 'Relationship', 'SoftwareAgent', 'SpdxDocument', 'Tool', 'Agent',
  'software_File', 'software_Package', 'software_Sbom', 'software_Snippet', 'software_ContentIdentifier',
  'ai_AIPackage', 'dataset_DatasetPackage', 'build_Build',
  'simplelicensing_LicenseExpression', 'simplelicensing_SimpleLicensingText',
  'expandedlicensing_ConjunctiveLicenseSet', 'expandedlicensing_CustomLicense', 'expandedlicensing_CustomLicenseAddition',
  'expandedlicensing_DisjunctiveLicenseSet', 'expandedlicensing_ListedLicense', 'expandedlicensing_ListedLicenseException',
  'expandedlicensing_OrLaterOperator', 'expandedlicensing_WithAdditionOperator', 'expandedlicensing_IndividualLicensingInfo',
  'security_CvssV2VulnAssessmentRelationship', 'security_CvssV3VulnAssessmentRelationship', 'security_CvssV4VulnAssessmentRelationship',
  'security_EpssVulnAssessmentRelationship', 'security_ExploitCatalogVulnAssessmentRelationship', 'security_SsvcVulnAssessmentRelationship',
  'security_VexAffectedVulnAssessmentRelationship', 'security_VexFixedVulnAssessmentRelationship',
  'security_VexNotAffectedVulnAssessmentRelationship', 'security_VexUnderInvestigationVulnAssessmentRelationship', 'security_Vulnerability',
  'extension_CdxPropertiesExtension', 'extension_CdxPropertyEntry',
]);

/** Classes that are not Elements: they carry no spdxId and no creationInfo. */
const NON_ELEMENTS = new Set([
  'CreationInfo', 'DictionaryEntry', 'ExternalIdentifier', 'ExternalMap', 'ExternalRef', 'Hash', 'NamespaceMap',
  'PackageVerificationCode', 'PositiveIntegerRange', 'software_ContentIdentifier', 'extension_CdxPropertiesExtension', 'extension_CdxPropertyEntry',
]);

const RELATIONSHIP_TYPES = [
  'affects', 'amendedBy', 'ancestorOf', 'availableFrom', 'configures', 'contains', 'coordinatedBy', 'copiedTo', 'delegatedTo',
  'dependsOn', 'descendantOf', 'describes', 'doesNotAffect', 'expandsTo', 'exploitCreatedBy', 'fixedBy', 'fixedIn', 'foundBy',
  'generates', 'hasAddedFile', 'hasAssessmentFor', 'hasAssociatedVulnerability', 'hasConcludedLicense', 'hasDataFile',
  'hasDeclaredLicense', 'hasDeletedFile', 'hasDependencyManifest', 'hasDistributionArtifact', 'hasDocumentation',
  'hasDynamicLink', 'hasEvidence', 'hasExample', 'hasHost', 'hasInput', 'hasMetadata', 'hasOptionalComponent',
  'hasOptionalDependency', 'hasOutput', 'hasPrerequisite', 'hasProvidedDependency', 'hasRequirement', 'hasSpecification',
  'hasStaticLink', 'hasTest', 'hasTestCase', 'hasVariant', 'invokedBy', 'modifiedBy', 'other', 'packagedBy', 'patchedBy',
  'publishedBy', 'reportedBy', 'republishedBy', 'serializedInArtifact', 'testedOn', 'trainedOn', 'underInvestigationFor', 'usesTool',
];
const HASH_ALGORITHMS = [
  'adler32', 'blake2b256', 'blake2b384', 'blake2b512', 'blake3', 'crystalsDilithium', 'crystalsKyber', 'falcon', 'md2', 'md4',
  'md5', 'md6', 'other', 'sha1', 'sha224', 'sha256', 'sha384', 'sha3_224', 'sha3_256', 'sha3_384', 'sha3_512', 'sha512',
];
const PURPOSES = [
  'application', 'archive', 'bom', 'configuration', 'container', 'data', 'device', 'deviceDriver', 'diskImage', 'documentation',
  'evidence', 'executable', 'file', 'filesystemImage', 'firmware', 'framework', 'install', 'library', 'manifest', 'model',
  'module', 'operatingSystem', 'other', 'patch', 'platform', 'requirement', 'source', 'specification', 'test',
];
const EXTERNAL_IDENTIFIER_TYPES = ['cpe22', 'cpe23', 'cve', 'email', 'gitoid', 'other', 'packageUrl', 'securityOther', 'swhid', 'swid', 'urlScheme'];
const ENUMS: Readonly<Record<string, readonly string[]>> = {
  relationshipType: RELATIONSHIP_TYPES,
  completeness: ['complete', 'incomplete', 'noAssertion'],
  scope: ['design', 'development', 'build', 'test', 'runtime', 'other'],
  software_primaryPurpose: PURPOSES,
  software_additionalPurpose: PURPOSES,
  software_sbomType: ['analyzed', 'build', 'deployed', 'design', 'runtime', 'source'],
  software_fileKind: ['directory', 'file'],
  profileConformance: ['core', 'software', 'simpleLicensing', 'expandedLicensing', 'security', 'build', 'ai', 'dataset', 'extension', 'lite'],
  ai_autonomyType: ['yes', 'no', 'noAssertion'],
  ai_useSensitivePersonalInformation: ['yes', 'no', 'noAssertion'],
  ai_safetyRiskAssessment: ['serious', 'high', 'medium', 'low'],
  dataset_confidentialityLevel: ['red', 'amber', 'green', 'clear'],
  dataset_datasetAvailability: ['clickthrough', 'directDownload', 'query', 'registration', 'scrapingScript'],
  dataset_datasetType: ['audio', 'categorical', 'graph', 'image', 'noAssertion', 'numeric', 'other', 'sensor', 'structured', 'syntactic', 'text', 'timeseries', 'timestamp', 'video'],
  dataset_hasSensitivePersonalInformation: ['yes', 'no', 'noAssertion'],
};

/** Properties whose values are references to other elements (or, for creationInfo, to a CreationInfo). */
const ELEMENT_REFERENCES = ['from', 'to', 'rootElement', 'element', 'createdBy', 'createdUsing', 'suppliedBy', 'originatedBy', 'dataLicense', 'subject', 'security_assessedElement', 'suppliedBy', 'publishedBy'];

/** Named individuals of the SPDX 3.0 model that may be referenced without being in the graph. */
const INDIVIDUALS = /^https:\/\/spdx\.org\/rdf\/3\.0\.\d+\/terms\/(Core\/(NoAssertionElement|NoneElement|SpdxOrganization)|ExpandedLicensing\/(NoAssertionLicense|NoneLicense))$/;

/** Classes whose instances require a name (the model's minCount 1 on name for these artefacts). */
const NAMED = new Set(['software_Package', 'software_File', 'ai_AIPackage', 'dataset_DatasetPackage']);

/** Reads an SPDX 3.0.x JSON-LD document (already decoded text). */
export function readSpdx3(text: string): SbomReading {
  const json = tryParseStrictJson(text);
  if (!json.ok) return invalid(json.kind, 'spdx3-jsonld', null, [json.reason]);
  return readSpdx3Value(json.value);
}

export function readSpdx3Value(document: unknown): SbomReading {
  const format = 'spdx3-jsonld' as const;
  if (!isObject(document)) return invalid('unknown-format', format, null, ['(root): an SPDX 3 document is a JSON-LD object']);
  const contexts = strings(document['@context']);
  const contextVersion = contexts.map((c) => CONTEXT.exec(c)?.[1]).find((v) => v !== undefined);
  if (contextVersion === undefined) {
    return invalid('unsupported-version', format, null, [`@context: ${JSON.stringify(document['@context'])} is not an SPDX 3.0.x context`]);
  }
  const graph = document['@graph'];
  if (!Array.isArray(graph)) return invalid('schema', format, contextVersion, ['@graph: required array missing']);
  const validator = new Spdx3Validator(graph);
  validator.validate();
  const specVersion = validator.specVersion ?? contextVersion;
  if (validator.schemaIssues.length > 0) return invalid('schema', format, specVersion, validator.schemaIssues);
  if (validator.referenceIssues.length > 0) return invalid('dangling-reference', format, specVersion, validator.referenceIssues);
  return { ok: true, sbom: toModel(validator, specVersion) };
}

class Spdx3Validator {
  readonly schemaIssues: string[] = [];
  readonly referenceIssues: string[] = [];
  readonly elements = new Map<string, Json>();
  readonly creationInfos = new Map<string, Json>();
  private readonly imported = new Set<string>();
  private readonly prefixes = new Map<string, string>();
  /** Verbatim repeats of an element already declared: validated once, as the first occurrence. */
  private readonly duplicates = new Set<Json>();
  specVersion: string | undefined;

  constructor(private readonly graph: readonly unknown[]) {}

  validate(): void {
    this.graph.forEach((node, i) => this.declare(node, `@graph[${i}]`));
    this.graph.forEach((node, i) => {
      if (isObject(node) && !this.duplicates.has(node)) this.node(node, `@graph[${i}]`);
    });
    if (![...this.elements.values()].some((e) => e['type'] === 'SpdxDocument')) this.schemaIssues.push('@graph: no SpdxDocument element');
  }

  private declare(node: unknown, at: string): void {
    if (!isObject(node)) {
      this.schemaIssues.push(`${at}: must be an object`);
      return;
    }
    const type = str(node['type']);
    if (type === undefined) {
      this.schemaIssues.push(`${at}.type: required field missing`);
      return;
    }
    if (!CLASSES.has(type) && !type.includes(':')) {
      this.schemaIssues.push(`${at}.type: "${type}" is not a class of the SPDX 3.0 model`);
      return;
    }
    if (type === 'CreationInfo') {
      const id = str(node['@id']);
      if (id === undefined) this.schemaIssues.push(`${at}.@id: a CreationInfo in the graph needs a blank-node @id`);
      else if (this.creationInfos.has(id)) this.schemaIssues.push(`${at}.@id: "${id}" is declared twice`);
      else this.creationInfos.set(id, node);
      return;
    }
    if (NON_ELEMENTS.has(type)) return;
    const id = str(node['spdxId']);
    if (id === undefined) {
      this.schemaIssues.push(`${at}.spdxId: required field missing (${type})`);
      return;
    }
    const previous = this.elements.get(id);
    if (previous !== undefined) {
      // JSON-LD merges node objects with one id: a verbatim repeat is the same node, a different one is a conflict.
      if (stableJson(previous) !== stableJson(node)) this.schemaIssues.push(`${at}.spdxId: "${id}" is the id of another, different element`);
      this.duplicates.add(node);
      return;
    }
    this.elements.set(id, node);
    if (type === 'SpdxDocument') {
      objects(node['import']).forEach((map) => {
        const external = str(map['externalSpdxId']);
        if (external !== undefined) this.imported.add(external);
      });
      objects(node['namespaceMap']).forEach((map) => {
        const prefix = str(map['prefix']);
        const namespace = str(map['namespace']);
        if (prefix !== undefined && namespace !== undefined) this.prefixes.set(prefix, namespace);
      });
    }
  }

  resolve(ref: string): string {
    const colon = ref.indexOf(':');
    if (colon > 0) {
      const namespace = this.prefixes.get(ref.slice(0, colon));
      if (namespace !== undefined) return namespace + ref.slice(colon + 1);
    }
    return ref;
  }

  private resolves(ref: string): boolean {
    const full = this.resolve(ref);
    return this.elements.has(full) || this.imported.has(full) || INDIVIDUALS.test(full);
  }

  private node(node: Json, at: string): void {
    const type = str(node['type']);
    if (type === undefined || (!CLASSES.has(type) && !type.includes(':'))) return;
    if (type === 'CreationInfo') {
      this.creationInfo(node, at);
      return;
    }
    this.enums(node, at);
    if (NON_ELEMENTS.has(type)) return;
    const creation = node['creationInfo'];
    if (creation === undefined) this.schemaIssues.push(`${at}.creationInfo: required field missing`);
    else if (typeof creation === 'string') {
      if (!this.creationInfos.has(creation)) this.referenceIssues.push(`${at}.creationInfo: "${creation}" is no CreationInfo of the graph`);
    } else if (isObject(creation)) this.creationInfo(creation, `${at}.creationInfo`);
    else this.schemaIssues.push(`${at}.creationInfo: must be a reference or an object`);
    if (NAMED.has(type) && str(node['name']) === undefined) this.schemaIssues.push(`${at}.name: required field missing (${type})`);
    if (type === 'Relationship' || type === 'LifecycleScopedRelationship') {
      if (str(node['from']) === undefined) this.schemaIssues.push(`${at}.from: required field missing`);
      if (strings(node['to']).length === 0) this.schemaIssues.push(`${at}.to: at least one element is required`);
      if (str(node['relationshipType']) === undefined) this.schemaIssues.push(`${at}.relationshipType: required field missing`);
    }
    if (type === 'SpdxDocument' || type === 'software_Sbom' || type === 'Bom' || type === 'Bundle') {
      if (strings(node['rootElement']).length === 0 && type !== 'SpdxDocument') this.schemaIssues.push(`${at}.rootElement: at least one element is required`);
    }
    if (type === 'dataset_DatasetPackage' && strings(node['dataset_datasetType']).length === 0) {
      this.schemaIssues.push(`${at}.dataset_datasetType: required field missing`);
    }
    objects(node['verifiedUsing']).forEach((method, i) => {
      const methodAt = `${at}.verifiedUsing[${i}]`;
      if (method['type'] === 'Hash' || method['type'] === 'PackageVerificationCode') {
        if (str(method['algorithm']) === undefined) this.schemaIssues.push(`${methodAt}.algorithm: required field missing`);
        if (str(method['hashValue']) === undefined) this.schemaIssues.push(`${methodAt}.hashValue: required field missing`);
      } else this.schemaIssues.push(`${methodAt}.type: "${String(method['type'])}" is not an integrity method`);
      this.enums(method, methodAt);
    });
    objects(node['externalIdentifier']).forEach((identifier, i) => {
      const idAt = `${at}.externalIdentifier[${i}]`;
      if (str(identifier['externalIdentifierType']) === undefined) this.schemaIssues.push(`${idAt}.externalIdentifierType: required field missing`);
      if (str(identifier['identifier']) === undefined) this.schemaIssues.push(`${idAt}.identifier: required field missing`);
      this.enums(identifier, idAt);
    });
    for (const key of ELEMENT_REFERENCES) {
      strings(node[key]).forEach((ref, i) => {
        if (!this.resolves(ref)) this.referenceIssues.push(`${at}.${key}${Array.isArray(node[key]) ? `[${i}]` : ''}: "${ref}" does not resolve to an element of the document or an import`);
      });
    }
  }

  private creationInfo(info: Json, at: string): void {
    const specVersion = str(info['specVersion']);
    if (specVersion === undefined) this.schemaIssues.push(`${at}.specVersion: required field missing`);
    else if (!SPEC_VERSION.test(specVersion)) this.schemaIssues.push(`${at}.specVersion: "${specVersion}" is not 3.0.x`);
    else this.specVersion ??= specVersion;
    const created = str(info['created']);
    if (created === undefined) this.schemaIssues.push(`${at}.created: required field missing`);
    else if (!DATE_TIME.test(created)) this.schemaIssues.push(`${at}.created: "${created}" is not YYYY-MM-DDThh:mm:ssZ`);
    const createdBy = strings(info['createdBy']);
    if (createdBy.length === 0) this.schemaIssues.push(`${at}.createdBy: at least one agent is required`);
    for (const key of ['createdBy', 'createdUsing']) {
      strings(info[key]).forEach((ref, i) => {
        if (!this.resolves(ref)) this.referenceIssues.push(`${at}.${key}[${i}]: "${ref}" does not resolve to an element of the document or an import`);
      });
    }
  }

  private enums(node: Json, at: string): void {
    for (const [key, allowed] of Object.entries(ENUMS)) {
      const values = strings(node[key]);
      values.forEach((value) => {
        if (!allowed.includes(value)) this.schemaIssues.push(`${at}.${key}: "${value}" is not one of ${allowed.slice(0, 14).join(', ')}${allowed.length > 14 ? ', ...' : ''}`);
      });
    }
    if (node['type'] === 'Hash') {
      const algorithm = str(node['algorithm']);
      if (algorithm !== undefined && !HASH_ALGORITHMS.includes(algorithm)) this.schemaIssues.push(`${at}.algorithm: "${algorithm}" is not one of ${HASH_ALGORITHMS.join(', ')}`);
    }
    if (node['type'] === 'ExternalIdentifier') {
      const type = str(node['externalIdentifierType']);
      if (type !== undefined && !EXTERNAL_IDENTIFIER_TYPES.includes(type)) this.schemaIssues.push(`${at}.externalIdentifierType: "${type}" is not one of ${EXTERNAL_IDENTIFIER_TYPES.join(', ')}`);
    }
  }
}

const PURPOSE_KINDS: Readonly<Record<string, ComponentKind>> = {
  application: 'application', archive: 'archive', container: 'container', data: 'dataset', device: 'device', deviceDriver: 'device-driver',
  executable: 'application', file: 'file', firmware: 'firmware', framework: 'framework', library: 'library', model: 'model',
  module: 'library', operatingSystem: 'operating-system', platform: 'platform', source: 'source',
};

const COMPONENT_CLASSES = new Set(['software_Package', 'software_File', 'software_Snippet', 'ai_AIPackage', 'dataset_DatasetPackage']);

function kindOf(node: Json): ComponentKind {
  const type = str(node['type']);
  if (type === 'ai_AIPackage') return 'model';
  if (type === 'dataset_DatasetPackage') return 'dataset';
  const purpose = str(node['software_primaryPurpose']);
  if (purpose !== undefined && PURPOSE_KINDS[purpose] !== undefined) return PURPOSE_KINDS[purpose];
  if (type === 'software_File' || type === 'software_Snippet') return 'file';
  return purpose === undefined ? 'library' : 'other';
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function entries(value: unknown): { name: string; value: string }[] {
  return objects(value).flatMap((e) => (str(e['key']) === undefined ? [] : [{ name: str(e['key'])!, value: str(e['value']) ?? '' }]));
}

function toModel(v: Spdx3Validator, specVersion: string): Sbom {
  const nodes = [...v.elements.values()];
  const relationships: SbomRelationship[] = [];
  for (const node of nodes) {
    if (node['type'] !== 'Relationship' && node['type'] !== 'LifecycleScopedRelationship') continue;
    const sourceType = str(node['relationshipType'])!;
    const from = v.resolve(str(node['from'])!);
    for (const to of strings(node['to'])) relationships.push({ from, to: v.resolve(to), type: kebab(sourceType), sourceType });
  }
  const licenceText = (ref: string): string | undefined => {
    const node = v.elements.get(ref);
    if (node === undefined) return undefined;
    return str(node['simplelicensing_licenseExpression']) ?? str(node['name']) ?? str(node['expandedlicensing_licenseId']) ?? ref;
  };
  const components: SbomComponent[] = [];
  for (const node of nodes) {
    const type = str(node['type'])!;
    if (!COMPONENT_CLASSES.has(type)) continue;
    const ref = str(node['spdxId'])!;
    const kind = kindOf(node);
    const identifiers = objects(node['externalIdentifier']);
    const externalReferences: ExternalReference[] = [
      ...identifiers.map((i) => ({ type: str(i['externalIdentifierType'])!, locator: str(i['identifier'])! })),
      ...objects(node['externalRef']).flatMap((r) => strings(r['locator']).map((locator) => ({ type: str(r['externalRefType']) ?? 'other', locator }))),
    ];
    const licences = relationships
      .filter((r) => r.from === ref && (r.sourceType === 'hasConcludedLicense' || r.sourceType === 'hasDeclaredLicense'))
      .map((r) => licenceText(r.to))
      .filter((l): l is string => l !== undefined && !/No(Assertion|ne)License$/.test(l));
    const supplierRef = str(node['suppliedBy']);
    components.push({
      ref,
      kind,
      rawType: type,
      name: str(node['name']) ?? '',
      version: str(node['software_packageVersion']),
      purl: str(node['software_packageUrl']) ?? identifiers.find((i) => i['externalIdentifierType'] === 'packageUrl')?.['identifier'] as string | undefined,
      cpe: identifiers.find((i) => i['externalIdentifierType'] === 'cpe23' || i['externalIdentifierType'] === 'cpe22')?.['identifier'] as string | undefined,
      supplier: supplierRef === undefined ? undefined : (str(v.elements.get(v.resolve(supplierRef))?.['name']) ?? supplierRef),
      description: str(node['description']) ?? str(node['summary']) ?? str(node['comment']),
      hashes: objects(node['verifiedUsing'])
        .filter((m) => m['type'] === 'Hash')
        .map((m) => hashOf(str(m['algorithm'])!, str(m['hashValue'])!)),
      licences: [...new Set(licences)],
      externalReferences,
      modelCard: type === 'ai_AIPackage' ? modelCardOf(node, ref, relationships) : undefined,
      dataset: type === 'dataset_DatasetPackage' ? datasetOf(node) : undefined,
    });
  }
  const document = nodes.find((n) => n['type'] === 'SpdxDocument')!;
  const subjects: string[] = [];
  const addSubject = (ref: string) => {
    const full = v.resolve(ref);
    const node = v.elements.get(full);
    if (node !== undefined && (node['type'] === 'software_Sbom' || node['type'] === 'Bom' || node['type'] === 'Bundle')) strings(node['rootElement']).forEach(addSubject);
    else if (!subjects.includes(full)) subjects.push(full);
  };
  strings(document['rootElement']).forEach(addSubject);
  for (const r of relationships) if (r.type === 'describes' && !subjects.includes(r.to)) subjects.push(r.to);
  const creation = typeof document['creationInfo'] === 'string' ? v.creationInfos.get(document['creationInfo']) : isObject(document['creationInfo']) ? document['creationInfo'] : undefined;
  const creators = [...strings(creation?.['createdBy']), ...strings(creation?.['createdUsing'])].map((ref) => {
    const agent = v.elements.get(v.resolve(ref));
    const name = str(agent?.['name']) ?? ref;
    const kind = agent?.['type'] === 'Person' ? 'Person' : agent?.['type'] === 'Tool' ? 'Tool' : 'Organization';
    return `${kind}: ${name}`;
  });
  return {
    format: 'spdx3-jsonld',
    specVersion,
    documentId: str(document['spdxId']),
    name: str(document['name']),
    created: str(creation?.['created']),
    creators,
    subjects,
    components,
    relationships,
  };
}

function modelCardOf(node: Json, ref: string, relationships: readonly SbomRelationship[]): ModelCard {
  const joined = (key: string) => (strings(node[key]).length > 0 ? strings(node[key]).join('; ') : undefined);
  return {
    task: joined('ai_domain'),
    modelArchitecture: joined('ai_typeOfModel'),
    datasets: relationships.filter((r) => r.from === ref && (r.sourceType === 'trainedOn' || r.sourceType === 'testedOn')).map((r) => r.to),
    inputs: [],
    outputs: [],
    metrics: entries(node['ai_metric']).map((m) => ({ type: m.name, value: m.value })),
    limitations: strings(node['ai_limitation']),
    useCases: strings(node['ai_informationAboutApplication']),
    ethicalConsiderations: [],
    properties: [
      ...entries(node['ai_hyperparameter']),
      ...entries(node['ai_metricDecisionThreshold']).map((e) => ({ name: `threshold:${e.name}`, value: e.value })),
      ...['ai_autonomyType', 'ai_safetyRiskAssessment', 'ai_informationAboutTraining', 'ai_modelDataPreprocessing', 'ai_modelExplainability', 'ai_standardCompliance', 'ai_energyConsumption', 'ai_useSensitivePersonalInformation']
        .flatMap((key) => strings(node[key]).map((value) => ({ name: key.replace(/^ai_/, ''), value }))),
    ],
  };
}

function datasetOf(node: Json): DatasetInfo {
  const size = node['dataset_datasetSize'];
  return {
    types: [...strings(node['dataset_datasetType'])],
    classification: str(node['dataset_confidentialityLevel']),
    contents: strings(node['software_downloadLocation']),
    sizeBytes: typeof size === 'number' ? size : undefined,
    sensitive: [...strings(node['dataset_hasSensitivePersonalInformation']), ...strings(node['dataset_anonymizationMethodUsed'])],
    description: str(node['dataset_intendedUse']) ?? str(node['description']) ?? str(node['comment']),
  };
}
