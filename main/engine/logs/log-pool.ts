// Runs log tasks on all cores: worker threads pull tasks from one queue, largest first. Small jobs run
// in this thread instead, as starting a worker (~45 ms) would cost more than the work.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LogWorkerReply } from './log-worker.js';
import { LINE_BUFFER_BYTES } from './read-lines.js';
import { runLogTask, type LogTask, type LogTaskResult } from './tasks.js';

export interface LogProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export interface RunTasksOptions {
  /** Worker threads; default `os.availableParallelism()`. 0 runs everything in this thread. */
  readonly concurrency?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: LogProgress) => void) | undefined;
  /** Work of fewer bytes than this runs in this thread (default 24 MiB). */
  readonly workerThresholdBytes?: number | undefined;
}

/** Work below this many bytes runs in this thread. */
const IN_THREAD_MAX_BYTES = 24 * 1024 * 1024;
const PROGRESS_INTERVAL_MS = 100;
const WORKER_URL = new URL('./log-worker.js', import.meta.url);

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

const sizeOf = (task: LogTask): number => task.end - task.start;

/** Runs every task; results come back keyed by task id. Rejects only on abort. */
export async function runLogTasks(tasks: readonly LogTask[], options: RunTasksOptions = {}): Promise<Map<number, LogTaskResult>> {
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  const bytesTotal = tasks.reduce((sum, t) => sum + sizeOf(t), 0);
  let bytesDone = 0;
  let lastEmit = Number.NEGATIVE_INFINITY;
  const emit = (force: boolean): void => {
    if (options.onProgress === undefined || (!force && performance.now() - lastEmit < PROGRESS_INTERVAL_MS)) return;
    lastEmit = performance.now();
    try {
      options.onProgress({ bytesDone: Math.min(bytesDone, bytesTotal), bytesTotal });
    } catch {
      // Progress is advisory.
    }
  };
  const onBytes = (n: number): void => {
    bytesDone += n;
    emit(false);
  };
  const results = new Map<number, LogTaskResult>();
  const workers = Math.min(Math.floor(options.concurrency ?? availableParallelism()), tasks.length);
  if (workers <= 0 || bytesTotal < (options.workerThresholdBytes ?? IN_THREAD_MAX_BYTES)) {
    const buffer = Buffer.allocUnsafe(LINE_BUFFER_BYTES);
    for (const task of tasks) {
      if (signal?.aborted) throw abortReason(signal);
      results.set(task.id, runLogTask(task, buffer, onBytes, () => signal?.aborted === true));
      await new Promise<void>((resolve) => setImmediate(resolve)); // let abort and progress listeners run
    }
    if (signal?.aborted) throw abortReason(signal);
  } else {
    await runInWorkers([...tasks].sort((a, b) => sizeOf(a) - sizeOf(b)), workers, results, onBytes, signal);
  }
  emit(true);
  return results;
}

function runInWorkers(queue: LogTask[], count: number, results: Map<number, LogTaskResult>, onBytes: (n: number) => void, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const pool: Worker[] = [];
    const alive = new Set<Worker>();
    const idle = new Set<Worker>();
    const current = new Map<Worker, LogTask>();
    let settled = false;
    const settle = (error: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void Promise.allSettled(pool.map((w) => w.terminate())).then(() => (error === null ? resolve() : reject(error)));
    };
    const onAbort = (): void => settle(abortReason(signal!));
    signal?.addEventListener('abort', onAbort);
    const checkDone = (): void => {
      if (queue.length > 0 || [...alive].some((w) => !idle.has(w))) return;
      settle(null);
    };
    const next = (worker: Worker): void => {
      const task = queue.pop(); // largest first
      if (task === undefined) {
        current.delete(worker);
        idle.add(worker);
        checkDone();
        return;
      }
      current.set(worker, task);
      worker.postMessage(task);
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(WORKER_URL, { name: 'assay-log' });
      pool.push(worker);
      alive.add(worker);
      worker.on('message', (reply: LogWorkerReply) => {
        if (settled) return;
        if (reply.type === 'bytes') onBytes(reply.n);
        else {
          results.set(reply.result.id, reply.result);
          next(worker);
        }
      });
      worker.on('error', (error) => {
        const task = current.get(worker);
        if (task !== undefined) results.set(task.id, { kind: 'error', id: task.id, error: `log worker failed: ${error.message}` });
      });
      worker.on('exit', () => {
        if (settled) return;
        const task = current.get(worker);
        if (task !== undefined && !results.has(task.id)) results.set(task.id, { kind: 'error', id: task.id, error: 'log worker exited' });
        current.delete(worker);
        alive.delete(worker);
        if (alive.size === 0) {
          // Every worker died (e.g. the module could not load): finish here.
          const buffer = Buffer.allocUnsafe(LINE_BUFFER_BYTES);
          for (let t = queue.pop(); t !== undefined; t = queue.pop()) results.set(t.id, runLogTask(t, buffer, onBytes));
          settle(null);
        } else checkDone();
      });
      next(worker);
    }
  });
}
