// OpenTelemetry OTLP JSON log exports (the file exporter's JSON Lines: one `LogsData` object per line,
// resourceLogs -> scopeLogs -> logRecords) read into Assay's event model, so the same Art. 12 content
// rules apply to systems that log through OpenTelemetry. Such exports are not hash-chained: only their
// content can be checked. Mapping (docs/log-format.md, "OpenTelemetry"): the event type is the
// `event.name` attribute, the correlation id the `correlation_id` attribute (else the trace id), the
// time `timeUnixNano` (else `observedTimeUnixNano`), and the other attributes become the event's fields,
// dotted keys nested (`model.version` -> {model: {version}}).

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { checkEvent, ProblemTally, type EventProblem, type EventRules, type LogEvent } from './events.js';
import { LogUnreadableError, type EventsVerification } from './verify-log.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Not OTLP: one value (inside a line), or a whole file in which no line is a LogsData object with records. */
export class OtlpFormatError extends Error {}

/** Decodes an OTLP `AnyValue` (JSON encoding: int64 as decimal strings, bytes as base64). */
export function anyValue(value: unknown): Json {
  if (!isObject(value)) throw new OtlpFormatError('an AnyValue must be an object');
  if ('stringValue' in value) return String(value['stringValue']);
  if ('boolValue' in value) return value['boolValue'] === true;
  if ('intValue' in value) {
    const n = Number(value['intValue']);
    if (!Number.isSafeInteger(n)) throw new OtlpFormatError(`intValue ${String(value['intValue'])} is not a safe integer`);
    return n;
  }
  if ('doubleValue' in value) return Number(value['doubleValue']);
  if ('bytesValue' in value) return String(value['bytesValue']);
  if ('arrayValue' in value) {
    const values = isObject(value['arrayValue']) ? value['arrayValue']['values'] : undefined;
    return Array.isArray(values) ? values.map(anyValue) : [];
  }
  if ('kvlistValue' in value) {
    const values = isObject(value['kvlistValue']) ? value['kvlistValue']['values'] : undefined;
    return attributesToObject(Array.isArray(values) ? values : [], false);
  }
  return null; // an empty AnyValue
}

/** `[{key, value}]` to an object; with `nest`, dotted keys become nested objects. */
export function attributesToObject(attributes: readonly unknown[], nest = true): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const attribute of attributes) {
    if (!isObject(attribute) || typeof attribute['key'] !== 'string') throw new OtlpFormatError('an attribute must be {key, value}');
    const value = anyValue(attribute['value']);
    const path = nest ? attribute['key'].split('.') : [attribute['key']];
    let target = out;
    for (const part of path.slice(0, -1)) {
      const existing = target[part];
      if (!isObject(existing)) target[part] = {};
      target = target[part] as { [key: string]: Json };
    }
    target[path[path.length - 1]!] = value;
  }
  return out;
}

function nanosToIso(nanos: unknown): string | null {
  if (typeof nanos !== 'string' && typeof nanos !== 'number') return null;
  const text = String(nanos);
  if (!/^\d{1,20}$/.test(text) || /^0+$/.test(text)) return null;
  const ms = Number(BigInt(text) / 1_000_000n);
  return new Date(ms).toISOString();
}

/** The events of one parsed `LogsData` object (one line of an export). */
export function eventsOfLogsData(data: unknown, line: number): LogEvent[] {
  if (!isObject(data) || !Array.isArray(data['resourceLogs'])) throw new OtlpFormatError('not an OTLP LogsData object (no resourceLogs)');
  const events: LogEvent[] = [];
  for (const resourceLogs of data['resourceLogs']) {
    if (!isObject(resourceLogs)) throw new OtlpFormatError('resourceLogs entries must be objects');
    const scopeLogs = resourceLogs['scopeLogs'];
    if (!Array.isArray(scopeLogs)) continue;
    for (const scope of scopeLogs) {
      if (!isObject(scope) || !Array.isArray(scope['logRecords'])) continue;
      for (const record of scope['logRecords']) {
        if (!isObject(record)) throw new OtlpFormatError('logRecords entries must be objects');
        const fields = attributesToObject(Array.isArray(record['attributes']) ? record['attributes'] : []);
        const type = typeof fields['event'] === 'object' && isObject(fields['event']) && typeof fields['event']['name'] === 'string' ? fields['event']['name'] : typeof record['eventName'] === 'string' ? record['eventName'] : '';
        delete fields['event'];
        const correlation = fields['correlation_id'];
        delete fields['correlation_id'];
        const traceId = typeof record['traceId'] === 'string' ? record['traceId'] : '';
        const seq = typeof fields['seq'] === 'number' ? fields['seq'] : null;
        delete fields['seq'];
        if (record['body'] !== undefined) fields['body'] = anyValue(record['body']);
        fields['trace'] = { trace_id: traceId, span_id: typeof record['spanId'] === 'string' ? record['spanId'] : '' };
        events.push({
          line,
          seq,
          time: nanosToIso(record['timeUnixNano']) ?? nanosToIso(record['observedTimeUnixNano']) ?? '',
          type,
          correlationId: typeof correlation === 'string' && correlation !== '' ? correlation : traceId,
          fields,
        });
      }
    }
  }
  return events;
}

/** Streams the events of an OTLP JSON Lines export; a line that is not LogsData yields a problem instead. */
export async function* readOtlpEvents(path: string): AsyncGenerator<{ event: LogEvent } | { problem: EventProblem }> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    let events: LogEvent[];
    try {
      events = eventsOfLogsData(JSON.parse(text), line);
    } catch (error) {
      yield { problem: { kind: 'not-json', line, seq: null, message: `line ${line}: ${(error as Error).message}` } };
      continue;
    }
    for (const event of events) yield { event };
  }
}

/**
 * The Art. 12 content rules over an OTLP export (no chain: OTLP exports carry none). A line that is not
 * LogsData is a problem of the export; a file with no log record and such a line is not an export at all
 * (say, an Assay log or a pretty-printed JSON file): OtlpFormatError naming the first such line. A file
 * that cannot be read: LogUnreadableError.
 */
export async function checkOtlpEvents(path: string, rules: EventRules): Promise<EventsVerification> {
  const tally = new ProblemTally();
  const byType: Record<string, number> = {};
  let events = 0;
  try {
    for await (const item of readOtlpEvents(path)) {
      if ('problem' in item) {
        tally.add(item.problem);
        continue;
      }
      events += 1;
      const event = item.event;
      byType[event.type] = (byType[event.type] ?? 0) + 1;
      if (event.time === '') tally.add({ kind: 'envelope-missing', line: event.line, seq: event.seq, message: `line ${event.line}: a log record has no time` });
      for (const problem of checkEvent(event, rules)) tally.add(problem);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') throw new LogUnreadableError(path, `cannot read OTLP export ${path}: ${code}`);
    throw error;
  }
  const notLogsData = tally.problems.find((p) => p.kind === 'not-json');
  if (events === 0 && notLogsData !== undefined) throw new OtlpFormatError(`${path} is not an OTLP JSON export (JSON Lines, one LogsData object per line): ${notLogsData.message}`);
  return { path, lines: events, byType, problems: tally.problems, problemCounts: tally.counts };
}
