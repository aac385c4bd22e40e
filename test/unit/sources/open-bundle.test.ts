// openBundle: the kind comes from the content, never the name; what is not a bundle is unreadable (exit
// 2), what is a broken archive is refused as corrupt, and neither leaves anything behind.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DEFAULT_ARCHIVE_LIMITS } from '../../../main/engine/schemas/policy.js';
import { BundleRefusedError, BundleUnreadableError } from '../../../main/engine/sources/bundle-source.js';
import { detectArchiveKind, openBundle } from '../../../main/engine/sources/open-bundle.js';
import { gzip, rawZip, sampleTar, sampleTree, sampleZip } from '../../helpers/archives.js';

let base: string;
let counter = 0;
before(async () => {
  base = await mkdtemp(join(tmpdir(), 'assay-test-open-'));
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

async function fileWith(bytes: Buffer, name?: string): Promise<string> {
  counter += 1;
  const file = join(base, name ?? `input-${counter}`);
  await writeFile(file, bytes);
  return file;
}

async function freshParent(): Promise<string> {
  counter += 1;
  const parent = join(base, `parent-${counter}`);
  await mkdir(parent);
  return parent;
}

async function expectUnreadable(path: string, pattern: RegExp): Promise<void> {
  const parent = await freshParent();
  await assert.rejects(openBundle(path, DEFAULT_ARCHIVE_LIMITS, { tempParent: parent }), (error: unknown) => {
    assert.ok(error instanceof BundleUnreadableError, `expected BundleUnreadableError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), 'a one-line reason');
    return true;
  });
  assert.deepEqual(await readdir(parent), []);
}

async function expectCorrupt(path: string): Promise<string> {
  const parent = await freshParent();
  let message = '';
  await assert.rejects(openBundle(path, DEFAULT_ARCHIVE_LIMITS, { tempParent: parent }), (error: unknown) => {
    assert.ok(error instanceof BundleRefusedError, `expected BundleRefusedError, got ${String(error)}`);
    assert.equal(error.code, 'INT-ARCHIVE-CORRUPT', error.message);
    message = error.message;
    return true;
  });
  assert.deepEqual(await readdir(parent), []);
  return message;
}

test('the kind is detected from magic bytes, whatever the extension says', async () => {
  const tree = sampleTree();
  const tar = sampleTar(tree);
  assert.equal(await detectArchiveKind(await fileWith(tar, 'really-a-tar.zip')), 'tar');
  assert.equal(await detectArchiveKind(await fileWith(gzip(tar), 'really-a-tgz.tar')), 'tar.gz');
  assert.equal(await detectArchiveKind(await fileWith(await sampleZip(tree), 'really-a-zip.tgz')), 'zip');
  assert.equal(await detectArchiveKind(await fileWith(rawZip([]), 'empty.zip')), 'zip'); // starts with PK\x05\x06
});

test('an empty zip opens as a bundle with no files', async () => {
  const parent = await freshParent();
  const bundle = await openBundle(await fileWith(rawZip([])), DEFAULT_ARCHIVE_LIMITS, { tempParent: parent });
  assert.equal(bundle.kind, 'zip');
  assert.deepEqual(bundle.files, []);
  await bundle.close();
  assert.deepEqual(await readdir(parent), []);
});

test('a directory opens as a directory bundle', async () => {
  const dir = join(base, 'dir-bundle');
  await mkdir(dir);
  await writeFile(join(dir, 'manifest.json'), '{}');
  const bundle = await openBundle(dir);
  assert.equal(bundle.kind, 'directory');
  assert.deepEqual(bundle.files.map((f) => f.path), ['manifest.json']);
});

test('what is not a bundle is unreadable, with a one-line reason', async () => {
  await expectUnreadable(join(base, 'missing.tar.gz'), /no such file or directory/);
  await expectUnreadable(await fileWith(Buffer.from('just some text that is not an archive\n')), /not a bundle/);
  await expectUnreadable(await fileWith(Buffer.alloc(0)), /empty file/);
  await expectUnreadable(await fileWith(gzipSync(Buffer.from('{"json": "not a tar"}'))), /gzip-compressed but does not contain a tar/);
  await expectUnreadable(await fileWith(Buffer.alloc(4096)), /not a bundle/); // zero blocks: no ustar magic
});

test('a FIFO is unreadable, and opening it does not wait for a writer', async () => {
  const fifo = join(base, 'bundle.tar');
  execFileSync('mkfifo', [fifo]);
  const started = performance.now();
  await expectUnreadable(fifo, /not a regular file/);
  assert.ok(performance.now() - started < 5_000);
});

test('truncated and damaged archives are refused as corrupt', async () => {
  const tree = sampleTree();
  const tar = sampleTar(tree);
  const tgz = gzip(tar);
  const zip = await sampleZip(tree);
  assert.match(await expectCorrupt(await fileWith(tgz.subarray(0, Math.floor(tgz.length / 2)))), /unexpected end of file/i);
  assert.match(await expectCorrupt(await fileWith(tar.subarray(0, 10_000))), /unexpected end of data/i);
  assert.match(await expectCorrupt(await fileWith(zip.subarray(0, zip.length - 30))), /corrupt/);
  // A gzip header followed by garbage: the stream is broken before the first tar header.
  assert.match(await expectCorrupt(await fileWith(Buffer.concat([tgz.subarray(0, 10), Buffer.from('garbage garbage garbage garbage')]))), /gzip/);
  // A tar whose first header has a bad checksum.
  const bad = Buffer.from(tar);
  bad[0] = (bad[0] ?? 0) ^ 0xff;
  await expectCorrupt(await fileWith(bad));
  // A gzip that is a complete tar followed by a damaged member.
  await expectCorrupt(await fileWith(Buffer.concat([tgz, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02])])));
});

test('a temp parent that does not exist makes the archive unreadable, not a crash', async () => {
  const archive = await fileWith(gzip(sampleTar(sampleTree())));
  await assert.rejects(openBundle(archive, DEFAULT_ARCHIVE_LIMITS, { tempParent: join(base, 'no-such-parent') }), BundleUnreadableError);
});
