// Generated docs must match the code: run `npm run docs` after changing a check or a schema.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderChecksMarkdown, renderJsonSchemas } from '../../scripts/render-docs.js';
import { VERSION } from '../../main/engine/version.js';

test('docs/checks.md is generated from the current catalogue', () => {
  assert.equal(readFileSync('docs/checks.md', 'utf8'), renderChecksMarkdown(), 'run `npm run docs`');
});

test('docs/schemas/ hold the current JSON Schemas', () => {
  for (const [file, text] of renderJsonSchemas()) {
    assert.equal(readFileSync(`docs/schemas/${file}`, 'utf8'), text, `docs/schemas/${file} is stale: run \`npm run docs\``);
  }
});

test('the verifier version matches package.json', () => {
  assert.equal(VERSION, (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
});
