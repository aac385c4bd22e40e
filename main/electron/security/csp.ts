// The Content-Security-Policy of the app's pages: nothing may load or connect except the app's own
// scripts, styles and images (and data: images), so text from a bundle can never pull anything in, and
// an injected script, were one ever to slip past React, could neither run inline nor call out.

export const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'none'",
  'media-src': "'none'",
  'object-src': "'none'",
  'frame-src': "'none'",
  'worker-src': "'none'",
  'child-src': "'none'",
  'manifest-src': "'none'",
  'form-action': "'none'",
  'base-uri': "'none'",
};

/** Directives a `<meta>` CSP ignores; the header served by the app:// handler carries them. */
const HEADER_ONLY = ['frame-ancestors'];

/**
 * The policy as one header value. `scriptHashes` (base64 sha256 of the page's scripts) replace 'self' in
 * script-src: the built page's <meta> policy allows exactly its own bundle, which the <script> tag pins
 * with the same hash as Subresource Integrity. The header keeps 'self'; a browser enforces both.
 */
export function contentSecurityPolicy(options: { forMetaTag?: boolean; scriptHashes?: readonly string[] } = {}): string {
  const hashes = options.scriptHashes ?? [];
  const directives = Object.entries(CSP_DIRECTIVES).map(([name, value]) =>
    name === 'script-src' && hashes.length > 0 ? `${name} ${hashes.map((h) => `'sha256-${h}'`).join(' ')}` : `${name} ${value}`,
  );
  if (!options.forMetaTag) directives.push(...HEADER_ONLY.map((name) => `${name} 'none'`));
  return directives.join('; ');
}
