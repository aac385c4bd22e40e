// One entry point for every SBOM format: decode the bytes (UTF-8, a BOM allowed), tell the format from
// the content (never from the file name alone), and hand the text to that format's reader.

import { readFile, stat } from 'node:fs/promises';
import { readCycloneDxJson, readCycloneDxJsonValue, readCycloneDxXml } from './cyclonedx.js';
import { invalid, type SbomReading } from './sbom-model.js';
import { readSpdx2Json } from './spdx2-json.js';
import { readSpdx2TagValue } from './spdx2-tagvalue.js';
import { readSpdx2Value } from './spdx2.js';
import { readSpdx3, readSpdx3Value } from './spdx3.js';

/** An SBOM larger than this is refused unread: the largest real-world SBOMs are a few tens of MB. */
export const MAX_SBOM_BYTES = 128 * 1024 * 1024;

export class SbomFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SbomFileError';
  }
}

/** Reads and validates one SBOM from bytes. */
export async function readSbom(bytes: Uint8Array): Promise<SbomReading> {
  if (bytes.byteLength > MAX_SBOM_BYTES) return invalid('unreadable', null, null, [`${bytes.byteLength} bytes is over the ${MAX_SBOM_BYTES}-byte limit for an SBOM`]);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return invalid('syntax', null, null, ['not UTF-8 text']);
  }
  const head = text.trimStart();
  if (head.startsWith('<')) return readCycloneDxXml(text);
  if (head.startsWith('{')) {
    // A cheap look at the top-level keys decides the format; the reader then parses strictly.
    if (/"bomFormat"\s*:\s*"CycloneDX"/.test(text)) return readCycloneDxJson(text);
    if (/"@context"\s*:/.test(text) && /spdx\.org\/rdf\/3/.test(text)) return readSpdx3(text);
    if (/"spdxVersion"\s*:/.test(text)) return readSpdx2Json(text);
    return invalid('unknown-format', null, null, ['a JSON document that is neither CycloneDX (bomFormat), SPDX 2 (spdxVersion) nor SPDX 3 (@context)']);
  }
  if (/^SPDXVersion:/m.test(text)) return readSpdx2TagValue(text);
  return invalid('unknown-format', null, null, ['not a CycloneDX (JSON, XML) or SPDX (JSON, tag-value, JSON-LD) document']);
}

/**
 * Reads an SBOM that arrives already parsed (e.g. the predicate of an in-toto attestation whose payload
 * was strictly parsed from its signed bytes). Only the JSON formats can arrive this way.
 */
export async function readSbomValue(value: unknown): Promise<SbomReading> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (record['bomFormat'] === 'CycloneDX') return readCycloneDxJsonValue(value);
    if ('@context' in record) return readSpdx3Value(value);
    if ('spdxVersion' in record) return readSpdx2Value(value, 'spdx2-json');
  }
  return invalid('unknown-format', null, null, ['neither CycloneDX JSON, SPDX 2 JSON nor SPDX 3 JSON-LD']);
}

/** Reads an SBOM file; I/O problems (missing, a directory, too large) throw SbomFileError. */
export async function readSbomFile(path: string): Promise<SbomReading> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new SbomFileError(`${path} is not a regular file`);
    size = info.size;
  } catch (error) {
    if (error instanceof SbomFileError) throw error;
    throw new SbomFileError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (size > MAX_SBOM_BYTES) throw new SbomFileError(`${path} is ${size} bytes, over the ${MAX_SBOM_BYTES}-byte limit for an SBOM`);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new SbomFileError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return readSbom(bytes);
}
