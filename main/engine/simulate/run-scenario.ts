// An inspection simulation: every request of a scenario run as the regulator would see it, one after the
// other against the same bundle: verified, queried, exported, timed (wall clock, from the request to its
// export manifest), checked for completeness, and judged against its targets.

import { createHash } from 'node:crypto';
import { closeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readEnvelope } from '../logs/envelope.js';
import { openForLines, readLineRange } from '../logs/read-lines.js';
import { EXPORT_MANIFEST_FILE, type ExportManifest } from '../query/export-manifest.js';
import { parametersOf, type QuerySpec } from '../query/query-spec.js';
import { runQuery } from '../query/run-query.js';
import { QueryRefusedError, type QueryContext } from '../query/verified-logs.js';
import { VERSION } from '../version.js';
import type { LoadedScenario, RequestPlan } from './scenario.js';

export const SIMULATION_REPORT_VERSION = 'assay.simulation-report/v1';

export interface TargetCheck {
  readonly name: 'time' | 'completeness' | 'rows' | 'oldest-entry' | 'answered';
  readonly target: string;
  readonly actual: string;
  readonly pass: boolean;
}

export interface RequestResult {
  readonly id: string;
  readonly title: string;
  readonly request: string | null;
  readonly kind: QuerySpec['kind'];
  readonly parameters: Record<string, string | null>;
  /** How a `pick` chose the traced correlation id. */
  readonly picked: string | null;
  readonly format: RequestPlan['format'];
  readonly status: 'pass' | 'fail';
  readonly seconds: number;
  readonly rowCount: number | null;
  /** Entries the verified chain holds for the request, and entries the export holds. */
  readonly expected: number | null;
  readonly exported: number | null;
  readonly complete: boolean | null;
  readonly oldestEntry: string | null;
  readonly segmentsRead: number | null;
  readonly segmentsTotal: number | null;
  readonly checks: readonly TargetCheck[];
  /** The export directory, relative to the report. */
  readonly exportDir: string | null;
  readonly files: readonly { readonly path: string; readonly sha256: string; readonly size: number }[];
  readonly error: string | null;
}

export interface SimulationReport {
  readonly reportVersion: typeof SIMULATION_REPORT_VERSION;
  readonly verifier: { readonly name: 'assay'; readonly version: string };
  readonly generatedAt: string;
  readonly bundle: { readonly source: string; readonly id: string; readonly manifestSha256: string };
  readonly scenario: { readonly name: string; readonly description: string | null; readonly authority: string | null; readonly apiVersion: string; readonly sha256: string };
  readonly verification: { readonly authenticated: boolean; readonly signerKey: string | null };
  readonly summary: { readonly requests: number; readonly passed: number; readonly failed: number; readonly seconds: number };
  readonly verdict: 'pass' | 'fail';
  readonly requests: readonly RequestResult[];
}

export interface RunScenarioOptions {
  readonly outDir: string;
  readonly now?: (() => Date) | undefined;
  readonly onRequest?: ((result: RequestResult) => void) | undefined;
}

export async function runScenario(context: QueryContext, loaded: LoadedScenario, options: RunScenarioOptions): Promise<SimulationReport> {
  const generatedAt = (options.now ?? (() => new Date()))().toISOString();
  const results: RequestResult[] = [];
  for (const plan of loaded.plans) {
    const result = await runRequest(context, plan, options.outDir);
    results.push(result);
    options.onRequest?.(result);
  }
  const passed = results.filter((r) => r.status === 'pass').length;
  const { scenario } = loaded;
  return {
    reportVersion: SIMULATION_REPORT_VERSION,
    verifier: { name: 'assay', version: VERSION },
    generatedAt,
    bundle: { source: context.bundle.source, id: context.manifest.bundleId, manifestSha256: context.manifestSha256 },
    scenario: { name: scenario.name, description: scenario.description ?? null, authority: scenario.authority ?? null, apiVersion: scenario.apiVersion, sha256: loaded.sha256 },
    verification: { authenticated: context.authenticated, signerKey: context.signerKey },
    summary: { requests: results.length, passed, failed: results.length - passed, seconds: round3(results.reduce((n, r) => n + r.seconds, 0)) },
    verdict: passed === results.length ? 'pass' : 'fail',
    requests: results,
  };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

async function runRequest(context: QueryContext, plan: RequestPlan, outDir: string): Promise<RequestResult> {
  const { request } = plan;
  const exportDir = join('requests', request.id);
  const start = performance.now();
  let spec = plan.spec;
  let picked: string | null = null;
  const base = { id: request.id, title: request.title, request: request.request ?? null, kind: spec.kind, format: plan.format };
  try {
    if (plan.pick !== null && spec.kind === 'trace') {
      const id = pickCorrelationId(context, spec.log, plan.pick.type, plan.pick.nth);
      if (id === null) throw new QueryRefusedError(`no ${plan.pick.nth === 1 ? 'first' : `${plan.pick.nth}th`} event of type "${plan.pick.type}" to trace`);
      picked = `${ordinal(plan.pick.nth)} "${plan.pick.type}" event: correlation id ${id}`;
      spec = { ...spec, correlationId: id };
    }
    const outcome = await runQuery(context, spec, { format: plan.format, outDir: join(outDir, exportDir) });
    const seconds = round3((performance.now() - start) / 1000);
    const m = outcome.manifest;
    const oldestEntry = spec.kind === 'oldest' ? oldestOf(m) : null;
    const checks = judge(plan, m, seconds, oldestEntry);
    return {
      ...base,
      parameters: parametersOf(spec),
      picked,
      status: checks.every((c) => c.pass) ? 'pass' : 'fail',
      seconds,
      rowCount: m.rowCount,
      expected: m.completeness.expected,
      exported: m.completeness.exported,
      complete: m.completeness.complete,
      oldestEntry,
      segmentsRead: m.verification.logs.reduce((n, l) => n + l.segmentsRead.length, 0),
      segmentsTotal: m.verification.logs.reduce((n, l) => n + l.segmentsTotal, 0),
      checks,
      exportDir,
      files: [...m.files.map((f) => ({ path: `${exportDir}/${f.path}`, sha256: f.sha256, size: f.size })), await fileRecord(outcome.manifestPath, `${exportDir}/${EXPORT_MANIFEST_FILE}`)],
      error: m.completeness.problems.length > 0 ? m.completeness.problems.join('; ') : null,
    };
  } catch (error) {
    if (!(error instanceof QueryRefusedError)) throw error;
    const seconds = round3((performance.now() - start) / 1000);
    return {
      ...base,
      parameters: parametersOf(spec),
      picked,
      status: 'fail',
      seconds,
      rowCount: null,
      expected: null,
      exported: null,
      complete: null,
      oldestEntry: null,
      segmentsRead: null,
      segmentsTotal: null,
      checks: [{ name: 'answered', target: 'the logs verify and the query is answered', actual: `refused: ${error.message}`, pass: false }],
      exportDir: null,
      files: [],
      error: error.message,
    };
  }
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** The time of the oldest entry exported: the first line of the first segment read, over all logs. */
function oldestOf(m: ExportManifest): string | null {
  const times = m.verification.logs.map((l) => l.segmentsRead[0]?.firstTime ?? null).filter((t): t is string => t !== null);
  return times.length === 0 ? null : times.reduce((a, b) => (a < b ? a : b));
}

function judge(plan: RequestPlan, m: ExportManifest, seconds: number, oldestEntry: string | null): TargetCheck[] {
  const t = plan.targets;
  const c = m.completeness;
  const checks: TargetCheck[] = [];
  if (t.maxSeconds !== null) checks.push({ name: 'time', target: `at most ${t.maxSeconds} s`, actual: `${seconds.toFixed(3)} s`, pass: seconds <= t.maxSeconds });
  // Completeness: the share of the chain-counted entries that the export holds; an export with entries the
  // chain does not have, or whose entries no longer chain, is never complete, whatever the share.
  const share = c.expected === 0 ? (c.exported === 0 ? 1 : 0) : Math.min(c.exported, c.expected) / c.expected;
  const sound = c.exported <= c.expected && c.linksBroken === 0 && c.cellsDiffering === 0 && (t.completeness < 1 || c.complete);
  checks.push({
    name: 'completeness',
    target: t.completeness === 1 ? 'all entries of the verified chain (100%)' : `at least ${(t.completeness * 100).toFixed(1)}% of the verified chain's entries`,
    actual: `${c.exported} of ${c.expected} entries (${(share * 100).toFixed(1)}%)${c.complete ? '' : `: ${c.problems[0] ?? 'incomplete'}`}`,
    pass: share >= t.completeness && sound,
  });
  if (t.minRows !== null) checks.push({ name: 'rows', target: `at least ${t.minRows} row${t.minRows === 1 ? '' : 's'}`, actual: `${m.rowCount} row${m.rowCount === 1 ? '' : 's'}`, pass: m.rowCount >= t.minRows });
  if (t.oldestNotAfter !== null) checks.push({ name: 'oldest-entry', target: `at or before ${t.oldestNotAfter}`, actual: oldestEntry ?? 'no entry', pass: oldestEntry !== null && oldestEntry <= t.oldestNotAfter });
  return checks;
}

/**
 * The correlation id of the nth event of `type`, in chain order over the logs (segment order). It only
 * chooses what to ask for: the trace query that follows verifies every segment before it answers.
 */
export function pickCorrelationId(context: QueryContext, log: string | null, type: string, nth: number): string | null {
  let seen = 0;
  for (const l of context.logs) {
    if (log !== null && l.name !== log) continue;
    for (const file of l.files) {
      if (file.absPath === null) continue;
      let found: string | null = null;
      const { fd, size } = openForLines(file.absPath);
      try {
        readLineRange(
          fd,
          0,
          size,
          {
            line(buf, start, end) {
              if (found !== null) return;
              const parsed = readEnvelope(buf, start, end);
              if (!parsed.ok || buf.toString('latin1', parsed.envelope.typeAt, parsed.envelope.typeEnd) !== type) return;
              seen += 1;
              if (seen === nth) found = buf.toString('latin1', parsed.envelope.correlationAt, parsed.envelope.correlationEnd);
            },
            hashedLine() {},
          },
          { shouldStop: () => found !== null },
        );
      } finally {
        closeSync(fd);
      }
      if (found !== null) return found;
    }
  }
  return null;
}

async function fileRecord(absPath: string, path: string): Promise<{ path: string; sha256: string; size: number }> {
  const bytes = await readFile(absPath);
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}
