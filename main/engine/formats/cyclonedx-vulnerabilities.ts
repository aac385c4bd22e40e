// CycloneDX vulnerability data (1.4+): a scanner's VDR (Grype, Trivy `--format cyclonedx`) into the scan
// model, and a CycloneDX VEX into the VEX model. The whole document first passes the same schema and
// reference validation as an SBOM (cyclonedx.ts); this module only maps `vulnerabilities[]` and metadata.

import { readCycloneDxJsonValue } from './cyclonedx.js';
import {
  imageDigestIn,
  severityOfScore,
  severityOfWord,
  worstSeverity,
  type ScanReading,
  type ScanSeverity,
  type ScanTarget,
  type ScanTool,
  type ScanVulnerability,
  type VexProduct,
  type VexReading,
  type VexStatement,
  vexStatusOfCycloneDx,
} from './scan-model.js';
import { isObject, objects, sha256Of, str, strings, type Json, type Sbom, type SbomComponent } from './sbom-model.js';

type Validated = { ok: true; document: Json; sbom: Sbom } | { ok: false; issues: readonly string[] };

/** Schema and bom-ref validation through the SBOM reader; vulnerabilities need CycloneDX 1.4 or later. */
async function validated(value: unknown): Promise<Validated> {
  const reading = await readCycloneDxJsonValue(value);
  if (!reading.ok) return { ok: false, issues: reading.issues.map((issue) => `CycloneDX ${reading.kind}: ${issue}`) };
  const [major, minor] = reading.sbom.specVersion.split('.').map(Number);
  if (major! < 1 || (major === 1 && minor! < 4)) {
    return { ok: false, issues: [`specVersion ${reading.sbom.specVersion}: CycloneDX has vulnerabilities from 1.4 on`] };
  }
  return { ok: true, document: value as Json, sbom: reading.sbom };
}

/** Reads a CycloneDX document's vulnerabilities as a scan report (a VDR). */
export async function readCycloneDxVulnerabilities(value: unknown): Promise<ScanReading> {
  const valid = await validated(value);
  if (!valid.ok) return valid;
  const { document, sbom } = valid;
  const metadata = isObject(document['metadata']) ? document['metadata'] : {};
  const vulnerabilities: ScanVulnerability[] = [];
  let ignoredResults = 0;
  objects(document['vulnerabilities']).forEach((vulnerability, i) => {
    // 1.5 `rejected`: the vulnerability record itself was withdrawn by its source, and only once that has
    // happened: a date after the document's own timestamp (or with no timestamp to compare) withdraws nothing yet.
    const rejected = str(vulnerability['rejected']);
    const asOf = str(metadata['timestamp']);
    if (rejected !== undefined && asOf !== undefined && Date.parse(rejected) <= Date.parse(asOf)) {
      ignoredResults += 1;
      return;
    }
    const { severity, severityFrom } = severityOf(vulnerability);
    const analysis = isObject(vulnerability['analysis']) ? vulnerability['analysis'] : undefined;
    const status = analysis === undefined ? null : vexStatusOfCycloneDx(str(analysis['state']) ?? '');
    vulnerabilities.push({
      id: idOf(vulnerability, i),
      aliases: aliasesOf(vulnerability),
      severity,
      severityFrom,
      affects: objects(vulnerability['affects']).map((a) => describeRef(sbom, str(a['ref']) ?? '')),
      analysis: status === null ? null : { status, justification: str(analysis!['justification']) ?? null, detail: str(analysis!['detail']) ?? null },
      suppression: null,
    });
  });
  return {
    ok: true,
    report: {
      format: 'cyclonedx',
      specVersion: sbom.specVersion,
      tools: toolsOf(metadata),
      targets: isObject(metadata['component']) ? targetsOf(metadata['component']) : [],
      vulnerabilities,
      ignoredResults,
      failedRuns: [],
      finishedAt: str(metadata['timestamp']) ?? null,
    },
  };
}

/**
 * Reads a CycloneDX VEX: every vulnerability must carry an `analysis` with a state, which becomes one
 * statement about the components its `affects` refs name.
 */
export async function readCycloneDxVex(value: unknown): Promise<VexReading> {
  const valid = await validated(value);
  if (!valid.ok) return valid;
  const { document, sbom } = valid;
  const metadata = isObject(document['metadata']) ? document['metadata'] : {};
  const subject = sbom.subjects[0] === undefined ? undefined : componentByRef(sbom, sbom.subjects[0]);
  const issues: string[] = [];
  const statements: VexStatement[] = [];
  const vulnerabilities = objects(document['vulnerabilities']);
  if (vulnerabilities.length === 0) issues.push('vulnerabilities: a VEX document needs at least one vulnerability with an analysis');
  vulnerabilities.forEach((vulnerability, i) => {
    const where = `vulnerabilities[${i}] (${idOf(vulnerability, i)})`;
    const analysis = vulnerability['analysis'];
    if (!isObject(analysis)) {
      issues.push(`${where}: no analysis, so it states nothing a VEX reader can use`);
      return;
    }
    const state = str(analysis['state']);
    const status = state === undefined ? null : vexStatusOfCycloneDx(state);
    if (status === null) {
      issues.push(`${where}.analysis: no state`);
      return;
    }
    const products = productsOf(document, sbom, subject, vulnerability, where, issues);
    if (products.length === 0) return;
    const actions = [...strings(analysis['response']), str(vulnerability['recommendation']), str(vulnerability['workaround'])].filter((s): s is string => s !== undefined);
    statements.push({
      vulnerability: idOf(vulnerability, i),
      aliases: aliasesOf(vulnerability),
      products,
      status,
      justification: str(analysis['justification']) ?? null,
      impactStatement: str(analysis['detail']) ?? null,
      actionStatement: actions.length === 0 ? null : actions.join('; '),
      timestamp: str(analysis['lastUpdated']) ?? str(vulnerability['updated']) ?? str(metadata['timestamp']) ?? null,
    });
  });
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    document: { format: 'cyclonedx', id: str(document['serialNumber']) ?? '(no serialNumber)', author: authorOf(metadata), timestamp: str(metadata['timestamp']) ?? null, statements },
  };
}

function idOf(vulnerability: Json, index: number): string {
  return str(vulnerability['id']) ?? str(vulnerability['bom-ref']) ?? `vulnerabilities[${index}]`;
}

function aliasesOf(vulnerability: Json): string[] {
  const id = str(vulnerability['id']);
  return [...new Set(objects(vulnerability['references']).flatMap((r) => (str(r['id']) === undefined || str(r['id']) === id ? [] : [str(r['id'])!])))];
}

const CVSS_METHODS = /^CVSSv(2|3|31|4)$/;

/** The worst of the ratings: a severity word where the rating gives one, else its CVSS score. */
function severityOf(vulnerability: Json): { severity: ScanSeverity; severityFrom: string } {
  let worst: { severity: ScanSeverity; from: string } = { severity: 'unknown', from: 'no CycloneDX rating with a severity or CVSS score' };
  for (const rating of objects(vulnerability['ratings'])) {
    const method = str(rating['method']);
    const score = typeof rating['score'] === 'number' ? rating['score'] : undefined;
    let severity = severityOfWord(str(rating['severity']) ?? '');
    if (severity === 'unknown' && score !== undefined && (method === undefined || CVSS_METHODS.test(method))) {
      severity = severityOfScore(score);
      // CVSS v2's qualitative scale stops at high.
      if (method === 'CVSSv2' && severity === 'critical') severity = 'high';
    }
    if (severity === 'unknown') continue;
    const source = isObject(rating['source']) ? str(rating['source']['name']) : undefined;
    const parts = [source, [method, score].filter((p) => p !== undefined).join(' '), str(rating['severity'])].filter((p) => p !== undefined && p !== '');
    const from = `CycloneDX rating (${parts.join(', ')})`;
    if (worst.severity === 'unknown' || worstSeverity(worst.severity, severity) !== worst.severity) worst = { severity, from };
  }
  return { severity: worst.severity, severityFrom: worst.from };
}

/** Components by bom-ref, built once per document: documents with tens of thousands of both are common. */
const COMPONENTS_BY_REF = new WeakMap<Sbom, ReadonlyMap<string, SbomComponent>>();

function componentByRef(sbom: Sbom, ref: string): SbomComponent | undefined {
  let index = COMPONENTS_BY_REF.get(sbom);
  if (index === undefined) {
    const built = new Map<string, SbomComponent>();
    for (const c of sbom.components) if (!built.has(c.ref)) built.set(c.ref, c);
    COMPONENTS_BY_REF.set(sbom, built);
    index = built;
  }
  return index.get(ref);
}

function describeRef(sbom: Sbom, ref: string): string {
  const component = componentByRef(sbom, ref);
  if (component === undefined) return ref;
  return component.purl ?? (component.version === undefined ? component.name : `${component.name}@${component.version}`);
}

function toolsOf(metadata: Json): ScanTool[] {
  const tools = metadata['tools'];
  // 1.4: an array of tools; 1.5+: { components, services } (the array form is deprecated but still valid).
  const list = Array.isArray(tools) ? objects(tools) : isObject(tools) ? [...objects(tools['components']), ...objects(tools['services'])] : [];
  return list.flatMap((tool) => (str(tool['name']) === undefined ? [] : [{ name: str(tool['name'])!, version: str(tool['version']) ?? null }]));
}

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
/** A VCS locator pinned to a commit: `git+https://host/repo@<commit>`, `https://host/repo/commit/<commit>`, `.../tree/<commit>`. */
const VCS_AT_COMMIT = /^(.*?)(?:@|\/commit\/|\/tree\/|#)([0-9a-fA-F]{40}|[0-9a-fA-F]{64})\/?$/;

/**
 * What the scan looked at, from metadata.component: an image by the manifest digest its purl, bom-ref,
 * Trivy RepoDigest property or (for a container component) its SHA-256 hash carries; a source revision
 * when its version, purl version or a vcs reference is a commit id.
 */
function targetsOf(component: Json): ScanTarget[] {
  const targets: ScanTarget[] = [];
  const name = str(component['name']) ?? null;
  const seen = new Set<string>();
  const add = (target: ScanTarget) => {
    const key = target.kind === 'image' ? `i ${target.digest}` : `c ${target.commit}`;
    if (!seen.has(key)) targets.push(target);
    seen.add(key);
  };
  for (const key of ['purl', 'bom-ref'] as const) {
    const digest = imageDigestIn(str(component[key]) ?? '');
    if (digest !== null) add({ kind: 'image', digest, name, from: `metadata.component.${key}` });
  }
  objects(component['properties']).forEach((p, i) => {
    if (str(p['name']) !== 'aquasecurity:trivy:RepoDigest') return;
    const digest = imageDigestIn(str(p['value']) ?? '');
    if (digest !== null) add({ kind: 'image', digest, name, from: `metadata.component.properties[${i}]` });
  });
  if (str(component['type']) === 'container') {
    objects(component['hashes']).forEach((h, i) => {
      const content = str(h['content']) ?? '';
      if (str(h['alg']) === 'SHA-256' && /^[0-9a-fA-F]{64}$/.test(content)) add({ kind: 'image', digest: `sha256:${content.toLowerCase()}`, name, from: `metadata.component.hashes[${i}]` });
    });
    return targets;
  }
  const vcs = objects(component['externalReferences']).filter((r) => str(r['type']) === 'vcs');
  const repository = vcs.map((r) => VCS_AT_COMMIT.exec(str(r['url']) ?? '')?.[1] ?? str(r['url'])).find((u) => u !== undefined) ?? null;
  const version = str(component['version']);
  if (version !== undefined && COMMIT.test(version)) add({ kind: 'commit', commit: version.toLowerCase(), repository, from: 'metadata.component.version' });
  const purlVersion = /@([0-9a-fA-F]+)(?:[?#]|$)/.exec(str(component['purl']) ?? '')?.[1];
  if (purlVersion !== undefined && COMMIT.test(purlVersion)) add({ kind: 'commit', commit: purlVersion.toLowerCase(), repository, from: 'metadata.component.purl' });
  objects(component['externalReferences']).forEach((r, i) => {
    if (str(r['type']) !== 'vcs') return;
    const match = VCS_AT_COMMIT.exec(str(r['url']) ?? '');
    if (match !== null) add({ kind: 'commit', commit: match[2]!.toLowerCase(), repository: match[1]!, from: `metadata.component.externalReferences[${i}]` });
  });
  return targets;
}

function productOf(component: SbomComponent, id = component.purl ?? component.ref): VexProduct {
  const identifiers = [component.purl, component.cpe, component.ref].filter((s): s is string => s !== undefined && s !== id);
  return { id, identifiers: [...new Set(identifiers)], sha256: sha256Of(component) };
}

const BOM_LINK = /^urn:cdx:([0-9a-f-]{36})\/(\d+)#(.+)$/i;

/**
 * The products a statement is about. A ref to a component of this document is that component. A
 * BOM-Link to another BOM (a standalone VEX pointing into the product's SBOM) keeps the link as the
 * product id and takes the VEX's metadata.component as the product's identity. A bare ref naming no
 * component is an error: widening it to the whole product would overstate what the author said.
 */
function productsOf(document: Json, sbom: Sbom, subject: SbomComponent | undefined, vulnerability: Json, where: string, issues: string[]): VexProduct[] {
  const serial = str(document['serialNumber'])?.replace(/^urn:uuid:/i, '').toLowerCase();
  const affects = objects(vulnerability['affects']);
  if (affects.length === 0) {
    if (subject !== undefined) return [productOf(subject)];
    issues.push(`${where}: no affects and no metadata.component, so the statement is about no product`);
    return [];
  }
  const products: VexProduct[] = [];
  affects.forEach((affected, j) => {
    const ref = str(affected['ref']) ?? '';
    const link = BOM_LINK.exec(ref);
    const localRef = link !== null && link[1]!.toLowerCase() === serial ? decodeURIComponent(link[3]!) : ref;
    const component = componentByRef(sbom, localRef);
    // A component inside the document's subject is that product limited to the component; a BOM-Link into
    // another BOM is the subject limited to the linked component. Neither widens to the whole product.
    if (component !== undefined) products.push(subject !== undefined && component !== subject ? { ...productOf(subject), subcomponents: [component.purl ?? component.ref] } : productOf(component));
    else if (link !== null) {
      const linked = decodeURIComponent(link[3] ?? '');
      products.push(subject === undefined ? { id: ref, identifiers: [], sha256: [] } : { ...productOf(subject, ref), identifiers: [...new Set([subject.purl, subject.cpe, subject.ref].filter((s): s is string => s !== undefined))], subcomponents: linked === '' ? [ref] : [linked] });
    }
    else issues.push(`${where}.affects[${j}].ref: "${ref}" is no bom-ref of the document and no BOM-Link`);
  });
  return products;
}

function authorOf(metadata: Json): string | null {
  const authors = objects(metadata['authors']).flatMap((a) => (str(a['name']) === undefined ? [] : [str(a['name'])!]));
  if (authors.length > 0) return authors.join(', ');
  for (const key of ['manufacturer', 'manufacture', 'supplier'] as const) {
    const org = metadata[key];
    if (isObject(org) && str(org['name']) !== undefined) return str(org['name'])!;
  }
  return null;
}
