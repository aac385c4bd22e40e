import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStrictJson, StrictJsonError } from '../../main/engine/json/strict-json.js';

test('parses plain JSON like JSON.parse', () => {
  assert.deepEqual(parseStrictJson('{"a":[1,{"b":null}],"c":"x"}'), { a: [1, { b: null }], c: 'x' });
});

test('refuses a duplicate key at the top level and deep inside', () => {
  for (const text of ['{"a":1,"a":2}', '{"x":[{"k":1,"k":1}]}', '{"o":{"p":{"q":1,"q":2}}}']) {
    assert.throws(() => parseStrictJson(text), (e: unknown) => e instanceof StrictJsonError && e.kind === 'duplicate-key');
  }
});

test('refuses a duplicate key spelled with an escape', () => {
  assert.throws(() => parseStrictJson('{"files":1,"fil\\u0065s":2}'), (e: unknown) => e instanceof StrictJsonError && e.kind === 'duplicate-key' && e.key === 'files');
});

test('refuses syntax errors, comments, trailing commas and invalid UTF-8', () => {
  for (const text of ['{"a":1', '{"a":1,}', '// c\n{}', "{'a':1}"]) {
    assert.throws(() => parseStrictJson(text), (e: unknown) => e instanceof StrictJsonError && e.kind === 'syntax');
  }
  assert.throws(() => parseStrictJson(new Uint8Array([0x7b, 0xff, 0x7d])));
});

test('deep nesting does not overflow the stack in the duplicate-key walk', () => {
  const depth = 5000;
  const text = '['.repeat(depth) + ']'.repeat(depth);
  try {
    parseStrictJson(text);
  } catch (error) {
    // The AST parser may refuse such depth itself; what matters is a clean error, never a crash.
    assert.ok(error instanceof Error);
  }
});
