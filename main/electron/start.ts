// `npm start`: launches the built app in Electron. Plain Node, run after `npm run build`. The Electron
// binary comes from ELECTRON_OVERRIDE_DIST_PATH or from node_modules/electron/dist; the electron package
// no longer downloads it at install time, and an offline machine cannot fetch it, so without one this
// says so plainly instead of attempting a download.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const electronPackage = join(root, 'node_modules', 'electron');

function executableIn(dir: string): string | null {
  const relative = existsSync(join(electronPackage, 'path.txt')) ? readFileSync(join(electronPackage, 'path.txt'), 'utf8').trim() : null;
  const candidates = [relative, 'electron', 'electron.exe', 'Electron.app/Contents/MacOS/Electron'].filter((c): c is string => c !== null);
  return candidates.map((c) => join(dir, c)).find((p) => existsSync(p)) ?? null;
}

const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const binary = override !== undefined && override !== '' ? executableIn(override) : executableIn(join(electronPackage, 'dist'));
if (binary === null) {
  process.stderr.write(
    [
      'Assay: no Electron binary to start the app with.',
      `  Looked in ${override !== undefined && override !== '' ? `ELECTRON_OVERRIDE_DIST_PATH=${override}` : join(electronPackage, 'dist')}.`,
      '  The electron package does not download its binary at install time, and this machine may be offline.',
      '  Either run `npx install-electron` on a machine with internet access, or point',
      '  ELECTRON_OVERRIDE_DIST_PATH at a directory holding an Electron 45 binary, then `npm start` again.',
      '  The app was built: dist/main/electron/main.js, dist/preload/preload.cjs, dist/renderer/.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)));
