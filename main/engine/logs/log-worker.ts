// Worker thread of the log pool: runs the tasks log-pool.ts sends, one at a time, with one read buffer.

import { parentPort, type MessagePort } from 'node:worker_threads';
import { LINE_BUFFER_BYTES } from './read-lines.js';
import { runLogTask, type LogTask, type LogTaskResult } from './tasks.js';

/** Worker to pool: bytes read so far for the current task, or a task's result. */
export type LogWorkerReply = { readonly type: 'bytes'; readonly n: number } | { readonly type: 'done'; readonly result: LogTaskResult };

const REPORT_EVERY_BYTES = 16 * 1024 * 1024;

function requirePort(): MessagePort {
  if (parentPort === null) throw new Error('log-worker.js must run as a worker thread');
  return parentPort;
}

const port = requirePort();
const buffer = Buffer.allocUnsafe(LINE_BUFFER_BYTES);
let unreported = 0;

function onBytes(n: number): void {
  unreported += n;
  if (unreported >= REPORT_EVERY_BYTES) {
    port.postMessage({ type: 'bytes', n: unreported } satisfies LogWorkerReply);
    unreported = 0;
  }
}

port.on('message', (task: LogTask) => {
  const result = runLogTask(task, buffer, onBytes);
  if (unreported > 0) port.postMessage({ type: 'bytes', n: unreported } satisfies LogWorkerReply);
  unreported = 0;
  port.postMessage({ type: 'done', result } satisfies LogWorkerReply);
});
