// Launches the real app when an Electron binary is available (ELECTRON_OVERRIDE_DIST_PATH names the
// directory holding it, as the electron package itself reads it), and checks in the running app what the
// plain-Node and Chromium tests can only check by parts: the page comes from app://, has no Node, sees
// only the frozen `window.assay` API, cannot connect out or open windows, and the engine's Node is new
// enough. Without a binary (these machines cannot download one) the test says it was skipped.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { _electron } from 'playwright-core';
import { meetsEngineNode } from '../../main/electron/runtime-check.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const distPath = process.env.ELECTRON_OVERRIDE_DIST_PATH;

function electronExecutable(dir: string): string {
  if (statSync(dir).isFile()) return dir;
  const names = process.platform === 'win32' ? ['electron.exe'] : process.platform === 'darwin' ? ['Electron.app/Contents/MacOS/Electron'] : ['electron'];
  const found = names.map((n) => join(dir, n)).find((p) => existsSync(p));
  if (found === undefined) throw new Error(`no Electron executable in ${dir}`);
  return found;
}

test('the packaged-layout app launches hardened in a real Electron', { timeout: 120_000 }, async (t) => {
  if (distPath === undefined || distPath === '') {
    t.skip('no Electron binary: set ELECTRON_OVERRIDE_DIST_PATH to a directory holding one to run this test');
    return;
  }
  const userData = mkdtempSync(join(tmpdir(), 'assay-electron-userdata-'));
  const app = await _electron.launch({
    executablePath: electronExecutable(distPath),
    args: [root, `--user-data-dir=${userData}`, '--no-sandbox'],
    env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
    timeout: 60_000,
  });
  try {
    const nodeVersion = await app.evaluate(() => process.versions.node);
    assert.ok(meetsEngineNode(nodeVersion), `Electron's Node ${nodeVersion} meets the engine's engines`);
    const window = await app.firstWindow();
    await window.getByRole('heading', { name: 'Verify an evidence bundle' }).waitFor();
    assert.equal(window.url(), 'app://assay/index.html');

    assert.equal(await app.evaluate(({ session }) => session.defaultSession.protocol.isProtocolHandled('app')), true, 'app:// is served by the app');

    const page = await window.evaluate(async () => {
      const g = globalThis as unknown as Record<string, unknown> & { assay: object; fetch(url: string): Promise<unknown>; open(url: string): unknown };
      let fetched: string;
      try {
        await g.fetch('https://example.com/');
        fetched = 'connected';
      } catch {
        fetched = 'blocked';
      }
      return {
        require: typeof g.require,
        process: typeof g.process,
        frozen: Object.isFrozen(g.assay),
        api: Object.keys(g.assay).sort(),
        fetched,
        opened: g.open('https://example.com/') === null,
      };
    });
    assert.deepEqual(page, {
      require: 'undefined',
      process: 'undefined',
      frozen: true,
      api: ['cancel', 'chooseBundle', 'choosePolicy', 'chooseTrustDir', 'clearTrust', 'forgetRecent', 'getSettings', 'onMenuCommand', 'onProgress', 'pathForFile', 'verify'],
      fetched: 'blocked',
      opened: true,
    });
    assert.equal(await window.evaluate(() => (globalThis as unknown as { location: { href: string } }).location.href), 'app://assay/index.html', 'still on the app page');
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
