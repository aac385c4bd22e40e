// SPDX 2.2 / 2.3 JSON: strict parse (duplicate keys refused), then the validator and mapping of spdx2.ts.

import { tryParseStrictJson } from '../json/strict-json.js';
import { invalid, type SbomReading } from './sbom-model.js';
import { readSpdx2Value } from './spdx2.js';

/** Reads an SPDX 2 JSON document (already decoded text). */
export function readSpdx2Json(text: string): SbomReading {
  const json = tryParseStrictJson(text);
  if (!json.ok) return invalid(json.kind, 'spdx2-json', null, [json.reason]);
  return readSpdx2Value(json.value, 'spdx2-json');
}
