// Worker thread of the hash pool: hashes the batches of files that hash-pool.ts sends, in order.

import { parentPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { HASH_BUFFER_SIZE, hashFile, hashFileSync } from './hash-file.js';
import type { FileDigest } from './hash-file.js';

/** Pool to worker: hash these files, in this order. */
export interface HashBatchRequest {
  readonly type: 'batch';
  readonly id: number;
  readonly files: readonly { readonly absPath: string; readonly size: number }[];
}

export type WorkerFileResult = ({ ok: true } & FileDigest) | { ok: false; error: string };

/** Worker to pool: bytes hashed so far within the current batch, or the batch's results. */
export type WorkerReply =
  | { readonly type: 'bytes'; readonly n: number }
  | { readonly type: 'done'; readonly id: number; readonly results: readonly WorkerFileResult[] };

/** Files at least this large are read asynchronously with two buffers, so reads overlap hashing. */
const ASYNC_FROM_BYTES = 4 * 1024 * 1024;
/** Report progress of a batch at most once per this many bytes (batch completion reports the rest). */
const REPORT_EVERY_BYTES = 16 * 1024 * 1024;

function requirePort(): MessagePort {
  if (parentPort === null) throw new Error('hash-worker.js must run as a worker thread');
  return parentPort;
}

const port = requirePort();

const buffer = Buffer.allocUnsafe(HASH_BUFFER_SIZE);
let unreported = 0;

function onBytes(n: number): void {
  unreported += n;
  if (unreported >= REPORT_EVERY_BYTES) {
    port.postMessage({ type: 'bytes', n: unreported } satisfies WorkerReply);
    unreported = 0;
  }
}

async function hashOne(absPath: string, size: number): Promise<WorkerFileResult> {
  try {
    const digest =
      size >= ASYNC_FROM_BYTES ? await hashFile(absPath, { onBytes }) : hashFileSync(absPath, buffer, onBytes);
    return { ok: true, sha256: digest.sha256, size: digest.size };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

async function runBatch(request: HashBatchRequest): Promise<void> {
  const results: WorkerFileResult[] = [];
  for (const file of request.files) results.push(await hashOne(file.absPath, file.size));
  unreported = 0;
  port.postMessage({ type: 'done', id: request.id, results } satisfies WorkerReply);
}

let chain: Promise<void> = Promise.resolve();
port.on('message', (request: HashBatchRequest) => {
  chain = chain.then(() => runBatch(request));
});
