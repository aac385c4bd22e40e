// Strict base64 for the bytes fields of bundles and trusted roots. Buffer.from(x, 'base64') silently
// drops invalid characters and truncated tails, so a damaged signature or certificate would be
// decoded into other bytes instead of being refused; this decoder refuses instead.

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes canonical, padded standard base64; returns null for anything else. */
export function decodeBase64Strict(text: unknown): Buffer<ArrayBuffer> | null {
  if (typeof text !== 'string' || text.length % 4 !== 0 || !STANDARD.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  // Re-encoding catches non-zero padding bits and misplaced '=' that the regex lets through.
  return bytes.toString('base64') === text ? bytes : null;
}
