// Building blocks shared by Assay's own schemas: digests, timestamps and safe bundle paths.

import { z } from 'zod';

export const sha256Hex = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a sha256 digest as 64 lowercase hex characters');

export const isoTimestamp = z.iso.datetime({ offset: true });

/** Largest file size a bundle may declare: 2^53 - 1 bytes, the largest exact integer in JSON numbers. */
export const fileSize = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/**
 * A path inside a bundle: relative, POSIX separators, no `.`/`..`/empty segments, no backslash,
 * no control characters. Every path the engine takes from a document must pass this.
 */
const SEGMENT = String.raw`(?!\.{1,2}(?:/|$))[^/\\\u0000-\u001f\u007f]+`;
/** The same rule as isSafeBundlePath, as a regular expression so that the JSON Schemas carry it too. */
export const SAFE_BUNDLE_PATH = new RegExp(`^(?![A-Za-z]:)${SEGMENT}(?:/${SEGMENT})*$`);

export const bundlePath = z
  .string()
  .min(1)
  .max(1024)
  .regex(SAFE_BUNDLE_PATH, 'a relative POSIX path inside the bundle (no "..", ".", "//", "\\", leading "/" or control characters)');

export function isSafeBundlePath(p: string): boolean {
  if (p.length === 0 || p.length > 1024) return false;
  if (p.startsWith('/') || p.includes('\\')) return false;
  // Control characters, including NUL, never appear in a legitimate bundle path.
  for (let i = 0; i < p.length; i += 1) {
    const code = p.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  if (/^[A-Za-z]:/.test(p)) return false; // a Windows drive letter
  return p.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
