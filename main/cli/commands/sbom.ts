// `assay sbom FILE [--format text|json]`: validate one SBOM and summarise it. Exit 0 valid, 1 invalid
// (one reason per line), 2 unreadable or usage.

import { parseArgs } from 'node:util';
import { readSbomFile, SbomFileError } from '../../engine/formats/detect.js';
import { invalidFormatNote, SBOM_FORMAT_LABELS, summariseSbom, type ComponentSummary, type SbomReading } from '../../engine/formats/sbom-model.js';
import { EXIT_COULD_NOT_RUN, UsageError } from '../errors.js';
import { oneLine } from '../terminal-text.js';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];
const USAGE = 'assay sbom FILE [--format text|json]';

export async function sbomCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { format: { type: 'string', default: 'text' } } });
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const file = positionals[0]!;
  let reading: SbomReading;
  try {
    reading = await readSbomFile(file);
  } catch (error) {
    if (!(error instanceof SbomFileError)) throw error;
    process.stderr.write(`assay: ${error.message}\n`);
    return EXIT_COULD_NOT_RUN;
  }
  process.stdout.write(format === 'json' ? renderJson(file, reading) : renderText(file, reading));
  return reading.ok ? 0 : 1;
}

function renderJson(file: string, reading: SbomReading): string {
  const body = reading.ok
    ? { file, valid: true, ...summariseSbom(reading.sbom), issues: [] }
    : { file, valid: false, problem: reading.kind, format: reading.format, formatLabel: reading.format === null ? null : SBOM_FORMAT_LABELS[reading.format], specVersion: reading.specVersion, issues: reading.issues };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function renderText(file: string, reading: SbomReading): string {
  if (!reading.ok) {
    return `${file}: INVALID${invalidFormatNote(reading)}: ${reading.kind}\n${reading.issues.map((issue) => `  ${oneLine(issue)}\n`).join('')}`;
  }
  const summary = summariseSbom(reading.sbom);
  const lines = [
    `${file}: valid`,
    `  format:        ${summary.formatLabel}`,
    `  spec version:  ${summary.specVersion}`,
    `  components:    ${summary.components} (${summary.models.length} model, ${summary.datasets.length} dataset)`,
    `  relationships: ${summary.relationships}`,
    `  models:${summary.models.length === 0 ? '        none' : ''}`,
    ...summary.models.map(componentLine),
    `  datasets:${summary.datasets.length === 0 ? '      none' : ''}`,
    ...summary.datasets.map(componentLine),
  ];
  return `${lines.join('\n')}\n`;
}

function componentLine(component: ComponentSummary): string {
  const hashes = component.hashes.length === 0 ? 'no hashes' : component.hashes.map((h) => `${h.algorithm}:${h.value}`).join(' ');
  return `    ${oneLine(component.name)}${component.version === null ? '' : ` ${oneLine(component.version)}`}  ${hashes}`;
}
