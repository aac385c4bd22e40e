// Queries over a generated sample: exports in CSV, JSON Lines and Parquet read back (Parquet through
// DuckDB) and compared, row by row, with the events parsed from the JSONL files by the test itself;
// manifest checksums, sizes and counts; trace, cohort and oldest-entry answers against counts the test
// computes; and only the segments a time range needs are read.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { EXPORT_MANIFEST_FILE, exportManifestSchema, type ExportManifest } from '../../../main/engine/query/export-manifest.js';
import { parseCohortExpr, parseTimeRange, type ExportFormat, type QuerySpec } from '../../../main/engine/query/query-spec.js';
import { ENTRY_COLUMNS, runQuery } from '../../../main/engine/query/run-query.js';
import { openQueryContext, type QueryContext } from '../../../main/engine/query/verified-logs.js';
import { generateSample, type GeneratedSample } from '../../../main/engine/sample/generate-sample.js';
import { csvObjects, exportOrder, readSourceEvents, sha256File, valueAt, type SourceEvent } from './source-events.js';

let work: string;
let sample: GeneratedSample;
let context: QueryContext;
let source: SourceEvent[];
let outCount = 0;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-query-'));
  sample = await generateSample(join(work, 'sample'), { logEntries: 800 });
  source = readSourceEvents(sample.bundleDir);
  context = await openQueryContext(sample.bundleDir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
});
after(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
});

function out(): string {
  outCount += 1;
  return join(work, `out-${outCount}`);
}

interface ExportRow {
  readonly log: string;
  readonly file: string;
  readonly line: number;
  readonly seq: number;
  readonly time: string;
  readonly type: string;
  readonly correlation_id: string;
  readonly prev: string;
  readonly sha256: string;
  readonly event: unknown;
  /** The event as text, where the format keeps it as text (CSV, Parquet). */
  readonly eventText: string | null;
}

async function readParquet(path: string, select = '*'): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false', threads: '2' });
  const connection = await instance.connect();
  try {
    const escaped = path.replaceAll("'", "''");
    return (await connection.runAndReadAll(`SELECT ${select} FROM read_parquet('${escaped}')`)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Reads an entry export back, whatever its format, into one row shape. */
async function readEntries(dir: string, format: ExportFormat): Promise<ExportRow[]> {
  if (format === 'csv') {
    const text = readFileSync(join(dir, 'result.csv'), 'utf8');
    assert.equal(text.split('\n')[0], ENTRY_COLUMNS.join(','), 'CSV header');
    return csvObjects(text).map((r) => ({ ...r, line: Number(r['line']), seq: Number(r['seq']), event: JSON.parse(r['event']!), eventText: r['event']! }) as unknown as ExportRow);
  }
  if (format === 'json') {
    const lines = readFileSync(join(dir, 'result.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    return lines.map((l) => {
      const r = JSON.parse(l) as Record<string, unknown>;
      assert.deepEqual(Object.keys(r), [...ENTRY_COLUMNS]);
      return { ...r, eventText: null } as unknown as ExportRow;
    });
  }
  const rows = await readParquet(join(dir, 'result.parquet'), '* REPLACE (event::VARCHAR AS event)');
  return rows.map((r) => ({ ...r, line: Number(r['line']), seq: Number(r['seq']), event: JSON.parse(String(r['event'])), eventText: String(r['event']) }) as unknown as ExportRow);
}

function assertRowsMatch(rows: readonly ExportRow[], expected: readonly SourceEvent[]): void {
  assert.equal(rows.length, expected.length, 'row count');
  rows.forEach((row, i) => {
    const e = expected[i]!;
    const at = `row ${i + 1} (${e.file}:${e.line})`;
    assert.equal(row.log, e.log, at);
    assert.equal(row.file, e.file, at);
    assert.equal(row.line, e.line, at);
    assert.equal(row.seq, e.value.seq, at);
    assert.equal(row.time, e.value.time, at);
    assert.equal(row.type, e.value.type, at);
    assert.equal(row.correlation_id, e.value.correlation_id, at);
    assert.equal(row.prev, e.value.prev, at);
    assert.equal(row.sha256, e.sha256, `${at}: sha256 of the exact line`);
    assert.deepEqual(row.event, e.value, at);
    if (row.eventText !== null) assert.equal(row.eventText, e.text, `${at}: the exact bytes of the line`);
  });
}

function assertManifest(dir: string, manifest: ExportManifest, format: ExportFormat, rows: number): void {
  const onDisk = exportManifestSchema.parse(JSON.parse(readFileSync(join(dir, EXPORT_MANIFEST_FILE), 'utf8')));
  assert.deepEqual(onDisk, manifest);
  assert.equal(manifest.format, format);
  assert.equal(manifest.rowCount, rows);
  assert.equal(manifest.files.length, 1);
  const file = manifest.files[0]!;
  assert.equal(file.sha256, sha256File(join(dir, file.path)), 'sha256 in the manifest is that of the file');
  assert.equal(file.size, statSync(join(dir, file.path)).size);
  assert.equal(manifest.verifier.name, 'assay');
  assert.equal(manifest.verification.authenticated, true);
  assert.ok(manifest.executionMs.total >= manifest.executionMs.verify);
}

const inRange = (e: SourceEvent, from: string, to: string): boolean => e.value.time >= from && e.value.time <= to;

describe('time-range exports round-trip', () => {
  const range = parseTimeRange('2026-09-12T06:00:00Z', '2026-09-13T18:00:00Z');
  for (const format of ['csv', 'json', 'parquet'] as const) {
    test(`${format}: every event between A and B, as in the JSONL, with a correct manifest`, async () => {
      const dir = out();
      const spec: QuerySpec = { kind: 'time-range', range, log: null };
      const { manifest } = await runQuery(context, spec, { format, outDir: dir });
      const expected = exportOrder(source.filter((e) => inRange(e, range.from, range.to)));
      assert.ok(expected.length > 20, `the range holds events (${expected.length})`);
      const rows = await readEntries(dir, format);
      assertRowsMatch(rows, expected);
      assertManifest(dir, manifest, format, expected.length);
      assert.equal(manifest.completeness.complete, true, manifest.completeness.problems.join('; '));
      assert.equal(manifest.completeness.expected, expected.length);
      assert.equal(manifest.completeness.exported, expected.length);
      assert.equal(manifest.completeness.linksBroken, 0);
      assert.equal(manifest.completeness.linksChecked, expected.length - 1, 'every consecutive pair re-checked');
      assert.deepEqual(manifest.query.parameters, { log: null, from: range.from, to: range.to });
    });
  }

  test('reads only the segments the range needs, and names the chain heads of the logs read', async () => {
    const dir = out();
    const { manifest } = await runQuery(context, { kind: 'time-range', range, log: 'logs/inference' }, { format: 'csv', outDir: dir });
    const log = manifest.verification.logs[0]!;
    assert.equal(manifest.verification.logs.length, 1);
    assert.deepEqual(
      log.segmentsRead.map((s) => s.path),
      ['logs/inference/2026-09-12.jsonl', 'logs/inference/2026-09-13.jsonl'],
    );
    assert.ok(log.segmentsTotal > 10);
    assert.equal(log.checkpointChain, 'verified');
    const inference = source.filter((e) => e.log === 'logs/inference');
    assert.equal(log.entries, inference.length);
    assert.equal(log.head, inference[inference.length - 1]!.sha256, 'head: sha256 of the last line of the log');
    const read = source.filter((e) => log.segmentsRead.some((s) => s.path === e.file));
    assert.equal(manifest.verification.entriesVerified, read.length);
    for (const s of log.segmentsRead) {
      const lines = source.filter((e) => e.file === s.path);
      assert.equal(s.entries, lines.length);
      assert.equal(s.head, lines[lines.length - 1]!.sha256);
      assert.equal(s.genesis, lines[0]!.value.prev);
    }
  });

  test('an empty range answers with no rows, complete', async () => {
    const dir = out();
    const { manifest } = await runQuery(context, { kind: 'time-range', range: parseTimeRange('2030-01-01', '2030-01-02'), log: null }, { format: 'parquet', outDir: dir });
    assert.equal(manifest.rowCount, 0);
    assert.equal(manifest.completeness.complete, true);
    assert.deepEqual(await readEntries(dir, 'parquet'), []);
  });

  test('refuses to overwrite an earlier export', async () => {
    const dir = out();
    await runQuery(context, { kind: 'time-range', range, log: null }, { format: 'csv', outDir: dir });
    await assert.rejects(runQuery(context, { kind: 'time-range', range, log: null }, { format: 'csv', outDir: dir }), /already exists/);
  });
});

describe('trace', () => {
  test('every event of one correlation id, in order: scoring, post-processing, human review', async () => {
    const review = source.find((e) => e.value.type === 'oversight')!;
    const id = review.value.correlation_id;
    const expected = exportOrder(source.filter((e) => e.value.correlation_id === id));
    assert.ok(expected.length >= 2);
    assert.equal(expected[0]!.value.type, 'inference');
    for (const format of ['json', 'parquet', 'csv'] as const) {
      const dir = out();
      const { manifest } = await runQuery(context, { kind: 'trace', correlationId: id, range: null, log: null }, { format, outDir: dir });
      assertRowsMatch(await readEntries(dir, format), expected);
      assertManifest(dir, manifest, format, expected.length);
      assert.equal(manifest.completeness.complete, true);
    }
  });

  test('the pipeline run: one trace id over the whole audit log', async () => {
    const audit = source.filter((e) => e.log === 'logs/pipeline-audit.jsonl');
    const dir = out();
    const { manifest } = await runQuery(context, { kind: 'trace', correlationId: audit[0]!.value.correlation_id, range: null, log: 'logs/pipeline-audit.jsonl' }, { format: 'json', outDir: dir });
    assertRowsMatch(await readEntries(dir, 'json'), audit);
    assert.equal(manifest.completeness.linksChecked, audit.length - 1);
  });

  test('an unknown correlation id answers with no rows', async () => {
    const { manifest } = await runQuery(context, { kind: 'trace', correlationId: 'no-such-request', range: null, log: null }, { format: 'csv', outDir: out() });
    assert.equal(manifest.rowCount, 0);
    assert.equal(manifest.completeness.complete, true);
  });
});

describe('cohort', () => {
  for (const [expr, attribute, outcome] of [
    ['attribute=request.region', 'request.region', 'output.label'],
    ['attribute=request.channel,outcome=output.label', 'request.channel', 'output.label'],
    ['attribute=input.schema,outcome=serving_config_version', 'input.schema', 'serving_config_version'],
  ] as const) {
    test(`${expr}: counts per subgroup and outcome equal those the test counts in the JSONL`, async () => {
      const range = parseTimeRange('2026-09-11', '2026-09-20');
      const expected = new Map<string, number>();
      const matching = source.filter((e) => e.value.type === 'inference' && inRange(e, range.from, range.to));
      for (const e of matching) {
        const key = `${String(valueAt(e.value, attribute))}|${String(valueAt(e.value, outcome))}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      for (const format of ['csv', 'parquet'] as const) {
        const dir = out();
        const { manifest } = await runQuery(context, { kind: 'cohort', cohort: parseCohortExpr(expr), range, log: null }, { format, outDir: dir });
        const rows = format === 'csv' ? csvObjects(readFileSync(join(dir, 'result.csv'), 'utf8')) : (await readParquet(join(dir, 'result.parquet'))).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])));
        const got = new Map(rows.map((r) => [`${r['subgroup']}|${r['outcome']}`, Number(r['count'])]));
        assert.deepEqual(got, expected);
        for (const r of rows) {
          const total = rows.filter((o) => o['subgroup'] === r['subgroup']).reduce((n, o) => n + Number(o['count']), 0);
          assert.equal(Number(r['subgroup_total']), total);
        }
        assertManifest(dir, manifest, format, expected.size);
        assert.equal(manifest.completeness.expected, matching.length);
        assert.equal(manifest.completeness.exported, matching.length);
        assert.equal(manifest.completeness.cellsCompared, expected.size);
        assert.equal(manifest.completeness.cellsDiffering, 0);
        assert.equal(manifest.completeness.complete, true);
      }
    });
  }

  test('events without the attribute form their own (empty) subgroup, counted', async () => {
    const dir = out();
    const { manifest } = await runQuery(context, { kind: 'cohort', cohort: parseCohortExpr('attribute=no_such_field,type=oversight,outcome=decision'), range: null, log: null }, { format: 'json', outDir: dir });
    const reviews = source.filter((e) => e.value.type === 'oversight');
    const rows = readFileSync(join(dir, 'result.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { subgroup: string | null; count: number });
    assert.ok(rows.every((r) => r.subgroup === null));
    assert.equal(rows.reduce((n, r) => n + r.count, 0), reviews.length);
    assert.equal(manifest.completeness.complete, true);
  });
});

describe('oldest entry', () => {
  test('the first line of each log, reading only its first segment', async () => {
    const dir = out();
    const { manifest } = await runQuery(context, { kind: 'oldest', log: null }, { format: 'csv', outDir: dir });
    const firsts = exportOrder([...new Set(source.map((e) => e.log))].map((log) => source.find((e) => e.log === log)!));
    assertRowsMatch(await readEntries(dir, 'csv'), firsts);
    assert.deepEqual(
      manifest.verification.logs.map((l) => l.segmentsRead.length),
      manifest.verification.logs.map(() => 1),
    );
    assert.equal(manifest.completeness.complete, true);
  });
});
