// `assay scan FILE`: scan results (SARIF, CycloneDX with vulnerabilities) and VEX (OpenVEX) are
// summarised with exit 0, real tool output included; invalid documents exit 1 with the reason; signed
// statements, unreadable files and usage errors exit 2.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { runAssay } from '../helpers/cli.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/scans/', import.meta.url));

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'assay-scan-cli-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

function edited(name: string, edit: (value: Record<string, any>) => void): string { // eslint-disable-line @typescript-eslint/no-explicit-any -- test data edited in place
  const value = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, unknown>;
  edit(value);
  const path = join(work, `edited-${name}`);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe('assay scan', () => {
  test('summarises a Trivy SARIF image scan: tool, image target, counts, the critical and high results', async () => {
    const result = await runAssay(['scan', join(FIXTURES, 'trivy-image.sarif.json')]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /: valid\n {2}format: +SARIF 2\.1\.0\n {2}tools: +Trivy/);
    assert.match(result.stdout, /targets: +image .*@sha256:[0-9a-f]{64}/);
    assert.match(result.stdout, /critical\/high:\n {4}CVE-/);
    assert.equal(result.stderr, '');
  });

  test('summarises a CycloneDX vulnerability report and an OpenVEX document', async () => {
    const bom = await runAssay(['scan', join(FIXTURES, 'trivy-image-vdr-1.6.cdx.json')]);
    assert.equal(bom.code, 0, bom.stdout + bom.stderr);
    assert.match(bom.stdout, /format: +CycloneDX 1\.\d/);
    const vex = await runAssay(['scan', join(FIXTURES, 'vexctl.openvex.json')]);
    assert.equal(vex.code, 0, vex.stdout + vex.stderr);
    assert.match(vex.stdout, /format: +OpenVEX\n {2}id: +\S+\n {2}author: +.+\n {2}timestamp: +\S+\n {2}statements: +\d+ \(/);
  });

  test('--format json gives the model', async () => {
    const result = await runAssay(['scan', join(FIXTURES, 'codeql-source.sarif.json'), '--format', 'json']);
    assert.equal(result.code, 0);
    const body = JSON.parse(result.stdout) as { valid: boolean; kind: string; report: { format: string; targets: { kind: string }[] } };
    assert.equal(body.valid, true);
    assert.equal(body.kind, 'scan');
    assert.equal(body.report.format, 'sarif');
    assert.equal(body.report.targets[0]?.kind, 'commit');
  });

  test('an invalid document exits 1 with the reason and where it applies', async () => {
    const sarif = await runAssay(['scan', edited('codeql-source.sarif.json', (log) => (log['runs'][0]['results'][0]['level'] = 'critical'))]);
    assert.equal(sarif.code, 1);
    assert.match(sarif.stdout, /INVALID \(SARIF scan\)\n {2}runs\[0\]\.results\[0\]\.level: /);
    const vex = await runAssay(['scan', edited('vexctl.openvex.json', (doc) => doc['statements'].forEach((s: Record<string, unknown>) => { if (s['status'] === 'not_affected') { delete s['justification']; delete s['impact_statement']; } }))]);
    assert.equal(vex.code, 1);
    assert.match(vex.stdout, /INVALID \(OpenVEX VEX\)\n {2}statements\[0\]: status not_affected needs a justification/);
    const notScan = join(work, 'not-a-scan.json');
    writeFileSync(notScan, '{"hello": "world"}');
    const unknown = await runAssay(['scan', notScan, '--format', 'json']);
    assert.equal(unknown.code, 1);
    assert.match((JSON.parse(unknown.stdout) as { issues: string[] }).issues[0]!, /not a scan document/);
    const duplicate = join(work, 'duplicate.json');
    writeFileSync(duplicate, '{"version": "2.1.0", "version": "2.1.0", "runs": []}');
    assert.match((await runAssay(['scan', duplicate])).stdout, /INVALID: .*duplicate/i);
  });

  test('signed statements, missing files and usage errors exit 2', async () => {
    const statement = await runAssay(['scan', join(FIXTURES, 'trivy-vulns.intoto.json')]);
    // an unsigned in-toto statement is no scan document either: it names what it is about only once signed
    assert.equal(statement.code, 1);
    const envelope = join(work, 'scan.intoto.jsonl');
    writeFileSync(envelope, `${JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: 'e30=', signatures: [{ keyid: '', sig: 'AA==' }] })}\n`);
    const signed = await runAssay(['scan', envelope]);
    assert.equal(signed.code, 2);
    assert.match(signed.stderr, /signed statement.*assay verify/);
    assert.equal((await runAssay(['scan', join(work, 'absent.sarif')])).code, 2);
    assert.equal((await runAssay(['scan'])).code, 2);
    assert.equal((await runAssay(['scan', envelope, '--format', 'xml'])).code, 2);
  });
});
