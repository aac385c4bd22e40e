// OpenTelemetry OTLP JSON log exports (JSON Lines of LogsData, as the collector's file exporter writes
// them) read into the event model, with the same Art. 12 content rules as Assay's own logs.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkOtlpEvents, OtlpFormatError, readOtlpEvents } from '../../../main/engine/logs/otlp.js';
import type { LogEvent } from '../../../main/engine/logs/events.js';
import { LogUnreadableError } from '../../../main/engine/logs/verify-log.js';
import { chain, entries, TempDir } from './log-fixture.js';

/** A hand-written export following the OTLP JSON encoding (hex trace ids, int64 as strings, AnyValue). */
const SAMPLE = 'test/unit/logs/otlp-sample.jsonl';
const RULES = { profile: 'inference', modelVersion: '4.3.2', modelName: 'credit-risk-classifier' } as const;

test('every log record becomes an event: type, correlation id, time, nested attributes', async () => {
  const events: LogEvent[] = [];
  for await (const item of readOtlpEvents(SAMPLE)) {
    assert.ok('event' in item, JSON.stringify(item));
    events.push(item.event);
  }
  assert.deepEqual(events.map((e) => e.type), ['deployment', 'inference', 'post-processing', 'oversight', 'config-change', 'inference']);
  assert.deepEqual(events.map((e) => e.line), [1, 1, 2, 2, 2, 2]);
  const inference = events[1]!;
  assert.equal(inference.time, '2026-09-10T07:00:05.000Z');
  assert.equal(inference.correlationId, '0e7c9a1d-6f43-4a0b-8d2e-1c5b7f9a3e21');
  assert.deepEqual(inference.fields['model'], { name: 'credit-risk-classifier', version: '4.3.2' });
  assert.deepEqual(inference.fields['input'], { sha256: '1205364fb001ec49b69cef5e6200da461606dc9bbf23e50155f431015930cc70', bytes: 1398 });
  assert.deepEqual(inference.fields['output'], { label: 'refer', probability_of_default: 0.3512 });
  assert.equal(inference.fields['confidence'], 0.5821);
  assert.deepEqual(inference.fields['trace'], { trace_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', span_id: '1a2b3c4d5e6f7081' });
  assert.deepEqual(events[0]!.fields['approval_references'], ['CHG-2026-8371', 'RAB-2026-796']);
  assert.deepEqual(events[2]!.fields['original'], { label: 'approve' });
  assert.deepEqual(events[4]!.fields['new'], [0.34, 0.57]);
  assert.equal(events[4]!.correlationId, '77aa3e10-95d4-4e0f-b1c2-3d4e5f607182');
});

test('the Art. 12 rules find the record without confidence and with another model version, and nothing else', async () => {
  const result = await checkOtlpEvents(SAMPLE, RULES);
  assert.equal(result.lines, 6);
  assert.deepEqual(result.problemCounts, { 'field-missing': 1, 'model-mismatch': 1 });
  assert.ok(result.problems.every((p) => p.line === 2));
  assert.match(result.problems.find((p) => p.kind === 'field-missing')!.message, /confidence/);
  assert.match(result.problems.find((p) => p.kind === 'model-mismatch')!.message, /4\.2\.0/);
});

test('a line that is not LogsData is a problem, not a crash; a record without event.name is an unknown type', async () => {
  const dir = new TempDir();
  try {
    const bad = dir.write(['{"resourceLogs": [', '{"something":"else"}', JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1789023600000000000', attributes: [{ key: 'correlation_id', value: { stringValue: 'x' } }] }] }] }] })]);
    const result = await checkOtlpEvents(bad, RULES);
    assert.deepEqual(result.problemCounts, { 'not-json': 2, 'unknown-type': 1 });
  } finally {
    dir.remove();
  }
});

test('a file with no log record and a line that is not LogsData is not an export: the first such line named', async () => {
  const dir = new TempDir();
  try {
    const assayLog = dir.write(chain(entries(3)));
    await assert.rejects(checkOtlpEvents(assayLog, RULES), (error: Error) => error instanceof OtlpFormatError && /not an OTLP JSON export.*line 1: not an OTLP LogsData object/.test(error.message));
    const prettyPrinted = dir.write(JSON.stringify(JSON.parse(readFileSync(SAMPLE, 'utf8').split('\n')[0]!), null, 2));
    await assert.rejects(checkOtlpEvents(prettyPrinted, RULES), (error: Error) => error instanceof OtlpFormatError && /line 1: /.test(error.message));
    await assert.rejects(checkOtlpEvents(join(dir.path, 'missing.jsonl'), RULES), (error: Error) => error instanceof LogUnreadableError && /ENOENT/.test(error.message));
  } finally {
    dir.remove();
  }
});
