// `verifyLog` / `verifyLogs`: one streaming pass over hash-chained logs at hashing speed, on all cores.
// A large file is cut into line-aligned ranges verified in parallel and stitched (each range's first
// `prev`, `seq` and `time` against the previous range's last line); several segments run side by side.
// Whenever anything is wrong, the affected file is verified again serially, so that the problems
// reported (first broken entry, classification) are exactly those of one pass from the first line.

import { closeSync } from 'node:fs';
import type { ChainAnchor, ChainSummary, LogProblem } from './chain.js';
import type { EventRules, EventSummary, EventProblem, EventProblemKind } from './events.js';
import { runLogTasks, type LogProgress } from './log-pool.js';
import { lineAlignedCuts, openForLines } from './read-lines.js';
import type { LogTask, LogTaskResult } from './tasks.js';

/** What the log is expected to be, from a signed checkpoint or the manifest. Absent values are not checked. */
export interface LogExpectations {
  /** The `prev` of the first line: the log's genesis, or the previous segment's head. */
  readonly genesis?: string | null | undefined;
  /** The `seq` of the first line. */
  readonly firstSeq?: number | null | undefined;
  readonly entries?: number | null | undefined;
  /** sha256 of the last line (the genesis when empty). */
  readonly head?: string | null | undefined;
  /** The first line's time may not be earlier (the previous segment's last time). */
  readonly notBefore?: string | null | undefined;
}

export interface LogVerification {
  readonly path: string;
  /** True when no problem was found (and every given expectation held). */
  readonly intact: boolean;
  readonly bytes: number;
  readonly entries: number;
  /** The `prev` of the first line as found (null for an empty log or a malformed first line). */
  readonly genesis: string | null;
  /** sha256 of the last line; the expected genesis (or null) when the log is empty. */
  readonly head: string | null;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly firstTime: string | null;
  readonly lastTime: string | null;
  /** Problems in line order (at most MAX_PROBLEMS kept); the first is the first broken entry. */
  readonly problems: readonly LogProblem[];
  readonly problemCount: number;
  readonly firstBroken: LogProblem | null;
  /** How it was verified: ranges verified in parallel, or one serial pass. */
  readonly mode: 'parallel' | 'serial';
  readonly ranges: number;
}

export interface VerifyLogOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: LogProgress) => void) | undefined;
  /** Worker threads (default all cores; 0: this thread only). */
  readonly concurrency?: number | undefined;
  /** Size of the ranges a file is cut into for parallel verification (default 64 MiB). */
  readonly rangeBytes?: number | undefined;
  /** Work of fewer bytes than this runs in this thread, without workers (default 24 MiB). */
  readonly workerThresholdBytes?: number | undefined;
}

export interface LogInput {
  readonly path: string;
  readonly expectations?: LogExpectations | undefined;
}

/** Thrown when a log cannot be read at all (missing, not a regular file). */
export class LogUnreadableError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'LogUnreadableError';
  }
}

export const DEFAULT_RANGE_BYTES = 64 * 1024 * 1024;

/** Verifies one log file against its expectations. */
export async function verifyLog(path: string, expectations: LogExpectations = {}, options: VerifyLogOptions = {}): Promise<LogVerification> {
  const [result] = await verifyLogs([{ path, expectations }], options);
  return result!;
}

/** Verifies several log files (e.g. the segments of one log) together, on all cores; results in input order. */
export async function verifyLogs(inputs: readonly LogInput[], options: VerifyLogOptions = {}): Promise<LogVerification[]> {
  const { plans, tasks, taskIds } = planTasks(inputs, options, (i, k, range) => ({ kind: 'chain', ...range, absPath: inputs[i]!.path, anchor: k === 0 ? anchorOf(inputs[i]!.expectations ?? {}) : null }));
  let nextId = tasks.length;
  const totalBytes = plans.reduce((sum, p) => sum + p.size, 0);
  const progress = options.onProgress;
  let doneBefore = 0;
  const results = await runLogTasks(tasks, { concurrency: options.concurrency, workerThresholdBytes: options.workerThresholdBytes, signal: options.signal, onProgress: progress && ((p) => progress({ bytesDone: doneBefore + p.bytesDone, bytesTotal: totalBytes })) });

  const verifications: (LogVerification | null)[] = inputs.map((input, i) => {
    const summaries = taskIds[i]!.map((id) => summaryOf(results.get(id), input.path));
    return stitch(summaries);
  }).map((summary, i) => (summary === null ? null : finalise(inputs[i]!, plans[i]!.size, summary, taskIds[i]!.length > 1 ? 'parallel' : 'serial', taskIds[i]!.length)));

  // A range with a problem, or a seam that does not hold: verify that file again in one serial pass,
  // for exact findings. (Count and head problems alone need no second pass: they come from the whole.)
  const again = inputs.map((_, i) => i).filter((i) => verifications[i] === null);
  if (again.length > 0) {
    doneBefore = totalBytes;
    const serialTasks: LogTask[] = again.map((i) => ({ kind: 'chain', id: nextId++, absPath: inputs[i]!.path, start: 0, end: plans[i]!.size, anchor: anchorOf(inputs[i]!.expectations ?? {}) }));
    const serial = await runLogTasks(serialTasks, { concurrency: options.concurrency, workerThresholdBytes: options.workerThresholdBytes, signal: options.signal });
    again.forEach((i, k) => {
      const summary = summaryOf(serial.get(serialTasks[k]!.id), inputs[i]!.path);
      verifications[i] = finalise(inputs[i]!, plans[i]!.size, summary, 'serial', 1);
    });
  }
  return verifications as LogVerification[];
}

/**
 * Cuts every input into ranges of about `rangeBytes` and makes one task per range (ids 0..n-1, in input
 * and range order); `taskIds[i]` lists input i's task ids in range order.
 */
function planTasks(
  inputs: readonly { readonly path: string }[],
  options: VerifyLogOptions,
  make: (input: number, range: number, span: { id: number; start: number; end: number }) => LogTask,
): { plans: { size: number; cuts: number[] }[]; tasks: LogTask[]; taskIds: number[][] } {
  const rangeBytes = Math.max(1, options.rangeBytes ?? DEFAULT_RANGE_BYTES);
  const plans = inputs.map((input) => planRanges(input.path, rangeBytes));
  const tasks: LogTask[] = [];
  const taskIds = plans.map((plan, i) =>
    plan.cuts.map((start, k) => {
      const id = tasks.length;
      tasks.push(make(i, k, { id, start, end: plan.cuts[k + 1] ?? plan.size }));
      return id;
    }),
  );
  return { plans, tasks, taskIds };
}

function planRanges(path: string, rangeBytes: number): { size: number; cuts: number[] } {
  let opened: { fd: number; size: number };
  try {
    opened = openForLines(path);
  } catch (error) {
    throw new LogUnreadableError(path, `cannot read log ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return { size: opened.size, cuts: opened.size > rangeBytes ? lineAlignedCuts(opened.fd, opened.size, rangeBytes) : [0] };
  } finally {
    closeSync(opened.fd);
  }
}

function anchorOf(expectations: LogExpectations): ChainAnchor | null {
  if (expectations.genesis === undefined || expectations.genesis === null) return null;
  return { prev: expectations.genesis, seq: expectations.firstSeq ?? null, notBefore: expectations.notBefore ?? null };
}

function summaryOf(result: LogTaskResult | undefined, path: string): ChainSummary {
  if (result === undefined) throw new LogUnreadableError(path, `log ${path} was not verified`);
  if (result.kind === 'error') throw new LogUnreadableError(path, `cannot read log ${path}: ${result.error}`);
  if (result.kind !== 'chain') throw new Error('unexpected task result');
  return result.summary;
}

/** Joins the summaries of consecutive ranges; null when a seam does not hold (or a range has problems). */
function stitch(summaries: readonly ChainSummary[]): ChainSummary | null {
  if (summaries.length === 1) return summaries[0]!;
  let lines = 0;
  for (let k = 0; k < summaries.length; k++) {
    const s = summaries[k]!;
    if (s.problemCount > 0) return null;
    if (k > 0) {
      const before = summaries[k - 1]!.last;
      const first = s.first;
      if (before === null || first === null) return null;
      if (first.prev !== before.hash) return null;
      if (before.seq === null || first.seq !== before.seq + 1) return null;
      if (before.time === null || first.time === null || first.time < before.time) return null;
    }
    lines += s.lines;
  }
  const firstRange = summaries[0]!;
  const lastRange = summaries[summaries.length - 1]!;
  return { lines, first: firstRange.first, last: lastRange.last, firstTime: firstRange.firstTime, lastTime: lastRange.lastTime, problems: [], problemCount: 0 };
}

/** Adds the checks only the whole file can answer: first seq, count and head against the expectations. */
function finalise(input: LogInput, bytes: number, summary: ChainSummary, mode: LogVerification['mode'], ranges: number): LogVerification {
  const expected = input.expectations ?? {};
  const problems = [...summary.problems];
  let problemCount = summary.problemCount;
  const add = (problem: LogProblem): void => {
    problems.push(problem);
    problemCount += 1;
  };
  const entries = summary.lines;
  const head = summary.last?.hash ?? expected.genesis ?? null;
  const lastSeq = summary.last?.seq ?? null;
  const firstSeq = summary.first?.seq ?? null;
  if ((expected.genesis ?? null) === null && (expected.firstSeq ?? null) !== null && firstSeq !== null && firstSeq !== expected.firstSeq) {
    add({ kind: 'first-seq-mismatch', line: 1, seq: firstSeq, message: `the first line has seq ${firstSeq}, expected ${expected.firstSeq}`, evidence: { expectedSeq: expected.firstSeq ?? null, seq: firstSeq } });
  }
  if (typeof expected.entries === 'number' && entries < expected.entries) {
    const missing = expected.entries - entries;
    add({
      kind: 'truncated',
      line: entries,
      seq: lastSeq,
      message: `the log ends after ${entries} entr${entries === 1 ? 'y' : 'ies'}; ${expected.entries} were signed: the last ${missing} ${missing === 1 ? 'is' : 'are'} missing (truncated tail)`,
      evidence: { entries, expectedEntries: expected.entries, missing, head, expectedHead: expected.head ?? null },
    });
  } else if (typeof expected.entries === 'number' && entries > expected.entries) {
    add({
      kind: 'extended',
      line: expected.entries + 1,
      seq: null,
      message: `the log has ${entries} entries, ${entries - expected.entries} more than the ${expected.entries} signed: line ${expected.entries + 1} onwards is not covered by the signature`,
      evidence: { entries, expectedEntries: expected.entries },
    });
  } else if (typeof expected.head === 'string' && head !== expected.head) {
    add({
      kind: 'head-mismatch',
      line: entries,
      seq: lastSeq,
      message: `the last entry (line ${entries}) hashes to ${head ?? 'nothing'}, not to the signed head ${expected.head}: it was replaced or modified`,
      evidence: { head, expectedHead: expected.head },
    });
  }
  problems.sort((a, b) => a.line - b.line);
  return {
    path: input.path,
    intact: problemCount === 0,
    bytes,
    entries,
    genesis: summary.first?.prev ?? null,
    head,
    firstSeq,
    lastSeq,
    firstTime: summary.firstTime,
    lastTime: summary.lastTime,
    problems,
    problemCount,
    firstBroken: problems[0] ?? null,
    mode,
    ranges,
  };
}

export interface EventsVerification {
  readonly path: string;
  readonly lines: number;
  readonly byType: Readonly<Record<string, number>>;
  readonly problems: readonly EventProblem[];
  readonly problemCounts: Readonly<Partial<Record<EventProblemKind, number>>>;
}

/** The event pass (whole-line JSON, duplicate keys, Art. 12 content) over several logs, on all cores. */
export async function checkLogEvents(inputs: readonly { path: string; rules: EventRules }[], options: VerifyLogOptions = {}): Promise<EventsVerification[]> {
  const { tasks, taskIds } = planTasks(inputs, options, (i, _k, range) => ({ kind: 'events', ...range, absPath: inputs[i]!.path, rules: inputs[i]!.rules }));
  const results = await runLogTasks(tasks, options);
  return inputs.map((input, i) => {
    let offset = 0;
    const byType: Record<string, number> = {};
    const counts: Partial<Record<EventProblemKind, number>> = {};
    const problems: EventProblem[] = [];
    for (const id of taskIds[i]!) {
      const result = results.get(id);
      if (result === undefined || result.kind === 'error') throw new LogUnreadableError(input.path, `cannot read log ${input.path}: ${result?.kind === 'error' ? result.error : 'not read'}`);
      if (result.kind !== 'events') throw new Error('unexpected task result');
      const s: EventSummary = result.summary;
      for (const [type, n] of Object.entries(s.byType)) byType[type] = (byType[type] ?? 0) + n;
      for (const [kind, n] of Object.entries(s.problemCounts) as [EventProblemKind, number][]) counts[kind] = (counts[kind] ?? 0) + n;
      for (const p of s.problems) problems.push({ ...p, line: p.line + offset, message: p.message.replace(/^line \d+/, `line ${p.line + offset}`) });
      offset += s.lines;
    }
    const kept = new Map<EventProblemKind, number>();
    const examples = problems.filter((p) => {
      const n = (kept.get(p.kind) ?? 0) + 1;
      kept.set(p.kind, n);
      return n <= 5;
    });
    return { path: input.path, lines: offset, byType, problems: examples, problemCounts: counts };
  });
}
