// `assay sample OUTDIR [--log-entries N] [--artefact-bytes N] [--seed S]` and `assay demo`.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exitCodeOf } from '../../../shared/report.js';
import { renderText } from '../../engine/report/render-text.js';
import { generateSample } from '../../engine/sample/generate-sample.js';
import { verify } from '../../engine/verify.js';
import { UsageError } from '../errors.js';
import { progressBar } from '../progress.js';

export async function sampleCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      'log-entries': { type: 'string' },
      'artefact-bytes': { type: 'string' },
      seed: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('assay sample OUTDIR [--log-entries N] [--artefact-bytes N] [--seed S]');
  const result = await generateSample(positionals[0]!, {
    seed: values.seed,
    logEntries: count(values['log-entries'], '--log-entries'),
    artefactBytes: count(values['artefact-bytes'], '--artefact-bytes'),
  });
  process.stdout.write(`bundle: ${result.bundleDir}\ntrust:  ${result.trustDir}\npolicy: ${result.policyPath}\n`);
  return 0;
}

/** Generates a sample release in a private temporary directory, verifies it, prints the report, removes it. */
export async function demoCommand(args: string[]): Promise<number> {
  if (args.length > 0) throw new UsageError('assay demo takes no arguments');
  const dir = await mkdtemp(join(tmpdir(), 'assay-demo-'));
  try {
    process.stderr.write(`Generating a sample release in ${dir} ...\n`);
    const sample = await generateSample(dir, {});
    process.stderr.write(`Verifying ${sample.bundleDir} against ${sample.trustDir} and ${sample.policyPath} ...\n`);
    const progress = progressBar(process.stderr);
    const report = await verify(sample.bundleDir, { trustDir: sample.trustDir, policyPath: sample.policyPath, onProgress: progress.update });
    progress.done();
    process.stdout.write(renderText(report));
    return exitCodeOf(report.verdict);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} takes a whole number, not "${value}"`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} is too large`);
  return n;
}
