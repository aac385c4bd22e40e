// Each kind of tampering with a chained log is reported as what it is, naming the entry; the untouched
// log passes; range-parallel verification gives the same answer as one serial pass.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { LogProblemKind } from '../../../main/engine/logs/chain.js';
import { verifyLog, type LogExpectations, type LogVerification } from '../../../main/engine/logs/verify-log.js';
import { chain, entries, GENESIS, headOf, sha256, TempDir, text } from './log-fixture.js';

const dir = new TempDir();
after(() => dir.remove());

const clean = chain(entries(200));
const signed: LogExpectations = { genesis: GENESIS, firstSeq: 0, entries: clean.length, head: headOf(clean) };

async function check(lines: readonly string[] | string, expectations: LogExpectations = signed, rangeBytes?: number): Promise<LogVerification> {
  return verifyLog(dir.write(lines), expectations, { rangeBytes, concurrency: 0 });
}

function assertFirst(result: LogVerification, kind: LogProblemKind, line: number, seq: number | null): void {
  assert.equal(result.intact, false);
  const first = result.firstBroken;
  assert.ok(first !== null, 'a problem is reported');
  assert.deepEqual({ kind: first.kind, line: first.line, seq: first.seq }, { kind, line, seq }, JSON.stringify(result.problems, null, 1));
}

const replaceField = (line: string, from: string, to: string): string => {
  assert.ok(line.includes(from));
  return line.replace(from, to);
};

describe('chain verification', () => {
  test('the untouched log is intact, with its count, head and times', async () => {
    const result = await check(clean);
    assert.equal(result.intact, true, JSON.stringify(result.problems));
    assert.equal(result.entries, 200);
    assert.equal(result.head, headOf(clean));
    assert.equal(result.genesis, GENESIS);
    assert.deepEqual([result.firstSeq, result.lastSeq], [0, 199]);
    assert.deepEqual([result.firstTime, result.lastTime], ['2026-09-10T07:00:00.000Z', '2026-09-10T07:03:19.000Z']);
  });

  test('an empty log with no entries signed is intact; its head is the genesis', async () => {
    const result = await check('', { genesis: GENESIS, firstSeq: 0, entries: 0, head: GENESIS });
    assert.equal(result.intact, true);
    assert.equal(result.head, GENESIS);
  });

  test('a modified entry is named (the next line no longer links to it)', async () => {
    const lines = [...clean];
    lines[50] = replaceField(lines[50]!, '"confidence":0.9', '"confidence":0.1');
    assertFirst(await check(lines), 'modified', 51, 50);
  });

  test('a deleted entry is reported as a deletion at the line after the gap', async () => {
    const lines = clean.filter((_, i) => i !== 80);
    const result = await check(lines);
    assertFirst(result, 'deleted', 81, 81);
    assert.equal(result.firstBroken!.evidence['firstMissingSeq'], 80);
  });

  test('several deleted entries are one deletion', async () => {
    const result = await check(clean.filter((_, i) => i < 80 || i > 84));
    assertFirst(result, 'deleted', 81, 85);
    assert.equal(result.firstBroken!.evidence['missing'], 5);
    assert.equal(result.problemCount, 2, 'the deletion, and the count the checkpoint signed');
  });

  test('an inserted entry is named, whether or not its prev is forged to fit', async () => {
    const forged = JSON.stringify({ seq: 101, time: '2026-09-10T07:01:40.500Z', prev: sha256(clean[100]!), type: 'inference', correlation_id: 'injected' });
    assertFirst(await check([...clean.slice(0, 101), forged, ...clean.slice(101)]), 'inserted', 102, 101);
    const garbage = JSON.stringify({ seq: 101, time: '2026-09-10T07:01:40.500Z', prev: 'f'.repeat(64), type: 'inference', correlation_id: 'injected' });
    assertFirst(await check([...clean.slice(0, 101), garbage, ...clean.slice(101)]), 'inserted', 102, 101);
  });

  test('reordered entries are reported as a reordering', async () => {
    const lines = [...clean];
    [lines[120], lines[121]] = [lines[121]!, lines[120]!];
    assertFirst(await check(lines), 'reordered', 121, 121);
    const moved = [...clean];
    const [entry] = moved.splice(130, 1);
    moved.splice(135, 0, entry!);
    assert.equal((await check(moved)).firstBroken!.kind, 'reordered');
  });

  test('a duplicated entry is reported as a duplicate', async () => {
    const lines = [...clean.slice(0, 61), clean[60]!, ...clean.slice(61)];
    const result = await check(lines);
    assertFirst(result, 'duplicated', 62, 60);
    assert.equal(result.firstBroken!.evidence['originalLine'], 61);
  });

  test('a truncated tail is caught through the signed count', async () => {
    const result = await check(clean.slice(0, 190));
    assertFirst(result, 'truncated', 190, 189);
    assert.equal(result.firstBroken!.evidence['missing'], 10);
  });

  test('entries appended after signing, and a replaced last entry, are caught through count and head', async () => {
    const extended = chain(entries(203));
    assertFirst(await check(extended), 'extended', 201, null);
    const lines = [...clean];
    lines[199] = replaceField(lines[199]!, '"confidence":0.9', '"confidence":0.2');
    assertFirst(await check(lines), 'head-mismatch', 200, 199);
  });

  test('time going backwards is reported even when the links hold', async () => {
    const list = entries(200);
    list[70]!.time = '2026-09-10T06:00:00.000Z';
    assertFirst(await check(chain(list), { genesis: GENESIS, firstSeq: 0 }), 'time-backwards', 71, 70);
  });

  test('a sequence gap is reported even when the links hold', async () => {
    const list = entries(200);
    for (const e of list.slice(90)) e.seq += 3;
    const result = await check(chain(list), { genesis: GENESIS, firstSeq: 0 });
    assertFirst(result, 'seq-gap', 91, 93);
    assert.equal(result.problemCount, 1);
  });

  test('malformed lines are reported as such', async () => {
    for (const [bad, reason] of [
      ['not json at all', /does not end/],
      ['{"time":"2026-09-10T07:00:40.000Z","seq":40}', /does not start with/],
      ['{"seq":40,"seq":40,"time":"2026-09-10T07:00:40.000Z"}', /time does not follow seq/],
      ['', /empty line/],
    ] as const) {
      const lines = [...clean];
      lines[40] = bad;
      const result = await check(lines);
      assertFirst(result, 'malformed', 41, null);
      assert.match(result.firstBroken!.message, reason);
      assert.ok(result.problems.some((p) => p.kind === 'modified' && p.line === 41), 'and the entry it replaced no longer links');
    }
    const unterminated = text(clean).slice(0, -1);
    assert.equal((await check(unterminated)).problems.find((p) => p.kind === 'malformed')?.line, 200);
  });

  test('a log moved to another bundle or path fails its genesis', async () => {
    assertFirst(await check(chain(entries(20), sha256('another genesis')), { genesis: GENESIS, firstSeq: 0 }), 'genesis-mismatch', 1, 0);
  });

  test('the first entries deleted is a deletion at line 1', async () => {
    assertFirst(await check(clean.slice(3)), 'deleted', 1, 3);
  });
});

/** A verification without how it was run (mode, ranges), for comparing parallel with serial. */
function withoutMode(result: LogVerification): Record<string, unknown> {
  return Object.fromEntries(Object.entries(result).filter(([k]) => k !== 'mode' && k !== 'ranges'));
}

describe('parallel verification', () => {
  const tampered: [string, string[]][] = [
    ['clean', clean],
    ['modified', clean.map((l, i) => (i === 33 ? l.replace('"confidence":0.9', '"confidence":0.8') : l))],
    ['deleted at a seam', clean.filter((_, i) => i !== 100)],
    ['reordered', [...clean.slice(0, 10), clean[11]!, clean[10]!, ...clean.slice(12)]],
    ['truncated', clean.slice(0, 150)],
  ];
  for (const [name, lines] of tampered) {
    test(`ranges verified in parallel equal one serial pass: ${name}`, async () => {
      const path = dir.write(lines);
      const serial = await verifyLog(path, signed, { concurrency: 0 });
      for (const rangeBytes of [4096, 10_000, 65_536]) {
        for (const concurrency of [0, 2]) {
          const parallel = await verifyLog(path, signed, { rangeBytes, concurrency, workerThresholdBytes: 0 });
          // An unbroken chain stays parallel (a short one too: count and head come from the whole);
          // a broken one is verified again serially, for exact findings.
          if (name === 'clean' || name === 'truncated') assert.ok(parallel.mode === 'parallel' && parallel.ranges > 1);
          else assert.equal(parallel.mode, 'serial');
          assert.deepEqual(withoutMode(parallel), withoutMode(serial));
        }
      }
    });
  }
});
