// The packaging contract: electron-builder.yml is valid for electron-builder's own schema and sets the
// fuses, asar integrity and unpacking that DESIGN §9 and §12 require; installing Electron never downloads
// its binary (so `npm ci` works offline and on CI); the app's entry point is the built main process.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(`${root}package.json`);
const config = parse(readFileSync(`${root}electron-builder.yml`, 'utf8')) as Record<string, unknown>;

test('electron-builder.yml is valid against electron-builder’s configuration schema', () => {
  const schema = require('app-builder-lib/scheme.json') as object;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  assert.ok(validate(config), JSON.stringify(validate.errors, null, 2));
});

test('fuses: no RunAsNode, no NODE_OPTIONS, no inspect arguments, app only from an integrity-checked asar', () => {
  assert.equal(config.asar, true);
  assert.deepEqual(
    {
      ...(config.electronFuses as object),
    },
    {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    },
  );
});

test('DuckDB’s native binary and every .node file are unpacked from the asar', () => {
  const unpack = config.asarUnpack as string[];
  assert.ok(unpack.includes('**/node_modules/@duckdb/**'));
  assert.ok(unpack.includes('**/*.node'));
});

test('targets: Linux AppImage and deb, Windows NSIS, macOS dmg', () => {
  assert.deepEqual((config.linux as { target: string[] }).target, ['AppImage', 'deb']);
  assert.deepEqual((config.win as { target: string[] }).target, ['nsis']);
  assert.deepEqual((config.mac as { target: string[] }).target, ['dmg']);
  assert.equal(config.publish, null, 'nothing is published from a build');
});

test('the packaged entry point is the built main process, and the package ships it', () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { main?: string };
  assert.equal(pkg.main, 'dist/main/electron/main.js');
  assert.equal((config.extraMetadata as { main: string }).main, pkg.main);
  assert.ok((config.files as string[]).includes('dist/main/**/*.js'));
});

test('installing electron downloads no binary: its package has no install script', () => {
  const electronPkg = require('electron/package.json') as { version: string; scripts?: Record<string, string> };
  const scripts = electronPkg.scripts ?? {};
  for (const hook of ['preinstall', 'install', 'postinstall']) {
    assert.equal(scripts[hook], undefined, `electron ${electronPkg.version} has a ${hook} script: it would download its binary during npm ci (see docs/app.md)`);
  }
  const runtime = readFileSync(`${root}docs/runtime.md`, 'utf8');
  assert.ok(runtime.includes(`Electron ${electronPkg.version}`), 'docs/runtime.md names the pinned Electron version');
});
