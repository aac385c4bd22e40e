// `assay logs query`: exit 0 with the result and export-manifest.json for each kind of query, 1 when a
// log is tampered (naming the broken entry, writing nothing), 2 for usage errors and unreadable input.

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateSample, type GeneratedSample } from '../../main/engine/sample/generate-sample.js';
import { runAssay } from '../helpers/cli.js';

let work: string;
let sample: GeneratedSample;
let trust: string[];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-logs-query-cli-'));
  sample = await generateSample(join(work, 'sample'), { logEntries: 400 });
  trust = ['--trust', sample.trustDir, '--policy', sample.policyPath];
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('assay logs query', () => {
  for (const [name, args, file] of [
    ['time range as CSV', ['--from', '2026-09-12', '--to', '2026-09-13'], 'result.csv'],
    ['time range as JSON', ['--from', '2026-09-12T00:00:00Z', '--to', '2026-09-12T12:00:00Z', '--format', 'json'], 'result.jsonl'],
    ['cohort as Parquet', ['--cohort', 'attribute=request.region', '--format', 'parquet'], 'result.parquet'],
    ['oldest entry', ['--oldest', '--log', 'logs/inference'], 'result.csv'],
  ] as const) {
    test(`${name}: exit 0, result and manifest written`, async () => {
      const out = join(work, name.replaceAll(' ', '-'));
      const r = await runAssay(['logs', 'query', sample.bundleDir, ...args, '--out', out, ...trust]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^Answered: /);
      assert.match(r.stdout, /checkpoints signed by "pipeline"/);
      assert.ok(existsSync(join(out, file)));
      const manifest = JSON.parse(readFileSync(join(out, 'export-manifest.json'), 'utf8')) as { completeness: { complete: boolean }; files: { path: string }[] };
      assert.equal(manifest.completeness.complete, true);
      assert.equal(manifest.files[0]!.path, file);
    });
  }

  test('a tampered log: exit 1, the broken entry named, nothing written', async () => {
    const bundle = join(work, 'tampered');
    cpSync(sample.bundleDir, bundle, { recursive: true });
    const path = join(bundle, 'logs/inference/2026-09-12.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[1] = `${lines[1]!.slice(0, -1)},"note":"added later"}`;
    writeFileSync(path, lines.join('\n'));
    const out = join(work, 'tampered-out');
    const r = await runAssay(['logs', 'query', bundle, '--from', '2026-09-12', '--to', '2026-09-12', '--out', out, ...trust]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /query refused: the log chain is broken at logs\/inference\/2026-09-12\.jsonl line 2 \(seq \d+\)/);
    assert.equal(existsSync(out), false);
  });

  for (const [what, args] of [
    ['no query', ['--out', 'x']],
    ['no --out', ['--from', '2026-09-12', '--to', '2026-09-13']],
    ['two kinds', ['--trace', 'a', '--oldest', '--out', 'x']],
    ['a bad time', ['--from', 'monday', '--to', '2026-09-13', '--out', 'x']],
    ['a bad cohort', ['--cohort', 'attribute=a;drop', '--out', 'x']],
    ['a bad format', ['--oldest', '--format', 'xlsx', '--out', 'x']],
    ['--trust without --policy', ['--oldest', '--out', 'x', '--trust', 'y']],
  ] as const) {
    test(`${what}: exit 2`, async () => {
      const r = await runAssay(['logs', 'query', sample.bundleDir, ...args]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /^assay: /);
    });
  }

  test('a missing bundle: exit 2', async () => {
    const r = await runAssay(['logs', 'query', join(work, 'nothing-here'), '--oldest', '--out', join(work, 'o')]);
    assert.equal(r.code, 2, r.stderr);
  });
});
