// Unit tests of hash-file.ts: known vectors against openssl and crypto, refusals, abort.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HASH_BUFFER_SIZE, NotRegularFileError, hashFile, hashFileSync } from '../../../main/engine/hash/hash-file.js';

const dir = mkdtempSync(join(tmpdir(), 'assay-hash-file-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function opensslSha256(path: string): string {
  const out = execFileSync('openssl', ['dgst', '-sha256', '-r', path], { encoding: 'utf8' });
  const hex = out.trim().split(/\s+/)[0] ?? '';
  assert.match(hex, /^[0-9a-f]{64}$/);
  return hex;
}

function oneShot(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const vectors: { name: string; data: Buffer; expected?: string }[] = [
  { name: 'empty', data: Buffer.alloc(0), expected: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
  { name: 'abc', data: Buffer.from('abc'), expected: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
  { name: 'multi-buffer', data: randomBytes(HASH_BUFFER_SIZE * 2 + HASH_BUFFER_SIZE / 2 + 7) },
  { name: 'exact-buffer', data: randomBytes(HASH_BUFFER_SIZE) },
];

for (const v of vectors) {
  test(`hashFile and hashFileSync match openssl and one-shot crypto: ${v.name}`, async () => {
    const path = join(dir, `vector-${v.name}`);
    writeFileSync(path, v.data);
    const expected = opensslSha256(path);
    assert.equal(oneShot(v.data), expected);
    if (v.expected !== undefined) assert.equal(expected, v.expected);
    let reported = 0;
    const digest = await hashFile(path, { onBytes: (n) => (reported += n) });
    assert.deepEqual(digest, { sha256: expected, size: v.data.length });
    assert.equal(reported, v.data.length);
    const sync = hashFileSync(path, Buffer.allocUnsafe(64 * 1024));
    assert.deepEqual(sync, { sha256: expected, size: v.data.length });
  });
}

test('a symlink is refused, not followed', async () => {
  const target = join(dir, 'target');
  writeFileSync(target, 'abc');
  const link = join(dir, 'link');
  symlinkSync(target, link);
  await assert.rejects(hashFile(link), NotRegularFileError);
  await assert.rejects(hashFile(link), /symbolic link/);
  assert.throws(() => hashFileSync(link, Buffer.alloc(16)), NotRegularFileError);
});

test('a FIFO is refused without blocking', { skip: process.platform === 'win32' }, async () => {
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  await assert.rejects(hashFile(fifo), /FIFO/);
  assert.throws(() => hashFileSync(fifo, Buffer.alloc(16)), /FIFO/);
});

test('a directory is refused', async () => {
  const sub = join(dir, 'subdir');
  mkdirSync(sub);
  await assert.rejects(hashFile(sub), /directory/);
});

test('a missing file rejects with ENOENT', async () => {
  await assert.rejects(hashFile(join(dir, 'missing')), { code: 'ENOENT' });
});

test('an already aborted signal rejects before reading', async () => {
  const path = join(dir, 'abort-pre');
  writeFileSync(path, 'abc');
  const controller = new AbortController();
  controller.abort();
  let reported = 0;
  await assert.rejects(hashFile(path, { signal: controller.signal, onBytes: (n) => (reported += n) }), {
    name: 'AbortError',
  });
  assert.equal(reported, 0);
});

test('aborting mid-file stops after the current chunk', async () => {
  const path = join(dir, 'abort-mid');
  writeFileSync(path, Buffer.alloc(HASH_BUFFER_SIZE * 8, 1));
  const controller = new AbortController();
  let chunks = 0;
  const onBytes = (): void => {
    chunks++;
    controller.abort();
  };
  await assert.rejects(hashFile(path, { signal: controller.signal, onBytes }), { name: 'AbortError' });
  assert.equal(chunks, 1);
});
