// The rules that decide whether a scan is about the release and whether VEX settles a vulnerability,
// over the scan model directly.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScanReport, ScanVulnerability, VexProduct, VexStatement } from '../../../main/engine/formats/scan-model.js';
import { instantOf, productIsRelease, resolveVulnerability as resolveOver, scanCoverage, VexIndex, type LocatedStatement, type ReleaseIdentity } from '../../../main/engine/checks/vex-resolution.js';

const resolveVulnerability = (v: ScanVulnerability, coverage: 'image' | 'commit', statements: LocatedStatement[], r: ReleaseIdentity, path: string) => resolveOver(v, coverage, new VexIndex(statements, r), path);

const HEX = 'a'.repeat(64);
const release: ReleaseIdentity = { imageDigest: `sha256:${HEX}`, commit: 'b'.repeat(40) };
const image: VexProduct = { id: `pkg:oci/scorer@sha256%3A${HEX}?repository_url=registry.example/scorer`, identifiers: [], sha256: [] };
const otherImage: VexProduct = { id: `pkg:oci/scorer@sha256%3A${'c'.repeat(64)}`, identifiers: [], sha256: [] };
const commitProduct: VexProduct = { id: `pkg:github/bank/scorer@${release.commit}`, identifiers: [], sha256: [] };

function report(targets: ScanReport['targets']): ScanReport {
  return { format: 'sarif', specVersion: '2.1.0', tools: [{ name: 't', version: null }], targets, vulnerabilities: [], ignoredResults: 0, failedRuns: [], finishedAt: null };
}

function vuln(id: string, extra: Partial<ScanVulnerability> = {}): ScanVulnerability {
  return { id, aliases: [], severity: 'high', severityFrom: 'test', affects: [], analysis: null, suppression: null, ...extra };
}

function stated(vulnerability: string, status: VexStatement['status'], timestamp: string | null, products: VexProduct[] = [image], aliases: string[] = []): LocatedStatement {
  return { file: 'vex/a.json', inline: false, statement: { vulnerability, aliases, products, status, justification: status === 'not_affected' ? 'component_not_present' : null, impactStatement: null, actionStatement: null, timestamp } };
}

test('coverage: the image for every kind, the commit only for source scans', () => {
  const byImage = report([{ kind: 'image', digest: release.imageDigest, name: null, from: 'subject' }]);
  const byCommit = report([{ kind: 'commit', commit: release.commit, repository: null, from: 'versionControlProvenance' }]);
  assert.equal(scanCoverage(byImage, 'container-image', release), 'image');
  assert.equal(scanCoverage(byImage, 'static-analysis', release), 'image');
  assert.equal(scanCoverage(byCommit, 'static-analysis', release), 'commit');
  assert.equal(scanCoverage(byCommit, 'iac', release), 'commit');
  assert.equal(scanCoverage(byCommit, 'container-image', release), null);
  assert.equal(scanCoverage(report([]), 'static-analysis', release), null);
  assert.equal(scanCoverage(report([{ kind: 'commit', commit: 'c'.repeat(40), repository: null, from: 'x' }]), 'static-analysis', release), null);
});

test('a VEX product is the release by digest in its id, identifiers or hashes; by commit only for scans of the commit', () => {
  assert.equal(productIsRelease(image, release, 'image'), true);
  assert.equal(productIsRelease({ id: 'x', identifiers: [`registry.example/scorer@sha256:${HEX}`], sha256: [] }, release, 'image'), true);
  assert.equal(productIsRelease({ id: 'x', identifiers: [], sha256: [HEX] }, release, 'image'), true);
  assert.equal(productIsRelease(otherImage, release, 'image'), false);
  assert.equal(productIsRelease(commitProduct, release, 'image'), false);
  assert.equal(productIsRelease(commitProduct, release, 'commit'), true);
  // a longer hex that merely starts with the commit is another revision
  assert.equal(productIsRelease({ id: `pkg:github/bank/scorer@${release.commit}ff`, identifiers: [], sha256: [] }, release, 'commit'), false);
});

test('not_affected and fixed settle; affected, under_investigation and silence do not', () => {
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [stated('CVE-1', 'not_affected', '2026-01-01T00:00:00Z')], release, 's').addressed, true);
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [stated('CVE-1', 'fixed', '2026-01-01T00:00:00Z')], release, 's').addressed, true);
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [stated('CVE-1', 'affected', '2026-01-01T00:00:00Z')], release, 's').addressed, false);
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [stated('CVE-1', 'under_investigation', null)], release, 's').addressed, false);
  assert.deepEqual(resolveVulnerability(vuln('CVE-1'), 'image', [], release, 's'), { addressed: false, latest: null });
});

test('statements about another product or vulnerability do not count; aliases do', () => {
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [stated('CVE-1', 'not_affected', null, [otherImage])], release, 's').addressed, false);
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [stated('CVE-2', 'not_affected', null)], release, 's').addressed, false);
  assert.equal(resolveVulnerability(vuln('CVE-1', { aliases: ['GHSA-x'] }), 'image', [stated('ghsa-x', 'not_affected', null)], release, 's').addressed, true);
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [stated('GHSA-x', 'not_affected', null, [image], ['CVE-1'])], release, 's').addressed, true);
  // a statement about the commit does not settle what a scan of the image found
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [stated('CVE-1', 'not_affected', null, [commitProduct])], release, 's').addressed, false);
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'commit', [stated('CVE-1', 'not_affected', null, [commitProduct])], release, 's').addressed, true);
});

test('the newest statement decides; untimed ones are the oldest; a tie that disagrees does not settle', () => {
  const older = stated('CVE-1', 'not_affected', '2026-01-01T00:00:00Z');
  const newer = stated('CVE-1', 'affected', '2026-02-01T00:00:00Z');
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [older, newer], release, 's').addressed, false);
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [stated('CVE-1', 'affected', '2026-01-01T00:00:00Z'), stated('CVE-1', 'fixed', '2026-03-01T00:00:00Z')], release, 's').addressed, true);
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [stated('CVE-1', 'affected', null), stated('CVE-1', 'fixed', '2026-03-01T00:00:00Z')], release, 's').addressed, true);
  const tie = resolveVulnerability(vuln('CVE-1'), 'image', [stated('CVE-1', 'fixed', '2026-03-01T00:00:00Z'), stated('CVE-1', 'under_investigation', '2026-03-01T00:00:00Z')], release, 's');
  assert.equal(tie.addressed, false);
  assert.equal(!tie.addressed && tie.latest?.statement.status, 'under_investigation');
});

test('a statement limited to subcomponents settles only occurrences in one of those packages', () => {
  const limited: VexProduct = { ...image, subcomponents: ['pkg:deb/debian/openssl@3.0.15-1?arch=amd64'] };
  const statements = [stated('CVE-1', 'not_affected', '2026-01-01T00:00:00Z', [limited])];
  const inOpenssl = vuln('CVE-1', { affects: ['pkg:deb/debian/openssl@3.0.15-1?arch=arm64'] });
  assert.equal(resolveVulnerability(inOpenssl, 'image', statements, release, 's').addressed, true, 'qualifiers do not matter');
  assert.equal(resolveVulnerability(vuln('CVE-1', { affects: ['openssl 3.0.15-1'] }), 'image', statements, release, 's').addressed, true, 'name and version as scanners write them');
  assert.equal(resolveVulnerability(vuln('CVE-1', { affects: ['pkg:deb/debian/libcurl4@7.88.1'] }), 'image', statements, release, 's').addressed, false);
  assert.equal(resolveVulnerability(vuln('CVE-1', { affects: ['pkg:deb/debian/openssl@3.0.16-1'] }), 'image', statements, release, 's').addressed, false, 'another version');
  assert.equal(resolveVulnerability(vuln('CVE-1', { affects: ['pkg:pypi/openssl@3.0.15-1'] }), 'image', statements, release, 's').addressed, false, 'another ecosystem');
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', statements, release, 's').addressed, false, 'where it was found is unknown');
});

test('a leap second keeps its place in time; an unreadable time never helps a statement settle', () => {
  assert.equal(instantOf('2026-12-31T23:59:60Z'), Date.parse('2026-12-31T23:59:59.999Z'));
  const older = stated('CVE-1', 'not_affected', '2026-12-31T23:00:00Z');
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [older, stated('CVE-1', 'affected', '2026-12-31T23:59:60Z')], release, 's').addressed, false);
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [older, stated('CVE-1', 'affected', 'soon')], release, 's').addressed, false);
  assert.equal(resolveVulnerability(vuln('CVE-1'), 'image', [stated('CVE-1', 'affected', '2026-01-01T00:00:00Z'), stated('CVE-1', 'fixed', 'soon')], release, 's').addressed, false);
});

test("the scan's own analysis counts as the oldest statement about the scanned target", () => {
  const analysed = vuln('CVE-1', { analysis: { status: 'not_affected', justification: 'code_not_reachable', detail: null } });
  const settled = resolveVulnerability(analysed, 'image', [], release, 'scans/x.cdx.json');
  assert.equal(settled.addressed && settled.by.inline, true);
  assert.equal(resolveVulnerability(analysed, 'image', [stated('CVE-1', 'affected', '2026-01-01T00:00:00Z')], release, 's').addressed, false);
});
