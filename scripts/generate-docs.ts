// `npm run docs`: writes the generated documentation from the code.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChecksMarkdown, renderJsonSchemas } from './render-docs.js';

const root = process.cwd();
writeFileSync(join(root, 'docs', 'checks.md'), renderChecksMarkdown());
mkdirSync(join(root, 'docs', 'schemas'), { recursive: true });
for (const [file, text] of renderJsonSchemas()) writeFileSync(join(root, 'docs', 'schemas', file), text);
process.stdout.write('docs/checks.md and docs/schemas/ written\n');
