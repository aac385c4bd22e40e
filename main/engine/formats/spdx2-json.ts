// SPDX 2.2 / 2.3 JSON: strict parse (duplicate keys refused), then the validator and mapping of spdx2.ts.

import { parseStrictJson, StrictJsonError } from '../json/strict-json.js';
import { invalid, type SbomReading } from './sbom-model.js';
import { readSpdx2Value } from './spdx2.js';

/** Reads an SPDX 2 JSON document (already decoded text). */
export function readSpdx2Json(text: string): SbomReading {
  let document: unknown;
  try {
    document = parseStrictJson(text);
  } catch (error) {
    if (error instanceof StrictJsonError) return invalid(error.kind, 'spdx2-json', null, [error.message]);
    throw error;
  }
  return readSpdx2Value(document, 'spdx2-json');
}
