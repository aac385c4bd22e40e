// Hostile archives through the real CLI: each ends with exit code 1 and a finding that says what was
// refused, in bounded time, and nothing is written outside the private temporary area (TMPDIR is
// pointed at a directory of the test's own, which must be empty again afterwards).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { deflatedZeros, gzip, rawZip, tarArchive, tarGzBomb, type TarEntrySpec } from '../helpers/archives.js';
import { runAssay } from '../helpers/cli.js';
import type { Report } from '../../shared/report.js';

const GB = 1000 ** 3;
const MiB = 1024 * 1024;
const TIME_BOUND_MS = 30_000;

let work: string;
let privateTmp: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'assay-cli-hostile-'));
  privateTmp = join(work, 'tmp');
  mkdirSync(privateTmp);
});
after(() => rmSync(work, { recursive: true, force: true }));

const cases: { name: string; file: string; build: () => Buffer; expect: string }[] = [
  { name: 'path traversal in a tar.gz', file: 'traversal.tgz', expect: 'INT-ARCHIVE-UNSAFE-PATH', build: () => gzip(tarArchive([{ name: 'manifest.json', data: '{}' }, { name: '../evil.txt', data: 'pwned' }])) },
  { name: 'absolute path in a tar', file: 'absolute.tar', expect: 'INT-ARCHIVE-UNSAFE-PATH', build: () => tarArchive([{ name: '/tmp/assay-evil-absolute.txt', data: 'pwned' }]) },
  { name: 'absolute path in a zip', file: 'absolute.zip', expect: 'INT-ARCHIVE-UNSAFE-PATH', build: () => rawZip([{ name: '/tmp/assay-evil-absolute.txt', stored: Buffer.from('pwned') }]) },
  {
    name: 'a link out of the bundle, then a file written through it',
    file: 'link.tar',
    expect: 'INT-ARCHIVE-LINK',
    build: () => tarArchive([{ name: 'records', type: '2', linkname: '../../outside' }, { name: 'records/evil.txt', data: 'pwned' }]),
  },
  { name: 'a 10 GB-expanding tar.gz bomb', file: 'bomb.tgz', expect: 'INT-ARCHIVE-RATIO', build: () => tarGzBomb(10 * GB, Math.ceil((10 * GB) / MiB)) },
  {
    name: 'a zip entry expanding to 4 GB',
    file: 'bomb.zip',
    expect: 'INT-ARCHIVE-RATIO',
    build: () => rawZip([{ name: 'artefacts/model.bin', stored: deflatedZeros(4), method: 8, uncompressedSize: 4095 * MiB, crc: 0 }]),
  },
  {
    name: '100,000 tiny entries',
    file: 'flood.tgz',
    expect: 'INT-ARCHIVE-TOO-MANY-ENTRIES',
    build: () => {
      const entries: TarEntrySpec[] = [];
      for (let i = 0; i < 100_000; i += 1) entries.push({ name: `logs/e${String(i).padStart(6, '0')}.json`, data: 'x' });
      return gzip(tarArchive(entries));
    },
  },
];

for (const c of cases) {
  test(`${c.name}: exit 1 with ${c.expect}, nothing written outside the temporary area`, async () => {
    const archive = join(work, c.file);
    writeFileSync(archive, c.build());
    const started = Date.now();
    const result = await runAssay(['verify', archive, '--format', 'json'], { env: { ...process.env, TMPDIR: privateTmp }, timeoutMs: TIME_BOUND_MS * 2 });
    const elapsed = Date.now() - started;
    assert.equal(result.code, 1, result.stderr);
    assert.ok(elapsed < TIME_BOUND_MS, `took ${elapsed} ms`);
    const report = JSON.parse(result.stdout) as Report;
    assert.equal(report.verdict, 'FAIL');
    const finding = report.checks.flatMap((ch) => ch.findings).find((f) => f.id === c.expect);
    assert.ok(finding !== undefined, `expected ${c.expect}, got ${result.stdout.slice(0, 500)}`);
    assert.ok(finding.message.length > 10);
    assert.deepEqual(readdirSync(privateTmp), [], 'the private temporary area is removed');
    assert.equal(existsSync(join(work, 'evil.txt')), false);
    assert.equal(existsSync(join(work, 'outside')), false);
    assert.equal(existsSync('/tmp/assay-evil-absolute.txt'), false);
    // The text report names the refusal too.
    const text = await runAssay(['verify', archive], { env: { ...process.env, TMPDIR: privateTmp } });
    assert.equal(text.code, 1);
    assert.match(text.stdout, new RegExp(c.expect));
  });
}
