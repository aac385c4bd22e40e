// The logs of one bundle as the manifest lists them: each file with its manifest head, its signed
// checkpoint (read and verified with the pipeline key), grouped into logs by the checkpoints' `log` and
// ordered by segment. The LOG checks and the query engine both start here: verify the chain of
// checkpoints, then the segment files they need.

import { readFile } from 'node:fs/promises';
import type { Manifest } from '../schemas/manifest.js';
import type { BundleFile } from '../sources/bundle-source.js';
import type { TrustedKey } from '../trust/trust-store.js';
import { checkpointChainProblems, checkpointSignaturePath, logGenesis, MAX_CHECKPOINT_BYTES, parseCheckpoint, type Checkpoint, type CheckpointChainProblem } from './checkpoint.js';
import { verifyCheckpoint } from './checkpoint-signature.js';
import type { LogExpectations } from './verify-log.js';

export type ManifestLogHead = Manifest['logs'][number];

export type CheckpointState =
  | { readonly state: 'none' }
  | { readonly state: 'missing'; readonly message: string }
  | { readonly state: 'malformed' | 'signer-untrusted' | 'signature-invalid'; readonly message: string }
  /** Read but not authenticated: no trusted key was given. */
  | { readonly state: 'unverified'; readonly checkpoint: Checkpoint }
  | { readonly state: 'verified'; readonly checkpoint: Checkpoint };

export interface BundleLogFile {
  readonly head: ManifestLogHead;
  /** Absolute path of the file, or null when the bundle lacks it. */
  readonly absPath: string | null;
  readonly checkpoint: CheckpointState;
  /** Where the signed checkpoint disagrees with the manifest's head (field names). */
  readonly mismatches: readonly string[];
}

export interface BundleLog {
  /** The log's name: the checkpoints' `log`, or the file's path for a log without checkpoint. */
  readonly name: string;
  /** Its files in segment order. */
  readonly files: readonly BundleLogFile[];
  readonly chainProblems: readonly CheckpointChainProblem[];
}

/** Reads every log's checkpoint and groups the files into logs. `key` null: checkpoints are read unauthenticated. */
export async function loadBundleLogs(root: string, files: readonly BundleFile[], manifest: Manifest, key: TrustedKey | null): Promise<BundleLog[]> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const loaded: BundleLogFile[] = [];
  for (const head of manifest.logs) {
    const file = byPath.get(head.path);
    const checkpoint = await readCheckpoint(root, byPath, head, key);
    loaded.push({ head, absPath: file === undefined ? null : file.absPath, checkpoint, mismatches: 'checkpoint' in checkpoint ? mismatchesOf(head, checkpoint.checkpoint) : [] });
  }
  const groups = new Map<string, BundleLogFile[]>();
  for (const file of loaded) {
    const name = 'checkpoint' in file.checkpoint ? file.checkpoint.checkpoint.log : file.head.path;
    groups.set(name, [...(groups.get(name) ?? []), file]);
  }
  return [...groups].map(([name, group]) => {
    const ordered = group.sort((a, b) => segmentOf(a) - segmentOf(b));
    const checkpoints = ordered.flatMap((f) => ('checkpoint' in f.checkpoint ? [f.checkpoint.checkpoint] : []));
    return { name, files: ordered, chainProblems: checkpoints.length === ordered.length ? checkpointChainProblems(manifest.bundleId, checkpoints) : [] };
  });
}

function segmentOf(file: BundleLogFile): number {
  return 'checkpoint' in file.checkpoint ? file.checkpoint.checkpoint.segment : 0;
}

async function readCheckpoint(root: string, byPath: ReadonlyMap<string, BundleFile>, head: ManifestLogHead, key: TrustedKey | null): Promise<CheckpointState> {
  if (head.checkpoint === undefined) return { state: 'none' };
  const statementFile = byPath.get(head.checkpoint);
  const signatureFile = byPath.get(checkpointSignaturePath(head.checkpoint));
  if (statementFile === undefined) return { state: 'missing', message: `the checkpoint ${head.checkpoint} named by the manifest is not in the bundle` };
  if (signatureFile === undefined) return { state: 'missing', message: `the checkpoint ${head.checkpoint} has no signature ${checkpointSignaturePath(head.checkpoint)}` };
  if (statementFile.size > MAX_CHECKPOINT_BYTES) return { state: 'malformed', message: `${head.checkpoint} is ${statementFile.size} bytes, larger than any checkpoint` };
  const statement = await readFile(statementFile.absPath);
  if (key === null) {
    try {
      return { state: 'unverified', checkpoint: parseCheckpoint(statement) };
    } catch (error) {
      return { state: 'malformed', message: `${head.checkpoint}: ${(error as Error).message}` };
    }
  }
  const verified = verifyCheckpoint(statement, await readFile(signatureFile.absPath), key);
  if (!verified.ok) return { state: verified.kind, message: `${head.checkpoint}: ${verified.message}` };
  return { state: 'verified', checkpoint: verified.checkpoint };
}

function mismatchesOf(head: ManifestLogHead, cp: Checkpoint): string[] {
  const out: string[] = [];
  if (cp.path !== head.path) out.push('path');
  if (cp.genesis !== head.genesis) out.push('genesis');
  if (cp.entries !== head.entries) out.push('entries');
  if (cp.head !== head.head) out.push('head');
  if (cp.firstSeq !== (head.firstSeq ?? 0)) out.push('firstSeq');
  return out;
}

/**
 * What a file is verified against: the manifest's head (signed with the manifest), with the first line's
 * time bounded by the previous segment's last time when the checkpoints give it.
 */
export function expectationsFor(log: BundleLog, index: number): LogExpectations {
  const file = log.files[index]!;
  let notBefore: string | null = null;
  for (let k = index - 1; k >= 0 && notBefore === null; k--) {
    const state = log.files[k]!.checkpoint;
    if ('checkpoint' in state) notBefore = state.checkpoint.lastTime;
  }
  return { genesis: file.head.genesis, firstSeq: file.head.firstSeq ?? 0, entries: file.head.entries, head: file.head.head, notBefore };
}

/**
 * A log without checkpoints is bound to its bundle only through its genesis: segment 0 must start at the
 * genesis of its path, a later segment at the head of another log file of the manifest.
 */
export function genesisIsBound(bundleId: string, manifest: Manifest, head: ManifestLogHead): boolean {
  if (head.genesis === logGenesis(bundleId, head.path)) return true;
  return (head.firstSeq ?? 0) > 0 && manifest.logs.some((other) => other.path !== head.path && other.head === head.genesis);
}
