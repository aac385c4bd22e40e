// Directory bundles: regular files listed in order; symlinks, FIFOs and sockets reported, never followed
// or opened.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { BundleUnreadableError } from '../../../main/engine/sources/bundle-source.js';
import { openDirectoryBundle } from '../../../main/engine/sources/directory.js';
import { sampleTree } from '../../helpers/archives.js';

let base: string;
before(async () => {
  base = await mkdtemp(join(tmpdir(), 'assay-test-directory-'));
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

async function writeTree(dir: string, tree: Map<string, Buffer>): Promise<void> {
  for (const [path, data] of tree) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), data);
  }
}

test('a directory bundle lists every regular file, sorted, with sizes and bytes', async () => {
  const dir = join(base, 'plain');
  const tree = sampleTree();
  await writeTree(dir, tree);
  await mkdir(join(dir, 'images', 'empty'), { recursive: true }); // empty directories contribute nothing
  const bundle = await openDirectoryBundle(dir);
  try {
    assert.equal(bundle.kind, 'directory');
    assert.equal(bundle.root, dir);
    assert.deepEqual(bundle.problems, []);
    assert.deepEqual(bundle.files.map((f) => f.path), [...tree.keys()].sort());
    for (const file of bundle.files) {
      const expected = tree.get(file.path);
      assert.ok(expected);
      assert.equal(file.size, expected.length);
      assert.deepEqual(await readFile(file.absPath), expected);
    }
  } finally {
    await bundle.close();
  }
  await readFile(join(dir, 'manifest.json')); // close() of a directory bundle leaves it alone
});

test('symlinks, FIFOs and sockets are problems, never files, and the walk does not block on a FIFO', async () => {
  const dir = join(base, 'hostile');
  const outside = join(base, 'outside');
  await mkdir(join(dir, 'records'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(join(outside, 'secret.txt'), 'not part of the bundle');
  await writeFile(join(dir, 'manifest.json'), '{}');
  await symlink(join(outside, 'secret.txt'), join(dir, 'records', 'link-to-file.json'));
  await symlink(outside, join(dir, 'linked-dir')); // must not be descended into
  await symlink('does-not-exist', join(dir, 'dangling'));
  execFileSync('mkfifo', [join(dir, 'records', 'pipe.jsonl')]);
  let server: Server | null = null;
  try {
    server = createServer();
    const socketPath = join(dir, 'sock');
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      server?.listen(socketPath, () => resolve());
    });

    const bundle = await openDirectoryBundle(dir);
    assert.deepEqual(bundle.files.map((f) => f.path), ['manifest.json']);
    assert.deepEqual(
      bundle.problems.map((p) => [p.path, p.kind]),
      [
        ['dangling', 'symlink'],
        ['linked-dir', 'symlink'],
        ['records/link-to-file.json', 'symlink'],
        ['records/pipe.jsonl', 'special'],
        ['sock', 'special'],
      ],
    );
    const link = bundle.problems.find((p) => p.path === 'records/link-to-file.json');
    assert.match(link?.detail ?? '', /secret\.txt/);
    assert.match(bundle.problems.find((p) => p.path === 'records/pipe.jsonl')?.detail ?? '', /FIFO/);
    assert.match(bundle.problems.find((p) => p.path === 'sock')?.detail ?? '', /socket/);
    await bundle.close();
  } finally {
    await new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve())));
  }
});

test('a missing directory or a file is unreadable, not a bundle', async () => {
  await assert.rejects(openDirectoryBundle(join(base, 'nope')), BundleUnreadableError);
  const file = join(base, 'file.txt');
  await writeFile(file, 'x');
  await assert.rejects(openDirectoryBundle(file), (error: unknown) => error instanceof BundleUnreadableError && /not a directory/.test(error.message));
});

test('an unreadable subdirectory is a problem, not a crash', { skip: process.getuid?.() === 0 ? 'running as root: permissions do not apply' : false }, async () => {
  const dir = join(base, 'locked');
  await mkdir(join(dir, 'private'), { recursive: true });
  await writeFile(join(dir, 'manifest.json'), '{}');
  await chmod(join(dir, 'private'), 0o000);
  try {
    const bundle = await openDirectoryBundle(dir);
    assert.deepEqual(bundle.problems.map((p) => [p.path, p.kind]), [['private', 'unreadable']]);
  } finally {
    await chmod(join(dir, 'private'), 0o755);
  }
});
