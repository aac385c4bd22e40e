// After tsc: make the CLI entry executable so `npx assay` and `./dist/main/cli/assay.js` run directly.
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/main/cli/assay.js', import.meta.url), 0o755);
