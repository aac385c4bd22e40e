// `assay simulate BUNDLE --scenario FILE --out DIR [--trust DIR --policy FILE]`: run a scenario of
// regulator requests against a bundle's logs and write report.json, report.html and each request's export.
// Exit 0 every request met its targets, 1 one or more did not (or the bundle was refused), 2 could not run.

import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openQueryContext, QueryRefusedError } from '../../engine/query/verified-logs.js';
import { renderReportHtml, renderReportJson, REPORT_HTML, REPORT_JSON } from '../../engine/simulate/report.js';
import { runScenario } from '../../engine/simulate/run-scenario.js';
import { loadScenario, ScenarioError } from '../../engine/simulate/scenario.js';
import { EXIT_COULD_NOT_RUN, UsageError } from '../errors.js';

const USAGE = 'assay simulate BUNDLE --scenario FILE --out DIR [--trust DIR --policy FILE]';

export async function simulateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      scenario: { type: 'string' },
      out: { type: 'string' },
      trust: { type: 'string' },
      policy: { type: 'string' },
    },
  });
  if (positionals.length !== 1 || values.scenario === undefined || values.out === undefined) throw new UsageError(USAGE);
  const outDir = values.out;
  let loaded;
  try {
    loaded = await loadScenario(values.scenario);
    for (const name of [REPORT_JSON, REPORT_HTML, 'requests']) {
      if (await exists(join(outDir, name))) throw new ScenarioError(`${join(outDir, name)} already exists; write the simulation into a new directory`);
    }
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    process.stderr.write(`assay: ${error.message}\n`);
    return EXIT_COULD_NOT_RUN;
  }
  let context;
  try {
    context = await openQueryContext(positionals[0]!, { trustDir: values.trust, policyPath: values.policy });
  } catch (error) {
    if (!(error instanceof QueryRefusedError)) throw error;
    process.stderr.write(`assay: simulation refused: ${error.message}\n`);
    return 1;
  }
  try {
    await mkdir(outDir, { recursive: true });
    process.stdout.write(`Scenario: ${loaded.scenario.name} (${loaded.plans.length} requests)\n`);
    const report = await runScenario(context, loaded, {
      outDir,
      onRequest: (r) => process.stdout.write(`  ${r.status === 'pass' ? 'pass' : 'FAIL'}  ${r.id}  ${r.seconds.toFixed(3)} s  ${r.exported === null ? r.error : `${r.exported}/${r.expected} entries, ${r.rowCount} rows`}\n`),
    });
    await writeFile(join(outDir, REPORT_JSON), renderReportJson(report), { flag: 'wx' });
    await writeFile(join(outDir, REPORT_HTML), renderReportHtml(report), { flag: 'wx' });
    process.stdout.write(`${report.verdict === 'pass' ? 'PASS' : 'FAIL'}: ${report.summary.passed} of ${report.summary.requests} requests met their targets (${report.summary.seconds.toFixed(3)} s)\n`);
    process.stdout.write(`report: ${join(outDir, REPORT_HTML)} and ${REPORT_JSON}\n`);
    return report.verdict === 'pass' ? 0 : 1;
  } finally {
    await context.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}
