// Proves the lint rules that enforce the layers of DESIGN §1 actually fire on a wrong import.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(code: string, filePath: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

const cases: { file: string; code: string; allowed: boolean }[] = [
  { file: 'shared/x.ts', code: "import { readFile } from 'node:fs';\nexport const y = readFile;\n", allowed: false },
  { file: 'shared/x.ts', code: "import { join } from 'path';\nexport const y = join;\n", allowed: false },
  { file: 'shared/x.ts', code: "import { verify } from '../main/engine/verify.js';\nexport const y = verify;\n", allowed: false },
  { file: 'shared/x.ts', code: "import { verdictOf } from './report.js';\nexport const y = verdictOf;\n", allowed: true },
  { file: 'main/engine/x.ts', code: "import { app } from 'electron';\nexport const y = app;\n", allowed: false },
  { file: 'main/engine/x.ts', code: "import React from 'react';\nexport const y = React;\n", allowed: false },
  { file: 'main/engine/x.ts', code: "import { z } from '../../renderer/app.js';\nexport const y = z;\n", allowed: false },
  { file: 'main/engine/x.ts', code: "import { h } from '../electron/ipc.js';\nexport const y = h;\n", allowed: false },
  { file: 'main/engine/x.ts', code: "import { readFile } from 'node:fs/promises';\nexport const y = readFile;\n", allowed: true },
  { file: 'renderer/x.tsx', code: "import { readFile } from 'node:fs';\nexport const y = readFile;\n", allowed: false },
  { file: 'renderer/x.tsx', code: "import { verify } from '../main/engine/verify.js';\nexport const y = verify;\n", allowed: false },
  { file: 'renderer/x.tsx', code: "import { verdictOf } from '../shared/report.js';\nexport const y = verdictOf;\n", allowed: true },
  { file: 'preload/x.ts', code: "import { verify } from '../main/engine/verify.js';\nexport const y = verify;\n", allowed: false },
];

for (const c of cases) {
  test(`${c.file}: ${c.code.split('\n')[0]} is ${c.allowed ? 'allowed' : 'refused'}`, async () => {
    const count = await restrictedImports(c.code, c.file);
    assert.equal(count === 0, c.allowed);
  });
}
