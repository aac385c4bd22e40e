// Builds the renderer (renderer/ -> dist/renderer) for the app:// protocol. Relative asset URLs
// (`base: './'`) so the page loads the same from app://assay/ and from the end-to-end tests' server. No
// inline scripts, no eval, one script bundle. After writing, the bundle's sha256 is pinned twice in
// index.html: as the <script> tag's Subresource Integrity, and as the only script-src of the CSP <meta>
// tag (main/electron/security/csp.ts, the same source as the header the protocol handler sends).

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { contentSecurityPolicy } from './main/electron/security/csp.js';

const SCRIPT_TAG = /<script type="module" crossorigin src="\.\/(assets\/[A-Za-z0-9_.-]+\.js)"><\/script>/g;

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;');
}

function pinScriptsInCsp(): Plugin {
  return {
    name: 'assay-pin-scripts-in-csp',
    apply: 'build',
    writeBundle(options) {
      const outDir = options.dir ?? 'dist/renderer';
      const htmlPath = join(outDir, 'index.html');
      const hashes: string[] = [];
      let html = readFileSync(htmlPath, 'utf8').replace(SCRIPT_TAG, (_tag, src: string) => {
        const hash = createHash('sha256').update(readFileSync(join(outDir, src))).digest('base64');
        hashes.push(hash);
        return `<script type="module" crossorigin integrity="sha256-${hash}" src="./${src}"></script>`;
      });
      if (hashes.length !== 1 || /<script(?![^>]*\bintegrity=)/.test(html)) throw new Error('expected exactly one module script in index.html, pinned by hash');
      const meta = `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy({ forMetaTag: true, scriptHashes: hashes }))}">`;
      html = html.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    ${meta}`);
      if (!html.includes(meta)) throw new Error('index.html has no <meta charset="utf-8" /> to put the CSP after');
      writeFileSync(htmlPath, html);
    },
  };
}

export default defineConfig({
  root: 'renderer',
  base: './',
  // The app icons are the only static files (the favicon); nothing else of assets/ reaches the page.
  publicDir: '../assets/icons',
  plugins: [pinScriptsInCsp()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome130',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  clearScreen: false,
  logLevel: 'warn',
});
