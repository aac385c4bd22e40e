// Reads the scan results under scans/<kind>/ and the VEX documents under vex/ into the scan model,
// choosing the reader by content: SARIF 2.1.0, CycloneDX (vulnerabilities, VEX), OpenVEX, and in-toto
// vulnerability statements (DSSE JSON Lines or Sigstore bundles) verified with the policy's key and bound
// to the released image before their predicate is read.

import { readFile } from 'node:fs/promises';
import { IN_TOTO_VULNS_PREDICATE_TYPE, readInTotoVulns } from '../formats/in-toto-vulns.js';
import { readScanDocument, type ScanDocumentReading } from '../formats/scan-document.js';
import { summariseIssues } from '../schemas/validate.js';
import type { ScanReport, VexDocument } from '../formats/scan-model.js';
import { tryParseStrictJson } from '../json/strict-json.js';
import { describeSigner, SCAN_KINDS, type ScanKind } from '../schemas/policy.js';
import type { BundleFile } from '../sources/bundle-source.js';
import type { ResolvedSigner } from '../trust/resolve-signers.js';
import { isAttestationPath, readAttestationFile } from './attestation-files.js';

export const SCANS_DIRECTORY = 'scans/';
export const VEX_DIRECTORY = 'vex/';
/** Largest scan or VEX document read (SARIF logs of large code bases run to tens of MB). */
export const MAX_SCAN_BYTES = 64 * 1024 * 1024;

/** The scan kind a path is filed under (`scans/<kind>/...`), or null when it is no kind Assay knows. */
export function scanKindOf(path: string): ScanKind | null {
  const kind = path.slice(SCANS_DIRECTORY.length).split('/')[0] ?? '';
  return path.slice(SCANS_DIRECTORY.length).includes('/') && (SCAN_KINDS as readonly string[]).includes(kind) ? (kind as ScanKind) : null;
}

export type ScanFileReading =
  | { readonly ok: true; readonly reports: readonly ScanReport[] }
  /**
   * `malformed`: not a scan document Assay reads, or invalid; `signature`: an in-toto statement that does
   * not verify with the key; `not-covering`: a verified statement about another artefact than the image.
   */
  | { readonly ok: false; readonly cause: 'malformed' | 'signature' | 'not-covering' | 'no-key'; readonly reason: string };

export interface ScanReadOptions {
  /** The signer in-toto statements must be signed by, or why there is none. */
  readonly signer: ResolvedSigner | { readonly missing: string };
  /** hex sha256 of the released image manifest: statements must name it as a subject. */
  readonly imageHex: string;
}

const malformed = (reason: string): ScanFileReading => ({ ok: false, cause: 'malformed', reason });

export async function readScanFile(file: BundleFile, options: ScanReadOptions): Promise<ScanFileReading> {
  if (file.size > MAX_SCAN_BYTES) return malformed(`${file.size} bytes, over the ${MAX_SCAN_BYTES}-byte limit for a scan document`);
  if (isAttestationPath(file.path, SCANS_DIRECTORY)) return readScanStatements(file, options);
  const json = tryParseStrictJson(await readFile(file.absPath));
  if (!json.ok) return malformed(json.reason);
  const document = await readScanDocumentSafely(json.value, 'scan');
  if (document.kind !== 'scan') return malformed(`${document.kind === 'unknown' ? document.reason : 'a VEX document'}; or an in-toto vulnerability statement as .intoto.jsonl / .sigstore.json`);
  return document.reading.ok ? { ok: true, reports: [document.reading.report] } : malformed(summariseIssues(document.reading.issues));
}

async function readScanStatements(file: BundleFile, options: ScanReadOptions): Promise<ScanFileReading> {
  const attestation = await readAttestationFile(file);
  if (typeof attestation === 'string') return malformed(attestation);
  const others = attestation.predicateTypes.filter((t) => t !== IN_TOTO_VULNS_PREDICATE_TYPE);
  if (others.length > 0) return malformed(`holds statements of predicate type ${[...new Set(others)].join(', ')}, not ${IN_TOTO_VULNS_PREDICATE_TYPE}`);
  if ('missing' in options.signer) return { ok: false, cause: 'no-key', reason: options.signer.missing };
  const signer = options.signer;
  const reports: ScanReport[] = [];
  for (const result of attestation.verify(signer, options.imageHex)) {
    if (!result.ok) {
      if (result.cause === 'subject-mismatch') return { ok: false, cause: 'not-covering', reason: result.reason };
      if (result.cause === 'malformed') return malformed(result.reason);
      return { ok: false, cause: 'signature', reason: `${result.reason} (required: ${describeSigner(signer.requirement)})` };
    }
    const reading = readInTotoVulns(result.statement.predicateType, result.statement.predicate, result.statement.subjects);
    if (!reading.ok) return malformed(summariseIssues(reading.issues));
    reports.push(reading.report);
  }
  return { ok: true, reports };
}

export type VexFileReading = { readonly ok: true; readonly document: VexDocument } | { readonly ok: false; readonly reason: string };

export async function readVexFile(file: BundleFile): Promise<VexFileReading> {
  if (file.size > MAX_SCAN_BYTES) return { ok: false, reason: `${file.size} bytes, over the ${MAX_SCAN_BYTES}-byte limit for a VEX document` };
  const json = tryParseStrictJson(await readFile(file.absPath));
  if (!json.ok) return { ok: false, reason: json.reason };
  const document = await readScanDocumentSafely(json.value, 'vex');
  if (document.kind !== 'vex') return { ok: false, reason: document.kind === 'unknown' ? document.reason : 'a scan report, not a VEX document' };
  return document.reading.ok ? { ok: true, document: document.reading.document } : { ok: false, reason: summariseIssues(document.reading.issues) };
}

/** A document that exhausts a reader's stack (strict JSON already bounds nesting) is malformed input, not a crash of the check. */
async function readScanDocumentSafely(value: unknown, role: 'scan' | 'vex'): Promise<ScanDocumentReading> {
  try {
    return await readScanDocument(value, role);
  } catch (error) {
    if (error instanceof RangeError) return { kind: 'unknown', reason: `cannot be read: ${error.message}` };
    throw error;
  }
}
