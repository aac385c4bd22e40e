// Query benchmark cases over the same 1,000,000-entry sample log as the chain cases (log-cases.ts): a
// time-range query of one week exported as CSV, and the whole inference log exported as Parquet, each
// end to end as `assay logs query` runs it (checkpoints and segment chains verified, chain count, DuckDB
// query, export, sha256 of the export), with trust and policy.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportFormat, QuerySpec } from '../../main/engine/query/query-spec.js';
import { parseTimeRange } from '../../main/engine/query/query-spec.js';
import { runQuery } from '../../main/engine/query/run-query.js';
import { openQueryContext } from '../../main/engine/query/verified-logs.js';
import type { BenchCase, BenchContext, BenchRow } from './bench-case.js';
import { logFixture } from './log-cases.js';

const round = (x: number, digits = 0): number => Number(x.toFixed(digits));

async function timeQuery(ctx: BenchContext, id: string, title: string, spec: QuerySpec, format: ExportFormat, targetSeconds: number): Promise<BenchRow> {
  const f = await logFixture(ctx);
  const bundle = join(f.dir, 'bundle');
  const totals: number[] = [];
  let last: Awaited<ReturnType<typeof runQuery>> | null = null;
  for (let i = 0; i < ctx.runs; i++) {
    const outDir = join(ctx.workDir, `${id}-${i}`);
    const context = await openQueryContext(bundle, { trustDir: join(f.dir, 'trust'), policyPath: join(f.dir, 'policy.yaml') });
    const start = performance.now();
    try {
      last = await runQuery(context, spec, { format, outDir, tempParent: ctx.workDir });
    } finally {
      await context.close();
    }
    totals.push(performance.now() - start);
    const m = last.manifest;
    if (!m.completeness.complete) throw new Error(`${id}: incomplete export: ${m.completeness.problems.join('; ')}`);
    ctx.log(`run ${i + 1}: ${(totals[i]! / 1000).toFixed(2)} s (verify ${m.executionMs.verify} ms, count ${m.executionMs.count} ms, query ${m.executionMs.query} ms, export ${m.executionMs.export} ms), ${m.rowCount} rows, ${(m.files[0]!.size / 1e6).toFixed(0)} MB`);
    if (i < ctx.runs - 1) rmSync(outDir, { recursive: true, force: true });
  }
  const m = last!.manifest;
  const best = Math.min(...totals);
  const seconds = best / 1000;
  return {
    id,
    title,
    assay: { value: round(seconds, 2), unit: 's' },
    baseline: null,
    ratio: null,
    target: { text: `< ${targetSeconds} s${ctx.quick ? ' (full size)' : ''}`, met: seconds < targetSeconds },
    details: {
      rows: m.rowCount,
      entriesVerified: m.verification.entriesVerified,
      bytesVerified: m.verification.bytesVerified,
      segmentsRead: m.verification.logs.reduce((n, l) => n + l.segmentsRead.length, 0),
      segmentsTotal: m.verification.logs.reduce((n, l) => n + l.segmentsTotal, 0),
      exportBytes: m.files[0]!.size,
      entriesPerSecond: round(m.completeness.exported / seconds),
      verifyMs: m.executionMs.verify,
      countMs: m.executionMs.count,
      queryMs: m.executionMs.query,
      exportMs: m.executionMs.export,
      totalMs: totals.map((t) => round(t, 1)),
    },
  };
}

export const queryBenchCases: readonly BenchCase[] = [
  {
    id: 'log-query-week',
    title: 'logs query: one week (7 of 20 daily segments) as CSV',
    run: (ctx) => timeQuery(ctx, 'log-query-week', 'logs query: one week (7 of 20 daily segments) as CSV', { kind: 'time-range', range: parseTimeRange('2026-09-14', '2026-09-20'), log: 'logs/inference' }, 'csv', 30),
  },
  {
    id: 'log-export-parquet',
    title: 'logs query: whole inference log exported as Parquet',
    run: (ctx) => timeQuery(ctx, 'log-export-parquet', 'logs query: whole inference log exported as Parquet', { kind: 'time-range', range: parseTimeRange('2026-09-01', '2026-09-30'), log: 'logs/inference' }, 'parquet', 90),
  },
];
