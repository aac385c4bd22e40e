// A query over a tampered log refuses to answer, naming the broken entry, and writes nothing; a time range
// that reads only intact segments still answers (only the segments it reads are verified, plus the chain
// of checkpoints); and the completeness check fails whenever the result and the chain's count disagree.

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ChainTally } from '../../../main/engine/query/chain-tally.js';
import { parseCohortExpr, parseTimeRange, type QuerySpec } from '../../../main/engine/query/query-spec.js';
import { completenessOf, runQuery, type Found } from '../../../main/engine/query/run-query.js';
import { openQueryContext, QueryRefusedError, type VerifiedSelection } from '../../../main/engine/query/verified-logs.js';
import { generateSample, type GeneratedSample } from '../../../main/engine/sample/generate-sample.js';

let work: string;
let sample: GeneratedSample;
let copies = 0;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-query-tampered-'));
  sample = await generateSample(join(work, 'sample'), { logEntries: 600 });
});
after(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the clean bundle with `edit` applied to the lines of one log file. */
function tampered(file: string, edit: (lines: string[]) => string[]): string {
  copies += 1;
  const dir = join(work, `tampered-${copies}`);
  cpSync(sample.bundleDir, dir, { recursive: true });
  const path = join(dir, file);
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.pop();
  writeFileSync(path, `${edit(lines).join('\n')}\n`);
  return dir;
}

async function query(bundle: string, spec: QuerySpec, trusted = true): Promise<{ outDir: string; result: Promise<unknown> }> {
  const outDir = join(work, `out-${copies}-${Math.random().toString(36).slice(2)}`);
  const context = await openQueryContext(bundle, trusted ? { trustDir: sample.trustDir, policyPath: sample.policyPath } : {});
  const result = runQuery(context, spec, { format: 'csv', outDir }).finally(() => context.close());
  return { outDir, result };
}

const SEGMENT = 'logs/inference/2026-09-15.jsonl';
const covering = parseTimeRange('2026-09-15', '2026-09-15');
const elsewhere = parseTimeRange('2026-09-12', '2026-09-12');

describe('a tampered log refuses to answer', () => {
  test('a modified entry: refused, naming file, line and seq; nothing written', async () => {
    const bundle = tampered(SEGMENT, (lines) => lines.map((l, i) => (i === 4 ? l.replace(/"confidence":[0-9.]+/, '"confidence":0.99') : l)));
    const { outDir, result } = await query(bundle, { kind: 'time-range', range: covering, log: null });
    await assert.rejects(result, (error: unknown) => {
      assert.ok(error instanceof QueryRefusedError);
      assert.match(error.message, /logs\/inference\/2026-09-15\.jsonl line 5 \(seq \d+\)/);
      assert.match(error.message, /modified/);
      return true;
    });
    assert.equal(existsSync(outDir), false, 'no export directory, no partial answer');
  });

  test('the same tampering breaks trace and cohort queries, which read every segment', async () => {
    const bundle = tampered(SEGMENT, (lines) => lines.map((l, i) => (i === 2 ? l.replace('"approve"', '"decline"') : l)));
    for (const spec of [
      { kind: 'trace', correlationId: 'anything', range: null, log: null },
      { kind: 'cohort', cohort: parseCohortExpr('attribute=request.region'), range: null, log: null },
    ] satisfies QuerySpec[]) {
      const { result } = await query(bundle, spec);
      await assert.rejects(result, /2026-09-15\.jsonl line 3/);
    }
  });

  test('a time range over intact segments still answers: only the segments read are verified', async () => {
    const bundle = tampered(SEGMENT, (lines) => lines.map((l, i) => (i === 4 ? l.replace('"approve"', '"decline"') : l)));
    const { result } = await query(bundle, { kind: 'time-range', range: elsewhere, log: null });
    const outcome = (await result) as Awaited<ReturnType<typeof runQuery>>;
    assert.equal(outcome.manifest.completeness.complete, true);
    assert.deepEqual(
      outcome.manifest.verification.logs[0]!.segmentsRead.map((s) => s.path),
      ['logs/inference/2026-09-12.jsonl'],
    );
  });

  test('a deleted entry', async () => {
    const bundle = tampered(SEGMENT, (lines) => lines.filter((_, i) => i !== 6));
    const { result } = await query(bundle, { kind: 'time-range', range: covering, log: null });
    await assert.rejects(result, /2026-09-15\.jsonl line 7 \(seq \d+\).*deleted/);
  });

  test('a cut-off tail, caught through the signed head', async () => {
    const bundle = tampered(SEGMENT, (lines) => lines.slice(0, -2));
    const { result } = await query(bundle, { kind: 'time-range', range: covering, log: null });
    await assert.rejects(result, /2026-09-15\.jsonl.*truncated tail/);
  });

  test('without trust and policy, the chain is still verified against the manifest heads', async () => {
    const bundle = tampered(SEGMENT, (lines) => lines.map((l, i) => (i === 4 ? l.replace('"approve"', '"decline"') : l)));
    const { result } = await query(bundle, { kind: 'time-range', range: covering, log: null }, false);
    await assert.rejects(result, QueryRefusedError);
  });

  test('a forged checkpoint of a segment not read still refuses: the checkpoint chain is verified whole', async () => {
    copies += 1;
    const bundle = join(work, `tampered-${copies}`);
    cpSync(sample.bundleDir, bundle, { recursive: true });
    const checkpoint = join(bundle, 'logs/inference/2026-09-15.checkpoint.json');
    writeFileSync(checkpoint, readFileSync(checkpoint, 'utf8').replace(/"lastTime": "[^"]+"/, '"lastTime": "2026-09-15T23:59:59.999Z"'));
    const { result } = await query(bundle, { kind: 'time-range', range: elsewhere, log: null });
    await assert.rejects(result, /checkpoint/);
  });
});

describe('completeness check', () => {
  const spec: QuerySpec = { kind: 'time-range', range: elsewhere, log: null };
  const selection = { logs: [{ name: 'logs/inference', segmentsTotal: 1, segments: [], head: '0'.repeat(64), entries: 10, checkpointChain: 'verified' }], bytesVerified: 0, entriesVerified: 10 } satisfies VerifiedSelection;
  const tally = (count: number, min: number, max: number, sum: bigint): ChainTally => ({ perLog: new Map([['logs/inference', { log: 'logs/inference', count, minSeq: min, maxSeq: max, seqSum: sum }]]), events: count, cells: null, linesRead: 10 });
  const found = (count: number, min: number, max: number, sum: string, broken = 0): Found => ({ perLog: new Map([['logs/inference', { count, min, max, sum }]]), events: count, links: { checked: Math.max(0, count - 1), broken }, cells: null });

  test('agreement is complete', () => {
    const c = completenessOf(spec, selection, tally(3, 4, 6, 15n), found(3, 4, 6, '15'), 3);
    assert.equal(c.complete, true);
    assert.deepEqual(c.problems, []);
  });

  test('a missing row is an error', () => {
    const c = completenessOf(spec, selection, tally(3, 4, 6, 15n), found(2, 4, 6, '10'), 2);
    assert.equal(c.complete, false);
    assert.match(c.problems[0]!, /the chain has 3 matching entries .* the result 2/);
  });

  test('the same count of other entries is an error', () => {
    const c = completenessOf(spec, selection, tally(3, 4, 6, 15n), found(3, 4, 7, '17'), 3);
    assert.equal(c.complete, false);
  });

  test('rows written that differ from the result, or entries that no longer chain, are errors', () => {
    assert.equal(completenessOf(spec, selection, tally(3, 4, 6, 15n), found(3, 4, 6, '15'), 4).complete, false);
    assert.equal(completenessOf(spec, selection, tally(3, 4, 6, 15n), found(3, 4, 6, '15', 1), 3).complete, false);
  });

  test('a cohort cell that differs is an error even when the totals agree', () => {
    const cohort: QuerySpec = { kind: 'cohort', cohort: parseCohortExpr('attribute=request.region'), range: null, log: null };
    const t: ChainTally = { ...tally(3, 1, 3, 6n), cells: new Map([['["a","approve"]', 2], ['["b","approve"]', 1]]) };
    const f: Found = { ...found(3, 1, 3, '6'), cells: new Map([['["a","approve"]', 1], ['["b","approve"]', 2]]) };
    const c = completenessOf(cohort, selection, t, f, 2);
    assert.equal(c.complete, false);
    assert.equal(c.cellsDiffering, 2);
  });
});
