// SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format) into Assay's scan model. The zod schema
// below covers the parts Assay reads, written from the OASIS spec: known properties must have the
// spec's types and enumerations, everything else passes (SARIF invites extra data in property bags).

import { z } from 'zod';
import { tryParseStrictJson } from '../json/strict-json.js';
import { imageDigestIn, severityOfScore, VULNERABILITY_ID, severityOfWord, worstSeverity, type ScanReading, type ScanSeverity, type ScanTarget, type ScanTool, type ScanVulnerability } from './scan-model.js';
import { isoDateTime, schemaIssues } from './schema-issues.js';

const LEVELS = ['none', 'note', 'warning', 'error'] as const;
const KINDS = ['pass', 'open', 'informational', 'notApplicable', 'review', 'fail'] as const;
const BASELINE_STATES = ['new', 'unchanged', 'updated', 'absent'] as const;

/** §3.8 property bag: any properties; `tags` is the one with a fixed type. */
const propertyBag = z.looseObject({ tags: z.array(z.string()).optional() });

/** §3.11 message: `text` or `id` (a reference into the rule's messageStrings) must be there. */
const message = z
  .looseObject({ text: z.string().optional(), id: z.string().optional(), markdown: z.string().optional(), arguments: z.array(z.string()).optional() })
  .refine((m) => m.text !== undefined || m.id !== undefined, 'a message needs "text" or "id" (§3.11.8, §3.11.10)');

const index = z.int().min(-1);

const reportingDescriptor = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  defaultConfiguration: z.looseObject({ level: z.enum(LEVELS).optional() }).optional(),
  properties: propertyBag.optional(),
});

const toolComponent = z.looseObject({
  name: z.string(),
  version: z.string().optional(),
  semanticVersion: z.string().optional(),
  rules: z.array(reportingDescriptor).optional(),
});

const artifactLocation = z.looseObject({ uri: z.string().optional(), uriBaseId: z.string().optional(), index: index.optional() });

const location = z.looseObject({
  physicalLocation: z
    .looseObject({
      artifactLocation: artifactLocation.optional(),
      region: z.looseObject({ startLine: z.int().min(1).optional() }).optional(),
    })
    .optional(),
  logicalLocations: z.array(z.looseObject({ name: z.string().optional(), fullyQualifiedName: z.string().optional() })).optional(),
});

const reportingDescriptorReference = z.looseObject({
  id: z.string().optional(),
  index: index.optional(),
  guid: z.string().optional(),
  toolComponent: z.looseObject({ name: z.string().optional(), index: index.optional(), guid: z.string().optional() }).optional(),
});

const suppression = z.looseObject({
  kind: z.enum(['inSource', 'external']),
  status: z.enum(['accepted', 'underReview', 'rejected']).optional(),
  justification: z.string().optional(),
});

const result = z.looseObject({
  ruleId: z.string().optional(),
  ruleIndex: index.optional(),
  rule: reportingDescriptorReference.optional(),
  kind: z.enum(KINDS).optional(),
  level: z.enum(LEVELS).optional(),
  message,
  locations: z.array(location).nullish(),
  baselineState: z.enum(BASELINE_STATES).optional(),
  suppressions: z.array(suppression).nullish(),
  properties: propertyBag.optional(),
});

const run = z.looseObject({
  tool: z.looseObject({ driver: toolComponent, extensions: z.array(toolComponent).optional() }),
  results: z.array(result).nullish(),
  invocations: z
    .array(z.looseObject({ executionSuccessful: z.boolean(), startTimeUtc: isoDateTime.optional(), endTimeUtc: isoDateTime.optional() }))
    .optional(),
  versionControlProvenance: z.array(z.looseObject({ repositoryUri: z.string(), revisionId: z.string().optional(), branch: z.string().optional() })).optional(),
  artifacts: z.array(z.looseObject({ location: artifactLocation.optional(), hashes: z.record(z.string(), z.string()).optional() })).optional(),
  properties: propertyBag.optional(),
});

const sarifLog = z.looseObject({
  version: z.literal('2.1.0', { error: (issue) => `SARIF version ${JSON.stringify(issue.input)} is not read: only "2.1.0" is supported` }),
  $schema: z.string().optional(),
  runs: z.array(run).nullable(),
});

type Run = z.output<typeof run>;
type Result = z.output<typeof result>;
type Rule = z.output<typeof reportingDescriptor>;
type PropertyBag = z.output<typeof propertyBag>;

/** Reads a SARIF log from its bytes (strict JSON: duplicate keys refused). */
export function readSarifBytes(bytes: Uint8Array | string): ScanReading {
  const json = tryParseStrictJson(bytes);
  return json.ok ? readSarif(json.value) : { ok: false, issues: [json.reason] };
}

/** Reads an already strictly parsed SARIF 2.1.0 log. */
export function readSarif(value: unknown): ScanReading {
  const parsed = sarifLog.safeParse(value);
  if (!parsed.success) return { ok: false, issues: schemaIssues(parsed.error) };
  const issues: string[] = [];
  const tools: ScanTool[] = [];
  const targets: ScanTarget[] = [];
  const vulnerabilities: ScanVulnerability[] = [];
  let ignoredResults = 0;
  let finishedAt: string | null = null;
  const failedRuns: string[] = [];

  (parsed.data.runs ?? []).forEach((run, r) => {
    const driver = run.tool.driver;
    tools.push({ name: driver.name, version: driver.version ?? driver.semanticVersion ?? null });
    targets.push(...targetsOf(run, `runs[${r}]`));
    // §3.14.23: results null or absent means the tool produced none, which is not the same as finding nothing.
    if (run.results === null || run.results === undefined) failedRuns.push(`runs[${r}] of ${driver.name}: results is ${run.results === null ? 'null' : 'absent'} (the tool produced no results; an empty list would mean it found nothing)`);
    (run.invocations ?? []).forEach((invocation, i) => {
      if (!invocation.executionSuccessful) failedRuns.push(`runs[${r}].invocations[${i}] of ${driver.name}: executionSuccessful is false`);
    });
    for (const invocation of run.invocations ?? []) {
      if (invocation.endTimeUtc !== undefined && (finishedAt === null || Date.parse(invocation.endTimeUtc) > Date.parse(finishedAt))) finishedAt = invocation.endTimeUtc;
    }
    (run.results ?? []).forEach((result, i) => {
      const where = `runs[${r}].results[${i}]`;
      const found = ruleOf(run, result, where);
      if (typeof found === 'string') {
        issues.push(found);
        return;
      }
      // §3.27.9: kind defaults to "fail"; only failures still present in this scan rank as vulnerabilities.
      if ((result.kind ?? 'fail') !== 'fail' || result.baselineState === 'absent') {
        ignoredResults += 1;
        return;
      }
      vulnerabilities.push(vulnerabilityOf(run, result, found, where));
    });
  });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, report: { format: 'sarif', specVersion: '2.1.0', tools, targets: uniqueTargets(targets), vulnerabilities, ignoredResults, failedRuns, finishedAt } };
}

/**
 * §3.27.6/§3.27.7/§3.52: the rule is `rule.index`/`ruleIndex` into the rules of the tool component the
 * reference names (the driver unless `rule.toolComponent` says an extension, as CodeQL query packs do),
 * else found by id. An index that points nowhere is an error in the log; a rule id with no metadata is not.
 */
function ruleOf(run: Run, result: Result, where: string): Rule | undefined | string {
  const componentIndex = result.rule?.toolComponent?.index;
  const byName = result.rule?.toolComponent?.name;
  let component = run.tool.driver;
  let componentPath = 'tool.driver';
  if (componentIndex !== undefined && componentIndex >= 0) {
    const extension = run.tool.extensions?.[componentIndex];
    if (extension === undefined) return `${where}.rule.toolComponent.index: ${componentIndex} names no entry of tool.extensions`;
    component = extension;
    componentPath = `tool.extensions[${componentIndex}]`;
  } else if (byName !== undefined && byName !== component.name) {
    const extension = run.tool.extensions?.find((e) => e.name === byName);
    if (extension !== undefined) component = extension;
  }
  const ruleIndex = result.rule?.index ?? result.ruleIndex;
  if (ruleIndex !== undefined && ruleIndex >= 0) {
    const rule = component.rules?.[ruleIndex];
    const field = result.rule?.index !== undefined ? 'rule.index' : 'ruleIndex';
    if (rule === undefined) return `${where}.${field}: ${ruleIndex} is beyond ${componentPath}.rules (${component.rules?.length ?? 0} rules)`;
    // §3.27.5: a ruleId may name a sub-rule ("rule/sub"), but it must not name a different rule than the index.
    const id = result.rule?.id ?? result.ruleId;
    if (id !== undefined && id !== rule.id && !id.startsWith(`${rule.id}/`)) return `${where}.${field}: ${ruleIndex} is rule "${rule.id}", not the result's rule "${id}"`;
    return rule;
  }
  const id = result.rule?.id ?? result.ruleId;
  if (id === undefined) return undefined;
  const all = [component, run.tool.driver, ...(run.tool.extensions ?? [])];
  for (const c of all) {
    const rule = rulesById(c.rules).get(id);
    if (rule !== undefined) return rule;
  }
  return undefined;
}

/** A tool component's rules by id (the first of each id), built once: results name rules by id thousands of times. */
const RULES_BY_ID = new WeakMap<readonly Rule[], ReadonlyMap<string, Rule>>();

function rulesById(rules: readonly Rule[] | undefined): ReadonlyMap<string, Rule> {
  if (rules === undefined) return new Map();
  let index = RULES_BY_ID.get(rules);
  if (index === undefined) {
    const built = new Map<string, Rule>();
    for (const rule of rules) if (!built.has(rule.id)) built.set(rule.id, rule);
    RULES_BY_ID.set(rules, built);
    index = built;
  }
  return index;
}

function vulnerabilityOf(run: Run, result: Result, rule: Rule | undefined, where: string): ScanVulnerability {
  const id = result.ruleId ?? result.rule?.id ?? rule?.id ?? where;
  // A rule's name is an alias only when it is itself a vulnerability id: Trivy names every rule
  // "OsPackageVulnerability", Grype after its matcher, and a VEX statement about such a name must not settle them all.
  const aliases = rule?.name !== undefined && rule.name !== id && VULNERABILITY_ID.test(rule.name) ? [rule.name] : [];
  const { severity, severityFrom } = severityOf(result, rule);
  return { id, aliases, severity, severityFrom, affects: affectsOf(run, result), analysis: null, suppression: suppressionOf(result) };
}

/**
 * Every rating the log gives counts and the worst wins, as for CycloneDX and in-toto: `security-severity`
 * (GitHub code-scanning convention, a CVSS score as a string) and severity words among the tags (Trivy
 * tags rules CRITICAL, HIGH, ...), on the result and on its rule, so a lower rating added on the result
 * cannot hide the rule's. SARIF `level` is how loud the tool wants to be, not a severity rating, so it
 * never becomes one.
 */
function severityOf(result: Result, rule: Rule | undefined): { severity: ScanSeverity; severityFrom: string } {
  const ratings: { severity: ScanSeverity; from: string }[] = [];
  for (const [bag, owner] of [
    [result.properties, 'result properties'],
    [rule?.properties, `rule ${rule?.id ?? ''}`],
  ] as const) {
    const score = securitySeverity(bag);
    if (score !== null) ratings.push({ severity: severityOfScore(score), from: `security-severity ${score} (${owner})` });
    const tags = (bag?.tags ?? []).filter((tag) => /^(critical|high|medium|low)$/i.test(tag));
    if (tags.length > 0) ratings.push({ severity: tags.map(severityOfWord).reduce(worstSeverity), from: `${owner.split(' ')[0]} tag ${tags.join(', ')}` });
  }
  if (ratings.length > 0) {
    const worst = ratings.reduce((a, b) => (worstSeverity(a.severity, b.severity) === a.severity ? a : b));
    return { severity: worst.severity, severityFrom: worst.from };
  }
  const level = result.level ?? rule?.defaultConfiguration?.level;
  return { severity: 'unknown', severityFrom: `no security-severity or severity tag${level === undefined ? '' : ` (SARIF level ${level})`}` };
}

function securitySeverity(bag: PropertyBag | undefined): number | null {
  const raw = bag?.['security-severity'];
  const score = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return Number.isFinite(score) && score >= 0 && score <= 10 ? score : null;
}

function affectsOf(run: Run, result: Result): string[] {
  const out = new Set<string>();
  for (const location of result.locations ?? []) {
    const physical = location.physicalLocation;
    const artifact = physical?.artifactLocation;
    const uri = artifact?.uri ?? (artifact?.index !== undefined && artifact.index >= 0 ? run.artifacts?.[artifact.index]?.location?.uri : undefined);
    if (uri !== undefined) out.add(physical?.region?.startLine === undefined ? uri : `${uri}:${physical.region.startLine}`);
    for (const logical of location.logicalLocations ?? []) {
      const name = logical.fullyQualifiedName ?? logical.name;
      if (name !== undefined) out.add(name);
    }
  }
  return [...out];
}

/**
 * §3.27.23/§3.35: how the log itself suppresses a result, described for messages. A suppression is the
 * tool user's own say-so inside the scan output, not a VEX statement, so it never settles a result.
 */
function suppressionOf(result: Result): string | null {
  const suppressions = result.suppressions ?? [];
  if (suppressions.length === 0) return null;
  return suppressions.map((s) => `suppressed ${s.kind}${s.status === undefined ? '' : ` (${s.status})`}${s.justification === undefined ? '' : `: ${s.justification}`}`).join('; ');
}

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

function targetsOf(run: Run, where: string): ScanTarget[] {
  const targets: ScanTarget[] = [];
  (run.versionControlProvenance ?? []).forEach((vcs, i) => {
    if (vcs.revisionId !== undefined && COMMIT.test(vcs.revisionId)) {
      targets.push({ kind: 'commit', commit: vcs.revisionId.toLowerCase(), repository: vcs.repositoryUri, from: `${where}.versionControlProvenance[${i}]` });
    }
  });
  // Trivy image scans describe the image in run.properties (imageName, repoDigests; imageID is the config digest, not an identity).
  const properties = run.properties ?? {};
  const imageName = typeof properties['imageName'] === 'string' ? properties['imageName'] : null;
  const repoDigests = Array.isArray(properties['repoDigests']) ? (properties['repoDigests'] as unknown[]) : [];
  repoDigests.forEach((entry, i) => {
    if (typeof entry !== 'string') return;
    const digest = imageDigestIn(entry);
    if (digest === null) return;
    const at = entry.lastIndexOf('@');
    targets.push({ kind: 'image', digest, name: at > 0 ? entry.slice(0, at) : imageName, from: `${where}.properties.repoDigests[${i}]` });
  });
  const imageDigest = typeof properties['imageDigest'] === 'string' ? imageDigestIn(properties['imageDigest']) : null;
  if (imageDigest !== null) targets.push({ kind: 'image', digest: imageDigest, name: imageName, from: `${where}.properties.imageDigest` });
  return targets;
}

function uniqueTargets(targets: readonly ScanTarget[]): ScanTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = t.kind === 'image' ? `image ${t.digest} ${t.name ?? ''}` : `commit ${t.commit} ${t.repository ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
