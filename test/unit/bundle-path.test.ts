import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSafeBundlePath, SAFE_BUNDLE_PATH } from '../../main/engine/schemas/common.js';

const safe = ['manifest.json', 'records/build.json', 'logs/inference/2026-10-01.jsonl', 'a/.hidden', 'a/..b', 'é/ü.txt', 'x...'];
const unsafe = ['', '/etc/passwd', '../x', 'a/../b', 'a/./b', './a', 'a//b', 'a/', 'a\\b', 'C:/x', 'c:x', 'a\u0000b', 'a\nb', '..', '.', 'a/..'];

test('safe bundle paths are accepted by the function and the regular expression alike', () => {
  for (const p of safe) {
    assert.equal(isSafeBundlePath(p), true, p);
    assert.equal(SAFE_BUNDLE_PATH.test(p), true, p);
  }
});

test('unsafe bundle paths are refused by the function and the regular expression alike', () => {
  for (const p of unsafe) {
    assert.equal(isSafeBundlePath(p), false, JSON.stringify(p));
    assert.equal(SAFE_BUNDLE_PATH.test(p), false, JSON.stringify(p));
  }
});
