// The expected answer of a query, counted from the verified chain without DuckDB: one streaming pass over
// the segments just verified, reading each line's envelope (seq, time, type, correlation id) from its
// bytes, and for a cohort the two fields of the matching events. The export is complete only when
// DuckDB's result agrees with this count, log by log (and cell by cell for a cohort).

import { closeSync } from 'node:fs';
import { readEnvelope, TIME_LENGTH } from '../logs/envelope.js';
import { openForLines, readLineRange, type LineSink } from '../logs/read-lines.js';
import type { QuerySpec } from './query-spec.js';
import { QueryRefusedError, type VerifiedSelection } from './verified-logs.js';

export interface LogTally {
  readonly log: string;
  count: number;
  minSeq: number | null;
  maxSeq: number | null;
  /** Sum of the seq of the matching lines: with count, min and max, a fingerprint of which lines match. */
  seqSum: bigint;
}

export interface ChainTally {
  readonly perLog: ReadonlyMap<string, LogTally>;
  /** Matching events over all logs. */
  readonly events: number;
  /** For a cohort: events per [subgroup, outcome] (JSON of the pair as key; null for an absent value). */
  readonly cells: ReadonlyMap<string, number> | null;
  /** Lines read (every line of every verified segment, or the first line for an oldest-entry query). */
  readonly linesRead: number;
}

/** The JSON key of a cohort cell. */
export function cellKey(subgroup: string | null, outcome: string | null): string {
  return JSON.stringify([subgroup, outcome]);
}

/** A field value as DuckDB's `json_extract_string` gives it: strings as they are, other values as JSON text. */
export function cohortValue(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function valueAt(fields: unknown, path: readonly string[]): unknown {
  let at: unknown = fields;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

export function tallyChain(spec: QuerySpec, selection: VerifiedSelection): ChainTally {
  const perLog = new Map<string, LogTally>();
  const cells = spec.kind === 'cohort' ? new Map<string, number>() : null;
  let events = 0;
  let linesRead = 0;
  for (const log of selection.logs) {
    const tally: LogTally = { log: log.name, count: 0, minSeq: null, maxSeq: null, seqSum: 0n };
    perLog.set(log.name, tally);
    const match = (seq: number): void => {
      tally.count += 1;
      tally.minSeq = tally.minSeq === null ? seq : Math.min(tally.minSeq, seq);
      tally.maxSeq = tally.maxSeq === null ? seq : Math.max(tally.maxSeq, seq);
      tally.seqSum += BigInt(seq);
      events += 1;
    };
    for (const segment of log.segments) {
      let lines = 0;
      let stop = false;
      const sink: LineSink = {
        line(buf, start, end) {
          lines += 1;
          if (stop) return;
          const parsed = readEnvelope(buf, start, end);
          if (!parsed.ok) throw new QueryRefusedError(`${segment.path} line ${lines} changed after it was verified: ${parsed.reason}`, segment.path);
          const e = parsed.envelope;
          if (spec.kind === 'oldest') {
            match(e.seq);
            stop = true;
            return;
          }
          const time = buf.toString('latin1', e.timeAt, e.timeAt + TIME_LENGTH);
          const range = spec.range;
          if (range !== null && (time < range.from || time > range.to)) return;
          if (spec.kind === 'trace' && buf.toString('latin1', e.correlationAt, e.correlationEnd) !== spec.correlationId) return;
          if (spec.kind === 'cohort') {
            if (buf.toString('latin1', e.typeAt, e.typeEnd) !== spec.cohort.type) return;
            let value: unknown;
            try {
              value = JSON.parse(buf.toString('utf8', start, end));
            } catch (error) {
              throw new QueryRefusedError(`${segment.path} line ${lines} is not JSON: ${(error as Error).message}`, `${segment.path} line ${lines}`);
            }
            const key = cellKey(cohortValue(valueAt(value, spec.cohort.attribute)), cohortValue(valueAt(value, spec.cohort.outcome)));
            cells!.set(key, (cells!.get(key) ?? 0) + 1);
          }
          match(e.seq);
        },
        hashedLine(_hash, _prefix, _start, _end, malformed) {
          throw new QueryRefusedError(`${segment.path} line ${lines + 1} changed after it was verified: ${malformed}`, segment.path);
        },
      };
      const { fd } = openForLines(segment.absPath);
      try {
        readLineRange(fd, 0, segment.verification.bytes, sink, { shouldStop: () => stop });
      } finally {
        closeSync(fd);
      }
      linesRead += lines;
      if (spec.kind === 'oldest') break;
      if (lines !== segment.verification.entries) throw new QueryRefusedError(`${segment.path} has ${lines} lines now but ${segment.verification.entries} when it was verified: it changed during the query`, segment.path);
    }
  }
  return { perLog, events, cells, linesRead };
}
