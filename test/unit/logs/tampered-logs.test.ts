// Each log attack of the tampered-sample catalogue is caught by its own finding, which names the log
// entry (file, line, seq) where the entry is the point; segments verify in parallel as they do serially.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateSample, type GeneratedSample } from '../../../main/engine/sample/generate-sample.js';
import { verifyLogs, type LogVerification } from '../../../main/engine/logs/verify-log.js';
import { manifestSchema } from '../../../main/engine/schemas/manifest.js';
import { verify } from '../../../main/engine/verify.js';
import { TAMPERED_SAMPLES } from '../../helpers/tampered-samples.js';

let work: string;
let sample: GeneratedSample;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-log-tamper-'));
  sample = await generateSample(join(work, 'clean'), { logEntries: 200, artefactBytes: 4096 });
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Findings about one entry must say which: the file, the line and (when readable) the seq. */
const ENTRY_LEVEL = /^LOG-(ENTRY|SEQ|TIME|TRUNCATED|EXTENDED|HEAD|LINE|EVENT-(NOT-JSON|DUPLICATE-KEY|MODEL|FIELD))/;

for (const tampered of TAMPERED_SAMPLES.filter((t) => t.name.startsWith('log-'))) {
  test(`${tampered.name}: ${tampered.expect} names the ${ENTRY_LEVEL.test(tampered.expect) ? 'entry' : 'file'}`, async () => {
    const dir = join(work, tampered.name);
    cpSync(sample.bundleDir, dir, { recursive: true });
    tampered.apply(dir);
    const report = await verify(dir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
    const finding = report.checks.flatMap((c) => c.findings).find((f) => f.id === tampered.expect);
    assert.ok(finding !== undefined, `no ${tampered.expect}: ${report.checks.flatMap((c) => c.findings.filter((f) => f.status === 'fail').map((f) => f.id)).join(', ')}`);
    assert.equal(finding.status, 'fail');
    if (ENTRY_LEVEL.test(tampered.expect)) {
      assert.equal(finding.subject.kind, 'log-entry', JSON.stringify(finding));
      if (finding.subject.kind === 'log-entry') {
        assert.match(finding.subject.path, /^logs\/inference\/\d{4}-\d{2}-\d{2}\.jsonl$/);
        assert.ok(finding.subject.line >= 1);
      }
    }
    // The other log findings of the same report must not pass the log as intact.
    const logCheck = report.checks.find((c) => c.check === 'LOG')!;
    if (tampered.expect.startsWith('LOG-') && !tampered.expect.startsWith('LOG-EVENT')) assert.equal(logCheck.status, 'failed');
  });
}

test('the segments of the sample verify in parallel exactly as serially, and the untouched sample passes', async () => {
  const manifest = manifestSchema.parse(JSON.parse(await readFile(join(sample.bundleDir, 'manifest.json'), 'utf8')));
  const inputs = manifest.logs.map((l) => ({ path: join(sample.bundleDir, l.path), expectations: { genesis: l.genesis, firstSeq: l.firstSeq ?? 0, entries: l.entries, head: l.head } }));
  const serial = await verifyLogs(inputs, { concurrency: 0 });
  const parallel = await verifyLogs(inputs, { concurrency: 2, workerThresholdBytes: 0, rangeBytes: 2048 });
  assert.ok(parallel.some((r) => r.mode === 'parallel'));
  const withoutMode = (r: LogVerification): Record<string, unknown> => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'mode' && k !== 'ranges'));
  assert.deepEqual(parallel.map(withoutMode), serial.map(withoutMode));
  assert.ok(serial.every((r) => r.intact));
  assert.equal(serial.filter((r) => r.path.includes('/inference/')).reduce((sum, r) => sum + r.entries, 0), 200);
  const report = await verify(sample.bundleDir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
  assert.equal(report.verdict, 'PASS');
});
