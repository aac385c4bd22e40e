// Lint rules, above all the layering of DESIGN §1: renderer -> shared <- main, preload -> shared.
// A wrong import across a layer fails `npm test` (test/unit/layering.test.ts proves the rules bite).

import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = { regex: `^(node:.*|${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})(\\/.*)?$`, message: 'no Node built-ins in this layer' };
const uiFrameworks = { regex: '^(electron|react|react-dom)(\\/.*)?$', message: 'the engine and shared code never import Electron or React' };
const intoMain = { regex: '(^|\\/)main\\/', message: 'this layer must not import the Node side (main/)' };
const intoRenderer = { regex: '(^|\\/)renderer\\/', message: 'nothing imports the renderer' };
const intoPreload = { regex: '(^|\\/)preload\\/', message: 'nothing imports the preload script' };
const intoElectronMain = { regex: '(^|\\/)electron\\/', message: 'the engine must not import main/electron' };

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

// Text from a bundle is only ever rendered as text (DESIGN §9): no API that parses a string as HTML.
const NO_HTML_PROPERTIES = [
  { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Bundle text is rendered as text only: no dangerouslySetInnerHTML.' },
  { selector: "Property[key.name='dangerouslySetInnerHTML']", message: 'Bundle text is rendered as text only: no dangerouslySetInnerHTML.' },
  { selector: "MemberExpression[property.name=/^(innerHTML|outerHTML)$/]", message: 'Bundle text is rendered as text only: no innerHTML/outerHTML.' },
];
// In the page (renderer, preload) also no DOM call that parses a string as HTML. (The engine parses
// XML with its own hardened parser, so parseFromString stays allowed there.)
const NO_HTML_SINKS = [
  ...NO_HTML_PROPERTIES,
  { selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment|parseFromString)$/]", message: 'Bundle text is rendered as text only: no HTML-parsing DOM calls.' },
  { selector: "CallExpression[callee.object.name='document'][callee.property.name=/^(write|writeln)$/]", message: 'Bundle text is rendered as text only: no document.write.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'coverage/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: 'error',
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
  // shared/: pure types and functions. No Node, no DOM frameworks, no other layer.
  { files: ['shared/**/*.ts'], rules: restrict(nodeBuiltins, uiFrameworks, intoMain, intoRenderer, intoPreload) },
  // main/engine and main/cli: plain Node. Never Electron, React, the renderer, the preload or main/electron.
  { files: ['main/engine/**/*.ts', 'main/cli/**/*.ts'], rules: restrict(uiFrameworks, intoRenderer, intoPreload, intoElectronMain) },
  // renderer/: the browser side. Shared code and its own only.
  { files: ['renderer/**/*.{ts,tsx}'], rules: restrict(nodeBuiltins, { regex: '^electron(\\/.*)?$', message: 'the renderer reaches Electron only through the preload API' }, intoMain, intoPreload) },
  // preload/: the contextBridge API, typed by shared/. No engine, no renderer.
  { files: ['preload/**/*.ts'], rules: restrict(intoMain, intoRenderer) },
  // No dangerouslySetInnerHTML or innerHTML anywhere in TypeScript; in the page, no HTML parsing at all.
  { files: ['**/*.{ts,tsx}'], rules: { 'no-restricted-syntax': ['error', ...NO_HTML_PROPERTIES] } },
  { files: ['renderer/**/*.{ts,tsx}', 'preload/**/*.ts'], rules: { 'no-restricted-syntax': ['error', ...NO_HTML_SINKS] } },
  // Scripts and tests run in Node.
  { files: ['scripts/**/*.{js,mjs}', 'eslint.config.js'], languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } } },
);
