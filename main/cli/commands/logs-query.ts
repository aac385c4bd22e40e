// `assay logs query BUNDLE (--from T --to T | --trace ID | --cohort EXPR | --oldest) [--log NAME]
//  [--format csv|json|parquet] --out DIR [--trust DIR --policy FILE]`: verify the logs a regulator's
// query reads, answer it with DuckDB, export the result with export-manifest.json.
// Exit 0 answered and complete, 1 refused (broken chain, bad signature) or incomplete, 2 could not run.

import { parseArgs } from 'node:util';
import { EXPORT_MANIFEST_FILE } from '../../engine/query/export-manifest.js';
import { checkCorrelationId, EXPORT_FORMATS, parseCohortExpr, parseTimeRange, QuerySpecError, type ExportFormat, type QuerySpec, type TimeRange } from '../../engine/query/query-spec.js';
import { ExportExistsError, runQuery, type QueryOutcome } from '../../engine/query/run-query.js';
import { openQueryContext, QueryRefusedError } from '../../engine/query/verified-logs.js';
import { EXIT_COULD_NOT_RUN, UsageError } from '../errors.js';

const USAGE = 'assay logs query BUNDLE (--from T --to T | --trace ID | --cohort EXPR | --oldest) [--log NAME] [--format csv|json|parquet] --out DIR [--trust DIR --policy FILE]';
const EXIT_ANSWERED = 0;
const EXIT_REFUSED = 1;

export async function logsQueryCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      trace: { type: 'string' },
      cohort: { type: 'string' },
      oldest: { type: 'boolean', default: false },
      log: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
      trust: { type: 'string' },
      policy: { type: 'string' },
    },
  });
  if (positionals.length !== 1 || values.out === undefined) throw new UsageError(USAGE);
  const format = values.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  let spec: QuerySpec;
  try {
    spec = specOf(values);
  } catch (error) {
    if (error instanceof QuerySpecError) throw new UsageError(error.message);
    throw error;
  }
  let context;
  try {
    context = await openQueryContext(positionals[0]!, { trustDir: values.trust, policyPath: values.policy });
  } catch (error) {
    return refused(error);
  }
  try {
    const outcome = await runQuery(context, spec, { format, outDir: values.out });
    process.stdout.write(summary(outcome));
    return outcome.manifest.completeness.complete ? EXIT_ANSWERED : EXIT_REFUSED;
  } catch (error) {
    if (error instanceof ExportExistsError) {
      process.stderr.write(`assay: ${error.message}\n`);
      return EXIT_COULD_NOT_RUN;
    }
    return refused(error);
  } finally {
    await context.close();
  }
}

function refused(error: unknown): number {
  if (!(error instanceof QueryRefusedError)) throw error;
  process.stderr.write(`assay: query refused: ${error.message}\n`);
  return EXIT_REFUSED;
}

interface QueryFlags {
  from?: string | undefined;
  to?: string | undefined;
  trace?: string | undefined;
  cohort?: string | undefined;
  oldest?: boolean | undefined;
  log?: string | undefined;
}

/** Exactly one kind: a time range alone, or a trace / cohort (optionally within a range), or the oldest entry. */
export function specOf(flags: QueryFlags): QuerySpec {
  const kinds = [flags.trace !== undefined, flags.cohort !== undefined, flags.oldest === true].filter(Boolean).length;
  const hasRange = flags.from !== undefined || flags.to !== undefined;
  if (kinds > 1) throw new QuerySpecError('give one of --trace, --cohort, --oldest');
  if (hasRange && (flags.from === undefined || flags.to === undefined)) throw new QuerySpecError('--from and --to go together');
  if (kinds === 0 && !hasRange) throw new QuerySpecError(`say what to query: ${USAGE}`);
  const range: TimeRange | null = hasRange ? parseTimeRange(flags.from!, flags.to!) : null;
  const log = flags.log ?? null;
  if (flags.trace !== undefined) return { kind: 'trace', correlationId: checkCorrelationId(flags.trace), range, log };
  if (flags.cohort !== undefined) return { kind: 'cohort', cohort: parseCohortExpr(flags.cohort), range, log };
  if (flags.oldest === true) {
    if (range !== null) throw new QuerySpecError('--oldest takes no time range');
    return { kind: 'oldest', log };
  }
  return { kind: 'time-range', range: range!, log };
}

function summary(outcome: QueryOutcome): string {
  const m = outcome.manifest;
  const c = m.completeness;
  const lines = [
    `${c.complete ? 'Answered' : 'INCOMPLETE'}: ${m.query.kind} query, ${m.rowCount} row${m.rowCount === 1 ? '' : 's'} (${c.exported} entries; the verified chain has ${c.expected})`,
    `  verified:  ${m.verification.entriesVerified} entries in ${m.verification.logs.reduce((n, l) => n + l.segmentsRead.length, 0)} of ${m.verification.logs.reduce((n, l) => n + l.segmentsTotal, 0)} segments${m.verification.authenticated ? `, checkpoints signed by "${m.verification.signerKey ?? '?'}"` : ' (no --trust/--policy: signatures not checked)'}`,
    `  result:    ${outcome.resultPath} (sha256 ${m.files[0]!.sha256})`,
    `  manifest:  ${outcome.manifestPath.replace(/[^/\\]+$/, EXPORT_MANIFEST_FILE)}`,
    `  time:      ${(m.executionMs.total / 1000).toFixed(2)} s (verify ${(m.executionMs.verify / 1000).toFixed(2)} s, query ${(m.executionMs.query / 1000).toFixed(2)} s, export ${(m.executionMs.export / 1000).toFixed(2)} s)`,
  ];
  for (const problem of c.problems) lines.push(`  problem:   ${problem}`);
  return `${lines.join('\n')}\n`;
}
