// `assay logs verify` through the built CLI: exit 0 intact, 1 broken with the first broken entry named,
// 2 could not run.

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
