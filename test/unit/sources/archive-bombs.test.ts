// Decompression bombs and entry floods: refused at the policy's default limits (and at smaller ones) in
// bounded time and memory, leaving nothing on disk.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from '../../../main/engine/schemas/policy.js';
import { openArchiveBundle } from '../../../main/engine/sources/archive.js';
import { BundleRefusedError } from '../../../main/engine/sources/bundle-source.js';
import { openBundle } from '../../../main/engine/sources/open-bundle.js';
import type { FindingId } from '../../../shared/finding-ids.js';
import { deflatedZeros, gzip, overlappingZip, rawZip, tarArchive, tarGzBomb, type TarEntrySpec } from '../../helpers/archives.js';

const GB = 1000 ** 3;
const MiB = 1024 * 1024;
/** The brief's bound for any bomb; in practice each is refused in well under a second. */
const TIME_LIMIT_MS = 20_000;
/** Growth of the resident set allowed while a bomb is being read. */
const RSS_LIMIT_BYTES = 200 * MiB;

let base: string;
let counter = 0;
before(async () => {
  base = await mkdtemp(join(tmpdir(), 'assay-test-bombs-'));
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

interface Outcome {
  readonly ms: number;
  readonly rssGrowth: number;
}

/**
 * Opens `bytes` as a bundle in a fresh temp parent, expects a refusal with `code`, checks that nothing is
 * left behind, and measures the time taken and the peak growth of the resident set while reading.
 */
async function expectRefused(t: TestContext, bytes: Buffer, code: FindingId, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS, kind?: 'tar.gz'): Promise<Outcome> {
  counter += 1;
  const file = join(base, `bomb-${counter}`);
  const parent = join(base, `parent-${counter}`);
  await writeFile(file, bytes);
  await mkdir(parent);
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = performance.now();
  let refusal: unknown = null;
  try {
    const opened = kind === undefined ? openBundle(file, limits, { tempParent: parent }) : openArchiveBundle(file, kind, limits, { tempParent: parent });
    const bundle = await opened;
    await bundle.close();
  } catch (error) {
    refusal = error;
  } finally {
    clearInterval(sampler);
  }
  const ms = performance.now() - started;
  peak = Math.max(peak, process.memoryUsage().rss);
  assert.ok(refusal instanceof BundleRefusedError, `expected a refusal, got ${String(refusal)}`);
  assert.equal(refusal.code, code, refusal.message);
  assert.ok(ms < TIME_LIMIT_MS, `refused in ${ms.toFixed(0)} ms`);
  assert.deepEqual(await readdir(parent), [], 'nothing left in the temp parent');
  const outcome = { ms, rssGrowth: peak - baseline };
  t.diagnostic(`${code} in ${ms.toFixed(0)} ms, peak RSS growth ${(outcome.rssGrowth / MiB).toFixed(1)} MiB: ${refusal.message}`);
  await rm(file);
  return outcome;
}

function timed<T>(t: TestContext, what: string, build: () => T): T {
  const started = performance.now();
  const value = build();
  t.diagnostic(`built ${what} in ${(performance.now() - started).toFixed(0)} ms`);
  return value;
}

test('a tar.gz expanding to 10 GB is refused by the ratio at the default limits, in bounded time and memory', async (t) => {
  const bomb = timed(t, '10 GB tar.gz bomb', () => tarGzBomb(10 * GB, Math.ceil((10 * GB) / MiB)));
  assert.ok(bomb.length < 16 * MiB);
  const { rssGrowth } = await expectRefused(t, bomb, 'INT-ARCHIVE-RATIO');
  assert.ok(rssGrowth < RSS_LIMIT_BYTES, `RSS grew by ${(rssGrowth / MiB).toFixed(1)} MiB`);
});

test('the same tar.gz bomb with a small maxTotalBytes is refused as too large, from its declared size', async (t) => {
  const bomb = tarGzBomb(10 * GB, 64);
  await expectRefused(t, bomb, 'INT-ARCHIVE-TOO-LARGE', { ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: 1 * MiB });
});

test('a tar.gz whose header lies small but whose data goes on is stopped by the ratio', async (t) => {
  // No entry at all: only endless zero blocks, which tar readers skip as padding.
  const member = gzip(Buffer.alloc(MiB));
  const bomb = Buffer.concat(Array.from({ length: 2048 }, () => member));
  await expectRefused(t, bomb, 'INT-ARCHIVE-RATIO', DEFAULT_ARCHIVE_LIMITS, 'tar.gz');
});

test('with the ratio disabled in effect, the tar stream itself is held to maxTotalBytes', async (t) => {
  const member = gzip(Buffer.alloc(MiB));
  const bomb = Buffer.concat(Array.from({ length: 512 }, () => member));
  await expectRefused(t, bomb, 'INT-ARCHIVE-TOO-LARGE', { ...DEFAULT_ARCHIVE_LIMITS, maxCompressionRatio: 1_000_000, maxTotalBytes: 1 * MiB }, 'tar.gz');
});

test('a plain tar declaring 10 GB is refused as too large under a small limit, and as truncated otherwise', async (t) => {
  const tar = tarArchive([{ name: 'big.bin', size: 10 * GB, data: Buffer.alloc(0) } satisfies TarEntrySpec]);
  await expectRefused(t, tar, 'INT-ARCHIVE-TOO-LARGE', { ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: 1 * MiB });
  await expectRefused(t, tar, 'INT-ARCHIVE-CORRUPT');
});

test('a zip entry declaring about 4 GB from 4 MB is refused by the ratio at the default limits', async (t) => {
  const stored = timed(t, '4 GB deflate stream', () => deflatedZeros(4095));
  const bomb = rawZip([{ name: 'artefacts/model.bin', stored, method: 8, uncompressedSize: 4095 * MiB, crc: 0 }]);
  const { rssGrowth } = await expectRefused(t, bomb, 'INT-ARCHIVE-RATIO');
  assert.ok(rssGrowth < RSS_LIMIT_BYTES);
  await expectRefused(t, bomb, 'INT-ARCHIVE-TOO-LARGE', { ...DEFAULT_ARCHIVE_LIMITS, maxTotalBytes: 1 * MiB });
});

test('a zip entry that declares modest sizes but inflates to about 4 GB is stopped at its declared size', async (t) => {
  const stored = deflatedZeros(4095);
  const bomb = rawZip([{ name: 'artefacts/model.bin', stored, method: 8, uncompressedSize: stored.length, crc: 0 }]);
  const { rssGrowth } = await expectRefused(t, bomb, 'INT-ARCHIVE-CORRUPT');
  assert.ok(rssGrowth < RSS_LIMIT_BYTES);
});

test('a zip whose entries all share one compressed block is refused by the ratio against the file size', async (t) => {
  // Each entry alone is within a generous ratio (1 MiB from about 1 KiB); together they are not.
  const bomb = overlappingZip(200, 1);
  await expectRefused(t, bomb, 'INT-ARCHIVE-RATIO', { ...DEFAULT_ARCHIVE_LIMITS, maxCompressionRatio: 2000 });
});

test('100,000 tiny entries in a tar.gz stop at the default limit of 50,000 entries', async (t) => {
  const entries: TarEntrySpec[] = [];
  for (let i = 0; i < 100_000; i += 1) entries.push({ name: `logs/e${String(i).padStart(6, '0')}.json`, data: 'x' });
  const archive = timed(t, '100,000-entry tar.gz', () => gzip(tarArchive(entries)));
  const { ms } = await expectRefused(t, archive, 'INT-ARCHIVE-TOO-MANY-ENTRIES');
  assert.ok(ms < TIME_LIMIT_MS);
});

test('100,000 tiny entries in a zip are refused from the central directory count, before extraction', async (t) => {
  const entries = Array.from({ length: 100_000 }, (_, i) => ({ name: `logs/e${String(i).padStart(6, '0')}.json`, stored: Buffer.from('x') }));
  const archive = timed(t, '100,000-entry zip (Zip64 end records)', () => rawZip(entries));
  const { ms } = await expectRefused(t, archive, 'INT-ARCHIVE-TOO-MANY-ENTRIES');
  assert.ok(ms < 2_000);
});

test('entries are counted as they arrive: a small maxEntries stops a tar at the first entry over it', async (t) => {
  const entries: TarEntrySpec[] = Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, data: 'x' }));
  await expectRefused(t, gzip(tarArchive(entries)), 'INT-ARCHIVE-TOO-MANY-ENTRIES', { ...DEFAULT_ARCHIVE_LIMITS, maxEntries: 10 });
  const parent = join(base, 'within-limit');
  const file = join(base, 'twenty.tgz');
  await mkdir(parent);
  await writeFile(file, gzip(tarArchive(entries)));
  const bundle = await openBundle(file, { ...DEFAULT_ARCHIVE_LIMITS, maxEntries: 20 }, { tempParent: parent });
  assert.equal(bundle.files.length, 20);
  await bundle.close();
});
