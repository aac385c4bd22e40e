// Writer for Assay's hash-chained JSON Lines logs (format `assay.log/v1`, docs/bundle-format.md):
// each line's `prev` is the sha256 of the previous line's exact bytes, the first line's is the genesis.

import { createHash } from 'node:crypto';
import type { BundleWriter, FileSink } from './bundle-writer.js';

export const LOG_FORMAT = 'assay.log/v1';
export const LOG_MEDIA_TYPE = 'application/jsonl';

/** The `prev` of line 0: binds the chain to one bundle and one path, so lines cannot be moved between logs. */
export function logGenesis(bundleId: string, path: string): string {
  return createHash('sha256').update(`${LOG_FORMAT} genesis\n${bundleId}\n${path}`, 'utf8').digest('hex');
}

/** Event fields of one line; the envelope fields are the writer's alone. */
export type LogEvent = Record<string, unknown> & {
  seq?: never;
  time?: never;
  prev?: never;
  type?: never;
  correlation_id?: never;
};

export interface LogHead {
  readonly path: string;
  readonly entries: number;
  readonly genesis: string;
  readonly head: string;
  /** The log this file is a segment of (its own path for a single-file log) and its index there. */
  readonly log: string;
  readonly segment: number;
  readonly firstSeq: number;
  readonly firstTime: string | null;
  readonly lastTime: string | null;
}

/** Where a segment starts: segment 0 at the log's genesis, segment k at the previous segment's head and seq. */
export interface SegmentStart {
  readonly log: string;
  readonly segment: number;
  readonly genesis: string;
  readonly firstSeq: number;
}

/** The start of the segment after `head` in the same log. */
export function nextSegment(head: LogHead): SegmentStart {
  return { log: head.log, segment: head.segment + 1, genesis: head.head, firstSeq: head.firstSeq + head.entries };
}

export class ChainedLogWriter {
  #seq: number;
  #prev: string;
  #lastTime = '';
  #firstTime: string | null = null;

  private constructor(
    readonly path: string,
    readonly start: SegmentStart,
    private readonly sink: FileSink,
  ) {
    this.#prev = start.genesis;
    this.#seq = start.firstSeq;
  }

  /** Opens a single-file log, or (with `start`) a segment of a segmented log continuing the previous one. */
  static async open(writer: BundleWriter, bundleId: string, path: string, start?: SegmentStart): Promise<ChainedLogWriter> {
    const from = start ?? { log: path, segment: 0, genesis: logGenesis(bundleId, path), firstSeq: 0 };
    return new ChainedLogWriter(path, from, await writer.openSink(path, LOG_MEDIA_TYPE));
  }

  get genesis(): string {
    return this.start.genesis;
  }

  get entries(): number {
    return this.#seq - this.start.firstSeq;
  }

  /**
   * Appends one event. `time` is an ISO 8601 UTC timestamp with a fixed width (Date#toISOString), so
   * string order is time order. Returns a promise only when the sink flushed.
   */
  append(time: string, type: string, correlationId: string, event: LogEvent): Promise<void> | undefined {
    if (time < this.#lastTime) throw new Error(`${this.path}: time ${time} goes back from ${this.#lastTime}`);
    this.#lastTime = time;
    this.#firstTime ??= time;
    const body = JSON.stringify(event);
    // The envelope is written by hand so its fields always come first and in a fixed order.
    const head = `{"seq":${this.#seq},"time":"${time}","prev":"${this.#prev}","type":${JSON.stringify(type)},"correlation_id":${JSON.stringify(correlationId)}`;
    const line = body === '{}' ? `${head}}` : `${head},${body.slice(1)}`;
    this.#prev = createHash('sha256').update(line, 'utf8').digest('hex');
    this.#seq += 1;
    return this.sink.write(`${line}\n`);
  }

  async close(): Promise<LogHead> {
    await this.sink.close();
    const { log, segment, firstSeq } = this.start;
    const lastTime = this.#firstTime === null ? null : this.#lastTime;
    return { path: this.path, entries: this.entries, genesis: this.genesis, head: this.#prev, log, segment, firstSeq, firstTime: this.#firstTime, lastTime };
  }
}
