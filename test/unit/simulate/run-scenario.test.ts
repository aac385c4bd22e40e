// The inspection simulation on a generated sample: the shipped example scenario passes, and every number
// of its report is checked against counts this test takes from the JSONL files itself. Targets that are
// missed fail their request; a tampered log fails the requests that read it; the HTML report is text
// only, escaped and script-free; malformed scenarios are refused with the reason.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { openQueryContext } from '../../../main/engine/query/verified-logs.js';
import { generateSample, type GeneratedSample } from '../../../main/engine/sample/generate-sample.js';
import { escapeHtml, renderReportHtml } from '../../../main/engine/simulate/report.js';
import { runScenario, type RequestResult, type SimulationReport } from '../../../main/engine/simulate/run-scenario.js';
import { loadScenario, parseScenario, ScenarioError } from '../../../main/engine/simulate/scenario.js';
import { readSourceEvents, sha256File, type SourceEvent } from '../query/source-events.js';

const EXAMPLE = fileURLToPath(new URL('../../../../examples/scenarios/regulator-inspection.yaml', import.meta.url));

let work: string;
let sample: GeneratedSample;
let source: SourceEvent[];
let report: SimulationReport;
let outDir: string;

async function simulate(bundle: string, scenarioText: string | null, dir: string): Promise<SimulationReport> {
  const loaded = scenarioText === null ? await loadScenario(EXAMPLE) : parseScenario(Buffer.from(scenarioText));
  const context = await openQueryContext(bundle, { trustDir: sample.trustDir, policyPath: sample.policyPath });
  try {
    return await runScenario(context, loaded, { outDir: dir });
  } finally {
    await context.close();
  }
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-simulate-'));
  sample = await generateSample(join(work, 'sample'), { logEntries: 1000 });
  source = readSourceEvents(sample.bundleDir);
  outDir = join(work, 'inspection');
  report = await simulate(sample.bundleDir, null, outDir);
});
after(() => rmSync(work, { recursive: true, force: true }));

const request = (id: string): RequestResult => {
  const r = report.requests.find((x) => x.id === id);
  assert.ok(r, `request ${id} in the report`);
  return r;
};
const inference = (): SourceEvent[] => source.filter((e) => e.log === 'logs/inference');
const between = (events: SourceEvent[], from: string, to: string): SourceEvent[] => events.filter((e) => e.value.time >= from && e.value.time <= to);

describe('the example scenario on the sample', () => {
  test('every request passes', () => {
    assert.equal(report.verdict, 'pass', JSON.stringify(report.requests.filter((r) => r.status !== 'pass'), null, 2));
    assert.deepEqual(report.summary, { requests: 7, passed: 7, failed: 0, seconds: report.summary.seconds });
    assert.equal(report.verification.authenticated, true);
    assert.equal(report.bundle.id, sample.bundleId);
  });

  test('time ranges: the counts of the day and of the week', () => {
    const day = between(inference(), '2026-09-14T00:00:00.000Z', '2026-09-14T23:59:59.999Z');
    const week = between(inference(), '2026-09-14T00:00:00.000Z', '2026-09-20T23:59:59.999Z');
    assert.ok(day.length > 0 && week.length > day.length);
    for (const [id, events] of [['decisions-2026-09-14', day], ['decisions-week-38', week]] as const) {
      const r = request(id);
      assert.equal(r.expected, events.length, id);
      assert.equal(r.exported, events.length, id);
      assert.equal(r.rowCount, events.length, id);
      assert.equal(r.complete, true);
    }
    assert.deepEqual([request('decisions-2026-09-14').segmentsRead, request('decisions-week-38').segmentsRead], [1, 7]);
  });

  test('traces: the first human review, and the pipeline run', () => {
    const firstReview = inference().find((e) => e.value.type === 'oversight')!;
    const id = firstReview.value.correlation_id;
    const r = request('trace-first-human-review');
    assert.match(r.picked ?? '', new RegExp(`correlation id ${id}$`));
    assert.equal(r.parameters['correlationId'], id);
    const events = inference().filter((e) => e.value.correlation_id === id);
    assert.equal(r.exported, events.length);
    const rows = readFileSync(join(outDir, 'requests/trace-first-human-review/result.jsonl'), 'utf8').split('\n').filter(Boolean);
    assert.deepEqual(
      rows.map((l) => (JSON.parse(l) as { type: string }).type),
      events.map((e) => e.value.type),
    );
    const audit = source.filter((e) => e.log === 'logs/pipeline-audit.jsonl');
    assert.equal(request('trace-release-pipeline').exported, audit.length);
  });

  test('cohorts: events counted and cells as the JSONL says', () => {
    const all = inference().filter((e) => e.value.type === 'inference');
    const byRegion = request('outcomes-by-region');
    assert.equal(byRegion.expected, all.length);
    const pairs = new Set(all.map((e) => `${(e.value['request'] as { region: string }).region}|${(e.value['output'] as { label: string }).label}`));
    assert.equal(byRegion.rowCount, pairs.size);
    const late = between(all, '2026-09-20T00:00:00.000Z', '2026-09-29T23:59:59.999Z');
    assert.equal(request('outcomes-by-channel-second-half').exported, late.length);
  });

  test('oldest entry: the first line of the inference log', () => {
    const r = request('oldest-retained-entry');
    assert.equal(r.oldestEntry, inference()[0]!.value.time);
    assert.equal(r.rowCount, 1);
    assert.ok(r.checks.some((c) => c.name === 'oldest-entry' && c.pass));
  });

  test('every exported file is listed with its real sha256 and size', () => {
    for (const r of report.requests) {
      assert.equal(r.files.length, 2, r.id);
      for (const f of r.files) assert.equal(f.sha256, sha256File(join(outDir, f.path)), f.path);
    }
  });

  test('the HTML report: escaped text, no script, no external resource', () => {
    const html = renderReportHtml(report);
    assert.doesNotMatch(html, /<script|javascript:|src=|@import|url\(/i);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.match(html, /7 of 7 requests met their targets/);
    const hostile = renderReportHtml({ ...report, scenario: { ...report.scenario, name: '<script>alert(1)</script>', description: '"><img src=x onerror=alert(1)>' } });
    assert.doesNotMatch(hostile, /<script>alert|<img/);
    assert.match(hostile, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.equal(escapeHtml('a\u0000b\u001b&'), 'ab&amp;');
  });
});

describe('targets and failures', () => {
  const scenario = (requests: string): string => `apiVersion: assay/scenario/v1\nname: targets\nrequests:\n${requests}`;

  test('a missed target fails its request, and the run', async () => {
    const r = await simulate(
      sample.bundleDir,
      scenario(`  - { id: too-slow, title: t, kind: time-range, from: "2026-09-12", to: "2026-09-12", targets: { maxSeconds: 0.000001 } }
  - { id: too-few, title: t, kind: oldest, targets: { minRows: 5 } }
  - { id: too-late, title: t, kind: oldest, log: logs/inference, targets: { oldestNotAfter: "2026-09-01" } }
  - { id: fine, title: t, kind: trace, correlationId: none-such }`),
      join(work, 'targets'),
    );
    assert.equal(r.verdict, 'fail');
    assert.deepEqual(
      r.requests.map((x) => [x.id, x.status]),
      [
        ['too-slow', 'fail'],
        ['too-few', 'fail'],
        ['too-late', 'fail'],
        ['fine', 'pass'],
      ],
    );
    assert.ok(r.requests[0]!.checks.some((c) => c.name === 'time' && !c.pass));
    assert.ok(r.requests[0]!.checks.some((c) => c.name === 'completeness' && c.pass), 'complete, only too slow');
  });

  test('a tampered log fails the requests that read it, naming the entry; the others pass', async () => {
    const bundle = join(work, 'tampered');
    cpSync(sample.bundleDir, bundle, { recursive: true });
    const path = join(bundle, 'logs/inference/2026-09-16.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[3] = lines[3]!.replace('"seq"', '"seq" ');
    writeFileSync(path, lines.join('\n'));
    const r = await simulate(bundle, null, join(work, 'tampered-inspection'));
    assert.equal(r.verdict, 'fail');
    const byId = new Map(r.requests.map((x) => [x.id, x]));
    assert.equal(byId.get('decisions-2026-09-14')!.status, 'pass');
    assert.equal(byId.get('oldest-retained-entry')!.status, 'pass');
    for (const id of ['decisions-week-38', 'outcomes-by-region']) {
      const failed = byId.get(id)!;
      assert.equal(failed.status, 'fail', id);
      assert.match(failed.error ?? '', /2026-09-16\.jsonl line 4/);
      assert.equal(failed.exportDir, null);
    }
  });
});

describe('scenario files', () => {
  for (const [what, text, reason] of [
    ['another version', 'apiVersion: assay/scenario/v2\nname: x\nrequests: [{ id: a, title: t, kind: oldest }]', /apiVersion/],
    ['an unknown key', 'apiVersion: assay/scenario/v1\nname: x\nrequests: [{ id: a, title: t, kind: oldest, extra: 1 }]', /schema violation/],
    ['a duplicate key', 'apiVersion: assay/scenario/v1\nname: x\nname: y\nrequests: [{ id: a, title: t, kind: oldest }]', /duplicate/],
    ['no requests', 'apiVersion: assay/scenario/v1\nname: x\nrequests: []', /requests/],
    ['an id used twice', 'apiVersion: assay/scenario/v1\nname: x\nrequests: [{ id: a, title: t, kind: oldest }, { id: a, title: t, kind: oldest }]', /used twice/],
    ['a trace with both id and pick', 'apiVersion: assay/scenario/v1\nname: x\nrequests: [{ id: a, title: t, kind: trace, correlationId: c, pick: { type: oversight } }]', /either correlationId or pick/],
    ['a bad time', 'apiVersion: assay/scenario/v1\nname: x\nrequests: [{ id: a, title: t, kind: time-range, from: soon, to: later }]', /not an ISO 8601 time/],
    ['a bad cohort', 'apiVersion: assay/scenario/v1\nname: x\nrequests: [{ id: a, title: t, kind: cohort, cohort: "attribute=a[0]" }]', /dotted path/],
    ['an unsafe id', 'apiVersion: assay/scenario/v1\nname: x\nrequests: [{ id: ../escape, title: t, kind: oldest }]', /lowercase/],
  ] as const) {
    test(`refuses ${what}`, () => {
      assert.throws(() => parseScenario(Buffer.from(text)), (error: unknown) => error instanceof ScenarioError && reason.test(error.message));
    });
  }
});
