// The chain rules of `assay.log/v1`, as a state machine fed one line at a time: each line's `prev` must be
// the sha256 of the previous line's exact bytes, `seq` must count up by one, `time` must never go back.
// Pure apart from hashing; the readers (read-lines.ts) and the worker pool feed it. A break in the links
// opens an incident: the lines around it are kept (a bounded window) and classified once it is over, so
// a deletion, insertion, reordering, duplication or modification is each reported as what it is.

import { hash } from 'node:crypto';
import { readEnvelope, TIME_LENGTH } from './envelope.js';

export type LogProblemKind =
  | 'malformed'
  | 'genesis-mismatch'
  | 'modified'
  | 'deleted'
  | 'inserted'
  | 'reordered'
  | 'duplicated'
  | 'chain-broken'
  | 'seq-gap'
  | 'seq-out-of-order'
  | 'time-backwards'
  | 'truncated'
  | 'extended'
  | 'head-mismatch'
  | 'first-seq-mismatch';

export type ProblemEvidence = Readonly<Record<string, string | number | boolean | null>>;

/** One problem, naming the entry: `line` is 1-based within its file, `seq` as the line says (null if unreadable). */
export interface LogProblem {
  readonly kind: LogProblemKind;
  readonly line: number;
  readonly seq: number | null;
  readonly message: string;
  readonly evidence: ProblemEvidence;
}

/** Where a chain starts: the `prev` of its first line, the first `seq`, and the time it may not precede. */
export interface ChainAnchor {
  readonly prev: string;
  readonly seq: number | null;
  readonly notBefore: string | null;
}

/** What a run over a file (or a range of one) found; `first` and `last` let ranges be stitched together. */
export interface ChainSummary {
  readonly lines: number;
  readonly first: { readonly prev: string | null; readonly seq: number | null; readonly time: string | null } | null;
  readonly last: { readonly hash: string; readonly seq: number | null; readonly time: string | null } | null;
  readonly firstTime: string | null;
  readonly lastTime: string | null;
  readonly problems: readonly LogProblem[];
  /** Every problem found, including those beyond the kept list. */
  readonly problemCount: number;
}

/** At most this many problems are kept per file; the count goes on. */
export const MAX_PROBLEMS = 100;
/** Lines kept before a break (for duplicates and skipped links) and after the last break of an incident. */
const LOOK_BACK = 16;
const LOOK_AHEAD = 16;
/** An incident longer than this is classified and closed, so the window stays bounded. */
const MAX_INCIDENT_LINES = 32;
const RING_SIZE = LOOK_BACK + MAX_INCIDENT_LINES + LOOK_AHEAD + 1;

interface LineRecord {
  /** 0-based index of the line in its file. */
  readonly index: number;
  readonly seq: number | null;
  readonly time: string | null;
  readonly prev: string | null;
  readonly hash: string;
}

interface Incident {
  readonly firstBreak: number;
  lastBreak: number;
  /** The line before the first break (or a virtual line holding the anchor), as it was then. */
  readonly anchor: { readonly hash: string; readonly seq: number | null; readonly index: number };
}

export class ChainVerifier {
  readonly #ring: (LineRecord | undefined)[] = new Array<LineRecord | undefined>(RING_SIZE);
  readonly #problems: LogProblem[] = [];
  #problemCount = 0;
  #lines = 0;
  #expectedPrev: string | null;
  #expectedSeq: number | null;
  #lastTime: string | null;
  #first: ChainSummary['first'] = null;
  #last: ChainSummary['last'] = null;
  #firstTime: string | null = null;
  #lastLineTime: string | null = null;
  #incident: Incident | null = null;

  /**
   * `anchor` null: the run starts in the middle of a log (a range of a file); its first line's `prev`,
   * `seq` and `time` are recorded for stitching instead of being checked.
   */
  constructor(
    private readonly anchor: ChainAnchor | null,
    private readonly lineOffset = 0,
  ) {
    this.#expectedPrev = anchor?.prev ?? null;
    this.#expectedSeq = anchor?.seq ?? null;
    this.#lastTime = anchor?.notBefore ?? null;
  }

  /** One complete line `buf[start, end)`, without its newline. */
  line(buf: Buffer, start: number, end: number): void {
    this.hashedLine(hash('sha256', buf.subarray(start, end), 'hex'), buf, start, end, null);
  }

  /**
   * A line whose hash the caller computed (a line too long to hold in memory arrives this way, with
   * `malformed` set and only its first bytes in `buf`).
   */
  hashedLine(lineHash: string, buf: Buffer, start: number, end: number, malformed: string | null): void {
    const index = this.lineOffset + this.#lines;
    this.#lines += 1;
    const parsed = malformed === null ? readEnvelope(buf, start, end) : ({ ok: false, reason: malformed } as const);
    let record: LineRecord;
    if (parsed.ok) {
      const e = parsed.envelope;
      record = { index, seq: e.seq, time: buf.toString('latin1', e.timeAt, e.timeAt + TIME_LENGTH), prev: buf.toString('latin1', e.prevAt, e.prevAt + 64), hash: lineHash };
    } else {
      record = { index, seq: null, time: null, prev: null, hash: lineHash };
      this.#report({ kind: 'malformed', line: index + 1, seq: null, message: `line ${index + 1} is malformed: ${parsed.reason}`, evidence: { reason: parsed.reason, sha256: lineHash } });
    }
    if (this.#first === null) this.#first = { prev: record.prev, seq: record.seq, time: record.time };
    if (this.#firstTime === null && record.time !== null) this.#firstTime = record.time;
    if (record.time !== null) this.#lastLineTime = record.time;
    this.#check(record);
    this.#ring[index % RING_SIZE] = record;
    this.#last = { hash: lineHash, seq: record.seq, time: record.time };
    this.#expectedPrev = lineHash;
    if (record.seq !== null) this.#expectedSeq = record.seq + 1;
    else if (parsed.ok) this.#expectedSeq = null;
    if (record.time !== null) this.#lastTime = record.time;
    if (this.#incident !== null && (index - this.#incident.lastBreak >= LOOK_AHEAD || index - this.#incident.firstBreak >= MAX_INCIDENT_LINES)) this.#closeIncident();
  }

  finish(): ChainSummary {
    if (this.#incident !== null) this.#closeIncident();
    return {
      lines: this.#lines,
      first: this.#first,
      last: this.#last,
      firstTime: this.#firstTime,
      lastTime: this.#lastLineTime,
      problems: this.#problems,
      problemCount: this.#problemCount,
    };
  }

  #check(record: LineRecord): void {
    const expectedPrev = this.#expectedPrev;
    if (record.prev === null) return; // malformed: reported; its hash still anchors the next line
    if (expectedPrev === null) return; // the first line of an unanchored range: recorded for stitching
    const linked = record.prev === expectedPrev;
    if (!linked) {
      if (this.#incident === null) {
        const previous = this.#record(record.index - 1);
        const anchor = previous ?? { hash: expectedPrev, seq: this.#expectedSeq === null ? null : this.#expectedSeq - 1, index: record.index - 1 };
        this.#incident = { firstBreak: record.index, lastBreak: record.index, anchor: { hash: anchor.hash, seq: anchor.seq, index: anchor.index } };
      } else {
        this.#incident.lastBreak = record.index;
      }
      return;
    }
    if (this.#incident !== null) return; // inside an incident, seq and time are judged by the classification
    const line = record.index + 1;
    if (this.#expectedSeq !== null && record.seq !== this.#expectedSeq) {
      const seq = record.seq!;
      if (seq > this.#expectedSeq) {
        this.#report({ kind: 'seq-gap', line, seq, message: `seq jumps from ${this.#expectedSeq - 1} to ${seq} at line ${line}: ${seq - this.#expectedSeq} sequence number(s) never used, though the hash links are intact`, evidence: { expectedSeq: this.#expectedSeq, seq, missing: seq - this.#expectedSeq } });
      } else {
        this.#report({ kind: 'seq-out-of-order', line, seq, message: `seq ${seq} at line ${line} does not follow ${this.#expectedSeq - 1}: sequence numbers repeat or go back, though the hash links are intact`, evidence: { expectedSeq: this.#expectedSeq, seq } });
      }
    }
    if (this.#lastTime !== null && record.time !== null && record.time < this.#lastTime) {
      this.#report({ kind: 'time-backwards', line, seq: record.seq, message: `time goes back at line ${line}: ${record.time} is earlier than ${this.#lastTime}`, evidence: { time: record.time, previousTime: this.#lastTime } });
    }
  }

  #record(index: number): LineRecord | undefined {
    if (index < this.lineOffset) return undefined;
    const record = this.#ring[index % RING_SIZE];
    return record !== undefined && record.index === index ? record : undefined;
  }

  #report(problem: LogProblem): void {
    this.#problemCount += 1;
    if (this.#problems.length < MAX_PROBLEMS) this.#problems.push(problem);
  }

  #closeIncident(): void {
    const incident = this.#incident!;
    this.#incident = null;
    const before: LineRecord[] = [];
    for (let i = Math.max(this.lineOffset, incident.firstBreak - LOOK_BACK); i < incident.firstBreak; i++) {
      const r = this.#record(i);
      if (r !== undefined) before.push(r);
    }
    const after: LineRecord[] = [];
    for (let i = incident.firstBreak; i < this.lineOffset + this.#lines; i++) {
      const r = this.#record(i);
      if (r !== undefined) after.push(r);
    }
    this.#report(classifyIncident(before, after, incident.anchor, this.anchor !== null && incident.firstBreak === this.lineOffset && this.lineOffset === 0));
  }
}

/**
 * Explains one break from the lines around it. `before` ends with the last line whose link held,
 * `after` starts with the first line whose `prev` did not match; `anchor` is the line the break follows
 * (virtual when the break is at the first line of the log).
 */
export function classifyIncident(before: readonly LineRecord[], after: readonly LineRecord[], anchor: Incident['anchor'], atGenesis: boolean): LogProblem {
  const broken = after[0]!;
  const line = broken.index + 1;
  const all = [...before, ...after];
  const position = (r: LineRecord): number => all.indexOf(r);
  const byHash = (h: string | null): LineRecord | undefined => (h === null ? undefined : all.find((r) => r.hash === h));

  // The same bytes twice: a replayed or duplicated entry.
  for (let i = before.length; i < all.length; i++) {
    const original = all.slice(0, i).find((r) => r.hash === all[i]!.hash);
    if (original !== undefined) {
      const dup = all[i]!;
      return { kind: 'duplicated', line: dup.index + 1, seq: dup.seq, message: `line ${dup.index + 1} repeats line ${original.index + 1} byte for byte (seq ${dup.seq ?? '?'})`, evidence: { originalLine: original.index + 1, sha256: dup.hash } };
    }
  }

  const skippedVerdict = (skipped: readonly LineRecord[], detectedAt: LineRecord): LogProblem => {
    const movedIndex = skipped.findIndex((k) => {
      const predecessor = byHash(k.prev);
      return predecessor !== undefined && position(predecessor) > position(k);
    });
    if (movedIndex >= 0) {
      const moved = skipped[movedIndex]!;
      return { kind: 'reordered', line: moved.index + 1, seq: moved.seq, message: `line ${moved.index + 1} (seq ${moved.seq ?? '?'}) is out of place: the entry it links to comes after it`, evidence: { detectedAtLine: detectedAt.index + 1 } };
    }
    const first = skipped[0]!;
    return {
      kind: 'inserted',
      line: first.index + 1,
      seq: first.seq,
      message: `${skipped.length === 1 ? `line ${first.index + 1} was` : `lines ${first.index + 1}-${skipped[skipped.length - 1]!.index + 1} were`} inserted: line ${detectedAt.index + 1} links past ${skipped.length === 1 ? 'it' : 'them'} to the entry before`,
      evidence: { insertedLines: skipped.length, detectedAtLine: detectedAt.index + 1 },
    };
  };

  // Where does the broken line really link to?
  const predecessor = byHash(broken.prev);
  if (predecessor !== undefined) {
    const at = position(predecessor);
    if (at > position(broken)) {
      return { kind: 'reordered', line, seq: broken.seq, message: `line ${line} (seq ${broken.seq ?? '?'}) is out of place: the entry it links to is line ${predecessor.index + 1}, after it`, evidence: { linksToLine: predecessor.index + 1 } };
    }
    if (at < position(broken) - 1) return skippedVerdict(all.slice(at + 1, position(broken)), broken);
  }
  // Which later line continues from the anchor? The lines before it do not belong there.
  const successor = after.slice(1).find((r) => r.prev === anchor.hash);
  if (successor !== undefined) return skippedVerdict(after.slice(0, after.indexOf(successor)), successor);

  const expectedSeq = anchor.seq === null ? null : anchor.seq + 1;
  if (expectedSeq !== null && broken.seq !== null && broken.seq > expectedSeq) {
    const missing = after.slice(1).filter((r) => r.seq !== null && r.seq >= expectedSeq && r.seq < broken.seq!);
    if (missing.length > 0) {
      return { kind: 'reordered', line, seq: broken.seq, message: `line ${line} (seq ${broken.seq}) comes before seq ${missing[0]!.seq} (line ${missing[0]!.index + 1}): entries were reordered`, evidence: { expectedSeq } };
    }
    const count = broken.seq - expectedSeq;
    return {
      kind: 'deleted',
      line,
      seq: broken.seq,
      message: `${count} entr${count === 1 ? 'y was' : 'ies were'} deleted before line ${line}: seq ${expectedSeq}${count > 1 ? `-${broken.seq - 1}` : ''} missing, and line ${line} links to an entry that is not there`,
      evidence: { firstMissingSeq: expectedSeq, lastMissingSeq: broken.seq - 1, missing: count, prev: broken.prev },
    };
  }
  if (expectedSeq === null || broken.seq === expectedSeq) {
    const next = after[1];
    const brokenIntact = next === undefined || next.prev === broken.hash;
    if (brokenIntact && atGenesis && anchor.index < 0) {
      return { kind: 'genesis-mismatch', line, seq: broken.seq, message: `line ${line} does not start from the log's genesis: its prev is ${broken.prev}, the genesis is ${anchor.hash}`, evidence: { genesis: anchor.hash, prev: broken.prev } };
    }
    if (brokenIntact && anchor.index >= 0) {
      return { kind: 'modified', line: anchor.index + 1, seq: anchor.seq, message: `line ${anchor.index + 1} (seq ${anchor.seq ?? '?'}) was modified: its bytes no longer hash to the prev that line ${line} recorded`, evidence: { recordedSha256: broken.prev, actualSha256: anchor.hash, detectedAtLine: line } };
    }
    return { kind: 'modified', line, seq: broken.seq, message: `line ${line} (seq ${broken.seq ?? '?'}) was modified: neither its prev nor its own hash fits its neighbours`, evidence: { prev: broken.prev, expectedPrev: anchor.hash } };
  }
  return { kind: 'chain-broken', line, seq: broken.seq, message: `the chain breaks at line ${line}: prev ${broken.prev} is not the sha256 of the line before, and seq ${broken.seq ?? '?'} does not follow ${anchor.seq ?? '?'}`, evidence: { prev: broken.prev, expectedPrev: anchor.hash } };
}
