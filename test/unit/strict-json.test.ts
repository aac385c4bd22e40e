import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_DEPTH, parseStrictJson, StrictJsonError } from '../../main/engine/json/strict-json.js';

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
  const depth = 100_000;
  const text = '['.repeat(depth) + ']'.repeat(depth);
  try {
    parseStrictJson(text);
  } catch (error) {
    // JSON.parse may refuse such depth itself; what matters is a clean error, never a crash.
    assert.ok(error instanceof Error);
  }
  const objects = '{"a":'.repeat(depth) + '{"k":1,"k":2}' + '}'.repeat(depth);
  assert.throws(() => parseStrictJson(objects), (e: unknown) => e instanceof StrictJsonError && (e.kind === 'duplicate-key' || e.kind === 'syntax'));
});

test('nesting deeper than MAX_DEPTH is refused as a syntax problem naming the line; MAX_DEPTH itself is read', () => {
  assert.deepEqual(parseStrictJson('['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH)), JSON.parse('['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH)));
  const deep = '{"a":\n'.repeat(MAX_DEPTH + 1) + '1' + '}'.repeat(MAX_DEPTH + 1);
  assert.throws(() => parseStrictJson(deep), (e: unknown) => e instanceof StrictJsonError && e.kind === 'syntax' && /nested deeper than 256 levels at line 257/.test(e.message));
});

test('the duplicate is named with its line, counted in lines of the text whatever its characters', () => {
  const text = '{\n  "\u00e4\u00e4": "\u00fc\u00fc\u00fc",\n  "ok": {"x": 1, "y": [{"x": 2}]},\n  "ok": 3\n}';
  assert.throws(() => parseStrictJson(text), (e: unknown) => e instanceof StrictJsonError && e.kind === 'duplicate-key' && e.key === 'ok' && e.line === 4 && /line 4/.test(e.message));
  assert.throws(() => parseStrictJson('{"x":{"a":1},"a":{"a":2,"b":{"a":1}},"b":1,"a":0}'), (e: unknown) => e instanceof StrictJsonError && e.key === 'a');
  // the same key in sibling and nested objects is no duplicate
  assert.deepEqual(parseStrictJson('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}'), { a: { a: { a: 1 } }, b: [{ a: 1 }, { a: 2 }] });
});

test('a string value equal to a key is not a key', () => {
  assert.deepEqual(parseStrictJson('{"a":"a","b":["a","a"],"c":{"d":"c"}}'), { a: 'a', b: ['a', 'a'], c: { d: 'c' } });
});
