// `assay logs verify FILE [--checkpoint FILE --key PEM] [--genesis HEX] [--first-seq N] [--events]
//  [--model-version V] [--format text|json]`: one hash-chained log, in one streaming pass on all cores.
// Exit 0 intact, 1 broken (the first broken entry named by line and seq), 2 could not run.
// With `--otlp`, FILE is an OpenTelemetry OTLP JSON export instead: it has no chain, so only the event
// content rules apply. Exit 0 every event passes, 1 a problem (named by line), 2 could not run (unreadable,
// not OTLP, or no log record to check).

import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { checkpointSignaturePath, type Checkpoint } from '../../engine/logs/checkpoint.js';
import { verifyCheckpoint } from '../../engine/logs/checkpoint-signature.js';
import type { EventProblemKind } from '../../engine/logs/events.js';
import { checkOtlpEvents, OtlpFormatError } from '../../engine/logs/otlp.js';
import { checkLogEvents, LogUnreadableError, verifyLog, type EventsVerification, type LogExpectations, type LogVerification } from '../../engine/logs/verify-log.js';
import { TrustedMaterialError, messageOf } from '../../engine/sigstore/errors.js';
import { parseVerificationKey } from '../../engine/sigstore/public-key.js';
import { EXIT_COULD_NOT_RUN, UsageError } from '../errors.js';
import { CouldNotRunError, readInput } from '../read-input.js';
import { logsQueryCommand } from './logs-query.js';

const USAGE =
  'assay logs verify FILE [--checkpoint FILE --key PEM] [--genesis HEX] [--first-seq N] [--events [--model-version V]] [--format text|json], or assay logs verify FILE --otlp [--model-version V] [--format text|json]';
/** Options that anchor a hash chain: an OTLP export has none to anchor. */
const CHAIN_OPTIONS = ['checkpoint', 'key', 'genesis', 'first-seq'] as const;
/** Said with every OTLP result, text and JSON: what a content check cannot tell. */
const OTLP_NO_CHAIN = 'an OTLP export carries no hash chain, so only its content was checked, never its completeness or integrity: a deleted, altered or added record would go unnoticed';
const EXIT_PASS = 0;
const EXIT_FAIL = 1;
/** Problems listed in the text output after the first broken entry. */
const SHOWN_PROBLEMS = 10;


export async function logsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'query') return logsQueryCommand(rest);
  if (sub !== 'verify') throw new UsageError(`assay logs takes a subcommand: ${USAGE}`);
  return logsVerify(rest);
}

async function logsVerify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      checkpoint: { type: 'string' },
      key: { type: 'string' },
      genesis: { type: 'string' },
      'first-seq': { type: 'string' },
      events: { type: 'boolean', default: false },
      otlp: { type: 'boolean', default: false },
      'model-version': { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const chainOptions = CHAIN_OPTIONS.filter((option) => values[option] !== undefined).map((option) => `--${option}`);
  if (values.otlp && chainOptions.length > 0) throw new UsageError(`--otlp takes no ${chainOptions.join(', ')}: an OTLP export has no hash chain to check against them`);
  if ((values.checkpoint === undefined) !== (values.key === undefined)) throw new UsageError('--checkpoint and --key go together: a checkpoint counts only with the signature of the key you trust');
  if (values.genesis !== undefined && !/^[0-9a-f]{64}$/.test(values.genesis)) throw new UsageError('--genesis takes 64 lowercase hex characters');
  if (values['first-seq'] !== undefined && !/^\d{1,15}$/.test(values['first-seq'])) throw new UsageError('--first-seq takes a whole number');
  if (values['model-version'] !== undefined && !values.events && !values.otlp) throw new UsageError('--model-version needs --events or --otlp');
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError('--format must be text or json');
  const file = positionals[0]!;
  try {
    if (values.otlp) return await otlpVerify(file, values['model-version'] ?? null, values.format);
    let checkpoint: Checkpoint | null = null;
    if (values.checkpoint !== undefined && values.key !== undefined) {
      const key = parseVerificationKey(await readInput(values.key, 'key', 'utf8'), values.key);
      const statement = await readInput(values.checkpoint, 'checkpoint');
      const signature = await readInput(checkpointSignaturePath(values.checkpoint), 'checkpoint signature');
      const verified = verifyCheckpoint(statement, signature, { name: basename(values.key), ...key });
      if (!verified.ok) {
        process.stderr.write(`assay: checkpoint not verified [${verified.kind}]: ${verified.message}\n`);
        return EXIT_FAIL;
      }
      checkpoint = verified.checkpoint;
      if (values.genesis !== undefined && values.genesis !== checkpoint.genesis) throw new UsageError(`--genesis ${values.genesis} contradicts the signed checkpoint's genesis ${checkpoint.genesis}`);
    }
    const expectations: LogExpectations =
      checkpoint !== null
        ? { genesis: checkpoint.genesis, firstSeq: checkpoint.firstSeq, entries: checkpoint.entries, head: checkpoint.head }
        : { genesis: values.genesis ?? null, firstSeq: values['first-seq'] !== undefined ? Number(values['first-seq']) : values.genesis !== undefined ? 0 : null };
    const result = await verifyLog(file, expectations);
    const events = values.events ? (await checkLogEvents([{ path: file, rules: { profile: 'inference', modelVersion: values['model-version'] ?? null, modelName: null } }]))[0]! : null;
    if (values.format === 'json') process.stdout.write(`${JSON.stringify({ file, checkpoint, ...result, events }, null, 2)}\n`);
    else process.stdout.write(renderText(file, result, checkpoint, expectations, events));
    return result.intact && (events === null || !eventsFailed(events)) ? EXIT_PASS : EXIT_FAIL;
  } catch (error) {
    if (error instanceof CouldNotRunError || error instanceof LogUnreadableError || error instanceof OtlpFormatError || error instanceof TrustedMaterialError) {
      process.stderr.write(`assay: ${messageOf(error)}\n`);
      return EXIT_COULD_NOT_RUN;
    }
    throw error;
  }
}

/** The event content rules over an OTLP export: the only check it allows. */
async function otlpVerify(file: string, modelVersion: string | null, format: 'text' | 'json'): Promise<number> {
  const events = await checkOtlpEvents(file, { profile: 'inference', modelVersion, modelName: null });
  // Nothing checked is no pass: an empty export (or one of empty LogsData) could not be checked at all.
  if (events.lines === 0) throw new CouldNotRunError(`${file} holds no OTLP log records: nothing to check`);
  const failed = eventsFailed(events);
  if (format === 'json') process.stdout.write(`${JSON.stringify({ file, source: 'otlp', hashChain: false, checked: 'content', note: OTLP_NO_CHAIN, contentPassed: !failed, events }, null, 2)}\n`);
  else {
    const lines = [`${failed ? 'CONTENT PROBLEMS' : 'Content passed'}: ${file} (OpenTelemetry OTLP export)`, `  chain:      none: ${OTLP_NO_CHAIN}`];
    lines.push(...renderEvents(events, `${events.lines} log records with their Art. 12 fields`));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return failed ? EXIT_FAIL : EXIT_PASS;
}

/** An event type outside the Art. 12 inference log is reported but fails nothing: logs may carry more. */
function eventsFailed(events: EventsVerification): boolean {
  return Object.keys(events.problemCounts).some((kind) => kind !== 'unknown-type');
}

/** Each kind of event problem with its count and first example (named by line); `clean` when there is none. */
function renderEvents(events: EventsVerification, clean: string): string[] {
  const counts = Object.entries(events.problemCounts) as [EventProblemKind, number][];
  if (counts.length === 0) return [`  events:     ${clean}`];
  return counts.map(([kind, count]) => `  events:     ${kind}: ${count} event(s), first ${events.problems.find((p) => p.kind === kind)!.message}`);
}

function renderText(file: string, r: LogVerification, checkpoint: Checkpoint | null, expected: LogExpectations, events: EventsVerification | null): string {
  const lines: string[] = [];
  const seqs = r.firstSeq === null ? 'no entries' : `seq ${r.firstSeq}-${r.lastSeq ?? '?'}`;
  if (r.intact) lines.push(`Intact: ${file}`);
  else lines.push(`BROKEN: ${file}`, `  first broken entry: line ${r.firstBroken!.line}${r.firstBroken!.seq === null ? '' : ` (seq ${r.firstBroken!.seq})`}: ${r.firstBroken!.kind}: ${r.firstBroken!.message}`);
  lines.push(`  entries:    ${r.entries} (${seqs}), ${r.bytes} bytes, verified ${r.mode === 'parallel' ? `in ${r.ranges} parallel ranges` : 'in one pass'}`);
  lines.push(`  time:       ${r.firstTime ?? '-'} to ${r.lastTime ?? '-'}`);
  lines.push(`  genesis:    ${r.genesis ?? '-'}${(expected.genesis ?? null) === null ? ' (not checked: no --genesis or --checkpoint)' : ''}`);
  lines.push(`  head:       ${r.head ?? '-'}`);
  if (checkpoint !== null) lines.push(`  checkpoint: signed; ${checkpoint.entries} entries, head ${checkpoint.head} (${checkpoint.log}, segment ${checkpoint.segment})`);
  else lines.push('  checkpoint: none given: a cut-off tail cannot be detected (use --checkpoint with --key)');
  if (!r.intact) {
    for (const p of r.problems.slice(1, SHOWN_PROBLEMS + 1)) lines.push(`  also: line ${p.line}${p.seq === null ? '' : ` (seq ${p.seq})`}: ${p.kind}: ${p.message}`);
    if (r.problemCount > SHOWN_PROBLEMS + 1) lines.push(`  ... ${r.problemCount - SHOWN_PROBLEMS - 1} more problem(s)`);
  }
  if (events !== null) lines.push(...renderEvents(events, `${events.lines} events, strict JSON with their Art. 12 fields`));
  return `${lines.join('\n')}\n`;
}
