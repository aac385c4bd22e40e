// One unit of log work: a byte range of one file, read once, fed to the chain verifier or to the event
// checker. The same function runs in a worker thread (log-worker.ts) or, for small inputs, in this one.

import { closeSync } from 'node:fs';
import { ChainVerifier, type ChainAnchor, type ChainSummary } from './chain.js';
import { EventChecker, type EventRules, type EventSummary } from './events.js';
import { openForLines, readLineRange, type LineSink } from './read-lines.js';

export type LogTask =
  | { readonly kind: 'chain'; readonly id: number; readonly absPath: string; readonly start: number; readonly end: number; readonly anchor: ChainAnchor | null }
  | { readonly kind: 'events'; readonly id: number; readonly absPath: string; readonly start: number; readonly end: number; readonly rules: EventRules };

export type LogTaskResult =
  | { readonly kind: 'chain'; readonly id: number; readonly summary: ChainSummary }
  | { readonly kind: 'events'; readonly id: number; readonly summary: EventSummary }
  | { readonly kind: 'error'; readonly id: number; readonly error: string };

export function runLogTask(task: LogTask, buffer: Buffer, onBytes?: (n: number) => void, shouldStop?: () => boolean): LogTaskResult {
  let fd: number;
  try {
    fd = openForLines(task.absPath).fd;
  } catch (error) {
    return { kind: 'error', id: task.id, error: (error as Error).message };
  }
  try {
    if (task.kind === 'chain') {
      const verifier = new ChainVerifier(task.anchor);
      readLineRange(fd, task.start, task.end, verifier, { buffer, onBytes, shouldStop });
      return { kind: 'chain', id: task.id, summary: verifier.finish() };
    }
    const checker = new EventChecker(task.rules);
    const sink: LineSink = checker;
    readLineRange(fd, task.start, task.end, sink, { buffer, onBytes, shouldStop });
    return { kind: 'events', id: task.id, summary: checker.finish() };
  } catch (error) {
    return { kind: 'error', id: task.id, error: (error as Error).message };
  } finally {
    closeSync(fd);
  }
}
