// Hashes the files of a bundle on all cores (worker threads, largest first, work stealing) with progress.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BundleFile } from '../sources/bundle-source.js';
import { hashFile } from './hash-file.js';
import type { HashBatchRequest, WorkerFileResult, WorkerReply } from './hash-worker.js';

export interface HashProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly filesDone: number;
  readonly filesTotal: number;
}

export type HashOutcome =
  | { readonly ok: true; readonly sha256: string; readonly size: number }
  | { readonly ok: false; readonly error: string };

export interface HashFilesOptions {
  /**
   * Worker threads to use; default `os.availableParallelism()`, never more than there are files. A single
   * file or a small total is hashed in the main thread instead, as starting workers would cost more.
   */
  readonly concurrency?: number;
  /** Aborting rejects with the signal's reason and terminates every worker. */
  readonly signal?: AbortSignal;
  /** Throttled to one call per PROGRESS_INTERVAL_MS, plus a final call with every file done. */
  readonly onProgress?: (p: HashProgress) => void;
}

const PROGRESS_INTERVAL_MS = 100;
/**
 * Main-thread cost of one file's asynchronous round trips (lstat, open, stat, read, close: ~150 us on the
 * bench machine) expressed as bytes of hashing at ~1.5 GB/s, for choosing between main thread and workers.
 */
const PER_FILE_COST_BYTES = 256 * 1024;
/** Work estimated below this (~30 ms) is hashed in the main thread: starting a worker takes ~45 ms. */
const MAIN_THREAD_MAX_COST_BYTES = 48 * 1024 * 1024;
/** Files hashed at once in the main thread (the libuv thread pool has 4 threads by default). */
const MAIN_THREAD_FILES_IN_FLIGHT = 4;
/** Batches in flight per worker, so a worker never waits for the main thread between batches. */
const BATCHES_IN_FLIGHT = 2;
const MAX_FILES_PER_BATCH = 512;
const MIN_BATCH_BYTES = 256 * 1024;
const MAX_BATCH_BYTES = 32 * 1024 * 1024;
const WORKER_URL = new URL('./hash-worker.js', import.meta.url);

/**
 * Hashes every file (SHA-256), keyed by `BundleFile.path`, in the order given. A file that cannot be
 * hashed (missing, symlink, special file, read error) becomes an `ok: false` outcome.
 */
export async function hashFiles(
  files: readonly BundleFile[],
  options: HashFilesOptions = {},
): Promise<Map<string, HashOutcome>> {
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  const bytesTotal = files.reduce((sum, f) => sum + f.size, 0);
  const meter = new ProgressMeter(bytesTotal, files.length, options.onProgress);
  const outcomes = new Map<string, HashOutcome>();
  const requested = Math.floor(options.concurrency ?? availableParallelism());
  const workers = Math.max(1, Math.min(requested, files.length));
  const cost = bytesTotal + files.length * PER_FILE_COST_BYTES;
  if (files.length <= 1 || cost <= MAIN_THREAD_MAX_COST_BYTES) {
    await hashInMainThread(files, outcomes, meter, signal);
  } else {
    await new WorkerPool(files, workers, bytesTotal, outcomes, meter, signal).run();
  }
  meter.finish();
  const ordered = new Map<string, HashOutcome>();
  for (const f of files) ordered.set(f.path, outcomes.get(f.path) ?? { ok: false, error: 'not hashed' });
  return ordered;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function toOutcome(result: WorkerFileResult): HashOutcome {
  return result.ok ? { ok: true, sha256: result.sha256, size: result.size } : { ok: false, error: result.error };
}

/** Counts bytes and files; progress credits each finished file with its declared size, so totals match. */
class ProgressMeter {
  private bytesDone = 0;
  private filesDone = 0;
  private lastEmit = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly bytesTotal: number,
    private readonly filesTotal: number,
    private readonly onProgress: ((p: HashProgress) => void) | undefined,
  ) {}

  addBytes(n: number): void {
    this.bytesDone += n;
    this.maybeEmit();
  }

  /** `declared` is the files' listed size, `reported` the bytes already passed to addBytes for them. */
  filesFinished(count: number, declared: number, reported: number): void {
    this.filesDone += count;
    this.bytesDone += declared - reported;
    this.maybeEmit();
  }

  finish(): void {
    this.emit();
  }

  private maybeEmit(): void {
    if (this.onProgress !== undefined && performance.now() - this.lastEmit >= PROGRESS_INTERVAL_MS) this.emit();
  }

  private emit(): void {
    if (this.onProgress === undefined) return;
    this.lastEmit = performance.now();
    const bytesDone = Math.max(0, Math.min(this.bytesDone, this.bytesTotal));
    try {
      this.onProgress({ bytesDone, bytesTotal: this.bytesTotal, filesDone: this.filesDone, filesTotal: this.filesTotal });
    } catch {
      // Progress is advisory: a failing listener must not break hashing (or a worker message handler).
    }
  }
}

/** Hashes in this thread, a few files at a time so that their asynchronous reads overlap. */
async function hashInMainThread(
  files: readonly BundleFile[],
  outcomes: Map<string, HashOutcome>,
  meter: ProgressMeter,
  signal: AbortSignal | undefined,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let file = files[next++]; file !== undefined; file = files[next++]) {
      if (signal?.aborted) throw abortReason(signal);
      let reported = 0;
      const onBytes = (n: number): void => {
        reported += n;
        meter.addBytes(n);
      };
      try {
        const digest = await hashFile(file.absPath, { signal, onBytes });
        outcomes.set(file.path, { ok: true, sha256: digest.sha256, size: digest.size });
      } catch (err) {
        if (signal?.aborted) throw abortReason(signal);
        outcomes.set(file.path, { ok: false, error: errorText(err) });
      }
      meter.filesFinished(1, file.size, reported);
    }
  };
  const lanes = Array.from({ length: Math.min(MAIN_THREAD_FILES_IN_FLIGHT, files.length) }, lane);
  const settled = await Promise.allSettled(lanes);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
}

interface Batch {
  readonly id: number;
  readonly files: readonly BundleFile[];
  reported: number;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly inFlight: Map<number, Batch>;
  exited: boolean;
  lastError: unknown;
}

/** Workers pull batches from one queue sorted by size, largest first; a dead worker's files are retried once. */
class WorkerPool {
  private readonly queue: BundleFile[];
  private readonly retry: BundleFile[] = [];
  private readonly attempts = new Map<BundleFile, number>();
  private queuedBytes: number;
  private readonly pool: PoolWorker[] = [];
  private nextBatchId = 0;
  private settled = false;
  private fallingBack = false;
  private resolve!: () => void;
  private reject!: (err: unknown) => void;

  constructor(
    files: readonly BundleFile[],
    private readonly workerCount: number,
    bytesTotal: number,
    private readonly outcomes: Map<string, HashOutcome>,
    private readonly meter: ProgressMeter,
    private readonly signal: AbortSignal | undefined,
  ) {
    // Largest first, consumed from the end of the array (pop), so reverse the order: smallest at index 0.
    this.queue = [...files].sort((a, b) => a.size - b.size);
    this.queuedBytes = bytesTotal;
  }

  /** Batches shrink as the queue drains, so that workers finish together. */
  private batchBytes(): number {
    return Math.min(MAX_BATCH_BYTES, Math.max(MIN_BATCH_BYTES, this.queuedBytes / (this.workerCount * 8)));
  }

  run(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.signal?.addEventListener('abort', this.onAbort);
    for (let i = 0; i < this.workerCount; i++) this.start();
    return done;
  }

  private readonly onAbort = (): void => {
    if (this.signal !== undefined) this.settle(abortReason(this.signal));
  };

  private start(): void {
    const worker = new Worker(WORKER_URL, { name: 'assay-hash' });
    const pw: PoolWorker = { worker, inFlight: new Map(), exited: false, lastError: null };
    this.pool.push(pw);
    worker.on('message', (reply: WorkerReply) => this.onMessage(pw, reply));
    worker.on('error', (err) => {
      pw.lastError = err;
    });
    worker.on('exit', () => this.onExit(pw));
    this.dispatch(pw);
  }

  private takeBatch(): Batch | null {
    const files: BundleFile[] = [];
    const limit = this.batchBytes();
    let bytes = 0;
    for (;;) {
      const source = this.retry.length > 0 ? this.retry : this.queue;
      const next = source[source.length - 1];
      if (next === undefined) break;
      if (files.length > 0 && (bytes + next.size > limit || files.length >= MAX_FILES_PER_BATCH)) break;
      source.pop();
      files.push(next);
      bytes += next.size;
    }
    this.queuedBytes -= bytes;
    return files.length === 0 ? null : { id: this.nextBatchId++, files, reported: 0 };
  }

  private dispatch(pw: PoolWorker): void {
    while (!this.settled && !pw.exited && pw.inFlight.size < BATCHES_IN_FLIGHT) {
      const batch = this.takeBatch();
      if (batch === null) break;
      pw.inFlight.set(batch.id, batch);
      const request: HashBatchRequest = {
        type: 'batch',
        id: batch.id,
        files: batch.files.map((f) => ({ absPath: f.absPath, size: f.size })),
      };
      pw.worker.postMessage(request);
    }
    this.checkDone();
  }

  private onMessage(pw: PoolWorker, reply: WorkerReply): void {
    if (this.settled) return;
    if (reply.type === 'bytes') {
      // A worker runs its batches in order, so bytes belong to its oldest batch in flight.
      const current = pw.inFlight.values().next().value;
      if (current !== undefined) current.reported += reply.n;
      this.meter.addBytes(reply.n);
      return;
    }
    const batch = pw.inFlight.get(reply.id);
    if (batch === undefined) return;
    pw.inFlight.delete(reply.id);
    let declared = 0;
    batch.files.forEach((file, i) => {
      const result = reply.results[i];
      this.outcomes.set(file.path, result === undefined ? { ok: false, error: 'no result from hash worker' } : toOutcome(result));
      declared += file.size;
    });
    this.meter.filesFinished(batch.files.length, declared, batch.reported);
    this.dispatch(pw);
  }

  private onExit(pw: PoolWorker): void {
    pw.exited = true;
    if (this.settled) return;
    const why = pw.lastError === null ? 'hash worker exited' : `hash worker failed: ${errorText(pw.lastError)}`;
    for (const batch of pw.inFlight.values()) {
      let declared = 0;
      for (const file of batch.files) {
        const tries = (this.attempts.get(file) ?? 0) + 1;
        this.attempts.set(file, tries);
        if (tries >= 2) {
          this.outcomes.set(file.path, { ok: false, error: why });
          declared += file.size;
          this.meter.filesFinished(1, 0, 0);
        } else {
          this.retry.push(file);
          this.queuedBytes += file.size;
        }
      }
      this.meter.addBytes(declared - batch.reported);
    }
    pw.inFlight.clear();
    for (const other of this.pool) this.dispatch(other);
    if (this.pool.every((p) => p.exited)) void this.fallBackToMainThread();
    else this.checkDone();
  }

  /** Every worker died (e.g. the worker module could not load): finish the remaining files here. */
  private async fallBackToMainThread(): Promise<void> {
    if (this.fallingBack || this.settled) return;
    this.fallingBack = true;
    const rest = [...this.retry.reverse(), ...this.queue.reverse()];
    this.retry.length = 0;
    this.queue.length = 0;
    try {
      await hashInMainThread(rest, this.outcomes, this.meter, this.signal);
      this.settle(null);
    } catch (err) {
      this.settle(err);
    }
  }

  private checkDone(): void {
    if (this.settled || this.fallingBack) return;
    if (this.queue.length > 0 || this.retry.length > 0) return;
    if (this.pool.length < this.workerCount) return;
    if (this.pool.some((p) => p.inFlight.size > 0)) return;
    this.settle(null);
  }

  /** Ends the run once: terminates every worker, then resolves (error null) or rejects. */
  private settle(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    const terminations = this.pool.map((p) => (p.exited ? Promise.resolve(0) : p.worker.terminate()));
    void Promise.allSettled(terminations).then(() => {
      if (error === null) this.resolve();
      else this.reject(error);
    });
  }
}
