// `assay logs verify` through the built CLI: exit 0 intact, 1 broken with the first broken entry named,
// 2 could not run; with --otlp, an OpenTelemetry export's content only, and the output says so.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateSample, type GeneratedSample } from '../../main/engine/sample/generate-sample.js';
import { runAssay } from '../helpers/cli.js';

let work: string;
let sample: GeneratedSample;
let segment: string;
let checkpoint: string;
let key: string;

/** The OTLP unit tests' export: line 2's last record lacks confidence and names model version 4.2.0. */
const OTLP_SAMPLE = 'test/unit/logs/otlp-sample.jsonl';

/** The sample without that record: every event passes. */
function cleanOtlpExport(): string {
  const [first, second] = readFileSync(OTLP_SAMPLE, 'utf8').trim().split('\n');
  const data = JSON.parse(second!) as { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] };
  data.resourceLogs[0]!.scopeLogs[0]!.logRecords.pop();
  const file = join(work, 'otlp-clean.jsonl');
  writeFileSync(file, `${first!}\n${JSON.stringify(data)}\n`);
  return file;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-cli-logs-'));
  sample = await generateSample(join(work, 'out'), { logEntries: 300, artefactBytes: 1024 });
  segment = join(sample.bundleDir, 'logs/inference/2026-09-12.jsonl');
  checkpoint = join(sample.bundleDir, 'logs/inference/2026-09-12.checkpoint.json');
  key = join(sample.trustDir, 'keys/pipeline.pem');
});
after(() => rmSync(work, { recursive: true, force: true }));

test('an intact segment verifies against its signed checkpoint: exit 0', async () => {
  const result = await runAssay(['logs', 'verify', segment, '--checkpoint', checkpoint, '--key', key, '--events', '--model-version', '4.3.2']);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  assert.match(result.stdout, /^Intact: /);
  assert.match(result.stdout, /checkpoint: signed/);
});

test('a deleted entry: exit 1, the first broken entry named by line and seq', async () => {
  const lines = readFileSync(segment, 'utf8').split('\n');
  const broken = join(work, 'broken.jsonl');
  writeFileSync(broken, [...lines.slice(0, 4), ...lines.slice(5)].join('\n'));
  const seq = (JSON.parse(lines[5]!) as { seq: number }).seq;
  const result = await runAssay(['logs', 'verify', broken, '--checkpoint', checkpoint, '--key', key]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, new RegExp(`first broken entry: line 5 \\(seq ${seq}\\): deleted`));
  assert.match(result.stdout, /truncated/);
});

test('a checkpoint checked with another key: exit 1; usage and unreadable input: exit 2', async () => {
  const other = join(work, 'other.pem');
  const { deriveEd25519Key } = await import('../../main/engine/sample/keys.js');
  writeFileSync(other, deriveEd25519Key('someone-else', 'pipeline').publicKeyPem);
  const wrongKey = await runAssay(['logs', 'verify', segment, '--checkpoint', checkpoint, '--key', other]);
  assert.equal(wrongKey.code, 1);
  assert.match(wrongKey.stderr, /signer-untrusted/);
  assert.equal((await runAssay(['logs', 'verify', segment, '--checkpoint', checkpoint])).code, 2);
  assert.equal((await runAssay(['logs', 'verify', join(work, 'missing.jsonl')])).code, 2);
  assert.equal((await runAssay(['logs', 'frobnicate'])).code, 2);
});

test('--otlp: a clean export passes (exit 0), and text and JSON say no chain was checked', async () => {
  const clean = cleanOtlpExport();
  const text = await runAssay(['logs', 'verify', clean, '--otlp', '--model-version', '4.3.2']);
  assert.equal(text.code, 0, text.stderr + text.stdout);
  assert.match(text.stdout, /^Content passed: /);
  assert.match(text.stdout, /no hash chain, so only its content was checked, never its completeness or integrity/);
  assert.match(text.stdout, /5 log records/);
  assert.doesNotMatch(text.stdout, /intact/i);
  const json = await runAssay(['logs', 'verify', clean, '--otlp', '--format', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as Record<string, unknown> & { events: { lines: number } };
  assert.equal(report['hashChain'], false);
  assert.equal(report['contentPassed'], true);
  assert.match(String(report['note']), /no hash chain, so only its content was checked, never its completeness or integrity/);
  assert.equal(report.events.lines, 5);
  assert.doesNotMatch(json.stdout, /intact/i);
});

test('--otlp: a record without an Art. 12 field or of another model version: exit 1, the line named', async () => {
  const sampleResult = await runAssay(['logs', 'verify', OTLP_SAMPLE, '--otlp', '--model-version', '4.3.2']);
  assert.equal(sampleResult.code, 1, sampleResult.stderr);
  assert.match(sampleResult.stdout, /^CONTENT PROBLEMS: /);
  assert.match(sampleResult.stdout, /field-missing: 1 event\(s\), first line 2: the inference event lacks confidence/);
  assert.match(sampleResult.stdout, /model-mismatch: 1 event\(s\), first line 2: .*4\.2\.0/);
  assert.match(sampleResult.stdout, /no hash chain/);
  const otherModel = await runAssay(['logs', 'verify', cleanOtlpExport(), '--otlp', '--model-version', '9.9.9', '--format', 'json']);
  assert.equal(otherModel.code, 1, otherModel.stderr);
  const report = JSON.parse(otherModel.stdout) as { contentPassed: boolean; events: { problems: { kind: string; line: number }[] } };
  assert.equal(report.contentPassed, false);
  const first = report.events.problems[0]!;
  assert.equal(first.kind, 'model-mismatch');
  assert.equal(first.line, 1);
});

test('--otlp: an Assay log is not an OTLP export, and chain options are usage errors: exit 2', async () => {
  const notOtlp = await runAssay(['logs', 'verify', segment, '--otlp']);
  assert.equal(notOtlp.code, 2, notOtlp.stdout);
  assert.match(notOtlp.stderr, /is not an OTLP JSON export .*line 1: not an OTLP LogsData object/);
  assert.equal(notOtlp.stdout, '');
  const withCheckpoint = await runAssay(['logs', 'verify', OTLP_SAMPLE, '--otlp', '--checkpoint', checkpoint, '--key', key]);
  assert.equal(withCheckpoint.code, 2);
  assert.match(withCheckpoint.stderr, /usage: --otlp takes no --checkpoint, --key: an OTLP export has no hash chain/);
  const withGenesis = await runAssay(['logs', 'verify', OTLP_SAMPLE, '--otlp', '--genesis', 'a'.repeat(64)]);
  assert.equal(withGenesis.code, 2);
  assert.match(withGenesis.stderr, /--otlp takes no --genesis/);
});
