// Proves the lint rules that keep bundle text out of HTML sinks fire (eslint.config.js), and that the
// renderer's own import rules still hold for .tsx files.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleHits(code: string, filePath: string, ruleId: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === ruleId).length;
}

const sinks: { name: string; file: string; code: string }[] = [
  { name: 'dangerouslySetInnerHTML in JSX', file: 'renderer/src/x.tsx', code: 'export const X = (p: { t: string }) => <div dangerouslySetInnerHTML={{ __html: p.t }} />;\n' },
  { name: 'dangerouslySetInnerHTML as a prop object', file: 'renderer/src/x.tsx', code: "import { createElement } from 'react';\nexport const x = (t: string) => createElement('div', { dangerouslySetInnerHTML: { __html: t } });\n" },
  { name: 'innerHTML', file: 'renderer/src/x.ts', code: 'export function x(e: { innerHTML: string }, t: string) { e.innerHTML = t; }\n' },
  { name: 'outerHTML', file: 'main/electron/x.ts', code: 'export function x(e: { outerHTML: string }, t: string) { e.outerHTML = t; }\n' },
  { name: 'insertAdjacentHTML', file: 'renderer/src/x.ts', code: "export function x(e: { insertAdjacentHTML(a: string, b: string): void }, t: string) { e.insertAdjacentHTML('beforeend', t); }\n" },
  { name: 'DOMParser.parseFromString in the page', file: 'preload/x.ts', code: "export function x(p: { parseFromString(a: string, b: string): unknown }, t: string) { return p.parseFromString(t, 'text/html'); }\n" },
  { name: 'document.write', file: 'renderer/src/x.ts', code: 'declare const document: { write(s: string): void };\nexport function x(t: string) { document.write(t); }\n' },
];

for (const sink of sinks) {
  test(`${sink.name} is refused in ${sink.file}`, async () => {
    assert.ok((await ruleHits(sink.code, sink.file, 'no-restricted-syntax')) >= 1);
  });
}

test('text rendered as a React child is allowed', async () => {
  assert.equal(await ruleHits('export const X = (p: { t: string }) => <div>{p.t}</div>;\n', 'renderer/src/x.tsx', 'no-restricted-syntax'), 0);
});

test('a .tsx file of the renderer cannot import Node built-ins, electron or main/', async () => {
  for (const code of ["import { readFile } from 'node:fs';\nexport const y = readFile;\n", "import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;\n", "import { verify } from '../../main/engine/verify.js';\nexport const y = verify;\n"]) {
    assert.equal(await ruleHits(code, 'renderer/src/x.tsx', 'no-restricted-imports'), 1, code);
  }
});
