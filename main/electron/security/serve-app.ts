// The app:// request handler: serves a file of the built renderer with the CSP header, or refuses.
// Plain Node (the global Request/Response of Node 22 and Electron), so the end-to-end harness serves the
// renderer through this same function.

import { readFile } from 'node:fs/promises';
import { APP_ORIGIN, resolveAppPath } from './app-protocol.js';
import { contentSecurityPolicy } from './csp.js';

export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export async function serveAppRequest(request: { readonly url: string; readonly method: string }, root: string, origin: string = APP_ORIGIN): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'method not allowed');
  const resolution = resolveAppPath(request.url, root, origin);
  if (!resolution.ok) return refusal(resolution.status, resolution.reason);
  let body: Buffer;
  try {
    body = await readFile(resolution.file);
  } catch {
    return refusal(404, 'not found');
  }
  const headers = { ...APP_RESPONSE_HEADERS, 'Content-Type': resolution.mimeType, 'Content-Length': String(body.length) };
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

function refusal(status: number, reason: string): Response {
  return new Response(`${status} ${reason}\n`, { status, headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
