// Bundles the preload script (preload/preload.ts -> dist/preload/preload.cjs) into one CommonJS file:
// a sandboxed preload cannot load ES modules or other files, and `electron` stays external.

import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist/preload',
    // tsc also writes dist/preload/api.js (the e2e harness injects it): keep it, write only preload.cjs.
    emptyOutDir: false,
    sourcemap: false,
    minify: false,
    target: 'node22',
    lib: { entry: 'preload/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
    reportCompressedSize: false,
  },
  clearScreen: false,
  logLevel: 'warn',
});
