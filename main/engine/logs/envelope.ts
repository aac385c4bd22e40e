// The envelope of an `assay.log/v1` line, read from the raw bytes without JSON.parse: this is the hot
// path of chain verification, so it checks the fixed prefix byte by byte (docs/log-format.md, "Envelope")
// and returns where the fields are. Whole-line JSON validity is the event pass's job (events.ts).

/** A line longer than this is malformed: no event needs it, and it bounds the verifier's memory. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** Length of an envelope timestamp: `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
export const TIME_LENGTH = 24;
const HEX_LENGTH = 64;
const MAX_SEQ_DIGITS = 15; // below 2^53: every seq is an exact JSON number
const MAX_ID_BYTES = 128;

const SEQ = Buffer.from('{"seq":', 'latin1');
const TIME = Buffer.from(',"time":"', 'latin1');
const PREV = Buffer.from('","prev":"', 'latin1');
const TYPE = Buffer.from('","type":"', 'latin1');
const CORRELATION = Buffer.from('","correlation_id":"', 'latin1');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;

export interface Envelope {
  readonly seq: number;
  /** Offset of the 24-byte timestamp within the buffer. */
  readonly timeAt: number;
  /** Offset of the 64 hex characters of `prev` within the buffer. */
  readonly prevAt: number;
  readonly typeAt: number;
  readonly typeEnd: number;
  readonly correlationAt: number;
  readonly correlationEnd: number;
}

/** Why a line's envelope is not the one the format prescribes; null when it is. */
export type EnvelopeResult = { readonly ok: true; readonly envelope: Envelope } | { readonly ok: false; readonly reason: string };

function startsWith(buf: Buffer, at: number, end: number, literal: Buffer): boolean {
  return end - at >= literal.length && buf.compare(literal, 0, literal.length, at, at + literal.length) === 0;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function digits(buf: Buffer, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const byte = buf[i]!;
    if (!isDigit(byte)) return -1;
    value = value * 10 + (byte - 0x30);
  }
  return value;
}

/** `YYYY-MM-DDTHH:MM:SS.mmmZ` with plausible field ranges; fixed width, so byte order is time order. */
export function isEnvelopeTime(buf: Buffer, at: number): boolean {
  if (buf[at + 4] !== 0x2d || buf[at + 7] !== 0x2d || buf[at + 10] !== 0x54 || buf[at + 13] !== 0x3a || buf[at + 16] !== 0x3a || buf[at + 19] !== 0x2e || buf[at + 23] !== 0x5a) return false;
  const year = digits(buf, at, 4);
  const month = digits(buf, at + 5, 2);
  const day = digits(buf, at + 8, 2);
  const hour = digits(buf, at + 11, 2);
  const minute = digits(buf, at + 14, 2);
  const second = digits(buf, at + 17, 2);
  const millis = digits(buf, at + 20, 3);
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && millis >= 0;
}

function isLowerHex(buf: Buffer, at: number, count: number): boolean {
  for (let i = at; i < at + count; i++) {
    const byte = buf[i]!;
    if (!(isDigit(byte) || (byte >= 0x61 && byte <= 0x66))) return false;
  }
  return true;
}

/** End of a plain identifier string starting at `at` (printable ASCII, no quote or backslash), or -1. */
function plainStringEnd(buf: Buffer, at: number, end: number): number {
  const limit = Math.min(end, at + MAX_ID_BYTES + 1);
  for (let i = at; i < limit; i++) {
    const byte = buf[i]!;
    if (byte === QUOTE) return i > at ? i : -1;
    if (byte < 0x20 || byte > 0x7e || byte === BACKSLASH) return -1;
  }
  return -1;
}

/**
 * Reads the envelope of the line `buf[start, end)` (without its newline). The line must begin with
 * `{"seq":N,"time":"T","prev":"H","type":"S","correlation_id":"S"` and then close the object or go on
 * with `,`; it must end with `}`.
 */
export function readEnvelope(buf: Buffer, start: number, end: number): EnvelopeResult {
  if (end === start) return { ok: false, reason: 'empty line' };
  if (buf[end - 1] !== CLOSE_BRACE) return { ok: false, reason: buf[end - 1] === 0x0d ? 'line ends with a carriage return' : 'line does not end with "}"' };
  if (!startsWith(buf, start, end, SEQ)) return { ok: false, reason: 'line does not start with {"seq":' };
  let at = start + SEQ.length;
  const seqAt = at;
  while (at < end && isDigit(buf[at]!)) at++;
  const seqDigits = at - seqAt;
  if (seqDigits === 0 || seqDigits > MAX_SEQ_DIGITS || (seqDigits > 1 && buf[seqAt] === 0x30)) return { ok: false, reason: 'seq is not a non-negative integer' };
  const seq = digits(buf, seqAt, seqDigits);
  if (!startsWith(buf, at, end, TIME)) return { ok: false, reason: 'time does not follow seq' };
  at += TIME.length;
  const timeAt = at;
  if (end - at < TIME_LENGTH || !isEnvelopeTime(buf, at)) return { ok: false, reason: 'time is not YYYY-MM-DDTHH:MM:SS.mmmZ' };
  at += TIME_LENGTH;
  if (!startsWith(buf, at, end, PREV)) return { ok: false, reason: 'prev does not follow time' };
  at += PREV.length;
  const prevAt = at;
  if (end - at < HEX_LENGTH || !isLowerHex(buf, at, HEX_LENGTH)) return { ok: false, reason: 'prev is not 64 lowercase hex characters' };
  at += HEX_LENGTH;
  if (!startsWith(buf, at, end, TYPE)) return { ok: false, reason: 'type does not follow prev' };
  at += TYPE.length;
  const typeAt = at;
  const typeEnd = plainStringEnd(buf, at, end);
  if (typeEnd < 0) return { ok: false, reason: 'type is not a plain string of 1 to 128 printable ASCII characters' };
  at = typeEnd;
  if (!startsWith(buf, at, end, CORRELATION)) return { ok: false, reason: 'correlation_id does not follow type' };
  at += CORRELATION.length;
  const correlationAt = at;
  const correlationEnd = plainStringEnd(buf, at, end);
  if (correlationEnd < 0) return { ok: false, reason: 'correlation_id is not a plain string of 1 to 128 printable ASCII characters' };
  at = correlationEnd + 1;
  const next = buf[at];
  if (!(at === end - 1 && next === CLOSE_BRACE) && !(next === COMMA && at < end - 2)) return { ok: false, reason: 'the envelope is not followed by "}" or by more fields' };
  return { ok: true, envelope: { seq, timeAt, prevAt, typeAt, typeEnd, correlationAt, correlationEnd } };
}
