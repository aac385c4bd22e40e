// Log benchmark cases: chain verification of a sample log of 1,000,000 entries of ~2 KB against
// `openssl dgst -sha256` over the same bytes (as daily segments, and as one file), and peak memory.

import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { availableParallelism } from 'node:os';
import { verifyLogs, type LogInput } from '../../main/engine/logs/verify-log.js';
import { generateSample } from '../../main/engine/sample/generate-sample.js';
import { manifestSchema, type Manifest } from '../../main/engine/schemas/manifest.js';
import type { BenchCase, BenchContext, BenchRow } from './bench-case.js';
import { flushWrites, mbPerSecond, msSince, parseOpensslDigests, timeProcess, warmPageCache } from './fixtures.js';

const RSS_CHILD = fileURLToPath(new URL('./log-rss-child.js', import.meta.url));
const round = (x: number, digits = 0): number => Number(x.toFixed(digits));

interface LogFixture {
  readonly dir: string;
  readonly entries: number;
  readonly generateMs: number;
  readonly segments: readonly LogInput[];
  /** The segments concatenated in order: one valid chain (each segment starts at the previous head). */
  readonly single: LogInput;
  readonly bytes: number;
}

let fixture: Promise<LogFixture> | null = null;

/** One sample for all log cases of a run: generated once, its inference segments also joined into one file. */
export function logFixture(ctx: BenchContext): Promise<LogFixture> {
  fixture ??= (async () => {
    const entries = ctx.quick ? 50_000 : 1_000_000;
    const dir = join(ctx.workDir, 'log-sample');
    ctx.log(`generating a sample with ${entries} inference log entries`);
    const start = process.hrtime.bigint();
    const sample = await generateSample(dir, { logEntries: entries, artefactBytes: 1024 });
    const generateMs = msSince(start);
    const manifest: Manifest = manifestSchema.parse(JSON.parse(readFileSync(join(sample.bundleDir, 'manifest.json'), 'utf8')));
    const heads = manifest.logs.filter((l) => l.path.startsWith('logs/inference/'));
    const segments = heads.map((l) => ({ path: join(sample.bundleDir, l.path), expectations: { genesis: l.genesis, firstSeq: l.firstSeq ?? 0, entries: l.entries, head: l.head } }));
    const singlePath = join(dir, 'inference-all.jsonl');
    const out = createWriteStream(singlePath);
    for (const s of segments) await pipeline(createReadStream(s.path), out, { end: false });
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const last = heads[heads.length - 1]!;
    const single = { path: singlePath, expectations: { genesis: heads[0]!.genesis, firstSeq: 0, entries, head: last.head } };
    const bytes = statSync(singlePath).size;
    ctx.log(`${entries} entries, ${(bytes / 1e6).toFixed(0)} MB in ${segments.length} segments (avg ${(bytes / entries).toFixed(0)} B/entry), generated in ${(generateMs / 1000).toFixed(1)} s`);
    flushWrites();
    warmPageCache([...segments.map((s) => s.path), singlePath]);
    return { dir, entries, generateMs, segments, single, bytes };
  })();
  return fixture;
}

async function compare(ctx: BenchContext, id: string, title: string, inputs: readonly LogInput[], f: LogFixture): Promise<BenchRow> {
  const opensslMs: number[] = [];
  const assayMs: number[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    const o = await timeProcess('openssl', ['dgst', '-sha256', '-r', ...inputs.map((s) => s.path)], f.dir);
    opensslMs.push(o.ms);
    if (parseOpensslDigests(o.stdout).size !== inputs.length) throw new Error('openssl did not hash every file');
    const start = process.hrtime.bigint();
    const results = await verifyLogs(inputs);
    assayMs.push(msSince(start));
    const bad = results.find((r) => !r.intact);
    if (bad !== undefined) throw new Error(`${bad.path} is not intact: ${bad.firstBroken?.message ?? ''}`);
    if (results.reduce((sum, r) => sum + r.entries, 0) !== f.entries) throw new Error('entry count differs');
    ctx.log(`run ${i + 1}: openssl ${opensslMs[i]!.toFixed(0)} ms, verifyLogs ${assayMs[i]!.toFixed(0)} ms`);
  }
  const assay = mbPerSecond(f.bytes, Math.min(...assayMs));
  const openssl = mbPerSecond(f.bytes, Math.min(...opensslMs));
  const ratio = assay / openssl;
  return {
    id,
    title,
    assay: { value: round(assay), unit: 'MB/s' },
    baseline: { label: 'openssl dgst -sha256', value: round(openssl), unit: 'MB/s' },
    ratio: round(ratio, 2),
    target: { text: 'ratio >= 0.80', met: ratio >= 0.8 },
    details: { entries: f.entries, bytes: f.bytes, files: inputs.length, cores: availableParallelism(), generateSampleMs: round(f.generateMs), opensslMs: opensslMs.map((x) => round(x, 1)), assayMs: assayMs.map((x) => round(x, 1)) },
  };
}

const segmented: BenchCase = {
  id: 'log-chain-segments',
  title: 'chain verification of the daily segments vs openssl over the same files',
  async run(ctx) {
    const f = await logFixture(ctx);
    return compare(ctx, this.id, `(d) ${f.entries} log entries in ${f.segments.length} daily segments, verifyLogs`, f.segments, f);
  },
};

const oneFile: BenchCase = {
  id: 'log-chain-one-file',
  title: 'chain verification of one large log file (line-aligned ranges in parallel) vs openssl',
  async run(ctx) {
    const f = await logFixture(ctx);
    return compare(ctx, this.id, `(e) ${f.entries} log entries, one ${(f.bytes / 1e6).toFixed(0)} MB file, verifyLog`, [f.single], f);
  },
};

const peakMemory: BenchCase = {
  id: 'log-chain-peak-rss',
  title: 'peak resident memory of verifyLog on the one-file log (child process)',
  async run(ctx) {
    const f = await logFixture(ctx);
    const e = f.single.expectations!;
    const { stdout } = await promisify(execFile)(process.execPath, [RSS_CHILD, f.single.path, e.genesis!, String(e.entries), e.head!], { encoding: 'utf8' });
    const child = JSON.parse(stdout) as { maxRssKiB: number; intact: boolean; entries: number; ms: number };
    if (!child.intact || child.entries !== f.entries) throw new Error('the child did not verify the log as intact');
    const peakMB = (child.maxRssKiB * 1024) / 1e6;
    ctx.log(`peak RSS ${peakMB.toFixed(1)} MB while verifying ${(f.bytes / 1e6).toFixed(0)} MB in ${child.ms.toFixed(0)} ms`);
    return {
      id: this.id,
      title: `(f) ${f.entries} log entries (${(f.bytes / 1e6).toFixed(0)} MB), verifyLog peak RSS`,
      assay: { value: round(peakMB, 1), unit: 'MB' },
      baseline: null,
      ratio: null,
      target: { text: 'peak RSS < 200 MB', met: peakMB < 200 },
      details: { bytes: f.bytes, entries: f.entries, maxRssKiB: child.maxRssKiB, verifyMs: round(child.ms, 1), verifyMBps: round(mbPerSecond(f.bytes, child.ms)) },
    } satisfies BenchRow;
  },
};

export const logBenchCases: readonly BenchCase[] = [segmented, oneFile, peakMemory];
