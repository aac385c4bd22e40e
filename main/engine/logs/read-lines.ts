// Reads the lines of a byte range of a file with one reused buffer and hands each to a sink, so memory
// stays bounded whatever the size: a line longer than MAX_LINE_BYTES is hashed piecewise and handed on
// as malformed with only its first bytes. Synchronous, for worker threads (where blocking is free).

import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MAX_LINE_BYTES } from './envelope.js';

const NEWLINE = 0x0a;
/** Read buffer: several lines per read; must exceed MAX_LINE_BYTES so that any legal line fits. */
export const LINE_BUFFER_BYTES = 4 * 1024 * 1024;
/** First bytes of an over-long line kept for its envelope (seq, time) in messages. */
const LONG_LINE_PREFIX = 4096;

export interface LineSink {
  /** A complete line `buf[start, end)` without its newline. */
  line(buf: Buffer, start: number, end: number): void;
  /** A line the reader hashed itself: too long, or the last line without a newline. */
  hashedLine(sha256Hex: string, prefix: Buffer, start: number, end: number, malformed: string): void;
}

export interface ReadRangeOptions {
  readonly buffer?: Buffer;
  /** Called after each read with the bytes just read. */
  readonly onBytes?: (n: number) => void;
  /** Checked after each read; when it returns true, reading stops early. */
  readonly shouldStop?: () => boolean;
}

/**
 * Feeds every line that starts in [start, end) to `sink`; `end` must be a line boundary or the file
 * size. A final line without a newline is handed on as malformed.
 */
export function readLineRange(fd: number, start: number, end: number, sink: LineSink, options: ReadRangeOptions = {}): void {
  const buf = options.buffer ?? Buffer.allocUnsafe(LINE_BUFFER_BYTES);
  let position = start;
  let carry = 0; // bytes of an unfinished line at the start of buf
  let long: { hash: Hash; prefix: Buffer } | null = null;
  while (position < end) {
    const want = Math.min(buf.length - carry, end - position);
    const n = readSync(fd, buf, carry, want, position);
    if (n === 0) break; // the file shrank under us: what was read is all there is
    position += n;
    options.onBytes?.(n);
    const view = buf.subarray(0, carry + n);
    let lineStart = 0;
    if (long !== null) {
      const nl = view.indexOf(NEWLINE);
      if (nl < 0) {
        long.hash.update(view);
        carry = 0;
        continue;
      }
      long.hash.update(view.subarray(0, nl));
      sink.hashedLine(long.hash.digest('hex'), long.prefix, 0, long.prefix.length, `line longer than ${MAX_LINE_BYTES} bytes`);
      long = null;
      lineStart = nl + 1;
    }
    for (let nl = view.indexOf(NEWLINE, lineStart); nl >= 0; nl = view.indexOf(NEWLINE, lineStart)) {
      sink.line(view, lineStart, nl);
      lineStart = nl + 1;
    }
    carry = view.length - lineStart;
    if (carry > MAX_LINE_BYTES) {
      long = { hash: createHash('sha256').update(view.subarray(lineStart)), prefix: Buffer.from(view.subarray(lineStart, lineStart + LONG_LINE_PREFIX)) };
      carry = 0;
    } else if (carry > 0 && lineStart > 0) {
      view.copy(buf, 0, lineStart);
    }
    if (options.shouldStop?.() === true) return;
  }
  if (long !== null) {
    sink.hashedLine(long.hash.digest('hex'), long.prefix, 0, long.prefix.length, `line longer than ${MAX_LINE_BYTES} bytes, and the file ends without a newline`);
  } else if (carry > 0) {
    const rest = buf.subarray(0, carry);
    sink.hashedLine(createHash('sha256').update(rest).digest('hex'), rest, 0, carry, 'the file ends without a newline: the last line is incomplete');
  }
}

/** Opens a regular file for reading; returns its descriptor and size. */
export function openForLines(absPath: string): { fd: number; size: number } {
  const fd = openSync(absPath, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${absPath} is not a regular file`);
    return { fd, size: st.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Offsets that split [0, size) into ranges of about `rangeBytes`, each starting at a line start: the
 * byte after a newline found from each nominal cut (no cut where no newline follows within a line's length).
 */
export function lineAlignedCuts(fd: number, size: number, rangeBytes: number): number[] {
  const cuts = [0];
  const probe = Buffer.allocUnsafe(64 * 1024);
  for (let nominal = rangeBytes; nominal < size; nominal += rangeBytes) {
    if (nominal <= cuts[cuts.length - 1]!) continue;
    let at = nominal - 1; // a cut right after a newline at nominal-1 is a line start
    let found = -1;
    while (found < 0 && at < size && at - nominal < MAX_LINE_BYTES + probe.length) {
      const n = readSync(fd, probe, 0, Math.min(probe.length, size - at), at);
      if (n === 0) break;
      const nl = probe.subarray(0, n).indexOf(NEWLINE);
      if (nl >= 0) found = at + nl + 1;
      else at += n;
    }
    if (found > cuts[cuts.length - 1]! && found < size) cuts.push(found);
  }
  return cuts;
}
