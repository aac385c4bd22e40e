// `assay simulate`: the example scenario on a sample exits 0 with report.json, report.html and the
// exports; a missed target exits 1; an invalid scenario or an existing report exits 2.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { generateSample, type GeneratedSample } from '../../main/engine/sample/generate-sample.js';
import { runAssay } from '../helpers/cli.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/scenarios/regulator-inspection.yaml', import.meta.url));

let work: string;
let sample: GeneratedSample;
let trust: string[];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-simulate-cli-'));
  sample = await generateSample(join(work, 'sample'), {});
  trust = ['--trust', sample.trustDir, '--policy', sample.policyPath];
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('assay simulate', () => {
  test('the example scenario on the sample: exit 0, reports and exports written', async () => {
    const out = join(work, 'inspection');
    const r = await runAssay(['simulate', sample.bundleDir, '--scenario', EXAMPLE, '--out', out, ...trust]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /PASS: 7 of 7 requests met their targets/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { reportVersion: string; verdict: string; requests: { exportDir: string }[] };
    assert.equal(report.reportVersion, 'assay.simulation-report/v1');
    assert.equal(report.verdict, 'pass');
    for (const req of report.requests) assert.ok(existsSync(join(out, req.exportDir, 'export-manifest.json')));
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /^<!DOCTYPE html>/);

    const again = await runAssay(['simulate', sample.bundleDir, '--scenario', EXAMPLE, '--out', out, ...trust]);
    assert.equal(again.code, 2, 'never overwrites a report');
    assert.match(again.stderr, /already exists/);
  });

  test('a missed target: exit 1', async () => {
    const scenario = join(work, 'strict.yaml');
    writeFileSync(scenario, 'apiVersion: assay/scenario/v1\nname: strict\nrequests:\n  - { id: old, title: t, kind: oldest, targets: { oldestNotAfter: "2020-01-01" } }\n');
    const r = await runAssay(['simulate', sample.bundleDir, '--scenario', scenario, '--out', join(work, 'strict'), ...trust]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAIL {2}old/);
  });

  test('an invalid scenario: exit 2 with the reason', async () => {
    const scenario = join(work, 'invalid.yaml');
    writeFileSync(scenario, 'apiVersion: assay/scenario/v1\nname: x\nrequests: [{ id: a, title: t, kind: teleport }]\n');
    const r = await runAssay(['simulate', sample.bundleDir, '--scenario', scenario, '--out', join(work, 'invalid')]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /schema violation: requests\.0\.kind/);
  });

  test('usage: exit 2', async () => {
    const r = await runAssay(['simulate', sample.bundleDir]);
    assert.equal(r.code, 2);
  });
});
