// `assay verify BUNDLE [--trust DIR --policy FILE] [--format text|json] [--out FILE]`

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { exitCodeOf } from '../../../shared/report.js';
import { renderJson } from '../../engine/report/render-json.js';
import { renderText } from '../../engine/report/render-text.js';
import { verify } from '../../engine/verify.js';
import { UsageError } from '../errors.js';
import { progressBar } from '../progress.js';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

export async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      trust: { type: 'string' },
      policy: { type: 'string' },
      format: { type: 'string', default: 'text' },
      out: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('assay verify BUNDLE [--trust DIR --policy FILE] [--format text|json] [--out FILE]');
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const progress = progressBar(process.stderr);
  let report;
  try {
    report = await verify(positionals[0]!, { trustDir: values.trust, policyPath: values.policy, onProgress: progress.update });
  } finally {
    progress.done();
  }
  const rendered = format === 'json' ? renderJson(report) : renderText(report);
  if (values.out === undefined) process.stdout.write(rendered);
  else await writeFile(values.out, rendered);
  return exitCodeOf(report.verdict);
}
