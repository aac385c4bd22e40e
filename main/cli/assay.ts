#!/usr/bin/env node
// The `assay` command: dispatches to one module per command and maps every outcome to the exit-code
// contract (0 verified, 1 not verified, 2 could not run). Never prints a stack trace unless ASSAY_DEBUG=1.

import { logsCommand } from './commands/logs.js';
import { demoCommand, sampleCommand } from './commands/sample.js';
import { sbomCommand } from './commands/sbom.js';
import { scanCommand } from './commands/scan.js';
import { simulateCommand } from './commands/simulate.js';
import { verifyCommand } from './commands/verify.js';
import { verifyBundleCommand } from './commands/verify-bundle.js';
import { describeFatal, EXIT_COULD_NOT_RUN, UsageError } from './errors.js';
import { VERSION } from '../engine/version.js';

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  verify: verifyCommand,
  'verify-bundle': verifyBundleCommand,
  sample: sampleCommand,
  sbom: sbomCommand,
  scan: scanCommand,
  simulate: simulateCommand,
  logs: logsCommand,
  demo: demoCommand,
};

const HELP = `assay ${VERSION}: offline verifier for AI release evidence bundles

  assay verify BUNDLE [--trust DIR --policy FILE] [--format text|json] [--out FILE]
  assay verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
                      [--trusted-root FILE] FILE_OR_DIGEST
  assay sample OUTDIR [--log-entries N] [--artefact-bytes N] [--seed S]
  assay sbom FILE [--format text|json]
  assay scan FILE [--format text|json]
  assay logs verify FILE [--checkpoint FILE --key PEM] [--genesis HEX] [--first-seq N] [--events [--model-version V]]
                    [--format text|json]
  assay logs verify FILE --otlp [--model-version V] [--format text|json]
  assay logs query BUNDLE (--from T --to T | --trace ID | --cohort EXPR | --oldest) [--log NAME]
                   [--format csv|json|parquet] --out DIR [--trust DIR --policy FILE]
  assay simulate BUNDLE --scenario FILE --out DIR [--trust DIR --policy FILE]
  assay demo

Exit codes: 0 PASS / verified, 1 FAIL or INCOMPLETE, 2 could not run. See docs/cli.md.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? EXIT_COULD_NOT_RUN : 0;
  }
  if (command === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) throw new UsageError(`unknown command "${command}"`);
  return run(rest);
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`assay: needs Node.js 22 or later (this is ${process.version}); run it through npx or npm scripts in the clone\n`);
  process.exit(EXIT_COULD_NOT_RUN);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const isUsage = error instanceof UsageError || (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL';
    process.stderr.write(`assay: ${isUsage && !(error instanceof UsageError) ? `usage: ${(error as Error).message}` : describeFatal(error)}\n`);
    if (process.env['ASSAY_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    process.exitCode = EXIT_COULD_NOT_RUN;
  },
);
