// The event model of Assay's logs and the Art. 12 content rules over it. An event is what one log line
// (or one OpenTelemetry log record, otlp.ts) says: time, type, correlation id and the event's own
// fields. `checkEvent` is pure; `EventChecker` parses chained log lines strictly (whole-line JSON, no
// duplicate keys at any depth) and applies it, keeping counts and the first examples of each problem.

import { isUtf8 } from 'node:buffer';
import type { LineSink } from './read-lines.js';

/** Event types of an Art. 12 inference log (`assay.art12-inference/v1`, docs/log-format.md). */
export const INFERENCE_EVENT_TYPES = ['deployment', 'inference', 'post-processing', 'oversight', 'config-change'] as const;
export type InferenceEventType = (typeof INFERENCE_EVENT_TYPES)[number];

export const ENVELOPE_FIELDS = ['seq', 'time', 'prev', 'type', 'correlation_id'] as const;

export interface LogEvent {
  /** Position in its source: 1-based line of the log file (or of the OTLP export). */
  readonly line: number;
  readonly seq: number | null;
  readonly time: string;
  readonly type: string;
  readonly correlationId: string;
  /** The event's own fields: everything but the envelope. */
  readonly fields: Readonly<Record<string, unknown>>;
}

export type EventProblemKind = 'not-json' | 'duplicate-key' | 'envelope-missing' | 'unknown-type' | 'field-missing' | 'model-mismatch';

export interface EventProblem {
  readonly kind: EventProblemKind;
  readonly line: number;
  readonly seq: number | null;
  readonly message: string;
}

/** What the events of one log must satisfy. */
export interface EventRules {
  /** `inference`: the Art. 12 rules for every event type; `envelope`: only well-formedness and correlation ids. */
  readonly profile: 'inference' | 'envelope';
  /** The version of the bundle's model; every inference-log event must name it. Null: not checked. */
  readonly modelVersion: string | null;
  readonly modelName: string | null;
}

export interface EventSummary {
  readonly lines: number;
  readonly byType: Readonly<Record<string, number>>;
  /** The first few problems of each kind, in line order within each kind. */
  readonly problems: readonly EventProblem[];
  readonly problemCounts: Readonly<Partial<Record<EventProblemKind, number>>>;
}

/** Examples kept per problem kind; the counts go on. */
export const EXAMPLES_PER_KIND = 5;

const SHA256_HEX = /^[0-9a-f]{64}$/;

type Fields = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const present = (v: unknown): boolean => v !== undefined && v !== null;

/** The model version an event states: `model.version` on inference events, `version` on deployments, `model_version` otherwise. */
export function modelVersionOf(type: string, fields: Fields): unknown {
  if (type === 'inference') return isObject(fields['model']) ? fields['model']['version'] : undefined;
  if (type === 'deployment') return fields['version'];
  return fields['model_version'];
}

/** Art. 12 fields each inference-log event type must carry (docs/log-format.md, "Event content"). */
const REQUIRED: Readonly<Record<InferenceEventType, readonly [string, (fields: Fields) => boolean][]>> = {
  deployment: [
    ['version', (f) => nonEmptyString(f['version'])],
    ['approval_references', (f) => Array.isArray(f['approval_references']) && f['approval_references'].length > 0 && f['approval_references'].every(nonEmptyString)],
  ],
  inference: [
    ['input.sha256', (f) => isObject(f['input']) && typeof f['input']['sha256'] === 'string' && SHA256_HEX.test(f['input']['sha256'])],
    ['model.version', (f) => isObject(f['model']) && nonEmptyString(f['model']['version'])],
    ['output', (f) => present(f['output'])],
    ['confidence', (f) => typeof f['confidence'] === 'number' && f['confidence'] >= 0 && f['confidence'] <= 1],
  ],
  'post-processing': [
    ['original', (f) => present(f['original'])],
    ['modified', (f) => present(f['modified'])],
    ['rule', (f) => nonEmptyString(f['rule'])],
    ['model_version', (f) => nonEmptyString(f['model_version'])],
  ],
  oversight: [
    ['reviewer', (f) => nonEmptyString(f['reviewer'])],
    ['decision', (f) => nonEmptyString(f['decision'])],
    ['rationale', (f) => nonEmptyString(f['rationale'])],
    ['model_version', (f) => nonEmptyString(f['model_version'])],
  ],
  'config-change': [
    ['old', (f) => present(f['old'])],
    ['new', (f) => present(f['new'])],
    ['changed_by', (f) => nonEmptyString(f['changed_by'])],
    ['model_version', (f) => nonEmptyString(f['model_version'])],
  ],
};

/** The content problems of one event under `rules` (pure). */
export function checkEvent(event: Pick<LogEvent, 'line' | 'seq' | 'type' | 'correlationId' | 'fields'>, rules: EventRules): EventProblem[] {
  const at = { line: event.line, seq: event.seq };
  const problems: EventProblem[] = [];
  if (!nonEmptyString(event.correlationId)) problems.push({ kind: 'envelope-missing', ...at, message: `line ${event.line}: the event has no correlation id` });
  if (rules.profile !== 'inference') return problems;
  const type = event.type as InferenceEventType;
  const required = REQUIRED[type];
  if (required === undefined) {
    problems.push({ kind: 'unknown-type', ...at, message: `line ${event.line}: "${event.type}" is not an event type of an Art. 12 inference log (${INFERENCE_EVENT_TYPES.join(', ')})` });
    return problems;
  }
  const missing = required.filter(([, ok]) => !ok(event.fields)).map(([name]) => name);
  if (missing.length > 0) problems.push({ kind: 'field-missing', ...at, message: `line ${event.line}: the ${type} event lacks ${missing.join(', ')} (or has ${missing.length === 1 ? 'it' : 'them'} empty or invalid)` });
  const version = modelVersionOf(type, event.fields);
  if (rules.modelVersion !== null && typeof version === 'string' && version !== rules.modelVersion) {
    problems.push({ kind: 'model-mismatch', ...at, message: `line ${event.line}: the ${type} event names model version ${version}, the bundle's model is ${rules.modelVersion}` });
  }
  const name = type === 'inference' && isObject(event.fields['model']) ? event.fields['model']['name'] : undefined;
  if (rules.modelName !== null && typeof name === 'string' && name !== rules.modelName) {
    problems.push({ kind: 'model-mismatch', ...at, message: `line ${event.line}: the inference event names model ${name}, the bundle's model is ${rules.modelName}` });
  }
  return problems;
}

/** Number of member names in JSON text that JSON.parse accepted: every string followed by ":" is one. */
function keysInText(text: string): number {
  let count = 0;
  for (let open = text.indexOf('"'); open >= 0; ) {
    let close = text.indexOf('"', open + 1);
    for (;;) {
      let backslashes = 0;
      for (let k = close - 1; text.charCodeAt(k) === 0x5c; k--) backslashes++;
      if (backslashes % 2 === 0) break;
      close = text.indexOf('"', close + 1);
    }
    let next = close + 1;
    for (let c = text.charCodeAt(next); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(++next));
    if (text.charCodeAt(next) === 0x3a) count++;
    open = text.indexOf('"', next);
  }
  return count;
}

/** Number of members of every object in a parsed value (iterative: a deeply nested line cannot overflow the stack). */
function keysInValue(root: unknown): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      count += keys.length;
      for (const key of keys) stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return count;
}

/**
 * Parses one line strictly: UTF-8, one JSON object, no repeated member name at any depth (JSON.parse
 * keeps the last of two equal names, so fewer parsed members than names in the text means a repeat).
 */
export function parseEventLine(bytes: Buffer, line: number): { ok: true; value: Record<string, unknown> } | { ok: false; problem: EventProblem } {
  const fail = (kind: EventProblemKind, message: string) => ({ ok: false as const, problem: { kind, line, seq: null, message: `line ${line}: ${message}` } });
  if (!isUtf8(bytes)) return fail('not-json', 'not UTF-8');
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail('not-json', `not JSON (${(error as Error).message})`);
  }
  if (!isObject(value)) return fail('not-json', 'not a JSON object');
  if (keysInValue(value) !== keysInText(text)) return fail('duplicate-key', 'a member name is repeated in an object (a parser-confusion trick: readers disagree on its value)');
  return { ok: true, value };
}

/** The event of a parsed chained-log line, or the envelope problem that prevents it. */
export function eventOfLine(value: Record<string, unknown>, line: number): { ok: true; event: LogEvent } | { ok: false; problem: EventProblem } {
  const { seq, time, type, correlation_id: correlationId } = value;
  const missing = ENVELOPE_FIELDS.filter((f) => value[f] === undefined);
  if (missing.length > 0 || typeof time !== 'string' || typeof type !== 'string' || typeof correlationId !== 'string' || typeof seq !== 'number') {
    return { ok: false, problem: { kind: 'envelope-missing', line, seq: typeof seq === 'number' ? seq : null, message: `line ${line}: the envelope lacks ${missing.length > 0 ? missing.join(', ') : 'well-typed fields'}` } };
  }
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (!(ENVELOPE_FIELDS as readonly string[]).includes(key)) fields[key] = value[key];
  return { ok: true, event: { line, seq, time, type, correlationId, fields } };
}

/** Collects problems: counts every one, keeps the first EXAMPLES_PER_KIND of each kind. */
export class ProblemTally {
  readonly problems: EventProblem[] = [];
  readonly counts: Partial<Record<EventProblemKind, number>> = {};

  add(problem: EventProblem): void {
    const n = (this.counts[problem.kind] ?? 0) + 1;
    this.counts[problem.kind] = n;
    if (n <= EXAMPLES_PER_KIND) this.problems.push(problem);
  }
}

/** Line sink for the event pass over a chained log (or a range of one: lines are counted from 1 in the range). */
export class EventChecker implements LineSink {
  readonly #tally = new ProblemTally();
  readonly #byType: Record<string, number> = {};
  #lines = 0;

  constructor(private readonly rules: EventRules) {}

  line(buf: Buffer, start: number, end: number): void {
    this.#lines += 1;
    const line = this.#lines;
    const parsed = parseEventLine(buf.subarray(start, end), line);
    if (!parsed.ok) return this.#tally.add(parsed.problem);
    const read = eventOfLine(parsed.value, line);
    if (!read.ok) return this.#tally.add(read.problem);
    this.#byType[read.event.type] = (this.#byType[read.event.type] ?? 0) + 1;
    for (const problem of checkEvent(read.event, this.rules)) this.#tally.add(problem);
  }

  hashedLine(_sha256Hex: string, _prefix: Buffer, _start: number, _end: number, malformed: string): void {
    this.#lines += 1;
    this.#tally.add({ kind: 'not-json', line: this.#lines, seq: null, message: `line ${this.#lines}: ${malformed}` });
  }

  finish(): EventSummary {
    return { lines: this.#lines, byType: this.#byType, problems: this.#tally.problems, problemCounts: this.#tally.counts };
  }
}
