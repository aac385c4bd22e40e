// The clean sample's supply-chain evidence verifies (SRC, PROV, LINK, SCAN); each tampered variant fails
// with the finding id beside it.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateSample, type GeneratedSample } from '../../../main/engine/sample/generate-sample.js';
import { verify } from '../../../main/engine/verify.js';
import { TAMPERED_SCAN_SAMPLES } from '../../helpers/tampered-scans.js';
import { TAMPERED_SUPPLY_CHAIN_SAMPLES } from '../../helpers/tampered-supply-chain.js';

let work: string;
let sample: GeneratedSample;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-supply-chain-'));
  sample = await generateSample(join(work, 'clean'), { logEntries: 20, artefactBytes: 4096 });
});
after(() => rmSync(work, { recursive: true, force: true }));

test('the clean sample passes SRC, PROV, LINK and SCAN', async () => {
  const report = await verify(sample.bundleDir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
  assert.equal(report.verdict, 'PASS');
  const ids = (prefix: string) => report.checks.find((c) => c.check === prefix)?.findings.map((f) => f.id);
  assert.deepEqual(ids('SRC'), ['SRC-COMMIT-VERIFIED']);
  assert.deepEqual(ids('PROV'), ['PROV-VERIFIED']);
  assert.deepEqual(ids('LINK'), ['LINK-VERIFIED']);
  // one scan per required kind, and the two blocking vulnerabilities settled by the OpenVEX document
  assert.deepEqual(ids('SCAN')?.filter((id) => id === 'SCAN-VERIFIED').length, 4);
  assert.deepEqual(ids('SCAN')?.filter((id) => id !== 'SCAN-VERIFIED'), ['SCAN-VULNERABILITY-ADDRESSED', 'SCAN-VULNERABILITY-ADDRESSED']);
});

test('with scans.requireSigned, only the signed container scan covers its kind; the unsigned ones are still read', async () => {
  const policyPath = join(work, 'policy-require-signed.yaml');
  writeFileSync(policyPath, readFileSync(sample.policyPath, 'utf8').replace(/^scans:\n/m, 'scans:\n  requireSigned: true\n'));
  const report = await verify(sample.bundleDir, { trustDir: sample.trustDir, policyPath });
  const scan = report.checks.find((c) => c.check === 'SCAN')!.findings;
  assert.deepEqual(scan.filter((f) => f.id === 'SCAN-MISSING').map((f) => f.evidence['scanKind']).sort(), ['dependency-analysis', 'iac', 'static-analysis']);
  assert.equal(scan.filter((f) => f.id === 'SCAN-VULNERABILITY-ADDRESSED').length, 2, 'the unsigned dependency scan is still read for vulnerabilities');
  assert.equal(report.verdict, 'FAIL');
});

for (const tampered of [...TAMPERED_SUPPLY_CHAIN_SAMPLES, ...TAMPERED_SCAN_SAMPLES]) {
  test(`${tampered.name} fails with ${tampered.expect}`, async () => {
    const dir = join(work, tampered.name);
    cpSync(sample.bundleDir, dir, { recursive: true });
    tampered.apply(dir);
    const report = await verify(dir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
    const failing = report.checks.flatMap((c) => c.findings).filter((f) => f.status === 'fail');
    assert.equal(report.verdict, 'FAIL');
    assert.ok(failing.some((f) => f.id === tampered.expect), `expected ${tampered.expect}, got ${failing.map((f) => `${f.id}: ${f.message}`).join(' | ')}`);
    const prefix = tampered.expect.split('-')[0]!;
    const elsewhere = failing.filter((f) => !f.id.startsWith(`${prefix}-`) && !f.id.startsWith('ATT-'));
    assert.deepEqual(elsewhere.map((f) => f.id), [], `only ${prefix} should fail`);
  });
}
