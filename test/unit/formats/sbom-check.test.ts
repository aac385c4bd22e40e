// The SBOM check on the sample release: the clean sample's SBOM passes and lists both model artefacts;
// each SBOM tampered sample breaks the SBOM rule it names and nothing else (INT and SIG still pass).

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateSample, type GeneratedSample } from '../../../main/engine/sample/generate-sample.js';
import { verify } from '../../../main/engine/verify.js';
import { TAMPERED_SAMPLES } from '../../helpers/tampered-samples.js';

let work: string;
let sample: GeneratedSample;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-sbom-check-'));
  sample = await generateSample(join(work, 'clean'), { logEntries: 20, artefactBytes: 2048 });
});
after(() => rmSync(work, { recursive: true, force: true }));

test('the sample SBOM is valid and lists every model artefact with the manifest sha256', async () => {
  const report = await verify(sample.bundleDir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
  const sbom = report.checks.find((c) => c.check === 'SBOM')!;
  assert.equal(sbom.status, 'passed');
  assert.deepEqual(
    sbom.findings.map((f) => [f.id, f.subject.kind === 'file' ? f.subject.path : '']),
    [
      ['SBOM-VALID', 'sbom/model.cdx.json'],
      ['SBOM-MODEL-LISTED', 'artefacts/model.onnx'],
      ['SBOM-MODEL-LISTED', 'artefacts/config.json'],
    ],
  );
});

for (const tampered of TAMPERED_SAMPLES.filter((t) => t.expect.startsWith('SBOM-'))) {
  test(`${tampered.name}: only the SBOM check fails, with ${tampered.expect}`, async () => {
    const dir = join(work, tampered.name);
    cpSync(sample.bundleDir, dir, { recursive: true });
    tampered.apply(dir);
    const report = await verify(dir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
    assert.equal(report.verdict, 'FAIL');
    for (const check of report.checks) assert.equal(check.status, check.check === 'SBOM' ? 'failed' : 'passed', `${check.check}: ${check.findings.map((f) => f.message).join(' | ')}`);
    const failing = report.checks.flatMap((c) => c.findings).filter((f) => f.status === 'fail');
    assert.ok(failing.some((f) => f.id === tampered.expect), failing.map((f) => `${f.id}: ${f.message}`).join(' | '));
    if (tampered.expect === 'SBOM-MODEL-HASH-MISMATCH') {
      const finding = failing.find((f) => f.id === tampered.expect)!;
      assert.match(finding.message, /component "credit-risk-classifier"/);
      assert.match(finding.message, new RegExp(`sha256 ${'e'.repeat(64)}`));
      assert.equal(finding.evidence['sbomSha256'], 'e'.repeat(64));
      assert.match(String(finding.evidence['manifestSha256']), /^[0-9a-f]{64}$/);
    }
  });
}
