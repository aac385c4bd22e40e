// The gate in front of every query: open the bundle, read its manifest (with the assessor's trust and
// policy: check its signature), read and authenticate the logs' checkpoints, then verify the hash chain
// of exactly the segments a query will read, against the manifest's heads. Anything wrong refuses the
// query (QueryRefusedError), naming the broken entry; nothing is answered from an unverified byte.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestSignatureCheck } from '../checks/manifest-signature.js';
import type { ManifestState } from '../checks/check.js';
import { expectationsFor, loadBundleLogs, type BundleLog, type BundleLogFile, type CheckpointState } from '../logs/bundle-logs.js';
import { segmentsForRange, type Checkpoint } from '../logs/checkpoint.js';
import { LogUnreadableError, verifyLogs, type LogVerification } from '../logs/verify-log.js';
import { MANIFEST_PATH, manifestSchema, type Manifest } from '../schemas/manifest.js';
import { DEFAULT_ARCHIVE_LIMITS, type Policy } from '../schemas/policy.js';
import { readJsonDocument } from '../schemas/validate.js';
import { BundleRefusedError, type OpenedBundle } from '../sources/bundle-source.js';
import { openBundle } from '../sources/open-bundle.js';
import { loadPolicy, PolicyFileError } from '../trust/load-policy.js';
import { loadTrustStore, type TrustedKey, type TrustStore } from '../trust/trust-store.js';
import type { TimeRange } from './query-spec.js';

/** The logs cannot be trusted to answer: a broken chain, a bad signature, a missing file. Exit code 1. */
export class QueryRefusedError extends Error {
  constructor(
    message: string,
    /** The entry or file at fault, e.g. `logs/inference/2026-09-12.jsonl line 17 (seq 402)`. */
    readonly subject: string | null = null,
  ) {
    super(message);
    this.name = 'QueryRefusedError';
  }
}

const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** An opened bundle whose manifest was read (and, with trust, its signature verified). */
export interface QueryContext {
  readonly bundle: OpenedBundle;
  readonly manifest: Manifest;
  readonly manifestSha256: string;
  /** True when trust and policy were given: the manifest signature and every checkpoint signature were verified. */
  readonly authenticated: boolean;
  readonly signerKey: string | null;
  readonly logs: readonly BundleLog[];
  close(): Promise<void>;
}

export interface OpenContextOptions {
  readonly trustDir?: string | undefined;
  readonly policyPath?: string | undefined;
  readonly tempParent?: string | undefined;
}

export async function openQueryContext(source: string, options: OpenContextOptions = {}): Promise<QueryContext> {
  const { trust, policy } = await loadTrustAndPolicy(options);
  let bundle: OpenedBundle;
  try {
    bundle = await openBundle(source, policy?.archive ?? DEFAULT_ARCHIVE_LIMITS, { tempParent: options.tempParent });
  } catch (error) {
    if (error instanceof BundleRefusedError) throw new QueryRefusedError(`the bundle is refused: ${error.message}`, error.entry);
    throw error;
  }
  try {
    const state = await readManifest(bundle);
    if (state.state !== 'ok') throw new QueryRefusedError(state.state === 'missing' ? 'the bundle has no manifest.json: its logs have no signed heads to verify against' : `manifest.json is invalid: ${state.issues.join('; ')}`, MANIFEST_PATH);
    let key: TrustedKey | null = null;
    if (trust !== null && policy !== null) {
      const [finding] = await manifestSignatureCheck.run({ bundle, manifest: state, trust, policy, hashes: new Map() });
      if (finding === undefined || finding.status !== 'pass') throw new QueryRefusedError(`the manifest signature does not verify: ${finding?.message ?? 'no result'}`, 'manifest.sigstore.json');
      key = trust.keys.get(checkpointKeyOf(policy)!) ?? null;
    }
    const logs = await loadBundleLogs(bundle.root, bundle.files, state.value, key);
    return { bundle, manifest: state.value, manifestSha256: state.sha256, authenticated: key !== null, signerKey: key?.name ?? null, logs, close: () => bundle.close() };
  } catch (error) {
    await bundle.close();
    throw error;
  }
}

async function loadTrustAndPolicy(options: OpenContextOptions): Promise<{ trust: TrustStore | null; policy: Policy | null }> {
  if ((options.trustDir === undefined) !== (options.policyPath === undefined)) throw new PolicyFileError('--trust and --policy go together: the policy names the keys of the trust store');
  if (options.trustDir === undefined || options.policyPath === undefined) return { trust: null, policy: null };
  const trust = await loadTrustStore(options.trustDir);
  const policy = await loadPolicy(options.policyPath);
  const keyName = checkpointKeyOf(policy);
  if (keyName === null) throw new PolicyFileError(`policy ${options.policyPath} names no key for log checkpoints (logs.checkpointSigner, or a key as manifest signer)`);
  if (!trust.keys.has(keyName)) throw new PolicyFileError(`policy ${options.policyPath} names key "${keyName}", which trust store ${options.trustDir} does not hold`);
  return { trust, policy };
}

/** The key that signs log checkpoints: `logs.checkpointSigner.key`, else the manifest signer's key (docs/trust-and-policy.md). */
function checkpointKeyOf(policy: Policy): string | null {
  const logs = (policy as { logs?: { checkpointSigner?: { key?: unknown } } }).logs;
  if (typeof logs?.checkpointSigner?.key === 'string') return logs.checkpointSigner.key;
  const signer = policy.manifest.signer as { key?: unknown };
  return typeof signer.key === 'string' ? signer.key : null;
}

async function readManifest(bundle: OpenedBundle): Promise<ManifestState> {
  const file = bundle.files.find((f) => f.path === MANIFEST_PATH);
  if (file === undefined) return { state: 'missing' };
  if (file.size > MAX_MANIFEST_BYTES) return { state: 'invalid', bytes: Buffer.alloc(0), sha256: '', kind: 'syntax', issues: [`manifest.json is ${file.size} bytes, over the limit`] };
  const bytes = await readFile(join(bundle.root, file.path));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const reading = readJsonDocument(bytes, manifestSchema);
  if (!reading.ok) return { state: 'invalid', bytes, sha256, kind: reading.kind, issues: reading.issues };
  return { state: 'ok', bytes, sha256, value: reading.value };
}

/** One segment file a query reads, verified. */
export interface VerifiedSegment {
  readonly log: string;
  readonly index: number;
  readonly path: string;
  readonly absPath: string;
  readonly firstSeq: number;
  readonly verification: LogVerification;
  readonly checkpoint: CheckpointState['state'];
}

export interface VerifiedLog {
  readonly name: string;
  readonly segmentsTotal: number;
  /** The segments read, in order. */
  readonly segments: readonly VerifiedSegment[];
  /** The signed head of the whole log (its last segment) and its entry count over all segments. */
  readonly head: string;
  readonly entries: number;
  /** Whether the checkpoints of every segment were verified with the pipeline key and chain in order. */
  readonly checkpointChain: 'verified' | 'unauthenticated' | 'none';
}

export interface VerifiedSelection {
  readonly logs: readonly VerifiedLog[];
  readonly bytesVerified: number;
  readonly entriesVerified: number;
}

/**
 * Verifies what a query reads: for each selected log, its checkpoint chain (all checkpoints: small), then
 * the chain of each segment it needs. With `range`, and checkpoints on every segment, only the segments
 * whose signed first-to-last time overlaps the range; otherwise every segment.
 */
export async function verifyForQuery(context: QueryContext, selection: { log: string | null; range: TimeRange | null; firstSegmentOnly?: boolean }): Promise<VerifiedSelection> {
  const logs = context.logs.filter((log) => selection.log === null || log.name === selection.log || (log.files.length === 1 && log.files[0]!.head.path === selection.log));
  if (logs.length === 0) {
    const known = context.logs.map((l) => l.name).join(', ') || 'none';
    throw new QueryRefusedError(selection.log === null ? 'the manifest lists no logs' : `the bundle has no log "${selection.log}" (logs: ${known})`);
  }
  const plan: { log: BundleLog; index: number; file: BundleLogFile }[] = [];
  for (const log of logs) {
    checkCheckpoints(context, log);
    const checkpoints = log.files.map((f) => ('checkpoint' in f.checkpoint ? f.checkpoint.checkpoint : null));
    let indexes = log.files.map((_, i) => i);
    if (selection.firstSegmentOnly === true) indexes = firstNonEmpty(log, checkpoints);
    else if (selection.range !== null && checkpoints.every((c): c is Checkpoint => c !== null)) indexes = segmentsForRange(checkpoints, selection.range.from, selection.range.to);
    for (const index of indexes) plan.push({ log, index, file: log.files[index]! });
  }
  for (const { file } of plan) if (file.absPath === null) throw new QueryRefusedError(`${file.head.path} is listed in the manifest's logs but is not in the bundle`, file.head.path);
  let results: LogVerification[];
  try {
    results = await verifyLogs(plan.map(({ log, index, file }) => ({ path: file.absPath!, expectations: expectationsFor(log, index) })));
  } catch (error) {
    if (error instanceof LogUnreadableError) throw new QueryRefusedError(error.message, error.path);
    throw error;
  }
  const segments: VerifiedSegment[] = plan.map(({ log, index, file }, k) => {
    const verification = results[k]!;
    const path = file.head.path;
    if (!verification.intact) {
      const broken = verification.firstBroken;
      const at = broken === null ? path : `${path} line ${broken.line}${broken.seq === null ? '' : ` (seq ${broken.seq})`}`;
      throw new QueryRefusedError(`the log chain is broken at ${at}: ${broken?.message ?? 'it does not match its signed head'}${verification.problemCount > 1 ? ` (${verification.problemCount} problems in this file)` : ''}`, at);
    }
    const cp = 'checkpoint' in file.checkpoint ? file.checkpoint.checkpoint : null;
    if (cp !== null && (cp.firstTime !== verification.firstTime || cp.lastTime !== verification.lastTime)) {
      throw new QueryRefusedError(`${path} spans ${verification.firstTime ?? 'nothing'} to ${verification.lastTime ?? 'nothing'}, but its checkpoint says ${cp.firstTime ?? 'nothing'} to ${cp.lastTime ?? 'nothing'}`, file.head.checkpoint ?? path);
    }
    return { log: log.name, index, path, absPath: file.absPath!, firstSeq: file.head.firstSeq ?? 0, verification, checkpoint: file.checkpoint.state };
  });
  const verifiedLogs = logs.map((log): VerifiedLog => {
    const last = log.files[log.files.length - 1]!;
    const states = log.files.map((f) => f.checkpoint.state);
    return {
      name: log.name,
      segmentsTotal: log.files.length,
      segments: segments.filter((s) => s.log === log.name),
      head: last.head.head,
      entries: log.files.reduce((sum, f) => sum + f.head.entries, 0),
      checkpointChain: states.every((s) => s === 'verified') ? 'verified' : states.every((s) => s === 'none') ? 'none' : 'unauthenticated',
    };
  });
  return { logs: verifiedLogs, bytesVerified: segments.reduce((n, s) => n + s.verification.bytes, 0), entriesVerified: segments.reduce((n, s) => n + s.verification.entries, 0) };
}

/** Checkpoints must be sound before their times may choose segments: signed (with trust), matching the manifest, chained. */
function checkCheckpoints(context: QueryContext, log: BundleLog): void {
  for (const file of log.files) {
    const state = file.checkpoint;
    const where = file.head.checkpoint ?? file.head.path;
    if (state.state === 'missing' || state.state === 'malformed' || state.state === 'signer-untrusted' || state.state === 'signature-invalid') throw new QueryRefusedError(`checkpoint of ${file.head.path}: ${state.message}`, where);
    if (context.authenticated && state.state === 'unverified') throw new QueryRefusedError(`the checkpoint of ${file.head.path} was not verified`, where);
    if (file.mismatches.length > 0) throw new QueryRefusedError(`the signed checkpoint of ${file.head.path} disagrees with the manifest on ${file.mismatches.join(', ')}`, where);
  }
  const problem = log.chainProblems[0];
  if (problem !== undefined) throw new QueryRefusedError(`the checkpoints of ${log.name} do not chain: ${problem.message}`, problem.path);
}

/** The segment holding a log's first entry: the first one with entries (segments may be empty). */
function firstNonEmpty(log: BundleLog, checkpoints: readonly (Checkpoint | null)[]): number[] {
  const index = log.files.findIndex((f, i) => (checkpoints[i]?.entries ?? f.head.entries) > 0);
  return index < 0 ? [] : [index];
}
