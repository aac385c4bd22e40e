// The clean sample passes `verify`; each named tampered variant fails with the finding beside it.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateSample, type GeneratedSample } from '../../main/engine/sample/generate-sample.js';
import { verify } from '../../main/engine/verify.js';
import { TAMPERED_RECORD_SAMPLES, TAMPERED_SAMPLES } from '../helpers/tampered-samples.js';

let work: string;
let sample: GeneratedSample;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-tamper-'));
  sample = await generateSample(join(work, 'clean'), { logEntries: 200, artefactBytes: 4096 });
});
after(() => rmSync(work, { recursive: true, force: true }));

test('the clean sample passes', async () => {
  const report = await verify(sample.bundleDir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
  assert.equal(report.verdict, 'PASS', JSON.stringify(report.checks, null, 1));
  const prefixes = report.checks.map((c) => c.check);
  for (const required of ['INT', 'SIG', 'REC', 'SBOM', 'LOG']) assert.ok(prefixes.includes(required), `${required} ran`);
  for (const check of report.checks) {
    assert.equal(check.status, 'passed', check.check);
    assert.ok(check.findings.length > 0 && check.findings.every((f) => f.status === 'pass'), `${check.check}: ${check.findings.map((f) => f.id).join(', ')}`);
  }
  assert.deepEqual(report.checks.find((c) => c.check === 'REC')?.findings.map((f) => f.id), Array(7).fill('REC-VALID'));
});

for (const tampered of [...TAMPERED_SAMPLES, ...TAMPERED_RECORD_SAMPLES]) {
  test(`${tampered.name} fails with ${tampered.expect}`, async () => {
    const dir = join(work, tampered.name);
    cpSync(sample.bundleDir, dir, { recursive: true });
    tampered.apply(dir);
    const report = await verify(dir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
    const failing = report.checks.flatMap((c) => c.findings).filter((f) => f.status === 'fail');
    assert.equal(report.verdict, 'FAIL');
    assert.ok(
      failing.some((f) => f.id === tampered.expect),
      `expected ${tampered.expect}, got ${failing.map((f) => `${f.id}: ${f.message}`).join(' | ')}`,
    );
    if (tampered.onlyCheck !== undefined) {
      assert.deepEqual([...new Set(failing.map((f) => f.id.split('-')[0]))], [tampered.onlyCheck], failing.map((f) => f.id).join(', '));
    }
  });
}
