// Unit tests of hash-pool.ts: many files on workers and in the main thread, failures, progress, abort.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFiles } from '../../../main/engine/hash/hash-pool.js';
import type { HashProgress } from '../../../main/engine/hash/hash-pool.js';
import type { BundleFile } from '../../../main/engine/sources/bundle-source.js';

const dir = mkdtempSync(join(tmpdir(), 'assay-hash-pool-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic pseudo-random generator (mulberry32), so the mix of file sizes is stable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Fixture {
  readonly files: BundleFile[];
  readonly expected: Map<string, string>;
}

/** ~200 files from empty to ~3 MiB (about 80 MiB in all: enough for the worker path). */
function makeFiles(name: string, count: number, maxBytes: number): Fixture {
  const rand = prng(count * 7919 + maxBytes);
  const files: BundleFile[] = [];
  const expected = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const size = i % 25 === 0 ? 0 : Math.floor(rand() ** 4 * maxBytes);
    const data = randomBytes(size);
    const path = `${name}/f${String(i).padStart(4, '0')}.bin`;
    const absPath = join(dir, `${name}-${i}`);
    writeFileSync(absPath, data);
    files.push({ path, absPath, size });
    expected.set(path, createHash('sha256').update(data).digest('hex'));
  }
  return { files, expected };
}

function fill(size: number, byte: number): Buffer {
  return Buffer.alloc(size, byte);
}

const many = makeFiles('many', 200, 3 * 1024 * 1024);
const manyBytes = many.files.reduce((s, f) => s + f.size, 0);
/** Small files only: their total is low enough for the main-thread path. */
const smallOnes = many.files.filter((f) => f.size < 64 * 1024);

test('fixtures are large enough for worker threads, and small enough for the main thread', () => {
  assert.ok(manyBytes > 64 * 1024 * 1024, `only ${manyBytes} bytes`);
  assert.ok(smallOnes.length > 30 && smallOnes.length < 150, `${smallOnes.length} small files`);
});

for (const [label, files, concurrency] of [
  ['~200 files, default concurrency', many.files, undefined],
  ['~200 files, 2 workers', many.files, 2],
  ['~200 files, 1 worker', many.files, 1],
  ['small files, main thread', smallOnes, undefined],
] as const) {
  test(`hashFiles equals one-shot digests (${label})`, async () => {
    const events: HashProgress[] = [];
    const outcomes = await hashFiles(files, { concurrency, onProgress: (p) => events.push(p) });
    assert.deepEqual([...outcomes.keys()], files.map((f) => f.path));
    for (const f of files) {
      assert.deepEqual(outcomes.get(f.path), { ok: true, sha256: many.expected.get(f.path), size: f.size }, f.path);
    }
    assert.ok(events.length >= 1);
    const bytes = files.reduce((s, f) => s + f.size, 0);
    const last = events[events.length - 1];
    assert.deepEqual(last, { bytesDone: bytes, bytesTotal: bytes, filesDone: files.length, filesTotal: files.length });
    for (let i = 1; i < events.length; i++) {
      assert.ok(events[i]!.bytesDone >= events[i - 1]!.bytesDone, 'bytesDone never goes back');
      assert.ok(events[i]!.filesDone >= events[i - 1]!.filesDone, 'filesDone never goes back');
    }
  });
}

function withBadFiles(base: readonly BundleFile[], tag: string): BundleFile[] {
  const target = base.find((f) => f.size > 0)!;
  const link = join(dir, `${tag}-link`);
  symlinkSync(target.absPath, link);
  return [
    ...base,
    { path: `${tag}/missing.bin`, absPath: join(dir, `${tag}-missing`), size: 10 },
    { path: `${tag}/link.bin`, absPath: link, size: target.size },
  ];
}

for (const [label, base] of [
  ['worker threads', many.files],
  ['main thread', many.files.slice(0, 5)],
] as const) {
  test(`a missing file and a symlink give ok:false, the rest still hash (${label})`, async () => {
    const tag = label.replace(' ', '-');
    const files = withBadFiles(base, tag);
    const events: HashProgress[] = [];
    const outcomes = await hashFiles(files, { onProgress: (p) => events.push(p) });
    const missing = outcomes.get(`${tag}/missing.bin`);
    assert.equal(missing?.ok, false);
    assert.match(missing.ok ? '' : missing.error, /ENOENT/);
    const link = outcomes.get(`${tag}/link.bin`);
    assert.equal(link?.ok, false);
    assert.match(link.ok ? '' : link.error, /symbolic link/);
    for (const f of base) assert.equal(outcomes.get(f.path)?.ok, true);
    const last = events[events.length - 1]!;
    assert.equal(last.bytesDone, last.bytesTotal);
    assert.equal(last.filesDone, files.length);
  });
}

test('a single file and an empty list', async () => {
  const abs = join(dir, 'single');
  writeFileSync(abs, 'abc');
  const one = await hashFiles([{ path: 'single', absPath: abs, size: 3 }]);
  assert.deepEqual(one.get('single'), {
    ok: true,
    sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    size: 3,
  });
  const events: HashProgress[] = [];
  const none = await hashFiles([], { onProgress: (p) => events.push(p) });
  assert.equal(none.size, 0);
  assert.deepEqual(events, [{ bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0 }]);
});

test('a throwing progress listener does not break hashing', async () => {
  const outcomes = await hashFiles(many.files, {
    onProgress: () => {
      throw new Error('listener bug');
    },
  });
  assert.ok([...outcomes.values()].every((o) => o.ok));
});

test('an already aborted signal rejects', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(hashFiles(many.files, { signal: controller.signal }), { name: 'AbortError' });
});

test('aborting while workers run rejects and terminates them', async () => {
  const big: BundleFile[] = [];
  for (let i = 0; i < 4; i++) {
    const absPath = join(dir, `big-${i}`);
    writeFileSync(absPath, fill(48 * 1024 * 1024, i));
    big.push({ path: `big/${i}`, absPath, size: 48 * 1024 * 1024 });
  }
  const controller = new AbortController();
  const events: HashProgress[] = [];
  const run = hashFiles(big, {
    concurrency: 2,
    signal: controller.signal,
    onProgress: (p) => {
      events.push(p);
      controller.abort();
    },
  });
  await assert.rejects(run, { name: 'AbortError' });
  assert.ok(events.length >= 1);
  assert.ok(events[events.length - 1]!.filesDone < big.length);
  // If a worker were still alive this test file would never exit; node --test would time out.
});

test('aborting the main-thread path rejects', async () => {
  const controller = new AbortController();
  const small = many.files.slice(0, 10);
  const run = hashFiles(small, { concurrency: 1, signal: controller.signal, onProgress: () => controller.abort() });
  await assert.rejects(run, { name: 'AbortError' });
});
