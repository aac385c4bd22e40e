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
import { SAMPLE_IMAGE_NAME, sampleSigner, sampleSigstoreInstance, signManifestKeyless } from '../../main/engine/sample/release-signing.js';
import { buildScenario } from '../../main/engine/sample/scenario.js';
import { IN_TOTO_PAYLOAD_TYPE, KIND_ANNOTATION, KIND_IMAGE } from '../../main/engine/sample/oci/cosign.js';
import { policySchema } from '../../main/engine/schemas/policy.js';
import { validateValue, describeProblem } from '../../main/engine/schemas/validate.js';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { PolicyFileError } from '../../main/engine/trust/load-policy.js';
import { TrustStoreError } from '../../main/engine/trust/trust-store.js';
import { verify } from '../../main/engine/verify.js';
import type { Finding, Report } from '../../shared/report.js';
import { TAMPERED_SIGNATURE_SAMPLES, addSbomAttestation, addSbomReferrer, addSignature, rebuildAsMultiPlatformImage, type ImageParts } from '../helpers/tampered-signatures.js';

let work: string;
let sample: GeneratedSample;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'assay-signatures-'));
  sample = await generateSample(join(work, 'clean'), { logEntries: 40, artefactBytes: 4096 });
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Writes a Sigstore bundle of `statement` signed by the sample pipeline under `path`, lists it and re-signs the manifest. */
function addSignedAttestation(dir: string, path: string, statement: unknown): void {
  const scenario = buildScenario(DEFAULT_SAMPLE_SEED, Date.parse(DEFAULT_SAMPLE_CREATED_AT));
  const instance = sampleSigstoreInstance(scenario);
  const createdAt = new Date(DEFAULT_SAMPLE_CREATED_AT);
  const bundle = Buffer.from(JSON.stringify(instance.signDsse(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), sampleSigner(scenario), { at: createdAt })));
  mkdirSync(join(dir, 'attestations'), { recursive: true });
  writeFileSync(join(dir, path), bundle);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string; size: number }[] };
  manifest.files.push({ path, sha256: createHash('sha256').update(bundle).digest('hex'), size: bundle.length });
  manifest.files.sort((a, b) => (a.path < b.path ? -1 : 1));
  const bytes = Buffer.from(JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'manifest.json'), bytes);
  writeFileSync(join(dir, 'manifest.sigstore.json'), signManifestKeyless(instance, bytes, sampleSigner(scenario), createdAt));
}

/** The manifest digest of the sample's image, as its OCI layout lists it. */
function sampleImageDigest(dir: string): string {
  const index = JSON.parse(readFileSync(join(dir, 'images', SAMPLE_IMAGE_NAME, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations?: Record<string, string> }[] };
  return index.manifests.find((m) => m.annotations?.[KIND_ANNOTATION] === KIND_IMAGE)!.digest;
}

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
      ['ATT-SBOM-VALID', 'https://cyclonedx.org/bom', 'image-layer'],
      ['ATT-VERIFIED', 'https://cyclonedx.org/bom', 'referrer'],
      ['ATT-SBOM-VALID', 'https://cyclonedx.org/bom', 'referrer'],
    ]);
    const sbomValid = findings(report, 'ATT').find((f) => f.id === 'ATT-SBOM-VALID');
    assert.equal(sbomValid?.evidence['format'], 'cyclonedx-json');
    assert.match(String(sbomValid.evidence['modelArtefacts']), /artefacts\/model\.onnx@sha256:[0-9a-f]{64} as model:/);
  });

  test('an attestation under attestations/ about a file of the bundle verifies', async () => {
    const dir = join(work, 'with-attestation-file');
    cpSync(sample.bundleDir, dir, { recursive: true });
    const model = readFileSync(join(dir, 'artefacts', 'model.onnx'));
    const subject = [{ name: 'artefacts/model.onnx', digest: { sha256: createHash('sha256').update(model).digest('hex') } }];
    addSignedAttestation(dir, 'attestations/model.tests.sigstore.json', { _type: 'https://in-toto.io/Statement/v1', subject, predicateType: 'https://in-toto.io/attestation/test-result/v0.1', predicate: { result: 'PASSED' } });
    const report = await verify(dir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
    assert.equal(report.verdict, 'PASS', JSON.stringify(report.checks.filter((c) => c.status !== 'passed'), null, 1));
    assert.deepEqual(findings(report, 'ATT').filter((f) => subjectText(f) === 'attestations/model.tests.sigstore.json').map((f) => f.id), ['ATT-VERIFIED']);
  });

  test('an SBOM attestation under attestations/ about the image, in a versioned predicate type, passes the SBOM rules', async () => {
    const dir = join(work, 'with-sbom-attestation-file');
    cpSync(sample.bundleDir, dir, { recursive: true });
    const imageDigest = sampleImageDigest(dir);
    const predicate = JSON.parse(readFileSync(join(dir, 'sbom', 'model.cdx.json'), 'utf8')) as unknown;
    const subject = [{ name: 'registry.example/risk-scorer', digest: { sha256: imageDigest.slice('sha256:'.length) } }];
    addSignedAttestation(dir, 'attestations/image.sbom.sigstore.json', { _type: 'https://in-toto.io/Statement/v1', subject, predicateType: 'https://cyclonedx.org/bom/v1.6', predicate });
    const report = await verify(dir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
    assert.equal(report.verdict, 'PASS', JSON.stringify(report.checks.filter((c) => c.status !== 'passed'), null, 1));
    assert.deepEqual(findings(report, 'ATT').filter((f) => subjectText(f) === 'attestations/image.sbom.sigstore.json').map((f) => f.id), ['ATT-VERIFIED', 'ATT-SBOM-VALID']);
  });

  test('an SPDX 2.3 SBOM attestation about the image that lists the model artefacts passes the SBOM rules', async () => {
    const dir = join(work, 'with-spdx-sbom-attestation');
    cpSync(sample.bundleDir, dir, { recursive: true });
    const imageDigest = sampleImageDigest(dir);
    const sha256 = (path: string) => createHash('sha256').update(readFileSync(join(dir, path))).digest('hex');
    const predicate = {
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'risk-scorer',
      documentNamespace: 'https://example.com/spdx/risk-scorer-2',
      creationInfo: { created: '2026-09-09T09:41:38Z', creators: ['Tool: example'] },
      documentDescribes: ['SPDXRef-model'],
      packages: [
        { SPDXID: 'SPDXRef-model', name: 'credit-risk-classifier', downloadLocation: 'NOASSERTION', primaryPackagePurpose: 'APPLICATION', checksums: [{ algorithm: 'SHA256', checksumValue: sha256('artefacts/model.onnx') }] },
        { SPDXID: 'SPDXRef-config', name: 'artefacts/config.json', downloadLocation: 'NOASSERTION', checksums: [{ algorithm: 'SHA256', checksumValue: sha256('artefacts/config.json') }] },
      ],
      relationships: [{ spdxElementId: 'SPDXRef-model', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-config' }],
    };
    const subject = [{ name: 'registry.example/risk-scorer', digest: { sha256: imageDigest.slice('sha256:'.length) } }];
    addSignedAttestation(dir, 'attestations/image.spdx.sigstore.json', { _type: 'https://in-toto.io/Statement/v1', subject, predicateType: 'https://spdx.dev/Document/v2.3', predicate });
    const report = await verify(dir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
    assert.equal(report.verdict, 'PASS', JSON.stringify(report.checks.filter((c) => c.status !== 'passed'), null, 1));
    assert.deepEqual(findings(report, 'ATT').filter((f) => subjectText(f) === 'attestations/image.spdx.sigstore.json').map((f) => f.id), ['ATT-VERIFIED', 'ATT-SBOM-VALID']);
  });

  test('an SBOM attestation whose predicate is SPDX under a CycloneDX predicate type is invalid', async () => {
    const dir = join(work, 'with-sbom-attestation-wrong-format');
    cpSync(sample.bundleDir, dir, { recursive: true });
    const imageDigest = sampleImageDigest(dir);
    const predicate = {
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'risk-scorer',
      documentNamespace: 'https://example.com/spdx/risk-scorer-1',
      creationInfo: { created: '2026-09-09T09:41:38Z', creators: ['Tool: example'] },
      packages: [{ SPDXID: 'SPDXRef-model', name: 'credit-risk-classifier', downloadLocation: 'NOASSERTION' }],
    };
    const subject = [{ name: 'registry.example/risk-scorer', digest: { sha256: imageDigest.slice('sha256:'.length) } }];
    addSignedAttestation(dir, 'attestations/image.sbom.sigstore.json', { _type: 'https://in-toto.io/Statement/v1', subject, predicateType: 'https://cyclonedx.org/bom', predicate });
    const report = await verify(dir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
    const failing = report.checks.flatMap((c) => c.findings).filter((f) => f.status === 'fail');
    assert.deepEqual(failing.map((f) => [f.id, f.evidence['problem']]), [['ATT-SBOM-INVALID', 'format-mismatch']], failing.map((f) => f.message).join(' | '));
  });

  test('with an invalid manifest, a verified SBOM attestation says its model artefacts were not checked, and is not ATT-SBOM-VALID', async () => {
    const dir = join(work, 'with-invalid-manifest');
    cpSync(sample.bundleDir, dir, { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), '{"not": "a manifest"}\n');
    const report = await verify(dir, { trustDir: sample.trustDir, policyPath: sample.policyPath });
    const att = findings(report, 'ATT').filter((f) => f.evidence['image'] !== undefined);
    assert.deepEqual(att.map((f) => f.id), ['ATT-VERIFIED', 'ATT-VERIFIED']);
    for (const f of att) {
      assert.match(f.message, /not matched to the model artefacts: the manifest is missing or invalid/);
      assert.match(String(f.evidence['sbomModelArtefacts']), /^not checked/);
    }
  });

  test('without trust store and policy, images and attestations are not verified (INCOMPLETE), never passed', async () => {
    const report = await verify(sample.bundleDir);
    assert.equal(report.verdict, 'INCOMPLETE');
    assert.deepEqual(findings(report, 'SIG-IMAGE').map((f) => f.id), ['SIG-IMAGE-NO-TRUST']);
    assert.deepEqual(findings(report, 'ATT').map((f) => f.id), ['ATT-NO-TRUST']);
  });
});

describe('a multi-platform image (an image index listing the sample image for linux/amd64; records/deployment.json names that platform manifest)', () => {
  type Parts = ImageParts & { platform: { digest: string } };
  /** The index signed and SBOM-attested (as the policy requires of every image), plus whatever `extra` adds; verified. */
  async function verifyMultiPlatform(name: string, extra: (parts: Parts) => void, options: { signIndex?: boolean } = {}): Promise<{ report: Report; index: string; platform: string }> {
    const dir = join(work, name);
    cpSync(sample.bundleDir, dir, { recursive: true });
    let index = '';
    let platform = '';
    rebuildAsMultiPlatformImage(dir, (parts) => {
      index = parts.image.digest;
      platform = parts.platform.digest;
      if (options.signIndex !== false) addSignature(parts);
      addSbomAttestation(parts);
      extra(parts);
    });
    return { report: await verify(dir, { trustDir: sample.trustDir, policyPath: sample.policyPath }), index, platform };
  }
  const failures = (report: Report) => report.checks.flatMap((c) => c.findings).filter((f) => f.status === 'fail').map((f) => `${f.id}: ${f.message}`);

  test('signed and attested recursively (cosign sign/attest --recursive): the platform signature verifies beside the index\'s and proves the deployed platform digest itself', async () => {
    const { report, index, platform } = await verifyMultiPlatform('multi-platform-recursive', (parts) => {
      addSignature({ ...parts, image: parts.platform });
      addSbomAttestation({ ...parts, image: parts.platform });
      addSbomReferrer({ ...parts, image: parts.platform });
    });
    assert.equal(report.verdict, 'PASS', failures(report).join(' | '));
    const sig = findings(report, 'SIG-IMAGE');
    assert.deepEqual(sig.map((f) => [f.id, f.evidence['imageDigest'] ?? f.evidence['deployedDigest'], f.evidence['platformOf'] ?? null]), [
      ['SIG-IMAGE-VERIFIED', index, null],
      ['SIG-IMAGE-VERIFIED', platform, index],
      ['SIG-IMAGE-DEPLOYED-PROVEN', platform, index],
    ]);
    assert.equal(sig[1]!.evidence['platform'], 'linux/amd64');
    assert.match(sig[1]!.message, /linux\/amd64 platform manifest of image risk-scorer/);
    assert.equal(sig[2]!.evidence['provenBy'], 'platform-signature');
    const att = findings(report, 'ATT').filter((f) => f.evidence['image'] !== undefined);
    assert.deepEqual(att.map((f) => [f.id, f.evidence['imageDigest'], f.evidence['origin']]), [
      ['ATT-VERIFIED', index, 'image-layer'],
      ['ATT-SBOM-VALID', index, 'image-layer'],
      ['ATT-VERIFIED', platform, 'image-layer'],
      ['ATT-SBOM-VALID', platform, 'image-layer'],
      ['ATT-VERIFIED', platform, 'referrer'],
      ['ATT-SBOM-VALID', platform, 'referrer'],
    ]);
  });

  test('only the index signed: the deployed platform digest is proven by the index signature (the signed index lists it)', async () => {
    const { report, index, platform } = await verifyMultiPlatform('multi-platform-index-only', () => {});
    assert.equal(report.verdict, 'PASS', failures(report).join(' | '));
    const deployed = findings(report, 'SIG-IMAGE').find((f) => f.id === 'SIG-IMAGE-DEPLOYED-PROVEN');
    assert.equal(deployed?.evidence['deployedDigest'], platform);
    assert.equal(deployed.evidence['provenBy'], 'index-signature');
    assert.equal(deployed.evidence['platformOf'], index);
  });

  test('a platform signature by another identity fails (SIG-IMAGE-SIGNER-UNTRUSTED) though the index signature verifies', async () => {
    const { report, platform } = await verifyMultiPlatform('multi-platform-platform-other-signer', (parts) => {
      addSignature({ ...parts, image: parts.platform, signer: { ...parts.signer, identity: 'https://github.com/attacker/fork/.github/workflows/release.yml@refs/heads/main' } });
    });
    assert.equal(report.verdict, 'FAIL');
    const failing = findings(report, 'SIG-IMAGE').filter((f) => f.status === 'fail');
    assert.deepEqual(failing.map((f) => [f.id, f.evidence['imageDigest']]), [['SIG-IMAGE-SIGNER-UNTRUSTED', platform]]);
    // The deployed digest is still covered, by the index's signature.
    assert.equal(findings(report, 'SIG-IMAGE').find((f) => f.id === 'SIG-IMAGE-DEPLOYED-PROVEN')?.evidence['provenBy'], 'index-signature');
  });

  test('only the platform signed: the image (the index digest) is unsigned, a FAIL, though the deployed platform digest is proven by its own signature', async () => {
    const { report, index } = await verifyMultiPlatform('multi-platform-platform-only', (parts) => addSignature({ ...parts, image: parts.platform }), { signIndex: false });
    assert.equal(report.verdict, 'FAIL');
    const sig = findings(report, 'SIG-IMAGE');
    assert.deepEqual(sig.filter((f) => f.status === 'fail').map((f) => [f.id, subjectText(f)]), [['SIG-IMAGE-UNSIGNED', index]]);
    assert.equal(sig.find((f) => f.id === 'SIG-IMAGE-DEPLOYED-PROVEN')?.evidence['provenBy'], 'platform-signature');
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
      if (tampered.only === true) assert.deepEqual([...new Set(failing.map((f) => f.id))], [tampered.expect], failing.map((f) => `${f.id}: ${f.message}`).join(' | '));
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
    // the supply-chain signers are resolved the same way, before any check runs
    for (const section of ['provenance', 'scans']) {
      const policy = parseYaml(readFileSync(sample.policyPath, 'utf8')) as Record<string, { signer?: unknown }>;
      policy[section]!.signer = { key: 'absent' };
      const sectionPath = join(work, `policy-${section}-absent-key.yaml`);
      writeFileSync(sectionPath, stringifyYaml(policy));
      await assert.rejects(verify(sample.bundleDir, { trustDir: sample.trustDir, policyPath: sectionPath }), (error: Error) => error instanceof PolicyFileError && new RegExp(`${section}\\.signer names key "absent"`).test(error.message));
    }
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
