// OpenVEX documents into Assay's VEX model: v0.2.0 (`@context` https://openvex.dev/ns/v0.2.0, as vexctl
// writes it) and the earlier unversioned context https://openvex.dev/ns (v0.0.x: vulnerability and
// products may be plain strings). The schema follows the OpenVEX JSON schema 0.2.0; the rules it states
// in prose (not_affected needs a justification or impact statement, affected an action statement) are
// checked after it.

import { z } from 'zod';
import { tryParseStrictJson } from '../json/strict-json.js';
import type { VexProduct, VexReading, VexStatement } from './scan-model.js';
import { isoDateTime, schemaIssues } from './schema-issues.js';

export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';
/** The context before versioned namespaces (OpenVEX v0.0.x). */
export const OPENVEX_LEGACY_CONTEXT = 'https://openvex.dev/ns';
const CONTEXT = /^https:\/\/openvex\.dev\/ns(?:\/v(\d+)\.(\d+)\.(\d+))?$/;

export const OPENVEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;

const vulnerability = z.looseObject({
  name: z.string().min(1),
  '@id': z.string().optional(),
  description: z.string().optional(),
  aliases: z.array(z.string()).optional(),
});

/** The schema spells the CPE keys `@cpe22`/`@cpe23`, the spec text and go-vex `cpe22`/`cpe23`: both are read. */
const identifiers = z.looseObject({
  purl: z.string().optional(),
  cpe22: z.string().optional(),
  cpe23: z.string().optional(),
  '@cpe22': z.string().optional(),
  '@cpe23': z.string().optional(),
});

const component = z.looseObject({
  '@id': z.string().optional(),
  identifiers: identifiers.optional(),
  hashes: z.record(z.string(), z.string()).optional(),
  subcomponents: z.array(z.union([z.string(), z.looseObject({})])).optional(),
});

const statement = z.looseObject({
  '@id': z.string().optional(),
  version: z.int().min(1).optional(),
  vulnerability: z.union([vulnerability, z.string().min(1)]),
  timestamp: isoDateTime.optional(),
  last_updated: isoDateTime.optional(),
  products: z.array(z.union([component, z.string().min(1)])).optional(),
  status: z.enum(['not_affected', 'affected', 'fixed', 'under_investigation']),
  status_notes: z.string().optional(),
  supplier: z.string().optional(),
  justification: z.enum(OPENVEX_JUSTIFICATIONS).optional(),
  impact_statement: z.string().optional(),
  action_statement: z.string().optional(),
  action_statement_timestamp: isoDateTime.optional(),
});

const openVex = z.looseObject({
  '@context': z.string().regex(CONTEXT, `the OpenVEX context (${OPENVEX_CONTEXT}, or ${OPENVEX_LEGACY_CONTEXT} for v0.0.x)`),
  '@id': z.string().min(1),
  author: z.string().min(1),
  role: z.string().optional(),
  timestamp: isoDateTime,
  last_updated: isoDateTime.optional(),
  // v0.0.x examples wrote the version as a string of digits; the JSON schema 0.2.0 wants an integer.
  version: z.union([z.int().min(1), z.string().regex(/^[1-9]\d*$/)]),
  tooling: z.string().optional(),
  supplier: z.string().optional(),
  statements: z.array(statement).min(1),
});

type Statement = z.output<typeof statement>;
type Component = z.output<typeof component>;

/** Reads an OpenVEX document from its bytes (strict JSON: duplicate keys refused). */
export function readOpenVexBytes(bytes: Uint8Array | string): VexReading {
  const json = tryParseStrictJson(bytes);
  return json.ok ? readOpenVex(json.value) : { ok: false, issues: [json.reason] };
}

/** Reads an already strictly parsed OpenVEX document (a file, or an attestation predicate). */
export function readOpenVex(value: unknown): VexReading {
  const parsed = openVex.safeParse(value);
  if (!parsed.success) return { ok: false, issues: schemaIssues(parsed.error) };
  const doc = parsed.data;
  const version = CONTEXT.exec(doc['@context'])!;
  const legacy = version[1] === undefined || (version[1] === '0' && version[2] === '0');
  const issues: string[] = [];
  if (!legacy && typeof doc.version === 'string') issues.push('version: must be an integer (OpenVEX 0.2.0)');
  const statements = doc.statements.map((s, i) => statementOf(s, `statements[${i}]`, legacy, doc.timestamp, issues));
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, document: { format: 'openvex', id: doc['@id'], author: doc.author, timestamp: doc.timestamp, statements } };
}

function statementOf(s: Statement, where: string, legacy: boolean, documentTimestamp: string, issues: string[]): VexStatement {
  if (typeof s.vulnerability === 'string' && !legacy) issues.push(`${where}.vulnerability: must be an object with a name (a plain string is OpenVEX v0.0.x)`);
  // Spec §Statement: "For statements conveying a not_affected status, a VEX statement MUST include either
  // a status justification or an impact_statement"; "For a statement with affected status, a VEX
  // statement MUST include a statement that SHOULD describe actions to remediate or mitigate".
  if (s.status === 'not_affected' && s.justification === undefined && (s.impact_statement ?? '').trim() === '') {
    issues.push(`${where}: status not_affected needs a justification (${OPENVEX_JUSTIFICATIONS.join(', ')}) or an impact_statement`);
  }
  if (s.status === 'affected' && (s.action_statement ?? '').trim() === '') issues.push(`${where}: status affected needs an action_statement`);
  const products = (s.products ?? []).flatMap((p, j) => {
    if (typeof p === 'string') {
      if (!legacy) issues.push(`${where}.products[${j}]: must be an object with @id or identifiers (a plain string is OpenVEX v0.0.x)`);
      return [{ id: p, identifiers: [], sha256: [] }];
    }
    const product = productOf(p);
    if (product === null) issues.push(`${where}.products[${j}]: names no product (no @id and no identifiers)`);
    return product === null ? [] : [product];
  });
  if ((s.products ?? []).length === 0) issues.push(`${where}.products: a statement needs at least one product`);
  const name = typeof s.vulnerability === 'string' ? s.vulnerability : s.vulnerability.name;
  const aliases = typeof s.vulnerability === 'string' ? [] : [...new Set(s.vulnerability.aliases ?? [])].filter((a) => a !== name);
  return {
    vulnerability: name,
    aliases,
    products,
    status: s.status,
    justification: s.justification ?? null,
    impactStatement: s.impact_statement ?? null,
    actionStatement: s.action_statement ?? null,
    timestamp: s.timestamp ?? documentTimestamp,
  };
}

/** A product by `@id` and its identifiers; subcomponents say where the vulnerability sits, not what the product is. */
function productOf(p: Component): VexProduct | null {
  const ids = p.identifiers ?? {};
  const identifiers = [ids.purl, ids.cpe23 ?? ids['@cpe23'], ids.cpe22 ?? ids['@cpe22']].filter((s): s is string => s !== undefined && s !== '');
  const id = p['@id'] ?? identifiers[0];
  if (id === undefined) return null;
  const sha256 = Object.entries(p.hashes ?? {})
    .filter(([algorithm, value]) => algorithm === 'sha-256' && /^[0-9a-fA-F]{64}$/.test(value))
    .map(([, value]) => value.toLowerCase());
  const subcomponents = (p.subcomponents ?? []).flatMap((sub) => {
    if (typeof sub === 'string') return [sub];
    const subIds = isObjectValue(sub['identifiers']) ? sub['identifiers'] : {};
    return [sub['@id'], subIds['purl']].filter((s): s is string => typeof s === 'string' && s !== '');
  });
  return { id, identifiers: [...new Set(identifiers.filter((i) => i !== id))], sha256, ...(subcomponents.length === 0 ? {} : { subcomponents: [...new Set(subcomponents)] }) };
}

function isObjectValue(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
