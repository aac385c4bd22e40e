// A Sigstore bundle must say nothing that the verified bundle does not: proto3 JSON readers skip unknown
// fields and accept non-canonical base64, so two different files can verify as the same bundle. Assay
// re-serialises what @sigstore/bundle read and requires it to equal the input (aside from empty values
// of known fields, which proto3 JSON may omit or write), so every byte of a signature file is either
// meaningful or refused. An unknown field is never dropped, even when empty.

import { bundleToJSON, type Bundle } from '@sigstore/bundle';
import { isDeepStrictEqual } from 'node:util';

/** The first path at which `input` differs from the bundle as read, or null when they are the same. */
export function nonCanonicalBundlePath(input: unknown, bundle: Bundle): string | null {
  return firstDifference(withoutEmpty(input), withoutEmpty(bundleToJSON(bundle)), 'bundle');
}

/** Fields of the bundle schema whose default (empty) value proto3 JSON may write or omit. */
const OMITTABLE_WHEN_EMPTY = new Set(['tlogEntries', 'timestampVerificationData', 'rfc3161Timestamps', 'hashes', 'certificates', 'signatures', 'keyid', 'hint', 'inclusionPromise', 'inclusionProof', 'integratedTime', 'logIndex']);

function isEmpty(value: unknown): boolean {
  if (value === '' || value === '0' || value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const cleaned = withoutEmpty(inner);
      if (cleaned === undefined || (OMITTABLE_WHEN_EMPTY.has(key) && isEmpty(cleaned))) continue;
      out[key] = cleaned;
    }
    return out;
  }
  return value;
}

function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of [...keys].sort()) {
      const inner = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (inner !== null) return inner;
    }
  }
  return path;
}
