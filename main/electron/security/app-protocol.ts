// The app:// protocol that serves the built renderer instead of file:// (DESIGN §9). A URL maps to a file
// inside the renderer directory, or to nothing: other hosts, traversal (plain or percent-encoded),
// backslashes, NUL bytes and absolute paths are refused, so a page can never read the rest of the disk.

import { isAbsolute, posix, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'assay';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export type AppPathResolution = { readonly ok: true; readonly file: string; readonly mimeType: string } | { readonly ok: false; readonly status: 403 | 404; readonly reason: string };

/**
 * Resolves a request URL to a file below `root`. `origin` is the origin the pages are served from
 * (app://assay in the app; the test server's origin in the end-to-end harness).
 */
export function resolveAppPath(requestUrl: string, root: string, origin: string = APP_ORIGIN): AppPathResolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 403, reason: 'not a URL' };
  }
  if (!hasOrigin(url, origin)) return { ok: false, status: 403, reason: `origin ${url.protocol}//${url.host} is not ${origin}` };
  // Check the raw path before the URL parser's normalisation hides a traversal attempt.
  const rawPath = rawPathOf(requestUrl);
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 403, reason: 'malformed percent-encoding' };
  }
  for (const candidate of [rawPath, decoded, safeDecode(rawPath)]) {
    if (candidate === null) return { ok: false, status: 403, reason: 'malformed percent-encoding' };
    if (candidate.includes('\0') || candidate.includes('\\')) return { ok: false, status: 403, reason: 'NUL or backslash in path' };
    if (candidate.split('/').some((segment) => segment === '..' || segment === '.')) return { ok: false, status: 403, reason: 'path traversal' };
  }
  const relativePath = posix.normalize(decoded === '/' || decoded === '' ? '/index.html' : decoded).replace(/^\/+/, '');
  if (relativePath === '' || isAbsolute(relativePath) || /^[a-zA-Z]:/.test(relativePath)) return { ok: false, status: 403, reason: 'absolute path' };
  const base = resolve(root);
  const file = resolve(base, ...relativePath.split('/'));
  const inside = relative(base, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..')) {
    return { ok: false, status: 403, reason: 'outside the renderer directory' };
  }
  const dot = file.lastIndexOf('.');
  const mimeType = MIME_TYPES[dot === -1 ? '' : file.slice(dot).toLowerCase()];
  if (mimeType === undefined) return { ok: false, status: 404, reason: 'not a file type the app serves' };
  return { ok: true, file, mimeType };
}

/**
 * Scheme and host (with port) equal to `origin`'s. Compared by hand: for a non-special scheme such as
 * app:, the WHATWG URL parser gives every URL the opaque origin "null", so `URL.origin` cannot tell
 * app://assay from app://evil.
 */
export function hasOrigin(url: URL, origin: string): boolean {
  const expected = new URL(origin);
  return url.protocol === expected.protocol && url.host === expected.host && url.username === '' && url.password === '';
}

/** The path part of a URL as written, before any normalisation (`/a/../b` stays as it is). */
function rawPathOf(requestUrl: string): string {
  const afterScheme = requestUrl.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/, '');
  const end = afterScheme.search(/[?#]/);
  return end === -1 ? afterScheme : afterScheme.slice(0, end);
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
