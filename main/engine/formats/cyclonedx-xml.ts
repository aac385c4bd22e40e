// CycloneDX XML: a safe parse, and a conversion of the (already XSD-valid) element tree into the shape of
// the JSON format, so that one mapping serves both. XML here never has a DOCTYPE: no DTD, no entity
// declarations, so no external entity, remote DTD or entity-expansion bomb can reach any parser.

import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import type { Json } from './sbom-model.js';

export class UnsafeXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeXmlError';
  }
}

/**
 * Parses XML text into its root element, refusing any DOCTYPE or entity declaration (CycloneDX documents
 * are defined by XSD and need neither) before any parser sees the text, and refusing parse errors.
 */
export function parseSafeXml(text: string): Element {
  const declaration = /<!\s*(DOCTYPE|ENTITY)/i.exec(text);
  if (declaration !== null) {
    throw new UnsafeXmlError(`XML ${declaration[1]!.toUpperCase()} declarations are refused (external entities and DTDs stay off); found at offset ${declaration.index}`);
  }
  const parser = new DOMParser({
    locator: true,
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(message);
    },
  });
  const document = parser.parseFromString(text, 'application/xml');
  if (document.doctype !== null) throw new UnsafeXmlError('XML DOCTYPE declarations are refused');
  const root = document.documentElement;
  if (root === null) throw new Error('no root element');
  return root;
}

/** Containers whose children form a list in the JSON format, with how each child converts. */
const LISTS = new Set([
  'components',
  'services',
  'hashes',
  'externalReferences',
  'datasets',
  'inputs',
  'outputs',
  'performanceMetrics',
  'users',
  'useCases',
  'technicalLimitations',
  'performanceTradeoffs',
  'ethicalConsiderations',
  'fairnessAssessments',
  'properties',
  'authors',
  'lifecycles',
  'collection',
  'vulnerabilities',
  'affects',
]);

/** Elements that are lists in JSON even when they occur once. */
const ALWAYS_LISTS = new Set(['data', 'sensitiveData']);

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

function childElements(element: Element): Element[] {
  const out: Element[] = [];
  for (let node: Node | null = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) out.push(node as Element);
  }
  return out;
}

function textOf(element: Element): string {
  let text = '';
  for (let node: Node | null = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) text += node.nodeValue ?? '';
  }
  return text.trim();
}

function attributesOf(element: Element): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < element.attributes.length; i += 1) {
    const attribute = element.attributes.item(i)!;
    if (attribute.name === 'xmlns' || attribute.name.startsWith('xmlns:')) continue;
    out[attribute.localName ?? attribute.name] = attribute.value;
  }
  return out;
}

/** The `<bom>` element as a value shaped like the JSON format (for the fields Assay maps). */
export function cycloneDxXmlToJson(root: Element): Json {
  const bom = convertObject(root);
  const version = /(\d+\.\d+)$/.exec(root.namespaceURI ?? '')?.[1];
  return { ...bom, bomFormat: 'CycloneDX', specVersion: version, version: Number(bom['version'] ?? 1) };
}

function convert(element: Element): unknown {
  const name = element.localName ?? element.nodeName;
  if (name === 'dependencies') return childElements(element).map(convertDependency);
  if (name === 'licenses') {
    return childElements(element).map((child) => (child.localName === 'expression' ? { expression: textOf(child) } : { license: convertObject(child) }));
  }
  if (name === 'tools' && childElements(element).every((c) => c.localName === 'tool')) return childElements(element).map(convertObject);
  if (LISTS.has(name)) return childElements(element).map(convertListItem);
  return convertObject(element);
}

function convertListItem(element: Element): unknown {
  switch (element.localName) {
    case 'hash':
      return { alg: element.getAttribute('alg'), content: textOf(element) };
    case 'property':
      return { name: element.getAttribute('name'), value: textOf(element) };
    case 'ref':
      return { ref: textOf(element) };
    case 'user':
    case 'useCase':
    case 'technicalLimitation':
    case 'performanceTradeoff':
    case 'lifecycle':
      return childElements(element).length === 0 ? textOf(element) : convertObject(element);
    case 'reference':
      return convertObject(element);
    default:
      return convert(element);
  }
}

function convertDependency(element: Element): Json {
  const dependsOn: string[] = [];
  const provides: string[] = [];
  for (const child of childElements(element)) {
    const ref = child.getAttribute('ref');
    if (ref === null) continue;
    if (child.localName === 'provides') provides.push(ref);
    else dependsOn.push(ref);
  }
  return { ref: element.getAttribute('ref'), ...(dependsOn.length > 0 ? { dependsOn } : {}), ...(provides.length > 0 ? { provides } : {}) };
}

function convertObject(element: Element): Record<string, unknown> {
  const out = attributesOf(element);
  const children = childElements(element);
  if (children.length === 0) {
    const text = textOf(element);
    if (Object.keys(out).length === 0) return text === '' ? {} : { '#text': text };
    if (text !== '') out['content'] = text;
    return out;
  }
  for (const child of children) {
    const key = child.localName ?? child.nodeName;
    const value = childElements(child).length === 0 && child.attributes.length === 0 && !LISTS.has(key) ? textOf(child) : convert(child);
    if (ALWAYS_LISTS.has(key)) {
      const list = (out[key] as unknown[] | undefined) ?? [];
      list.push(value);
      out[key] = list;
    } else if (key in out) {
      const existing = out[key];
      out[key] = Array.isArray(existing) && !LISTS.has(key) ? [...(existing as unknown[]), value] : [existing, value];
    } else {
      out[key] = value;
    }
  }
  return out;
}
