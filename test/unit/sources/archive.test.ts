// Archive bundles: the same tree as a directory, tar, tar.gz and zip reads the same; every hostile entry
// is refused with its finding id, and a refusal leaves nothing on disk, inside or outside the temp area.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_ARCHIVE_LIMITS } from '../../../main/engine/schemas/policy.js';
import { openArchiveBundle } from '../../../main/engine/sources/archive.js';
import { BundleRefusedError, type OpenedBundle } from '../../../main/engine/sources/bundle-source.js';
import { openDirectoryBundle } from '../../../main/engine/sources/directory.js';
import { openBundle } from '../../../main/engine/sources/open-bundle.js';
import type { FindingId } from '../../../shared/finding-ids.js';
import { gzip, rawZip, sampleTar, sampleTree, sampleZip, tarArchive, type RawZipEntry, type TarEntrySpec } from '../../helpers/archives.js';

type Kind = 'tar' | 'tar.gz' | 'zip';
const KINDS: readonly Kind[] = ['tar', 'tar.gz', 'zip'];

let base: string;
/** Every temp parent lives here, so "nothing escaped a parent" can be checked one level up as well. */
let parents: string;
/** A real directory outside every extraction, the target hostile links point at. */
let outside: string;
/** An absolute path no test creates: hostile absolute names point here. */
let absoluteEvil: string;
let counter = 0;

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'assay-test-archive-'));
  parents = join(base, 'parents');
  outside = join(base, 'outside');
  await mkdir(parents);
  await mkdir(outside);
  absoluteEvil = join(tmpdir(), `assay-evil-${randomBytes(6).toString('hex')}`);
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

async function archiveFile(bytes: Buffer, ext: string): Promise<string> {
  counter += 1;
  const file = join(base, `archive-${counter}.${ext}`);
  await writeFile(file, bytes);
  return file;
}

async function freshParent(): Promise<string> {
  counter += 1;
  const parent = join(parents, `p-${counter}`);
  await mkdir(parent);
  return parent;
}

function extensionOf(kind: Kind): string {
  return kind === 'tar.gz' ? 'tgz' : kind;
}

async function contents(bundle: OpenedBundle): Promise<Array<[string, number, string]>> {
  const out: Array<[string, number, string]> = [];
  for (const file of bundle.files) out.push([file.path, file.size, (await readFile(file.absPath)).toString('base64')]);
  return out;
}

describe('the same tree as directory, tar, tar.gz and zip', () => {
  test('gives the same files with the same bytes, extracted privately and removed by close()', async () => {
    const tree = sampleTree();
    const dir = join(base, 'tree');
    for (const [path, data] of tree) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), data);
    }
    const directory = await openDirectoryBundle(dir);
    const expected = await contents(directory);
    assert.equal(expected.length, tree.size);

    const tar = sampleTar(tree);
    const archives: Record<Kind, Buffer> = { tar, 'tar.gz': gzip(tar), zip: await sampleZip(tree) };
    for (const kind of KINDS) {
      const parent = await freshParent();
      const file = await archiveFile(archives[kind], 'bundle'); // an extension that says nothing: content decides
      const bundle = await openBundle(file, DEFAULT_ARCHIVE_LIMITS, { tempParent: parent });
      assert.equal(bundle.kind, kind);
      assert.equal(bundle.source, file);
      assert.deepEqual(bundle.problems, []);
      assert.deepEqual(await contents(bundle), expected, kind);
      assert.equal(dirname(bundle.root), parent, 'the extraction directory is created in the temp parent');
      assert.equal((await stat(bundle.root)).mode & 0o777, 0o700, 'the extraction directory is private');
      for (const f of bundle.files) assert.ok(f.absPath.startsWith(bundle.root + sep));
      await bundle.close();
      await bundle.close(); // idempotent
      assert.deepEqual(await readdir(parent), [], `${kind}: close() removes everything`);
    }
  });

  test('a tar packed as `tar -C bundle -cf x.tar .` (names starting "./") reads as the same tree', async () => {
    const tree = sampleTree();
    const parent = await freshParent();
    const bundle = await openBundle(await archiveFile(sampleTar(tree, './'), 'tar'), DEFAULT_ARCHIVE_LIMITS, { tempParent: parent });
    try {
      assert.deepEqual(bundle.files.map((f) => f.path), [...tree.keys()].sort());
    } finally {
      await bundle.close();
    }
  });
});

interface HostileCase {
  readonly title: string;
  readonly code: Extract<FindingId, `INT-ARCHIVE-${string}`>;
  readonly tar?: () => TarEntrySpec[];
  readonly zip?: () => RawZipEntry[];
  /** Paths a vulnerable extractor would have written (besides anything inside the temp parent). */
  readonly evil?: () => string[];
  readonly message?: RegExp;
}

const file = (name: string, data = 'data'): { tar: TarEntrySpec; zip: RawZipEntry } => ({
  tar: { name, data },
  zip: { name, stored: Buffer.from(data) },
});
const both = (...entries: Array<{ tar: TarEntrySpec; zip: RawZipEntry }>) => ({
  tar: () => entries.map((e) => e.tar),
  zip: () => entries.map((e) => e.zip),
});
const symlinkEntry = (name: string, target: string): { tar: TarEntrySpec; zip: RawZipEntry } => ({
  tar: { name, type: '2', linkname: target },
  zip: { name, stored: Buffer.from(target), mode: 0o120777 },
});

const CASES: HostileCase[] = [
  {
    title: 'path traversal ../evil',
    code: 'INT-ARCHIVE-UNSAFE-PATH',
    ...both(file('manifest.json', '{}'), file('../evil', 'pwned')),
    evil: () => [join(parents, 'evil')],
  },
  {
    title: 'deep path traversal records/../../../evil',
    code: 'INT-ARCHIVE-UNSAFE-PATH',
    ...both(file('records/../../../evil', 'pwned')),
    evil: () => [join(base, 'evil'), join(parents, 'evil')],
  },
  {
    title: 'absolute path',
    code: 'INT-ARCHIVE-UNSAFE-PATH',
    tar: () => [{ name: absoluteEvil, data: 'pwned' }],
    zip: () => [{ name: absoluteEvil, stored: Buffer.from('pwned') }],
    evil: () => [absoluteEvil],
  },
  { title: 'backslash in a name', code: 'INT-ARCHIVE-UNSAFE-PATH', ...both(file('..\\evil')) },
  { title: 'drive letter', code: 'INT-ARCHIVE-UNSAFE-PATH', ...both(file('C:/evil')) },
  { title: 'control character in a name', code: 'INT-ARCHIVE-UNSAFE-PATH', ...both(file('records/a\u0001b.json')) },
  { title: 'Windows device name CON', code: 'INT-ARCHIVE-UNSAFE-PATH', ...both(file('records/CON')), message: /device name CON/ },
  { title: 'Windows device name with an extension, any case', code: 'INT-ARCHIVE-UNSAFE-PATH', ...both(file('logs/nul.jsonl')), message: /device name NUL/ },
  { title: 'Windows device name as a directory', code: 'INT-ARCHIVE-UNSAFE-PATH', ...both(file('Com1/evidence.json')), message: /device name COM1/ },
  { title: 'NTFS alternate data stream', code: 'INT-ARCHIVE-UNSAFE-PATH', ...both(file('manifest.json:evil')), message: /alternate data stream/ },
  { title: 'trailing dot aliasing another name', code: 'INT-ARCHIVE-UNSAFE-PATH', ...both(file('manifest.json', '{}'), file('manifest.json.', '{"x":1}')), message: /dot or space/ },
  { title: 'trailing space', code: 'INT-ARCHIVE-UNSAFE-PATH', ...both(file('records/build.json ')), message: /dot or space/ },
  {
    title: 'symlink leaving the bundle, then a file through it',
    code: 'INT-ARCHIVE-LINK',
    tar: () => [symlinkEntry('records', outside).tar, { name: 'records/evil', data: 'pwned' }],
    zip: () => [symlinkEntry('records', outside).zip, { name: 'records/evil', stored: Buffer.from('pwned') }],
    evil: () => [join(outside, 'evil')],
    message: /leaves the bundle/,
  },
  {
    title: 'relative symlink climbing out',
    code: 'INT-ARCHIVE-LINK',
    ...both(symlinkEntry('records/passwd', '../../../../etc/passwd')),
    message: /leaves the bundle/,
  },
  {
    title: 'symlink to a file inside the bundle (still refused: bundle files are covered by hashes)',
    code: 'INT-ARCHIVE-LINK',
    ...both(file('manifest.json', '{}'), symlinkEntry('copy.json', 'manifest.json')),
    message: /stays inside the bundle/,
  },
  {
    title: 'hard link out of the bundle',
    code: 'INT-ARCHIVE-LINK',
    tar: () => [{ name: 'passwd', type: '1', linkname: '/etc/passwd' }],
    message: /hard link.*leaves the bundle/,
  },
  {
    title: 'hard link to a file inside the bundle',
    code: 'INT-ARCHIVE-LINK',
    tar: () => [{ name: 'manifest.json', data: '{}' }, { name: 'copy.json', type: '1', linkname: 'manifest.json' }],
    message: /stays inside the bundle/,
  },
  { title: 'character device', code: 'INT-ARCHIVE-SPECIAL-FILE', tar: () => [{ name: 'null', type: '3' }], message: /character device/ },
  { title: 'block device', code: 'INT-ARCHIVE-SPECIAL-FILE', tar: () => [{ name: 'sda', type: '4' }] },
  {
    title: 'FIFO',
    code: 'INT-ARCHIVE-SPECIAL-FILE',
    tar: () => [{ name: 'pipe', type: '6' }],
    zip: () => [{ name: 'pipe', mode: 0o010644 }],
    message: /FIFO/,
  },
  { title: 'unknown tar type (GNU sparse)', code: 'INT-ARCHIVE-SPECIAL-FILE', tar: () => [{ name: 'sparse', type: 'S' }] },
  {
    title: 'duplicate entry',
    code: 'INT-ARCHIVE-DUPLICATE-ENTRY',
    ...both(file('records/build.json', 'first'), file('records/build.json', 'second')),
    message: /records\/build\.json/,
  },
  { title: 'duplicate differing only in case', code: 'INT-ARCHIVE-DUPLICATE-ENTRY', ...both(file('README.md'), file('readme.md')), message: /case folding/ },
  { title: 'duplicate directory differing in case', code: 'INT-ARCHIVE-DUPLICATE-ENTRY', ...both(file('Records/a.json'), file('records/b.json')) },
  { title: 'duplicate after NFC normalisation', code: 'INT-ARCHIVE-DUPLICATE-ENTRY', ...both(file('caf\u00e9.json'), file('cafe\u0301.json')) },
  { title: 'duplicate after full case folding (ß / SS)', code: 'INT-ARCHIVE-DUPLICATE-ENTRY', ...both(file('stra\u00dfe.json'), file('STRASSE.json')) },
  { title: 'a file, then a directory of the same name', code: 'INT-ARCHIVE-DUPLICATE-ENTRY', ...both(file('records'), file('records/build.json')) },
  {
    title: 'a directory, then a file of the same name',
    code: 'INT-ARCHIVE-DUPLICATE-ENTRY',
    tar: () => [{ name: 'records/', type: '5' }, { name: 'records', data: 'x' }],
    zip: () => [{ name: 'records/' }, { name: 'records', stored: Buffer.from('x') }],
  },
  { title: 'the same name with and without "./"', code: 'INT-ARCHIVE-DUPLICATE-ENTRY', tar: () => [{ name: './a.json', data: '1' }, { name: 'a.json', data: '2' }] },
  {
    title: 'encrypted entry',
    code: 'INT-ARCHIVE-CORRUPT',
    zip: () => [{ name: 'secret.json', stored: Buffer.alloc(24), uncompressedSize: 12, flags: 0x1 }],
    message: /encrypted/,
  },
  { title: 'CRC-32 mismatch', code: 'INT-ARCHIVE-CORRUPT', zip: () => [{ name: 'a.json', stored: Buffer.from('{}'), crc: 12345 }], message: /CRC/ },
];

for (const kind of KINDS) {
  describe(`hostile ${kind} archives are refused and leave nothing behind`, () => {
    for (const c of CASES) {
      const entries = kind === 'zip' ? c.zip : c.tar;
      if (entries === undefined) continue;
      test(c.title, async () => {
        const bytes = kind === 'zip' ? rawZip(c.zip?.() ?? []) : kind === 'tar' ? tarArchive(c.tar?.() ?? []) : gzip(tarArchive(c.tar?.() ?? []));
        const archive = await archiveFile(bytes, extensionOf(kind));
        const parent = await freshParent();
        let refusal: unknown = null;
        try {
          const bundle = await openBundle(archive, DEFAULT_ARCHIVE_LIMITS, { tempParent: parent });
          await bundle.close();
        } catch (error) {
          refusal = error;
        }
        assert.ok(refusal instanceof BundleRefusedError, `expected a refusal, got ${String(refusal)}`);
        assert.equal(refusal.code, c.code, refusal.message);
        if (c.message) assert.match(refusal.message, c.message);
        assert.deepEqual(await readdir(parent), [], 'the temp parent is empty after the refusal');
        assert.deepEqual((await readdir(parents)).filter((n) => !n.startsWith('p-')), [], 'nothing next to the temp parent');
        assert.deepEqual(await readdir(outside), [], 'nothing written through a link');
        for (const path of c.evil?.() ?? []) assert.equal(existsSync(path), false, `${path} must not exist`);
      });
    }
  });
}

test('openArchiveBundle refuses a kind that does not match the content as corrupt, and cleans up', async () => {
  const parent = await freshParent();
  const archive = await archiveFile(rawZip([{ name: 'a.json', stored: Buffer.from('{}') }]), 'zip');
  await assert.rejects(openArchiveBundle(archive, 'tar', DEFAULT_ARCHIVE_LIMITS, { tempParent: parent }), (error: unknown) => error instanceof BundleRefusedError && error.code === 'INT-ARCHIVE-CORRUPT');
  assert.deepEqual(await readdir(parent), []);
});
