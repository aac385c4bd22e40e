// Tampered variants of the clean sample for the SCAN rules, each named for the attack it carries and
// listed with the finding id that must catch it. Edited files are re-listed in the manifest and the
// manifest re-signed; signed scan statements are re-signed with the genuine pipeline key unless the
// attack is the signature itself, so that only the rule under test breaks.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SAMPLE_SEED, PIPELINE_KEY_NAME } from '../../main/engine/sample/generate-sample.js';
import { deriveEd25519Key } from '../../main/engine/sample/keys.js';
import { SAMPLE_DEPENDENCY_VULNERABILITY, SAMPLE_IMAGE_VULNERABILITY, SAMPLE_SCAN_FILES } from '../../main/engine/sample/scans.js';
import { signStatementBundle } from '../../main/engine/sample/supply-chain.js';
import type { TamperedSample } from './tampered-samples.js';
import { rewrite } from './tampered-supply-chain.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test data edited in place

const OTHER_DIGEST = 'd'.repeat(64);
const OTHER_COMMIT = '0123456789abcdef0123456789abcdef01234567';

function readJson(dir: string, path: string): Json {
  return JSON.parse(readFileSync(join(dir, path), 'utf8')) as Json;
}

/** Edits a JSON file of the bundle and re-lists it in the re-signed manifest. */
function editJson(dir: string, path: string, edit: (value: Json) => void): void {
  const value = readJson(dir, path);
  edit(value);
  rewrite(dir, { [path]: `${JSON.stringify(value, null, 2)}\n` });
}

function containerStatement(dir: string): Json {
  const bundle = readJson(dir, SAMPLE_SCAN_FILES.containerImage) as { dsseEnvelope: { payload: string } };
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as Json;
}

/** Edits the signed container-scan statement and signs it again (with the genuine key unless another is given). */
function resignContainerScan(dir: string, edit: (statement: Json) => void, key = deriveEd25519Key(DEFAULT_SAMPLE_SEED, PIPELINE_KEY_NAME)): void {
  const statement = containerStatement(dir);
  edit(statement);
  rewrite(dir, { [SAMPLE_SCAN_FILES.containerImage]: signStatementBundle(Buffer.from(JSON.stringify(statement)), key) });
}

function editVexStatement(dir: string, vulnerability: string, edit: (statement: Json, document: Json) => void): void {
  editJson(dir, SAMPLE_SCAN_FILES.vex, (doc) => {
    const statement = (doc['statements'] as Json[]).find((s) => s['vulnerability']['name'] === vulnerability)!;
    edit(statement, doc);
  });
}

export const TAMPERED_SCAN_SAMPLES: readonly TamperedSample[] = [
  { name: 'scan-required-kind-missing', expect: 'SCAN-MISSING', apply: (dir) => rewrite(dir, { [SAMPLE_SCAN_FILES.iac]: null }) },
  {
    name: 'sarif-scan-of-other-commit',
    expect: 'SCAN-NOT-COVERING-RELEASE',
    apply: (dir) => editJson(dir, SAMPLE_SCAN_FILES.staticAnalysis, (log) => (log['runs'][0]['versionControlProvenance'][0]['revisionId'] = OTHER_COMMIT)),
  },
  {
    name: 'sarif-scan-without-target',
    expect: 'SCAN-NOT-COVERING-RELEASE',
    apply: (dir) => editJson(dir, SAMPLE_SCAN_FILES.iac, (log) => delete log['runs'][0]['versionControlProvenance']),
  },
  {
    name: 'cyclonedx-scan-of-other-image',
    expect: 'SCAN-NOT-COVERING-RELEASE',
    apply: (dir) =>
      editJson(dir, SAMPLE_SCAN_FILES.dependencyAnalysis, (bom) => {
        const component = bom['metadata']['component'] as Json;
        for (const field of ['bom-ref', 'purl', 'version']) component[field] = (component[field] as string).replace(/[0-9a-f]{64}/, OTHER_DIGEST);
      }),
  },
  { name: 'container-scan-of-other-image', expect: 'SCAN-NOT-COVERING-RELEASE', apply: (dir) => resignContainerScan(dir, (s) => (s['subject'][0]['digest']['sha256'] = OTHER_DIGEST)) },
  {
    name: 'container-scan-edited-unsigned',
    expect: 'SCAN-SIGNATURE-INVALID',
    apply: (dir) =>
      editJson(dir, SAMPLE_SCAN_FILES.containerImage, (bundle) => {
        const statement = containerStatement(dir);
        statement['predicate']['scanner']['result'] = [];
        bundle['dsseEnvelope']['payload'] = Buffer.from(JSON.stringify(statement)).toString('base64');
      }),
  },
  { name: 'container-scan-signed-by-other-key', expect: 'SCAN-SIGNATURE-INVALID', apply: (dir) => resignContainerScan(dir, () => undefined, deriveEd25519Key('attacker', PIPELINE_KEY_NAME)) },
  {
    name: 'container-scan-new-critical-without-vex',
    expect: 'SCAN-VULNERABILITY-UNRESOLVED',
    apply: (dir) => resignContainerScan(dir, (s) => (s['predicate']['scanner']['result'] as Json[]).push({ id: 'CVE-2026-49999', severity: [{ method: 'nvd', score: 'CRITICAL' }] })),
  },
  {
    // the VEX statement is limited to openssl: the same CVE found in another package is not settled by it
    name: 'container-scan-same-cve-in-another-package',
    expect: 'SCAN-VULNERABILITY-UNRESOLVED',
    apply: (dir) =>
      resignContainerScan(dir, (s) => {
        const results = s['predicate']['scanner']['result'] as Json[];
        const settled = results.find((r) => r['id'] === SAMPLE_IMAGE_VULNERABILITY)!;
        results.push({ ...settled, annotations: [{ package: 'libcurl4', installedVersion: '7.88.1-10+deb12u8', purl: 'pkg:deb/debian/libcurl4@7.88.1-10+deb12u8?arch=amd64&distro=debian-12' }] });
      }),
  },
  {
    name: 'vex-statement-removed',
    expect: 'SCAN-VULNERABILITY-UNRESOLVED',
    apply: (dir) => editJson(dir, SAMPLE_SCAN_FILES.vex, (doc) => (doc['statements'] = (doc['statements'] as Json[]).filter((s) => s['vulnerability']['name'] !== SAMPLE_DEPENDENCY_VULNERABILITY))),
  },
  {
    name: 'vex-says-affected',
    expect: 'SCAN-VULNERABILITY-UNRESOLVED',
    apply: (dir) =>
      editVexStatement(dir, SAMPLE_DEPENDENCY_VULNERABILITY, (s) => {
        s['status'] = 'affected';
        delete s['justification'];
        s['action_statement'] = 'Upgrade onnxruntime in the next release.';
      }),
  },
  {
    name: 'vex-newer-statement-under-investigation',
    expect: 'SCAN-VULNERABILITY-UNRESOLVED',
    apply: (dir) =>
      editJson(dir, SAMPLE_SCAN_FILES.vex, (doc) => {
        const statements = doc['statements'] as Json[];
        const settled = statements.find((s) => s['vulnerability']['name'] === SAMPLE_DEPENDENCY_VULNERABILITY)!;
        const later = new Date(Date.parse(settled['timestamp'] as string) + 3_600_000).toISOString();
        statements.push({ ...settled, timestamp: later, status: 'under_investigation', justification: undefined, impact_statement: undefined });
      }),
  },
  {
    name: 'vex-about-other-image',
    expect: 'SCAN-VULNERABILITY-UNRESOLVED',
    apply: (dir) =>
      editVexStatement(dir, SAMPLE_DEPENDENCY_VULNERABILITY, (s) => {
        const product = s['products'][0] as Json;
        product['@id'] = (product['@id'] as string).replace(/[0-9a-f]{64}/, OTHER_DIGEST);
        product['identifiers']['purl'] = product['@id'];
        product['hashes']['sha-256'] = OTHER_DIGEST;
      }),
  },
  {
    name: 'vex-not-affected-without-justification',
    expect: 'SCAN-VEX-MALFORMED',
    apply: (dir) =>
      editVexStatement(dir, SAMPLE_DEPENDENCY_VULNERABILITY, (s) => {
        delete s['justification'];
        delete s['impact_statement'];
      }),
  },
  { name: 'sarif-result-level-not-in-enum', expect: 'SCAN-MALFORMED', apply: (dir) => editJson(dir, SAMPLE_SCAN_FILES.staticAnalysis, (log) => (log['runs'][0]['results'][0]['level'] = 'critical')) },
  { name: 'sarif-run-did-not-complete', expect: 'SCAN-RUN-FAILED', apply: (dir) => editJson(dir, SAMPLE_SCAN_FILES.iac, (log) => (log['runs'][0]['invocations'][0]['executionSuccessful'] = false)) },
  { name: 'sarif-version-2.0.0', expect: 'SCAN-MALFORMED', apply: (dir) => editJson(dir, SAMPLE_SCAN_FILES.iac, (log) => (log['version'] = '2.0.0')) },
  {
    name: 'cyclonedx-rating-severity-not-in-enum',
    expect: 'SCAN-MALFORMED',
    apply: (dir) => editJson(dir, SAMPLE_SCAN_FILES.dependencyAnalysis, (bom) => (bom['vulnerabilities'][0]['ratings'][0]['severity'] = 'severe')),
  },
];
