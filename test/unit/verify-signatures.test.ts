// The sample release verifies with certificates, log entries and timestamps from its own Sigstore
// instance; each signature attack fails with the finding beside it, naming where; the trust store and
// policy refuse what they cannot resolve.

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { DEFAULT_SAMPLE_CREATED_AT, DEFAULT_SAMPLE_SEED, generateSample, type GeneratedSample } from '../../main/engine/sample/generate-sample.js';
import { sampleSigner, sampleSigstoreInstance, signManifestKeyless } from '../../main/engine/sample/release-signing.js';
import { buildScenario } from '../../main/engine/sample/scenario.js';
import { IN_TOTO_PAYLOAD_TYPE } from '../../main/engine/sample/oci/cosign.js';
import { policySchema } from '../../main/engine/schemas/policy.js';
import { validateValue, describeProblem } from '../../main/engine/schemas/validate.js';
import { PolicyFileError } from '../../main/engine/trust/load-policy.js';
import { TrustStoreError } from '../../main/engine/trust/trust-store.js';
import { verify } from '../../main/engine/verify.js';
import type { Finding, Report } from '../../shared/report.js';
import { TAMPERED_SIGNATURE_SAMPLES } from '../helpers/tampered-signatures.js';

let work: string;
let sample: GeneratedSample;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-signatures-'));
  sample = await generateSample(join(work, 'clean'), { logEntries: 40, artefactBytes: 4096 });
});
after(() => rmSync(work, { recursive: true, force: true }));

const findings = (report: Report, prefix: string): Finding[] => report.checks.filter((c) => c.check === prefix).flatMap((c) => c.findings);
const subjectText = (f: Finding): string => ('path' in f.subject ? f.subject.path : 'digest' in f.subject ? f.subject.digest : f.subject.ref);

describe('the clean sample', () => {
  test('verifies the manifest, the image and its attestations keylessly, with identity, issuer, validity, log entry and timestamp in evidence', async () => {
    const report = await verify(sample.bundleDir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
    assert.equal(report.verdict, 'PASS', JSON.stringify(report.checks.filter((c) => c.status !== 'passed'), null, 1));
    const signer = sampleSigner(buildScenario(DEFAULT_SAMPLE_SEED, Date.parse(DEFAULT_SAMPLE_CREATED_AT)));
    const [manifest] = findings(report, 'SIG');
    assert.equal(manifest?.id, 'SIG-MANIFEST-VERIFIED');
    assert.equal(manifest.evidence['signerIdentity'], signer.identity);
    assert.equal(manifest.evidence['issuer'], signer.issuer);
    assert.equal(manifest.evidence['trustedRoot'], 'sample');
    assert.equal(manifest.evidence['integratedTime'], new Date(DEFAULT_SAMPLE_CREATED_AT).toISOString());
    assert.equal(manifest.evidence['timestamp'], new Date(DEFAULT_SAMPLE_CREATED_AT).toISOString());
    assert.ok(typeof manifest.evidence['logIndex'] === 'string' && manifest.evidence['certNotBefore'] !== null && manifest.evidence['certNotAfter'] !== null);
    assert.deepEqual(findings(report, 'SIG-IMAGE').map((f) => f.id), ['SIG-IMAGE-VERIFIED', 'SIG-IMAGE-DEPLOYED-PROVEN']);
    assert.deepEqual(findings(report, 'ATT').filter((f) => f.evidence['image'] !== undefined).map((f) => [f.id, f.evidence['predicateType'], f.evidence['origin']]), [
      ['ATT-VERIFIED', 'https://cyclonedx.org/bom', 'image-layer'],
      ['ATT-VERIFIED', 'https://cyclonedx.org/bom', 'referrer'],
    ]);
  });

  test('an attestation under attestations/ about a file of the bundle verifies', async () => {
    const dir = join(work, 'with-attestation-file');
    cpSync(sample.bundleDir, dir, { recursive: true });
    const scenario = buildScenario(DEFAULT_SAMPLE_SEED, Date.parse(DEFAULT_SAMPLE_CREATED_AT));
    const instance = sampleSigstoreInstance(scenario);
    const model = readFileSync(join(dir, 'artefacts', 'model.onnx'));
    const statement = Buffer.from(
      JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'artefacts/model.onnx', digest: { sha256: createHash('sha256').update(model).digest('hex') } }], predicateType: 'https://cyclonedx.org/bom', predicate: {} }),
    );
    const createdAt = new Date(DEFAULT_SAMPLE_CREATED_AT);
    const bundle = Buffer.from(JSON.stringify(instance.signDsse(IN_TOTO_PAYLOAD_TYPE, statement, sampleSigner(scenario), { at: createdAt })));
    mkdirSync(join(dir, 'attestations'), { recursive: true });
    writeFileSync(join(dir, 'attestations', 'model.sbom.sigstore.json'), bundle);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string; size: number }[] };
    manifest.files.push({ path: 'attestations/model.sbom.sigstore.json', sha256: createHash('sha256').update(bundle).digest('hex'), size: bundle.length });
    manifest.files.sort((a, b) => (a.path < b.path ? -1 : 1));
    const bytes = Buffer.from(JSON.stringify(manifest, null, 2));
    writeFileSync(join(dir, 'manifest.json'), bytes);
    writeFileSync(join(dir, 'manifest.sigstore.json'), signManifestKeyless(sampleSigstoreInstance(scenario), bytes, sampleSigner(scenario), createdAt));
    const report = await verify(dir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
    assert.equal(report.verdict, 'PASS', JSON.stringify(report.checks.filter((c) => c.status !== 'passed'), null, 1));
    const file = findings(report, 'ATT').find((f) => subjectText(f) === 'attestations/model.sbom.sigstore.json');
    assert.equal(file?.id, 'ATT-VERIFIED');
  });

  test('without trust store and policy, images and attestations are not verified (INCOMPLETE), never passed', async () => {
    const report = await verify(sample.bundleDir);
    assert.equal(report.verdict, 'INCOMPLETE');
    assert.deepEqual(findings(report, 'SIG-IMAGE').map((f) => f.id), ['SIG-IMAGE-NO-TRUST']);
    assert.deepEqual(findings(report, 'ATT').map((f) => f.id), ['ATT-NO-TRUST']);
  });
});

describe('tampered samples', () => {
  for (const tampered of TAMPERED_SIGNATURE_SAMPLES) {
    test(`${tampered.name} fails with ${tampered.expect} at ${tampered.where}`, async () => {
      const dir = join(work, tampered.name);
      cpSync(sample.bundleDir, dir, { recursive: true });
      tampered.apply(dir);
      const report = await verify(dir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
      const failing = report.checks.flatMap((c) => c.findings).filter((f) => f.status === 'fail');
      assert.equal(report.verdict, 'FAIL');
      const match = failing.find((f) => f.id === tampered.expect);
      assert.ok(match !== undefined, `expected ${tampered.expect}, got ${failing.map((f) => `${f.id}: ${f.message}`).join(' | ')}`);
      assert.ok(subjectText(match).startsWith(tampered.where), `${tampered.expect} names ${subjectText(match)}, expected ${tampered.where}…`);
      assert.doesNotMatch(match.message, /\n/);
    });
  }
});

describe('trust store and policy', () => {
  const policyWith = (signer: unknown) => ({ apiVersion: 'assay/policy/v1', manifest: { signer } });

  test('a signer is a key or an identity with issuer and trusted root; anything else is refused with the reason', () => {
    assert.equal(validateValue(policyWith({ key: 'pipeline' }), policySchema).ok, true);
    assert.equal(validateValue(policyWith({ certificateIdentity: 'a@b.example', certificateOidcIssuer: 'https://issuer.example', trustedRoot: 'public-good' }), policySchema).ok, true);
    const bad = [
      [{ certificateIdentity: 'a@b.example', certificateOidcIssuer: 'https://issuer.example' }, /trustedRoot/],
      [{ certificateIdentity: 'a@b.example', trustedRoot: 'x' }, /certificateOidcIssuer/],
      [{ key: 'pipeline', certificateIdentity: 'a@b.example' }, /certificateIdentity/],
      [{ certificateIdentity: 'a b', certificateOidcIssuer: 'https://issuer.example', trustedRoot: 'x' }, /spaces/],
      [{ certificateIdentity: 'a@b.example', certificateOidcIssuer: 'issuer.example', trustedRoot: 'x' }, /URL/],
    ] as const;
    for (const [signer, reason] of bad) {
      const reading = validateValue(policyWith(signer), policySchema);
      assert.equal(reading.ok, false, JSON.stringify(signer));
      if (!reading.ok) assert.match(describeProblem(reading), reason);
    }
    const twice = validateValue({ ...policyWith({ key: 'k' }), images: { named: [{ name: 'a', signer: { key: 'k' } }, { name: 'a', signer: { key: 'k' } }] } }, policySchema);
    assert.equal(twice.ok, false);
  });

  test('a policy naming a trusted root or key the trust store lacks stops verification; public-good needs no file', async () => {
    const policyPath = join(work, 'policy-unknown-root.yaml');
    writeFileSync(policyPath, readFileSync(sample.policyPath, 'utf8').replace(/trustedRoot: sample/g, 'trustedRoot: elsewhere'));
    await assert.rejects(verify(sample.bundleDir, { trustDir: sample.trustDir, policyPath }), (error: Error) => error instanceof PolicyFileError && /trusted root "elsewhere"/.test(error.message));
    const publicGood = join(work, 'policy-public-good.yaml');
    writeFileSync(publicGood, readFileSync(sample.policyPath, 'utf8').replace(/trustedRoot: sample/g, 'trustedRoot: public-good'));
    const report = await verify(sample.bundleDir, { trustDir: sample.trustDir, policyPath: publicGood });
    assert.equal(report.verdict, 'FAIL', 'the sample instance is no public-good authority');
    assert.equal(findings(report, 'SIG')[0]?.id, 'SIG-MANIFEST-CERTIFICATE-UNTRUSTED');
  });

  test('trusted roots in the trust store are validated strictly, and public-good cannot be replaced by a file', async () => {
    const trust = join(work, 'trust-bad-root');
    cpSync(sample.trustDir, trust, { recursive: true });
    const root = JSON.parse(readFileSync(join(trust, 'sigstore', 'sample.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(trust, 'sigstore', 'sample.json'), JSON.stringify({ ...root, extra: true }));
    await assert.rejects(verify(sample.bundleDir, { trustDir: trust, policyPath: sample.policyPath }), (error: Error) => error instanceof TrustStoreError && /sample\.json/.test(error.message));
    const shadow = join(work, 'trust-public-good-file');
    cpSync(sample.trustDir, shadow, { recursive: true });
    cpSync(join(shadow, 'sigstore', 'sample.json'), join(shadow, 'sigstore', 'public-good.json'));
    await assert.rejects(verify(sample.bundleDir, { trustDir: shadow, policyPath: sample.policyPath }), (error: Error) => error instanceof TrustStoreError && /public-good/.test(error.message));
  });
});
