// CycloneDX 1.2 to 1.7, JSON and XML, into Assay's SBOM model. Order of work: strict parse (duplicate
// keys refused; DOCTYPEs refused in XML), schema validation with the library's schemas, the reference
// rules the schema cannot express (bom-refs unique, every dependency ref resolves), then mapping.

import { tryParseStrictJson } from '../json/strict-json.js';
import { isSupportedCycloneDxVersion, validateCycloneDxJson, validateCycloneDxXml, type CycloneDxVersion } from './cyclonedx-schema.js';
import type { Element } from '@xmldom/xmldom';
import { cycloneDxXmlToJson, parseSafeXml, UnsafeXmlError } from './cyclonedx-xml.js';
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
  type SbomFormat,
  type SbomReading,
  type SbomRelationship,
} from './sbom-model.js';

const XML_NAMESPACE = /^http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)$/;

/** Reads a CycloneDX JSON document (already decoded text). */
export async function readCycloneDxJson(text: string): Promise<SbomReading> {
  const json = tryParseStrictJson(text);
  if (!json.ok) return invalid(json.kind, 'cyclonedx-json', null, [json.reason]);
  return readCycloneDxJsonValue(json.value, text);
}

/**
 * Reads an already strictly parsed CycloneDX JSON value (e.g. an attestation predicate). `text` is the
 * serialised form handed to the schema validator; it defaults to JSON.stringify of the value.
 */
export async function readCycloneDxJsonValue(document: unknown, text = JSON.stringify(document)): Promise<SbomReading> {
  const format: SbomFormat = 'cyclonedx-json';
  if (!isObject(document) || document['bomFormat'] !== 'CycloneDX') {
    return invalid('unknown-format', format, null, ['(root): not a CycloneDX document (bomFormat is not "CycloneDX")']);
  }
  const version = str(document['specVersion']);
  if (version === undefined) return invalid('schema', format, null, ['(root): must have required property \'specVersion\'']);
  if (!isSupportedCycloneDxVersion(version)) {
    return invalid('unsupported-version', format, version, [`specVersion ${version} is not supported (CycloneDX JSON 1.2 to 1.7)`]);
  }
  const schemaIssues = await validateCycloneDxJson(text, version);
  if (schemaIssues.length > 0) return invalid('schema', format, version, schemaIssues);
  return fromValidDocument(document, format, version);
}

/** Reads a CycloneDX XML document (already decoded text). */
export async function readCycloneDxXml(text: string): Promise<SbomReading> {
  const format: SbomFormat = 'cyclonedx-xml';
  let root: Element;
  try {
    root = parseSafeXml(text);
  } catch (error) {
    if (error instanceof UnsafeXmlError) return invalid('unsafe-xml', format, null, [error.message]);
    return invalid('syntax', format, null, [`invalid XML: ${(error as Error).message.split('\n')[0]}`]);
  }
  const match = XML_NAMESPACE.exec(root.namespaceURI ?? '');
  if (root.localName !== 'bom' || match === null) {
    return invalid('unknown-format', format, null, [`root element {${root.namespaceURI ?? ''}}${root.localName} is not a CycloneDX bom`]);
  }
  const version = match[1]!;
  if (!isSupportedCycloneDxVersion(version)) {
    return invalid('unsupported-version', format, version, [`CycloneDX XML ${version} is not supported (1.2 to 1.7)`]);
  }
  const schemaIssues = await validateCycloneDxXml(text, version);
  if (schemaIssues.length > 0) return invalid('schema', format, version, schemaIssues);
  return fromValidDocument(cycloneDxXmlToJson(root), format, version);
}

function fromValidDocument(document: Json, format: SbomFormat, version: CycloneDxVersion): SbomReading {
  const referenceIssues = checkReferences(document);
  if (referenceIssues.length > 0) return invalid('dangling-reference', format, version, referenceIssues);
  return { ok: true, sbom: toModel(document, format, version) };
}

/** CycloneDX: "every bom-ref must be unique within the BOM"; dependency refs name a bom-ref (or a BOM-Link). */
function checkReferences(document: Json): string[] {
  const issues: string[] = [];
  const refs = new Map<string, number>();
  walk(document, (node) => {
    const ref = node['bom-ref'];
    if (typeof ref === 'string') refs.set(ref, (refs.get(ref) ?? 0) + 1);
  });
  for (const [ref, count] of refs) if (count > 1) issues.push(`bom-ref "${ref}" is used ${count} times (bom-refs must be unique)`);
  const resolves = (ref: string) => refs.has(ref) || ref.startsWith('urn:cdx:');
  objects(document['dependencies']).forEach((dependency, index) => {
    const ref = str(dependency['ref']) ?? '';
    if (!resolves(ref)) issues.push(`/dependencies/${index}/ref: "${ref}" is no bom-ref of the document`);
    for (const key of ['dependsOn', 'provides'] as const) {
      strings(dependency[key]).forEach((target, i) => {
        if (!resolves(target)) issues.push(`/dependencies/${index}/${key}/${i}: "${target}" is no bom-ref of the document`);
      });
    }
  });
  forEachComponent(document, (component, path) => {
    const modelCard = component['modelCard'];
    if (!isObject(modelCard) || !isObject(modelCard['modelParameters'])) return;
    objects(modelCard['modelParameters']['datasets']).forEach((dataset, i) => {
      const ref = str(dataset['ref']);
      if (ref !== undefined && !resolves(ref)) issues.push(`${path}/modelCard/modelParameters/datasets/${i}/ref: "${ref}" is no bom-ref of the document`);
    });
  });
  return issues;
}

function walk(value: unknown, visit: (node: Json) => void): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...(node as unknown[]));
    else if (isObject(node)) {
      visit(node);
      for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
}

/** Visits metadata.component and every component, nested ones included, with a JSON-pointer-like path. */
function forEachComponent(document: Json, visit: (component: Json, path: string, parent: string | undefined) => void): void {
  const stack: { node: Json; path: string; parent: string | undefined }[] = [];
  const metadata = document['metadata'];
  if (isObject(metadata) && isObject(metadata['component'])) stack.push({ node: metadata['component'], path: '/metadata/component', parent: undefined });
  objects(document['components']).forEach((c, i) => stack.push({ node: c, path: `/components/${i}`, parent: undefined }));
  let index = 0;
  while (index < stack.length) {
    const { node, path, parent } = stack[index++]!;
    visit(node, path, parent);
    const own = str(node['bom-ref']) ?? path;
    objects(node['components']).forEach((c, i) => stack.push({ node: c, path: `${path}/components/${i}`, parent: own }));
  }
}

const KINDS: Readonly<Record<string, ComponentKind>> = {
  application: 'application',
  framework: 'framework',
  library: 'library',
  container: 'container',
  platform: 'platform',
  'operating-system': 'operating-system',
  device: 'device',
  'device-driver': 'device-driver',
  firmware: 'firmware',
  file: 'file',
  'machine-learning-model': 'model',
  data: 'dataset',
  'cryptographic-asset': 'cryptographic-asset',
};

function toModel(document: Json, format: SbomFormat, version: string): Sbom {
  const components: SbomComponent[] = [];
  forEachComponent(document, (component, path, parent) => components.push(componentOf(component, path, parent)));
  const metadata = isObject(document['metadata']) ? document['metadata'] : {};
  const subject = isObject(metadata['component']) ? (str(metadata['component']['bom-ref']) ?? '/metadata/component') : undefined;
  const relationships: SbomRelationship[] = [];
  for (const dependency of objects(document['dependencies'])) {
    const from = str(dependency['ref'])!;
    for (const to of strings(dependency['dependsOn'])) relationships.push({ from, to, type: 'depends-on', sourceType: 'dependsOn' });
    for (const to of strings(dependency['provides'])) relationships.push({ from, to, type: 'provides', sourceType: 'provides' });
  }
  for (const component of components) {
    if (component.parent !== undefined) relationships.push({ from: component.parent, to: component.ref, type: 'contains', sourceType: 'components' });
    for (const dataset of component.modelCard?.datasets ?? []) {
      if (components.some((c) => c.ref === dataset)) relationships.push({ from: component.ref, to: dataset, type: 'trained-on', sourceType: 'modelCard.modelParameters.datasets' });
    }
  }
  return {
    format,
    specVersion: version,
    documentId: str(document['serialNumber']),
    name: subject === undefined ? undefined : components.find((c) => c.ref === subject)?.name,
    created: str(metadata['timestamp']),
    creators: creatorsOf(metadata),
    subjects: subject === undefined ? [] : [subject],
    components,
    relationships,
  };
}

function creatorsOf(metadata: Json): string[] {
  const creators: string[] = [];
  const tools = metadata['tools'];
  const toolList = Array.isArray(tools) ? objects(tools) : isObject(tools) ? [...objects(tools['components']), ...objects(tools['services'])] : [];
  for (const tool of toolList) {
    const name = [str(tool['vendor']) ?? str(tool['group']), str(tool['name']), str(tool['version'])].filter(Boolean).join(' ');
    if (name !== '') creators.push(`Tool: ${name}`);
  }
  for (const author of objects(metadata['authors'])) if (str(author['name'])) creators.push(`Person: ${str(author['name'])!}`);
  for (const key of ['manufacturer', 'manufacture', 'supplier'] as const) {
    const org = metadata[key];
    if (isObject(org) && str(org['name'])) creators.push(`Organization: ${str(org['name'])!}`);
  }
  return creators;
}

function componentOf(component: Json, path: string, parent: string | undefined): SbomComponent {
  const rawType = str(component['type']) ?? 'library';
  const kind = KINDS[rawType] ?? 'other';
  const supplier = isObject(component['supplier']) ? str(component['supplier']['name']) : undefined;
  const modelCard = isObject(component['modelCard']) ? modelCardOf(component['modelCard']) : undefined;
  const data = objects(component['data']);
  return {
    ref: str(component['bom-ref']) ?? path,
    kind,
    rawType,
    name: str(component['name']) ?? '',
    version: str(component['version']),
    group: str(component['group']),
    purl: str(component['purl']),
    cpe: str(component['cpe']),
    supplier: supplier ?? str(component['publisher']) ?? str(component['author']),
    description: str(component['description']),
    hashes: objects(component['hashes']).flatMap((h) => (str(h['alg']) && str(h['content']) ? [hashOf(str(h['alg'])!, str(h['content'])!)] : [])),
    licences: objects(component['licenses']).flatMap((entry) => {
      if (str(entry['expression'])) return [str(entry['expression'])!];
      const licence = entry['license'];
      if (!isObject(licence)) return [];
      const name = str(licence['id']) ?? str(licence['name']);
      return name === undefined ? [] : [name];
    }),
    externalReferences: objects(component['externalReferences']).flatMap((r): ExternalReference[] =>
      str(r['type']) && str(r['url']) ? [{ type: str(r['type'])!, locator: str(r['url'])! }] : [],
    ),
    parent,
    modelCard,
    dataset: kind === 'dataset' || data.length > 0 ? datasetOf(data, str(component['description'])) : undefined,
  };
}

function modelCardOf(card: Json): ModelCard {
  const parameters = isObject(card['modelParameters']) ? card['modelParameters'] : {};
  const analysis = isObject(card['quantitativeAnalysis']) ? card['quantitativeAnalysis'] : {};
  const considerations = isObject(card['considerations']) ? card['considerations'] : {};
  return {
    approach: isObject(parameters['approach']) ? str(parameters['approach']['type']) : undefined,
    task: str(parameters['task']),
    architectureFamily: str(parameters['architectureFamily']),
    modelArchitecture: str(parameters['modelArchitecture']),
    datasets: objects(parameters['datasets']).flatMap((d) => {
      const named = str(d['ref']) ?? str(d['name']) ?? (isObject(d['contents']) ? str(d['contents']['url']) : undefined);
      return named === undefined ? [] : [named];
    }),
    inputs: objects(parameters['inputs']).flatMap((i) => strings(i['format'])),
    outputs: objects(parameters['outputs']).flatMap((o) => strings(o['format'])),
    metrics: objects(analysis['performanceMetrics']).flatMap((m) =>
      str(m['type']) === undefined ? [] : [{ type: str(m['type'])!, value: str(m['value']) ?? '', slice: str(m['slice']) }],
    ),
    limitations: strings(considerations['technicalLimitations']),
    useCases: strings(considerations['useCases']),
    ethicalConsiderations: objects(considerations['ethicalConsiderations']).flatMap((e) => strings(e['name'])),
    properties: objects(card['properties']).flatMap((p) => (str(p['name']) ? [{ name: str(p['name'])!, value: str(p['value']) ?? '' }] : [])),
  };
}

function datasetOf(data: readonly Json[], description: string | undefined): DatasetInfo {
  return {
    types: data.flatMap((d) => strings(d['type'])),
    classification: data.map((d) => str(d['classification'])).find((c) => c !== undefined),
    contents: data.flatMap((d) => (isObject(d['contents']) && str(d['contents']['url']) ? [str(d['contents']['url'])!] : [])),
    sensitive: data.flatMap((d) => strings(d['sensitiveData'])),
    description: data.map((d) => str(d['description'])).find((c) => c !== undefined) ?? description,
  };
}
