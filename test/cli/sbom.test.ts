// `assay sbom FILE`: every third-party fixture is summarised with exit 0; an invalid SBOM exits 1 with
// one reason per line; an unreadable file or a usage error exits 2.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { runAssay } from '../helpers/cli.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/sbom/', import.meta.url));
const SBOMS = ['cyclonedx', 'spdx'].flatMap((dir) => readdirSync(join(FIXTURES, dir)).filter((f) => !/^(LICENSE|COPYING)/.test(f)).map((f) => `${dir}/${f}`));

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'assay-sbom-cli-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('assay sbom', () => {
  test('there are fixtures of every format', () => {
    assert.equal(SBOMS.length, 8);
  });

  for (const name of SBOMS) {
    test(`summarises ${name}`, async () => {
      const result = await runAssay(['sbom', join(FIXTURES, name)]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /: valid\n/);
      assert.match(result.stdout, /format: +(CycloneDX|SPDX)/);
      assert.match(result.stdout, /spec version: +\d\.\d/);
      assert.match(result.stdout, /components: +\d+ \(\d+ model, \d+ dataset\)/);
      assert.equal(result.stderr, '', 'no warnings (e.g. the punycode deprecation) on stderr');
    });
  }

  test('names the model component of the ML-BOM', async () => {
    const result = await runAssay(['sbom', join(FIXTURES, 'cyclonedx/ml-model-1.6.cdx.xml')]);
    assert.match(result.stdout, /models:\n {4}stable-diffusion 1\.4 {2}no hashes/);
  });

  test('--format json gives the summary', async () => {
    const result = await runAssay(['sbom', join(FIXTURES, 'spdx/ai-simplehtr.spdx3.json'), '--format', 'json']);
    assert.equal(result.code, 0);
    const summary = JSON.parse(result.stdout) as { valid: boolean; format: string; specVersion: string; components: number; models: { name: string }[]; datasets: { name: string }[] };
    assert.equal(summary.valid, true);
    assert.equal(summary.format, 'spdx3-jsonld');
    assert.equal(summary.specVersion, '3.0.1');
    assert.ok(summary.models.some((m) => m.name === 'word-model'));
    assert.ok(summary.datasets.some((d) => d.name === 'IAMdataset'));
  });

  test('an invalid SBOM exits 1 with one reason per line', async () => {
    const bom = JSON.parse(readFileSync(join(FIXTURES, 'spdx/example11.spdx.json'), 'utf8')) ;
    delete bom['packages'][0]['name'];
    bom['relationships'][0]['relationshipType'] = 'LOVES';
    const path = join(work, 'broken.spdx.json');
    writeFileSync(path, JSON.stringify(bom));
    const result = await runAssay(['sbom', path]);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /INVALID \(SPDX 2 JSON 2\.3\): schema/);
    assert.ok(lines.some((l) => /^ {2}packages\[0\]\.name: required field missing$/.test(l)), result.stdout);
    assert.ok(lines.some((l) => /^ {2}relationships\[0\]\.relationshipType: "LOVES"/.test(l)), result.stdout);
    const asJson = await runAssay(['sbom', path, '--format', 'json']);
    assert.equal(asJson.code, 1);
    assert.equal((JSON.parse(asJson.stdout) as { issues: string[] }).issues.length, 2);
  });

  test('XXE is refused with exit 1', async () => {
    const path = join(work, 'xxe.cdx.xml');
    writeFileSync(path, '<?xml version="1.0"?>\n<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components><component type="library"><name>&xxe;</name></component></components></bom>');
    const result = await runAssay(['sbom', path]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /unsafe-xml/);
    assert.doesNotMatch(result.stdout, /root:/);
  });

  test('a missing file exits 2; so does a usage error', async () => {
    const missing = await runAssay(['sbom', join(work, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*ENOENT/);
    assert.equal((await runAssay(['sbom'])).code, 2);
    assert.equal((await runAssay(['sbom', 'a', 'b'])).code, 2);
    assert.equal((await runAssay(['sbom', join(FIXTURES, 'spdx/example1.spdx'), '--format', 'yaml'])).code, 2);
  });
});
