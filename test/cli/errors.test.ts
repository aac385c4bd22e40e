// Bad input to the CLI ends with exit code 2 and a one-line reason, never a stack trace.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runAssay } from '../helpers/cli.js';

let work: string;
let sample: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-cli-errors-'));
  sample = join(work, 'sample');
  const result = await runAssay(['sample', sample]);
  assert.equal(result.code, 0, result.stderr);
});
after(() => rmSync(work, { recursive: true, force: true }));

function assertOneLineError(result: { code: number | null; stderr: string; stdout: string }, pattern: RegExp): void {
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, pattern);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
}

test('unknown command, unknown flag, missing argument', async () => {
  assertOneLineError(await runAssay(['frobnicate']), /unknown command/);
  assertOneLineError(await runAssay(['verify', sample, '--bogus']), /usage/);
  assertOneLineError(await runAssay(['verify']), /usage/);
  assertOneLineError(await runAssay(['verify', join(sample, 'bundle'), '--format', 'xml']), /--format/);
  assertOneLineError(await runAssay(['sample', join(work, 'x'), '--log-entries', 'many']), /whole number/);
});

test('a bundle that does not exist, or is not a bundle', async () => {
  assertOneLineError(await runAssay(['verify', join(work, 'nope')]), /nope/);
  const junk = join(work, 'junk.bin');
  writeFileSync(junk, 'this is not an archive');
  assertOneLineError(await runAssay(['verify', junk]), /junk\.bin/);
});

test('trust without policy, a missing trust store, an invalid policy', async () => {
  const bundle = join(sample, 'bundle');
  assertOneLineError(await runAssay(['verify', bundle, '--trust', join(sample, 'trust')]), /go together/);
  assertOneLineError(await runAssay(['verify', bundle, '--trust', join(work, 'none'), '--policy', join(sample, 'policy.yaml')]), /trust store/);
  const policy = join(work, 'bad-policy.yaml');
  writeFileSync(policy, 'apiVersion: assay/policy/v1\nmanifest:\n  signer:\n    key: pipeline\n    key: other\n');
  assertOneLineError(await runAssay(['verify', bundle, '--trust', join(sample, 'trust'), '--policy', policy]), /duplicate key/);
  writeFileSync(policy, 'apiVersion: assay/policy/v1\nmanifest:\n  signer:\n    keyy: pipeline\n');
  assertOneLineError(await runAssay(['verify', bundle, '--trust', join(sample, 'trust'), '--policy', policy]), /schema/);
  writeFileSync(policy, 'apiVersion: assay/policy/v1\nmanifest:\n  signer:\n    key: someone-else\n');
  assertOneLineError(await runAssay(['verify', bundle, '--trust', join(sample, 'trust'), '--policy', policy]), /someone-else/);
  const trust = join(work, 'bad-trust');
  mkdirSync(join(trust, 'keys'), { recursive: true });
  writeFileSync(join(trust, 'keys', 'pipeline.pem'), '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
  assertOneLineError(await runAssay(['verify', bundle, '--trust', trust, '--policy', join(sample, 'policy.yaml')]), /not a PEM public key/);
});
