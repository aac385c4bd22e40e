// `assay sample` then `assay verify`: the untouched sample passes; one changed byte in any file, an added
// file or a deleted file fails with a finding naming the file; .tar.gz and .zip give the same verdict.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../shared/report.js';
import { runAssay } from '../helpers/cli.js';

let work: string;
let bundle: string;
let trustArgs: string[];

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
  }
  return out.sort();
}

async function verifyJson(target: string): Promise<{ code: number | null; report: Report; stderr: string }> {
  const result = await runAssay(['verify', target, ...trustArgs, '--format', 'json']);
  return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

function failingFindingsNaming(report: Report, path: string) {
  return report.checks
    .flatMap((c) => c.findings)
    .filter((f) => f.status === 'fail' && ((f.subject.kind === 'file' && f.subject.path === path) || f.message.includes(path)));
}

function copyBundle(name: string): string {
  const copy = join(work, name);
  cpSync(bundle, copy, { recursive: true });
  return copy;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-cli-'));
  const result = await runAssay(['sample', join(work, 'sample')]);
  assert.equal(result.code, 0, result.stderr);
  bundle = join(work, 'sample', 'bundle');
  trustArgs = ['--trust', join(work, 'sample', 'trust'), '--policy', join(work, 'sample', 'policy.yaml')];
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('assay verify on the sample release', () => {
  test('the untouched sample passes with exit code 0 (text and json)', async () => {
    const text = await runAssay(['verify', bundle, ...trustArgs]);
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.match(text.stdout, /Verdict: {2}PASS/);
    const { code, report } = await verifyJson(bundle);
    assert.equal(code, 0);
    assert.equal(report.verdict, 'PASS');
    assert.ok(report.files.length > 5 && report.files.every((f) => f.state === 'ok'));
  });

  test('changing one byte of any file makes it fail with a finding naming the file', async () => {
    const files = listFiles(bundle);
    assert.ok(files.includes('manifest.json') && files.includes('manifest.sigstore.json'));
    for (const path of files) {
      const copy = copyBundle(`byte-${files.indexOf(path)}`);
      const target = join(copy, path);
      const bytes = readFileSync(target);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0x01;
      writeFileSync(target, bytes);
      const { code, report } = await verifyJson(copy);
      assert.equal(code, 1, `changed byte in ${path}`);
      assert.equal(report.verdict, 'FAIL', path);
      const named = failingFindingsNaming(report, path);
      assert.ok(named.length > 0, `a failing finding names ${path}: ${JSON.stringify(report.checks.flatMap((c) => c.findings.map((f) => f.id)))}`);
      rmSync(copy, { recursive: true });
    }
  });

  test('an added file fails as INT-FILE-UNLISTED naming it', async () => {
    const copy = copyBundle('added');
    writeFileSync(join(copy, 'records', 'extra.json'), '{}\n');
    const { code, report } = await verifyJson(copy);
    assert.equal(code, 1);
    assert.deepEqual(failingFindingsNaming(report, 'records/extra.json').map((f) => f.id), ['INT-FILE-UNLISTED']);
  });

  test('deleting any file fails with a finding naming it', async () => {
    for (const path of listFiles(bundle)) {
      const copy = copyBundle('deleted');
      unlinkSync(join(copy, path));
      const { code, report } = await verifyJson(copy);
      assert.equal(code, 1, `deleted ${path}`);
      const expected = path === 'manifest.json' ? 'INT-MANIFEST-MISSING' : path === 'manifest.sigstore.json' ? 'SIG-MANIFEST-SIGNATURE-MISSING' : 'INT-FILE-MISSING';
      assert.ok(failingFindingsNaming(report, path).some((f) => f.id === expected), `${expected} for ${path}`);
      rmSync(copy, { recursive: true });
    }
  });

  test('the same bundle as .tar, .tar.gz and .zip gives the same verdict and file results', async () => {
    const reference = (await verifyJson(bundle)).report;
    const tar = join(work, 'bundle.tar');
    const tgz = join(work, 'bundle.tgz');
    const zip = join(work, 'bundle.zip');
    execFileSync('tar', ['-C', bundle, '-cf', tar, '.']);
    execFileSync('tar', ['-C', bundle, '-czf', tgz, '.']);
    execFileSync('python3', ['-c', ZIP_SCRIPT, bundle, zip]);
    for (const archive of [tar, tgz, zip]) {
      assert.ok(statSync(archive).size > 0);
      const { code, report } = await verifyJson(archive);
      assert.equal(code, 0, archive);
      assert.equal(report.verdict, 'PASS', archive);
      assert.deepEqual(report.files, reference.files, archive);
      assert.deepEqual(report.checks.map((c) => [c.check, c.status]), reference.checks.map((c) => [c.check, c.status]));
    }
    // A changed byte inside the archive is caught the same way.
    const copy = copyBundle('archived-tamper');
    writeFileSync(join(copy, 'compliance.yaml'), readFileSync(join(copy, 'compliance.yaml'), 'utf8').replace(/a/, 'b'));
    const tampered = join(work, 'tampered.tgz');
    execFileSync('tar', ['-C', copy, '-czf', tampered, '.']);
    const { code, report } = await verifyJson(tampered);
    assert.equal(code, 1);
    assert.ok(failingFindingsNaming(report, 'compliance.yaml').some((f) => f.id === 'INT-FILE-HASH-MISMATCH'));
  });

  test('without trust and policy the verdict is INCOMPLETE (exit 1), never PASS', async () => {
    const result = await runAssay(['verify', bundle, '--format', 'json']);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as Report;
    assert.equal(report.verdict, 'INCOMPLETE');
  });

  test('the JSON report is deterministic apart from generatedAt', async () => {
    const a = (await verifyJson(bundle)).report;
    const b = (await verifyJson(bundle)).report;
    assert.deepEqual({ ...a, generatedAt: '' }, { ...b, generatedAt: '' });
  });

  test('--out writes the report to the file and nothing to stdout', async () => {
    const out = join(work, 'report.json');
    const result = await runAssay(['verify', bundle, ...trustArgs, '--format', 'json', '--out', out]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '');
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as Report).verdict, 'PASS');
  });
});

// Zips a directory with the entries at the archive root (Python's zipfile is on every CI machine here).
const ZIP_SCRIPT = `
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as z:
    for base, dirs, files in os.walk(src):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(base, f)
            z.write(p, os.path.relpath(p, src))
`;
