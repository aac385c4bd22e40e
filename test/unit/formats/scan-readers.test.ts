// Scan results and VEX documents as the tools write them (Trivy and CodeQL SARIF, a Trivy CycloneDX VDR,
// a CycloneDX VEX, an OpenVEX document as vexctl writes it, an in-toto vulns v0.1 statement) read into
// the model; invalid variants (a wrong enumeration value, a required field removed, an unsupported
// version, a VEX statement missing what its status requires) are rejected with the reason and where.
// Interop: SARIF written by Debian's flawfinder is read when flawfinder is installed.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { readCycloneDxVex, readCycloneDxVulnerabilities } from '../../../main/engine/formats/cyclonedx-vulnerabilities.js';
import { IN_TOTO_VULNS_PREDICATE_TYPE, readInTotoVulns } from '../../../main/engine/formats/in-toto-vulns.js';
import { readOpenVex, readOpenVexBytes } from '../../../main/engine/formats/openvex.js';
import { readSarif, readSarifBytes } from '../../../main/engine/formats/sarif.js';
import type { ScanReading, ScanReport, VexDocument, VexReading } from '../../../main/engine/formats/scan-model.js';

/** dist/test/unit/formats/ -> the repository's test/fixtures/scans/ */
const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/scans/', import.meta.url));
/** Third-party JSON, edited freely by the tests below (JSON.parse's own result type). */
const json = (name: string): ReturnType<typeof JSON.parse> => JSON.parse(readFileSync(FIXTURES + name, 'utf8'));

function report(reading: ScanReading): ScanReport {
  assert.ok(reading.ok, reading.ok ? '' : reading.issues.join(' | '));
  return reading.report;
}

function vex(reading: VexReading): VexDocument {
  assert.ok(reading.ok, reading.ok ? '' : reading.issues.join(' | '));
  return reading.document;
}

function rejected(reading: ScanReading | VexReading, reason: RegExp): void {
  assert.equal(reading.ok, false, 'expected the document to be rejected');
  if (reading.ok) return;
  assert.ok(
    reading.issues.some((issue) => reason.test(issue)),
    `no issue matches ${reason}: ${reading.issues.join(' | ')}`,
  );
}

const IMAGE = 'sha256:9f2e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f';
const COMMIT = '4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b';

describe('SARIF 2.1.0', () => {
  test('Trivy image scan: security-severity on the rules, severity tags, run.properties.repoDigests', () => {
    const scan = report(readSarif(json('trivy-image.sarif.json')));
    assert.equal(scan.format, 'sarif');
    assert.equal(scan.specVersion, '2.1.0');
    assert.deepEqual(scan.tools, [{ name: 'Trivy', version: '0.56.2' }]);
    assert.deepEqual(scan.targets, [{ kind: 'image', digest: IMAGE, name: 'ghcr.io/acme/model-server', from: 'runs[0].properties.repoDigests[0]' }]);
    const byId = new Map(scan.vulnerabilities.map((v) => [v.id, v]));
    assert.equal(byId.get('CVE-2024-6119')?.severity, 'high');
    assert.equal(byId.get('CVE-2024-6119')?.severityFrom, 'security-severity 7.5 (rule CVE-2024-6119)');
    assert.equal(byId.get('CVE-2023-45853')?.severity, 'critical');
    // No security-severity on this rule: Trivy's severity tag decides.
    assert.equal(byId.get('CVE-2011-3374')?.severity, 'low');
    assert.match(byId.get('CVE-2011-3374')!.severityFrom, /tag LOW/);
    // Trivy names every rule "OsPackageVulnerability": a rule name that is no vulnerability id is no alias
    assert.deepEqual(byId.get('CVE-2024-6119')?.aliases, []);
    assert.deepEqual(byId.get('CVE-2024-6119')?.affects, ['ghcr.io/acme/model-server:1']);
    assert.equal(scan.ignoredResults, 0);
    assert.equal(scan.finishedAt, null);
  });

  test('CodeQL source scan: rules in an extension, versionControlProvenance, suppressions, baseline and non-fail kinds', () => {
    const scan = report(readSarif(json('codeql-source.sarif.json')));
    assert.deepEqual(scan.tools, [{ name: 'CodeQL', version: '2.19.3' }]);
    assert.deepEqual(scan.targets, [{ kind: 'commit', commit: COMMIT, repository: 'https://github.com/acme/model-server', from: 'runs[0].versionControlProvenance[0]' }]);
    assert.equal(scan.finishedAt, '2025-03-10T09:15:42.318Z');
    // One result is baseline-absent, one informational: neither is a vulnerability.
    assert.equal(scan.ignoredResults, 2);
    assert.deepEqual(
      scan.vulnerabilities.map((v) => [v.id, v.severity, v.affects]),
      [
        ['py/sql-injection', 'high', ['server/db.py:42']],
        ['py/clear-text-logging-sensitive-data', 'high', ['server/auth.py:17']],
      ],
    );
    assert.equal(scan.vulnerabilities[0]!.severityFrom, 'security-severity 8.8 (rule py/sql-injection)');
    assert.equal(scan.vulnerabilities[0]!.analysis, null);
    // a suppression is described, never read as a VEX status: it settles nothing
    assert.equal(scan.vulnerabilities[1]!.analysis, null);
    assert.equal(scan.vulnerabilities[1]!.suppression, 'suppressed external (accepted): test fixture credentials only');
  });

  test('the worst rating counts: a lower score or tag on the result does not hide the rule\'s', () => {
    const log = json('codeql-source.sarif.json');
    const [rule] = log.runs[0].tool.extensions[0].rules;
    rule.properties = { 'security-severity': '9.8', tags: ['CRITICAL'] };
    log.runs[0].results[0].properties = { 'security-severity': '0.0', tags: ['low'] };
    const scan = report(readSarif(log));
    assert.equal(scan.vulnerabilities[0]!.severity, 'critical');
    assert.match(scan.vulnerabilities[0]!.severityFrom, /9\.8|CRITICAL/);
  });

  test('a rule name is an alias only when it is a vulnerability id (Trivy names every rule OsPackageVulnerability)', () => {
    const log = json('codeql-source.sarif.json');
    const [rule] = log.runs[0].tool.extensions[0].rules;
    rule.name = 'OsPackageVulnerability';
    assert.deepEqual(report(readSarif(log)).vulnerabilities[0]!.aliases, []);
    rule.name = 'GHSA-mq29-j5xf-cjwr';
    assert.deepEqual(report(readSarif(log)).vulnerabilities[0]!.aliases, ['GHSA-mq29-j5xf-cjwr']);
  });

  test('a run whose results are null or absent produced no results: a failed run, not a clean one', () => {
    for (const results of [null, undefined]) {
      const log = json('codeql-source.sarif.json');
      log.runs[0].results = results;
      assert.match(report(readSarif(log)).failedRuns.join(), /results is (null|absent)/);
    }
    const empty = json('codeql-source.sarif.json');
    empty.runs[0].results = [];
    assert.deepEqual(report(readSarif(empty)).failedRuns, []);
  });

  test('security-severity on the result counts with the rule\'s; a severity is never invented from level', () => {
    const log = json('codeql-source.sarif.json');
    log.runs[0].results[0].properties = { 'security-severity': '9.1' };
    log.runs[0].tool.extensions[0].rules[1].properties = { tags: ['security'] };
    const scan = report(readSarif(log));
    assert.equal(scan.vulnerabilities[0]!.severity, 'critical');
    assert.equal(scan.vulnerabilities[0]!.severityFrom, 'security-severity 9.1 (result properties)');
    assert.equal(scan.vulnerabilities[1]!.severity, 'unknown');
    assert.equal(scan.vulnerabilities[1]!.severityFrom, 'no security-severity or severity tag (SARIF level error)');
  });

  test('image digest from Trivy run.properties.imageDigest', () => {
    const log = json('trivy-image.sarif.json');
    log.runs[0].properties = { imageName: 'ghcr.io/acme/model-server:1.4.0', imageDigest: IMAGE };
    assert.deepEqual(report(readSarif(log)).targets, [{ kind: 'image', digest: IMAGE, name: 'ghcr.io/acme/model-server:1.4.0', from: 'runs[0].properties.imageDigest' }]);
  });

  const invalid: [string, (log: ReturnType<typeof JSON.parse>) => void, RegExp][] = [
    ['SARIF version 2.0.0', (log) => (log.version = '2.0.0'), /^version: SARIF version "2\.0\.0" is not read/],
    ['a wrong level', (log) => (log.runs[0].results[2].level = 'critical'), /^runs\[0\]\.results\[2\]\.level: Invalid option: expected one of "none"\|"note"\|"warning"\|"error"/],
    ['a wrong kind', (log) => (log.runs[0].results[0].kind = 'failure'), /^runs\[0\]\.results\[0\]\.kind: Invalid option/],
    ['a wrong baselineState', (log) => (log.runs[0].results[0].baselineState = 'gone'), /^runs\[0\]\.results\[0\]\.baselineState: Invalid option/],
    ['the driver name removed', (log) => delete log.runs[0].tool.driver.name, /^runs\[0\]\.tool\.driver\.name: Invalid input: expected string/],
    ['the message removed', (log) => delete log.runs[0].results[1].message, /^runs\[0\]\.results\[1\]\.message: Invalid input/],
    ['a message with neither text nor id', (log) => (log.runs[0].results[1].message = { markdown: '**x**' }), /^runs\[0\]\.results\[1\]\.message: a message needs "text" or "id"/],
    ['a rule without id', (log) => delete log.runs[0].tool.driver.rules[1].id, /^runs\[0\]\.tool\.driver\.rules\[1\]\.id: Invalid input/],
    ['a ruleIndex past the rules', (log) => (log.runs[0].results[1].ruleIndex = 7), /^runs\[0\]\.results\[1\]\.ruleIndex: 7 is beyond tool\.driver\.rules \(3 rules\)/],
    ['a ruleIndex naming another rule than the ruleId', (log) => (log.runs[0].results[0].ruleIndex = 1), /^runs\[0\]\.results\[0\]\.ruleIndex: 1 is rule "CVE-2023-45853", not the result's rule "CVE-2024-6119"/],
    ['properties.tags not strings', (log) => (log.runs[0].tool.driver.rules[0].properties.tags = [1]), /^runs\[0\]\.tool\.driver\.rules\[0\]\.properties\.tags\[0\]: Invalid input: expected string/],
    ['runs removed', (log) => delete log.runs, /^runs: Invalid input/],
  ];
  for (const [name, edit, reason] of invalid) {
    test(`rejected: ${name}`, () => {
      const log = json('trivy-image.sarif.json');
      edit(log);
      rejected(readSarif(log), reason);
    });
  }

  test('rejected: versionControlProvenance without repositoryUri, an invocation end time that is no date-time', () => {
    const log = json('codeql-source.sarif.json');
    delete log.runs[0].versionControlProvenance[0].repositoryUri;
    log.runs[0].invocations[0].endTimeUtc = '10 March 2025';
    rejected(readSarif(log), /^runs\[0\]\.versionControlProvenance\[0\]\.repositoryUri: Invalid input/);
    rejected(readSarif(log), /^runs\[0\]\.invocations\[0\]\.endTimeUtc: Invalid ISO datetime/);
  });

  test('rejected: a rule reference into a tool extension that does not exist', () => {
    const log = json('codeql-source.sarif.json');
    log.runs[0].results[0].rule.toolComponent.index = 3;
    rejected(readSarif(log), /^runs\[0\]\.results\[0\]\.rule\.toolComponent\.index: 3 names no entry of tool\.extensions/);
  });

  test('bytes: duplicate keys refused', () => {
    rejected(readSarifBytes('{"version":"2.1.0","runs":[],"runs":[{"tool":{"driver":{"name":"x"}}}]}'), /duplicate/i);
  });

  test('interop: flawfinder --sarif (Debian flawfinder 2.0.19) is read; its rank/level give no severity', (t) => {
    const probe = spawnSync('flawfinder', ['--version'], { encoding: 'utf8' });
    if (probe.error !== undefined || probe.status !== 0) {
      t.skip('flawfinder is not installed (apt-get install flawfinder; .ci/run installs it)');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'assay-flawfinder-'));
    try {
      writeFileSync(
        join(dir, 'copy.c'),
        '#include <stdio.h>\n#include <string.h>\nint main(int argc, char **argv) {\n  char buf[16];\n  strcpy(buf, argv[1]);\n  printf(argv[1]);\n  return 0;\n}\n',
      );
      const run = spawnSync('flawfinder', ['--sarif', 'copy.c'], { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const scan = report(readSarifBytes(run.stdout));
      assert.equal(scan.tools[0]?.name, 'Flawfinder');
      assert.match(scan.tools[0]?.version ?? '', /^\d+\.\d+\.\d+$/);
      const ids = scan.vulnerabilities.map((v) => v.id);
      assert.ok(ids.length >= 2, `expected findings, got ${ids.join(', ')}`);
      // the strcpy on line 5; flawfinder's rule name (buffer/strcpy) is no vulnerability id, so no alias
      const strcpy = scan.vulnerabilities.find((v) => v.affects.includes('copy.c:5'));
      assert.ok(strcpy !== undefined, `no finding on copy.c:5 among ${ids.join(', ')}`);
      assert.deepEqual(strcpy.aliases, []);
      // Flawfinder writes a level and its own rank, no security-severity: the reader does not invent one.
      assert.ok(scan.vulnerabilities.every((v) => v.severity === 'unknown'));
      assert.equal(strcpy.severityFrom, 'no security-severity or severity tag (SARIF level error)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CycloneDX vulnerabilities (VDR)', () => {
  test('a rejected record is dropped only when it was rejected by the time of the document', async () => {
    const doc = json('trivy-image-vdr-1.6.cdx.json');
    const count = report(await readCycloneDxVulnerabilities(doc)).vulnerabilities.length;
    doc.vulnerabilities[0].rejected = '2025-01-01T00:00:00Z';
    assert.equal(report(await readCycloneDxVulnerabilities(doc)).vulnerabilities.length, count - 1);
    doc.vulnerabilities[0].rejected = '2099-01-01T00:00:00Z';
    assert.equal(report(await readCycloneDxVulnerabilities(doc)).vulnerabilities.length, count);
  });

  test('Trivy image scan, CycloneDX 1.6', async () => {
    const scan = report(await readCycloneDxVulnerabilities(json('trivy-image-vdr-1.6.cdx.json')));
    assert.equal(scan.format, 'cyclonedx');
    assert.equal(scan.specVersion, '1.6');
    assert.deepEqual(scan.tools, [{ name: 'trivy', version: '0.56.2' }]);
    assert.deepEqual(scan.targets, [{ kind: 'image', digest: IMAGE, name: 'ghcr.io/acme/model-server:1.4.0', from: 'metadata.component.purl' }]);
    assert.equal(scan.finishedAt, '2025-03-10T09:20:11+00:00');
    const [openssl, zlib, torch] = scan.vulnerabilities;
    assert.equal(openssl!.id, 'CVE-2024-6119');
    assert.equal(openssl!.severity, 'high');
    assert.equal(openssl!.severityFrom, 'CycloneDX rating (nvd, CVSSv31 7.5, high)');
    assert.deepEqual(openssl!.affects, ['pkg:deb/debian/libssl3@3.0.14-1~deb12u1?arch=amd64&distro=debian-12.7']);
    // A score without a severity word is ranked by the CVSS scale; the worst rating wins.
    assert.equal(zlib!.severity, 'critical');
    assert.equal(zlib!.severityFrom, 'CycloneDX rating (ghsa, CVSSv31 9.8)');
    assert.equal(torch!.id, 'GHSA-pg7h-5qx3-wjr3');
    assert.deepEqual(torch!.aliases, ['CVE-2024-31580']);
    assert.equal(torch!.severity, 'medium');
    assert.deepEqual(torch!.analysis, { status: 'not_affected', justification: 'code_not_reachable', detail: 'The model server never deserialises untrusted TorchScript.' });
  });

  test('CycloneDX 1.4: tools as an array (Grype, before 1.5)', async () => {
    const bom = json('trivy-image-vdr-1.6.cdx.json');
    bom.specVersion = '1.4';
    bom.$schema = 'http://cyclonedx.org/schema/bom-1.4.schema.json';
    bom.metadata.tools = [{ vendor: 'anchore', name: 'grype', version: '0.82.0' }];
    const scan = report(await readCycloneDxVulnerabilities(bom));
    assert.equal(scan.specVersion, '1.4');
    assert.deepEqual(scan.tools, [{ name: 'grype', version: '0.82.0' }]);
  });

  test('a source scan: metadata.component pinned to a commit by version and vcs reference', async () => {
    const bom = json('trivy-image-vdr-1.6.cdx.json');
    bom.metadata.component = {
      'bom-ref': 'repo',
      type: 'application',
      name: 'github.com/acme/model-server',
      version: COMMIT.toUpperCase(),
      externalReferences: [{ type: 'vcs', url: `https://github.com/acme/model-server/commit/${COMMIT}` }],
    };
    bom.dependencies[0].ref = 'repo';
    assert.deepEqual(report(await readCycloneDxVulnerabilities(bom)).targets, [
      { kind: 'commit', commit: COMMIT, repository: 'https://github.com/acme/model-server', from: 'metadata.component.version' },
    ]);
  });

  test('rejected: a rating severity outside the enumeration (schema, with its path)', async () => {
    const bom = json('trivy-image-vdr-1.6.cdx.json');
    bom.vulnerabilities[1].ratings[1].severity = 'severe';
    rejected(await readCycloneDxVulnerabilities(bom), /^CycloneDX schema: \/vulnerabilities\/1\/ratings\/1\/severity: must be equal to one of the allowed values/);
  });

  test('rejected: an analysis state outside the enumeration', async () => {
    const bom = json('trivy-image-vdr-1.6.cdx.json');
    bom.vulnerabilities[2].analysis.state = 'not_exploitable';
    rejected(await readCycloneDxVulnerabilities(bom), /\/vulnerabilities\/2\/analysis\/state: must be equal to one of the allowed values/);
  });

  test('rejected: CycloneDX 1.3 has no vulnerabilities', async () => {
    const bom = json('trivy-image-vdr-1.6.cdx.json');
    bom.specVersion = '1.3';
    bom.metadata.tools = [{ vendor: 'aquasecurity', name: 'trivy', version: '0.20.0' }];
    bom.metadata.component.version = '1.4.0';
    delete bom.$schema;
    delete bom.vulnerabilities;
    rejected(await readCycloneDxVulnerabilities(bom), /specVersion 1\.3: CycloneDX has vulnerabilities from 1\.4 on/);
  });
});

describe('CycloneDX VEX', () => {
  test('standalone VEX: BOM-Links into the SBOM, local refs, states mapped to OpenVEX statuses', async () => {
    const document = vex(await readCycloneDxVex(json('model-server.vex-1.6.cdx.json')));
    assert.equal(document.format, 'cyclonedx');
    assert.equal(document.id, 'urn:uuid:9b6d6a3e-4f2f-4c8a-9d37-71a2e5a1c0f4');
    assert.equal(document.author, 'ACME Product Security');
    const subjectPurl = 'pkg:oci/model-server@sha256%3A9f2e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f?repository_url=ghcr.io%2Facme%2Fmodel-server';
    const [zlib, openssl, torch, triage] = document.statements;
    assert.equal(zlib!.status, 'not_affected');
    assert.equal(zlib!.justification, 'code_not_reachable');
    assert.equal(zlib!.impactStatement, 'minizip is not built into zlib1g; only the zlib core is shipped.');
    assert.equal(zlib!.actionStatement, 'will_not_fix');
    assert.equal(zlib!.timestamp, '2025-03-11T08:00:00Z');
    // The link names a component of another BOM: the link is the id, the VEX's product the identity,
    // limited to the linked component (never widened to the whole product).
    assert.deepEqual(zlib!.products, [
      {
        id: 'urn:cdx:3c1e0b5e-7c7e-4f44-9a3e-0d6f2f1b8a21/1#pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12.7',
        identifiers: [subjectPurl, 'model-server'],
        sha256: [IMAGE.slice('sha256:'.length)],
        subcomponents: ['pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12.7'],
      },
    ]);
    assert.equal(openssl!.status, 'affected');
    assert.equal(openssl!.actionStatement, 'update; Rebuild on debian 12.8 (libssl3 3.0.15-1~deb12u1).');
    assert.equal(openssl!.timestamp, '2025-03-10T17:00:00Z');
    assert.deepEqual(openssl!.products, [{ id: subjectPurl, identifiers: ['model-server'], sha256: [IMAGE.slice('sha256:'.length)] }]);
    assert.equal(torch!.status, 'not_affected');
    assert.deepEqual(torch!.aliases, ['CVE-2024-31580']);
    // a component of the document's product: that product, limited to the component
    assert.deepEqual(torch!.products, [{ id: subjectPurl, identifiers: ['model-server'], sha256: [IMAGE.slice('sha256:'.length)], subcomponents: ['pkg:pypi/torch@2.3.1'] }]);
    assert.equal(torch!.timestamp, '2025-03-11T08:00:00Z');
    // No affects: the statement is about the document's product.
    assert.equal(triage!.status, 'under_investigation');
    assert.equal(triage!.products[0]?.id, subjectPurl);
  });

  test('resolved and resolved_with_pedigree read as fixed', async () => {
    const bom = json('model-server.vex-1.6.cdx.json');
    bom.vulnerabilities[0].analysis = { state: 'resolved' };
    bom.vulnerabilities[1].analysis = { state: 'resolved_with_pedigree' };
    const [a, b] = vex(await readCycloneDxVex(bom)).statements;
    assert.equal(a!.status, 'fixed');
    assert.equal(b!.status, 'fixed');
  });

  test('rejected: a vulnerability without analysis', async () => {
    const bom = json('model-server.vex-1.6.cdx.json');
    delete bom.vulnerabilities[2].analysis;
    rejected(await readCycloneDxVex(bom), /^vulnerabilities\[2\] \(GHSA-pg7h-5qx3-wjr3\): no analysis/);
  });

  test('rejected: an affects ref that names no component and is no BOM-Link', async () => {
    const bom = json('model-server.vex-1.6.cdx.json');
    bom.vulnerabilities[2].affects[0].ref = 'numpy-1.26.4';
    rejected(await readCycloneDxVex(bom), /^vulnerabilities\[2\] \(GHSA-pg7h-5qx3-wjr3\)\.affects\[0\]\.ref: "numpy-1\.26\.4" is no bom-ref of the document and no BOM-Link/);
  });

  test('rejected: an analysis justification outside the enumeration', async () => {
    const bom = json('model-server.vex-1.6.cdx.json');
    bom.vulnerabilities[0].analysis.justification = 'vulnerable_code_not_present';
    rejected(await readCycloneDxVex(bom), /\/vulnerabilities\/0\/analysis\/justification: must be equal to one of the allowed values/);
  });
});

describe('OpenVEX', () => {
  test('v0.2.0 as vexctl writes it', () => {
    const document = vex(readOpenVex(json('vexctl.openvex.json')));
    assert.equal(document.format, 'openvex');
    assert.equal(document.author, 'ACME Product Security <psirt@acme.example>');
    assert.equal(document.timestamp, '2025-03-11T09:14:01.481235+01:00');
    const [zlib, openssl, torch, triage] = document.statements;
    assert.equal(zlib!.vulnerability, 'CVE-2023-45853');
    assert.equal(zlib!.status, 'not_affected');
    assert.equal(zlib!.justification, 'vulnerable_code_not_present');
    assert.equal(zlib!.impactStatement, 'minizip is not part of the zlib1g package');
    assert.equal(zlib!.timestamp, '2025-03-11T09:14:01.481236+01:00');
    // Subcomponents say where the vulnerability sits, not what the product is.
    assert.equal(zlib!.products.length, 1);
    assert.match(zlib!.products[0]!.id, /^pkg:oci\/model-server@sha256%3A9f2e/);
    assert.deepEqual(openssl!.aliases, ['GHSA-2w8j-8m9q-8x8p']);
    assert.equal(openssl!.actionStatement, 'Update to model-server 1.4.1, rebuilt on debian 12.8.');
    assert.deepEqual(openssl!.products[0]!.sha256, [IMAGE.slice('sha256:'.length)]);
    assert.deepEqual(openssl!.products[0]!.identifiers, ['pkg:oci/model-server@sha256%3A9f2e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f']);
    assert.deepEqual(torch!.products, [{ id: 'pkg:pypi/torch@2.3.1', identifiers: ['cpe:2.3:a:linuxfoundation:pytorch:2.3.1:*:*:*:*:*:*:*'], sha256: [] }]);
    // No statement timestamp: the document's applies.
    assert.equal(torch!.timestamp, '2025-03-11T09:14:01.481235+01:00');
    assert.equal(triage!.status, 'under_investigation');
  });

  test('v0.0.1 (context https://openvex.dev/ns): vulnerability and products as strings', () => {
    const document = vex(
      readOpenVexBytes(
        JSON.stringify({
          '@context': 'https://openvex.dev/ns',
          '@id': 'https://openvex.dev/docs/example/vex-9fb3463de1b57',
          author: 'Wolfi J Inkinson',
          role: 'Document Creator',
          timestamp: '2023-01-08T18:02:03.647787998-06:00',
          version: '1',
          statements: [{ vulnerability: 'CVE-2023-12345', products: ['pkg:apk/wolfi/git@2.39.0-r1?arch=armv7', 'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64'], status: 'fixed' }],
        }),
      ),
    );
    assert.equal(document.statements[0]!.vulnerability, 'CVE-2023-12345');
    assert.deepEqual(
      document.statements[0]!.products.map((p) => p.id),
      ['pkg:apk/wolfi/git@2.39.0-r1?arch=armv7', 'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64'],
    );
    assert.equal(document.statements[0]!.timestamp, '2023-01-08T18:02:03.647787998-06:00');
  });

  const invalid: [string, (doc: ReturnType<typeof JSON.parse>) => void, RegExp][] = [
    ['not_affected without justification or impact_statement', (doc) => { delete doc.statements[0].justification; delete doc.statements[0].impact_statement; }, /^statements\[0\]: status not_affected needs a justification \(component_not_present, .*\) or an impact_statement/],
    ['affected without action_statement', (doc) => delete doc.statements[1].action_statement, /^statements\[1\]: status affected needs an action_statement/],
    ['a status outside the enumeration', (doc) => (doc.statements[2].status = 'exploitable'), /^statements\[2\]\.status: Invalid option: expected one of "not_affected"\|"affected"\|"fixed"\|"under_investigation"/],
    ['a justification outside the enumeration', (doc) => (doc.statements[0].justification = 'code_not_reachable'), /^statements\[0\]\.justification: Invalid option/],
    ['a statement without products', (doc) => delete doc.statements[3].products, /^statements\[3\]\.products: a statement needs at least one product/],
    ['a product with neither @id nor identifiers', (doc) => (doc.statements[2].products = [{ hashes: { 'sha-256': IMAGE.slice(7) } }]), /^statements\[2\]\.products\[0\]: names no product/],
    ['a vulnerability as a string in v0.2.0', (doc) => (doc.statements[3].vulnerability = 'CVE-2025-0001'), /^statements\[3\]\.vulnerability: must be an object with a name/],
    ['the author removed', (doc) => delete doc.author, /^author: Invalid input: expected string/],
    ['version 0', (doc) => (doc.version = 0), /^version: /],
    ['a timestamp that is no ISO 8601 date-time', (doc) => (doc.timestamp = '2025-03-11'), /^timestamp: Invalid ISO datetime/],
    ['a statement timestamp that is no ISO 8601 date-time', (doc) => (doc.statements[0].timestamp = 'yesterday'), /^statements\[0\]\.timestamp: Invalid ISO datetime/],
    ['another @context', (doc) => (doc['@context'] = 'https://example.com/vex'), /^@context: /],
    ['no statements', (doc) => (doc.statements = []), /^statements: /],
  ];
  for (const [name, edit, reason] of invalid) {
    test(`rejected: ${name}`, () => {
      const doc = json('vexctl.openvex.json');
      edit(doc);
      rejected(readOpenVex(doc), reason);
    });
  }
});

describe('in-toto vulns predicate v0.1', () => {
  test('Trivy scan attested for an image', () => {
    const statement = json('trivy-vulns.intoto.json');
    const scan = report(readInTotoVulns(statement.predicateType, statement.predicate, statement.subject));
    assert.equal(scan.format, 'in-toto-vulns');
    assert.equal(scan.specVersion, 'v0.1');
    assert.deepEqual(scan.tools, [{ name: 'pkg:github/aquasecurity/trivy@0.56.2', version: '0.56.2' }]);
    assert.deepEqual(scan.targets, [{ kind: 'image', digest: IMAGE, name: 'ghcr.io/acme/model-server', from: 'subject[0]' }]);
    assert.equal(scan.finishedAt, '2025-03-10T09:20:11Z');
    const [zlib, openssl, unrated] = scan.vulnerabilities;
    // Worst over the list: a word from one method, a CVSS score from another.
    assert.equal(zlib!.severity, 'critical');
    assert.equal(zlib!.severityFrom, 'nvd 9.8');
    assert.deepEqual(zlib!.aliases, ['GHSA-mq29-j5xf-cjwr']);
    assert.deepEqual(zlib!.affects, ['zlib1g@1:1.2.13.dfsg-1']);
    assert.equal(openssl!.severity, 'high');
    assert.equal(unrated!.severity, 'unknown');
  });

  test('entries nested under `vulnerability`, as the field list writes them', () => {
    const statement = json('trivy-vulns.intoto.json');
    statement.predicate.scanner.result = statement.predicate.scanner.result.map((v: unknown) => ({ vulnerability: v }));
    assert.equal(report(readInTotoVulns(IN_TOTO_VULNS_PREDICATE_TYPE, statement.predicate, statement.subject)).vulnerabilities.length, 3);
  });

  const invalid: [string, (predicate: ReturnType<typeof JSON.parse>) => void, RegExp][] = [
    ['scanner.uri removed', (p) => delete p.scanner.uri, /^predicate\.scanner\.uri: Invalid input: expected string/],
    ['a numeric score', (p) => (p.scanner.result[1].severity[0].score = 7.5), /^predicate\.scanner\.result\[1\]\.severity\[0\]\.score: Invalid input: expected string/],
    ['a result without id', (p) => delete p.scanner.result[0].id, /^predicate\.scanner\.result\[0\]\.id: Invalid input/],
    ['scanFinishedOn removed', (p) => delete p.metadata.scanFinishedOn, /^predicate\.metadata\.scanFinishedOn: Invalid input/],
    ['db.lastUpdate not a timestamp', (p) => (p.scanner.db.lastUpdate = 'v1-2021080612'), /^predicate\.scanner\.db\.lastUpdate: Invalid ISO datetime/],
  ];
  for (const [name, edit, reason] of invalid) {
    test(`rejected: ${name}`, () => {
      const statement = json('trivy-vulns.intoto.json');
      edit(statement.predicate);
      rejected(readInTotoVulns(statement.predicateType, statement.predicate, statement.subject), reason);
    });
  }

  test('rejected: another predicate type', () => {
    const statement = json('trivy-vulns.intoto.json');
    rejected(readInTotoVulns('https://cosign.sigstore.dev/attestation/vuln/v1', statement.predicate, statement.subject), /is not https:\/\/in-toto\.io\/attestation\/vulns\/v0\.1/);
  });
});
