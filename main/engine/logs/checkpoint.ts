// Signed checkpoints of a log's head (`assay.log-checkpoint/v1`, docs/log-format.md): one small JSON
// statement per segment, signed by the pipeline key as a Sigstore bundle v0.3 message signature over its
// exact bytes. The statements of one log chain together (each segment's genesis is the previous head),
// so the checkpoints alone order the segments and say which ones a time range needs.

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isoTimestamp, sha256Hex, bundlePath } from '../schemas/common.js';
import { readJsonDocument, describeProblem } from '../schemas/validate.js';

export const LOG_FORMAT = 'assay.log/v1';
export const CHECKPOINT_VERSION = 'assay.log-checkpoint/v1';
export const CHECKPOINT_MEDIA_TYPE = 'application/vnd.assay.log-checkpoint.v1+json';
export const CHECKPOINT_SIGNATURE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
/** A checkpoint statement larger than this is refused unread. */
export const MAX_CHECKPOINT_BYTES = 64 * 1024;

/** The `prev` of a log's first line: binds the chain to one bundle and one log name. */
export function logGenesis(bundleId: string, log: string): string {
  return createHash('sha256').update(`${LOG_FORMAT} genesis\n${bundleId}\n${log}`, 'utf8').digest('hex');
}

export const checkpointSchema = z
  .object({
    checkpointVersion: z.literal(CHECKPOINT_VERSION),
    bundleId: z.string().regex(/^urn:uuid:[0-9a-f-]{36}$/, 'a urn:uuid'),
    log: bundlePath.describe('name of the log this segment belongs to: its file for a single-file log, its directory for a segmented one; bound into the genesis'),
    segment: z.number().int().nonnegative().describe('index of the segment in its log, from 0'),
    path: bundlePath.describe('the segment file'),
    genesis: sha256Hex.describe("the first line's prev: the log genesis for segment 0, else the previous segment's head"),
    firstSeq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).describe('seq of the first line'),
    entries: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).describe('number of lines'),
    head: sha256Hex.describe('sha256 of the exact bytes of the last line, without its newline (the genesis when empty)'),
    firstTime: isoTimestamp.nullable().describe('time of the first line (null when empty)'),
    lastTime: isoTimestamp.nullable().describe('time of the last line (null when empty)'),
  })
  .strict();

export type Checkpoint = z.infer<typeof checkpointSchema>;

/** Where the checkpoint of a log file lives: `<name>.checkpoint.json` beside `<name>.jsonl`. */
export function checkpointPathFor(logPath: string): string {
  return `${logPath.replace(/\.jsonl$/, '')}.checkpoint.json`;
}

/** The signature of a checkpoint statement: `<name>.checkpoint.sigstore.json`, as manifest.sigstore.json signs manifest.json. */
export function checkpointSignaturePath(statementPath: string): string {
  return `${statementPath.replace(/\.json$/, '')}.sigstore.json`;
}

export function renderCheckpoint(checkpoint: Checkpoint): Buffer {
  return Buffer.from(`${JSON.stringify(checkpointSchema.parse(checkpoint), null, 2)}\n`, 'utf8');
}

export class CheckpointFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointFormatError';
  }
}

/** Parses statement bytes strictly (duplicate keys, unknown fields and versions refused). Verify the signature first. */
export function parseCheckpoint(bytes: Buffer): Checkpoint {
  if (bytes.length > MAX_CHECKPOINT_BYTES) throw new CheckpointFormatError(`checkpoint is ${bytes.length} bytes, over ${MAX_CHECKPOINT_BYTES}`);
  const reading = readJsonDocument(bytes, checkpointSchema);
  if (!reading.ok) throw new CheckpointFormatError(describeProblem(reading));
  return reading.value;
}

export interface CheckpointChainProblem {
  /** Index (segment) of the checkpoint that does not fit. */
  readonly segment: number;
  readonly path: string;
  readonly message: string;
}

/**
 * The checkpoints of one log, in segment order, must chain: segment k follows k-1 (same log and bundle,
 * genesis = previous head, firstSeq continuing, time not going back), and segment 0 starts at the log's
 * genesis with seq 0.
 */
export function checkpointChainProblems(bundleId: string, checkpoints: readonly Checkpoint[]): CheckpointChainProblem[] {
  const problems: CheckpointChainProblem[] = [];
  checkpoints.forEach((cp, k) => {
    const problem = (message: string): void => {
      problems.push({ segment: cp.segment, path: cp.path, message: `${cp.path}: ${message}` });
    };
    if (cp.bundleId !== bundleId) problem(`checkpoint of bundle ${cp.bundleId}, not of ${bundleId}`);
    if (cp.segment !== k) problem(`segment ${cp.segment} is in position ${k} of log ${cp.log}: a segment is missing or out of order`);
    const entriesAgree = cp.entries === 0 ? cp.head === cp.genesis && cp.firstTime === null && cp.lastTime === null : cp.firstTime !== null && cp.lastTime !== null && cp.firstTime <= cp.lastTime;
    if (!entriesAgree) problem('entries, head and times disagree (an empty segment has head = genesis and no times)');
    if (k === 0) {
      if (cp.genesis !== logGenesis(bundleId, cp.log)) problem(`segment 0 does not start at the genesis of log ${cp.log}`);
      if (cp.firstSeq !== 0) problem(`segment 0 starts at seq ${cp.firstSeq}, not 0`);
      return;
    }
    const before = checkpoints[k - 1]!;
    if (cp.log !== before.log) problem(`belongs to log ${cp.log}, the previous segment to ${before.log}`);
    if (cp.genesis !== before.head) problem(`its genesis ${cp.genesis} is not the head ${before.head} of the previous segment ${before.path}`);
    if (cp.firstSeq !== before.firstSeq + before.entries) problem(`starts at seq ${cp.firstSeq}; the previous segment ends before ${before.firstSeq + before.entries}`);
    const previousTime = lastTimeBefore(checkpoints, k);
    if (previousTime !== null && cp.firstTime !== null && cp.firstTime < previousTime) problem(`starts at ${cp.firstTime}, before the previous segment's last entry (${previousTime})`);
  });
  return problems;
}

function lastTimeBefore(checkpoints: readonly Checkpoint[], k: number): string | null {
  for (let i = k - 1; i >= 0; i--) if (checkpoints[i]!.lastTime !== null) return checkpoints[i]!.lastTime;
  return null;
}

/** The expectations a segment is verified against, from its checkpoint (and the previous one's last time). */
export function expectationsOf(checkpoints: readonly Checkpoint[], k: number): { genesis: string; firstSeq: number; entries: number; head: string; notBefore: string | null } {
  const cp = checkpoints[k]!;
  return { genesis: cp.genesis, firstSeq: cp.firstSeq, entries: cp.entries, head: cp.head, notBefore: lastTimeBefore(checkpoints, k) };
}

/**
 * The segments a query over [from, to] must read (times as ISO 8601 UTC with milliseconds, compared as
 * strings): those whose first-to-last time overlaps the range. Verify the checkpoint chain first, then
 * only these segments.
 */
export function segmentsForRange(checkpoints: readonly Checkpoint[], from: string, to: string): number[] {
  const out: number[] = [];
  checkpoints.forEach((cp, k) => {
    if (cp.firstTime !== null && cp.lastTime !== null && cp.firstTime <= to && cp.lastTime >= from) out.push(k);
  });
  return out;
}
