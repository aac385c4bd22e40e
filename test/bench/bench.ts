// `npm run bench`: runs the registered benchmark cases in a temporary directory, prints a table, writes JSON.
//
// Usage: node dist/test/bench/bench.js [--quick] [--json FILE] [--only ID[,ID...]] [--runs N]

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchContext, BenchRow } from './bench-case.js';
import { benchCases } from './registry.js';

interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
}

function machine(): Machine {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m !== null) cpuModel = m[1]!.trim();
  } catch {
    // Not Linux: keep os.cpus()'s model.
  }
  return {
    cpuModel,
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

function formatFigure(f: { value: number; unit: string } | null): string {
  return f === null ? '-' : `${f.value} ${f.unit}`;
}

function table(rows: readonly BenchRow[]): string {
  const header = ['case', 'assay', 'baseline', 'ratio', 'target', 'met'];
  const body = rows.map((r) => [
    r.title,
    formatFigure(r.assay),
    r.baseline === null ? '-' : `${formatFigure(r.baseline)} (${r.baseline.label})`,
    r.ratio === null ? '-' : r.ratio.toFixed(2),
    r.target.text,
    r.target.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      only: { type: 'string' },
      runs: { type: 'string', default: '3' },
    },
  });
  const only = values.only?.split(',').map((s) => s.trim());
  const selected = benchCases.filter((c) => only === undefined || only.includes(c.id));
  if (selected.length === 0) throw new Error(`no bench case matches --only ${values.only}; known: ${benchCases.map((c) => c.id).join(', ')}`);
  const runs = Number.parseInt(values.runs, 10);
  if (!(runs >= 1)) throw new Error('--runs must be a positive integer');

  const workDir = mkdtempSync(join(tmpdir(), 'assay-bench-'));
  const cleanUp = (): void => rmSync(workDir, { recursive: true, force: true });
  const onSignal = (): void => {
    cleanUp();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const ctx: BenchContext = {
    workDir,
    quick: values.quick,
    runs,
    log: (message) => process.stderr.write(`  ${message}\n`),
  };
  const info = machine();
  console.log(`Assay bench${values.quick ? ' (--quick: scaled-down sizes)' : ''}`);
  console.log(`${info.cpuModel}, ${info.cores} cores, ${info.memoryGiB} GiB, node ${info.node}, ${info.platform}`);
  const loadBefore = loadavg()[0]!;
  const rows: BenchRow[] = [];
  try {
    for (const c of selected) {
      process.stderr.write(`${c.id}: ${c.title}\n`);
      rows.push(await c.run(ctx));
    }
  } finally {
    cleanUp();
  }
  const loadAfter = loadavg()[0]!;
  console.log(`\n${table(rows)}\n`);
  for (const r of rows) if (r.note !== undefined) console.log(`note (${r.id}): ${r.note}`);
  console.log('MB = 10^6 bytes; throughputs are the best of the timed runs, from a warm page cache.');
  // Other work on the machine skews ratios; the 1-minute load average shows whether there was any.
  console.log(`1-minute load average: ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after.`);
  if (values.json !== undefined) {
    const load = { before: loadBefore, after: loadAfter };
    const report = { date: new Date().toISOString(), quick: values.quick, runs, machine: info, load, results: rows };
    writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`JSON written to ${values.json}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
