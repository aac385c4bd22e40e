// `assay scan FILE [--format text|json]`: validate one security scan result (SARIF 2.1.0, CycloneDX with
// vulnerabilities) or VEX document (OpenVEX, read as such by its @context) and summarise it. Exit 0 valid,
// 1 invalid (one reason per line), 2 unreadable or usage. Whether a scan is about a release, and whether
// VEX settles what it found, is decided by `assay verify` against the bundle's records, not here.

import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MAX_SCAN_BYTES } from '../../engine/checks/scan-files.js';
import { readScanDocument, type ScanDocumentReading } from '../../engine/formats/scan-document.js';
import { SCAN_SEVERITIES, type ScanReport, type ScanTarget, type VexDocument } from '../../engine/formats/scan-model.js';
import { tryParseStrictJson } from '../../engine/json/strict-json.js';
import { EXIT_COULD_NOT_RUN, UsageError } from '../errors.js';
import { cannotRead } from '../read-input.js';
import { oneLine } from '../terminal-text.js';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];
const USAGE = 'assay scan FILE [--format text|json]';
/** Critical and high findings, or VEX statements, listed in the text output. */
const LISTED = 20;

const LABELS = { sarif: 'SARIF', cyclonedx: 'CycloneDX', openvex: 'OpenVEX' } as const;

export async function scanCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { format: { type: 'string', default: 'text' } } });
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const file = positionals[0]!;
  const bytes = await readBounded(file);
  if (typeof bytes === 'string') {
    process.stderr.write(`assay: ${bytes}\n`);
    return EXIT_COULD_NOT_RUN;
  }
  const json = tryParseStrictJson(bytes);
  if (isSignedStatement(json.ok ? json.value : firstLineValue(bytes))) {
    process.stderr.write(`assay: ${file} is a signed statement (a Sigstore bundle or DSSE envelope): its content counts only once its signature is verified against a signer you trust; check it inside a bundle with assay verify (policy scans.signer)\n`);
    return EXIT_COULD_NOT_RUN;
  }
  const document: ScanDocumentReading = json.ok ? await readScanDocument(json.value, 'any') : { kind: 'unknown', reason: json.reason };
  process.stdout.write(format === 'json' ? renderJson(file, document) : renderText(file, document));
  return document.kind !== 'unknown' && document.reading.ok ? 0 : 1;
}

async function readBounded(path: string): Promise<Buffer | string> {
  try {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) return `${path} is not a regular file`;
      if (stat.size > MAX_SCAN_BYTES) return `${path} is ${stat.size} bytes, over the ${MAX_SCAN_BYTES}-byte limit for a scan document`;
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    return cannotRead('scan document', path, error).message;
  }
}

/** The first line as JSON, for JSON Lines files (`.intoto.jsonl`); null when it is not. */
function firstLineValue(bytes: Buffer): unknown {
  const end = bytes.indexOf(0x0a);
  if (end === -1) return null;
  const line = tryParseStrictJson(bytes.subarray(0, end));
  return line.ok ? line.value : null;
}

/** A Sigstore bundle, or a DSSE envelope (the first line of an .intoto.jsonl). */
function isSignedStatement(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const object = value as Record<string, unknown>;
  return (typeof object['mediaType'] === 'string' && object['mediaType'].startsWith('application/vnd.dev.sigstore.bundle')) || (typeof object['payloadType'] === 'string' && 'signatures' in object);
}

function renderJson(file: string, document: ScanDocumentReading): string {
  let body: Record<string, unknown>;
  if (document.kind === 'unknown') body = { file, valid: false, kind: null, format: null, issues: [document.reason] };
  else if (!document.reading.ok) body = { file, valid: false, kind: document.kind, format: document.format, issues: document.reading.issues };
  else body = { file, valid: true, kind: document.kind, ...('report' in document.reading ? { report: document.reading.report } : { document: document.reading.document }), issues: [] };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function renderText(file: string, document: ScanDocumentReading): string {
  if (document.kind === 'unknown') return `${oneLine(file)}: INVALID: ${oneLine(document.reason)}\n`;
  if (!document.reading.ok) return `${oneLine(file)}: INVALID (${LABELS[document.format]} ${document.kind === 'vex' ? 'VEX' : 'scan'})\n${document.reading.issues.map((i) => `  ${oneLine(i)}\n`).join('')}`;
  const lines = 'report' in document.reading ? reportLines(document.reading.report) : vexLines(document.reading.document);
  return `${oneLine(file)}: valid\n${lines.map((l) => `  ${l}\n`).join('')}`;
}

function reportLines(report: ScanReport): string[] {
  const counts = SCAN_SEVERITIES.map((s) => `${report.vulnerabilities.filter((v) => v.severity === s).length} ${s}`).join(', ');
  const blocking = report.vulnerabilities.filter((v) => v.severity === 'critical' || v.severity === 'high');
  return [
    `format:         ${report.format === 'sarif' ? 'SARIF' : 'CycloneDX'} ${report.specVersion}`,
    `tools:          ${oneLine(report.tools.map((t) => (t.version === null ? t.name : `${t.name} ${t.version}`)).join(', ') || 'none named')}`,
    `targets:        ${report.targets.length === 0 ? 'none named (not tied to any image or commit)' : oneLine(report.targets.map(describeTarget).join(', '))}`,
    `finished:       ${report.finishedAt ?? 'not recorded'}`,
    `results:        ${report.vulnerabilities.length} (${counts}); ${report.ignoredResults} not ranked (pass, informational, absent from baseline)`,
    ...(report.failedRuns.length === 0 ? [] : [`did not complete: ${oneLine(report.failedRuns.join('; '))}`]),
    `critical/high:${blocking.length === 0 ? '  none' : ''}`,
    ...blocking.slice(0, LISTED).map((v) => `  ${oneLine(v.id)}  ${v.severity} (${oneLine(v.severityFrom)})${v.affects.length === 0 ? '' : `  in ${oneLine(v.affects.slice(0, 3).join(', '))}`}${v.analysis === null ? '' : `  analysis: ${v.analysis.status}`}`),
    ...(blocking.length > LISTED ? [`  … ${blocking.length - LISTED} more`] : []),
  ];
}

function describeTarget(target: ScanTarget): string {
  return target.kind === 'image' ? `image ${target.name === null ? '' : `${target.name}@`}${target.digest}` : `commit ${target.commit}${target.repository === null ? '' : ` of ${target.repository}`}`;
}

function vexLines(document: VexDocument): string[] {
  const byStatus = new Map<string, number>();
  for (const s of document.statements) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
  return [
    `format:     ${document.format === 'openvex' ? 'OpenVEX' : 'CycloneDX VEX'}`,
    `id:         ${oneLine(document.id)}`,
    `author:     ${oneLine(document.author ?? 'not named')}`,
    `timestamp:  ${document.timestamp ?? 'none'}`,
    `statements: ${document.statements.length} (${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')})`,
    ...document.statements.slice(0, LISTED).map((s) => `  ${oneLine(s.vulnerability)}  ${s.status}${s.justification === null ? '' : ` (${oneLine(s.justification)})`}  for ${oneLine(s.products.map((p) => p.id).join(', '))}`),
    ...(document.statements.length > LISTED ? [`  … ${document.statements.length - LISTED} more`] : []),
  ];
}
