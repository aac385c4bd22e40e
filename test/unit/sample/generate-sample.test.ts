import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { verify } from '../../../main/engine/verify.js';
import { meets } from '../../../main/engine/sample/assessment.js';
import { generateSample } from '../../../main/engine/sample/generate-sample.js';
import type { Compliance } from '../../../main/engine/schemas/compliance.js';
import { SELF_COVERED_PATHS, type Manifest } from '../../../main/engine/schemas/manifest.js';
import type {
  BuildRecord,
  DataLineageRecord,
  DeploymentRecord,
  EvaluationRecord,
  ModelCardRecord,
  RiskAssessmentRecord,
} from '../../../main/engine/schemas/records.js';
import { RECORD_SCHEMAS } from '../../../main/engine/schemas/registry.js';
import { readJsonDocument, readYamlDocument } from '../../../main/engine/schemas/validate.js';
import { loadPolicy } from '../../../main/engine/trust/load-policy.js';
import { loadTrustStore } from '../../../main/engine/trust/trust-store.js';
import { freshSample, listFiles, readJson, readManifest, SMALL_SAMPLE, type SampleDir } from './sample-fixture.js';

async function digestsOf(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of await listFiles(dir)) out.set(path, createHash('sha256').update(await readFile(join(dir, path))).digest('hex'));
  return out;
}

describe('determinism', () => {
  const samples: SampleDir[] = [];
  after(async () => {
    for (const sample of samples) await sample.cleanup();
  });

  test('two runs with the same seed and options are byte-identical', async () => {
    const a = await freshSample();
    const b = await freshSample();
    samples.push(a, b);
    const [left, right] = [await digestsOf(join(a.root, 'out')), await digestsOf(join(b.root, 'out'))];
    assert.ok(left.size > 20, `expected a full sample, got ${left.size} files`);
    assert.deepEqual([...right.entries()], [...left.entries()]);
    assert.equal(a.bundleId, b.bundleId);
  });

  test('another seed gives another release', async () => {
    const a = await freshSample();
    const b = await freshSample({ ...SMALL_SAMPLE, seed: 'another-seed' });
    samples.push(a, b);
    assert.notEqual(a.bundleId, b.bundleId);
    const [left, right] = [await digestsOf(a.bundleDir), await digestsOf(b.bundleDir)];
    for (const path of ['manifest.json', 'artefacts/model.onnx', 'records/build.json', 'sbom/model.cdx.json', 'logs/pipeline-audit.jsonl']) {
      assert.ok(left.has(path) && right.has(path), path);
      assert.notEqual(left.get(path), right.get(path), `${path} should differ between seeds`);
    }
  });

  test('the number of log entries changes only the inference logs and the manifest', async () => {
    const a = await freshSample();
    const b = await freshSample({ ...SMALL_SAMPLE, logEntries: 300 });
    samples.push(a, b);
    const [left, right] = [await digestsOf(join(a.root, 'out')), await digestsOf(join(b.root, 'out'))];
    for (const [path, digest] of left) {
      if (path.startsWith('bundle/logs/inference/') || path.startsWith('bundle/manifest')) continue;
      assert.equal(right.get(path), digest, `${path} should not depend on logEntries`);
    }
  });
});

describe('a generated sample', () => {
  let sample: SampleDir;
  let manifest: Manifest;
  before(async () => {
    sample = await freshSample();
    manifest = await readManifest(sample.bundleDir);
  });
  after(async () => sample.cleanup());

  test('has the documented layout: bundle, trust store and policy', async () => {
    assert.deepEqual((await listFiles(sample.trustDir)).filter((p) => !p.startsWith('developers/')), ['keys/pipeline.pem', 'sigstore/sample.json']);
    const files = await listFiles(sample.bundleDir);
    for (const path of [
      'manifest.json',
      'manifest.sigstore.json',
      'compliance.yaml',
      'artefacts/model.onnx',
      'artefacts/config.json',
      'records/build.json',
      'records/data-lineage.json',
      'records/evaluation.json',
      'records/risk-assessment.json',
      'records/model-card.json',
      'records/deployment.json',
      'sbom/model.cdx.json',
      'logs/pipeline-audit.jsonl',
      'images/risk-scorer/oci-layout',
      'images/risk-scorer/index.json',
    ]) {
      assert.ok(files.includes(path), `missing ${path}`);
    }
    assert.ok(files.some((f) => /^logs\/inference\/\d{4}-\d{2}-\d{2}\.jsonl$/.test(f)));
    assert.equal((await stat(join(sample.bundleDir, 'artefacts/model.onnx'))).size > SMALL_SAMPLE.artefactBytes!, true);
  });

  test('compliance.yaml and every record validate against their schemas', async () => {
    assert.equal(RECORD_SCHEMAS.size, 7);
    for (const [path, schema] of RECORD_SCHEMAS) {
      const bytes = await readFile(join(sample.bundleDir, path));
      const reading = path.endsWith('.yaml') ? readYamlDocument(bytes, schema) : readJsonDocument(bytes, schema);
      assert.ok(reading.ok, `${path}: ${reading.ok ? '' : reading.issues.join('; ')}`);
    }
  });

  test('the manifest lists every file with its sha256 and size, and nothing else', async () => {
    const onDisk = (await listFiles(sample.bundleDir)).filter((p) => !SELF_COVERED_PATHS.includes(p));
    assert.deepEqual(manifest.files.map((f) => f.path), onDisk);
    for (const file of manifest.files) {
      const bytes = await readFile(join(sample.bundleDir, file.path));
      assert.equal(file.size, bytes.length, `${file.path} size`);
      assert.equal(file.sha256, createHash('sha256').update(bytes).digest('hex'), `${file.path} sha256`);
      assert.ok(file.mediaType !== undefined && file.mediaType.length > 0, `${file.path} media type`);
    }
    assert.deepEqual(manifest.model.artefacts, ['artefacts/model.onnx', 'artefacts/config.json']);
    assert.equal(manifest.bundleId, sample.bundleId);
    assert.equal(manifest.createdAt, '2026-10-01T09:00:00Z');
    assert.deepEqual(manifest.logs.map((l) => l.path), manifest.files.filter((f) => f.path.endsWith('.jsonl')).map((f) => f.path));
  });

  test('the records agree with each other and with the manifest', async () => {
    const dir = sample.bundleDir;
    const file = (path: string) => manifest.files.find((f) => f.path === path)!;
    const modelSha = file(manifest.model.artefacts[0]!).sha256;
    const build = await readJson<BuildRecord>(dir, 'records/build.json');
    const lineage = await readJson<DataLineageRecord>(dir, 'records/data-lineage.json');
    const evaluation = await readJson<EvaluationRecord>(dir, 'records/evaluation.json');
    const risk = await readJson<RiskAssessmentRecord>(dir, 'records/risk-assessment.json');
    const card = await readJson<ModelCardRecord>(dir, 'records/model-card.json');
    const deployment = await readJson<DeploymentRecord>(dir, 'records/deployment.json');
    const compliance = parseYaml(await readFile(join(dir, 'compliance.yaml'), 'utf8')) as Compliance;

    const listedArtefacts = manifest.model.artefacts.map((path) => ({ path, sha256: file(path).sha256, size: file(path).size }));
    assert.deepEqual(build.outputs.artefacts, listedArtefacts);
    assert.deepEqual(card.artefacts, listedArtefacts);
    assert.deepEqual(lineage.training.outputs, listedArtefacts);
    for (const ref of [evaluation.model, risk.model, deployment.model]) {
      assert.deepEqual(ref, { name: manifest.model.name, version: manifest.model.version, sha256: modelSha });
    }
    assert.deepEqual([card.model.name, card.model.version], [manifest.model.name, manifest.model.version]);
    assert.deepEqual([compliance.system_name, compliance.system_version], [manifest.system.name, manifest.system.version]);

    assert.match(deployment.image.digest, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(deployment.image, build.outputs.image);
    for (const step of lineage.transformations) assert.equal(step.code.commit, build.source.commit);

    const byId = new Map(lineage.datasets.map((d) => [d.id, d]));
    const sources = lineage.datasets.filter((d) => d.kind === 'source');
    assert.deepEqual(
      compliance.data_sources,
      sources.map((d) => ({ uri: d.uri, version_id: d.versionId, sha256: d.sha256 })),
    );
    assert.deepEqual(card.trainingData, lineage.training.inputs.map((id) => ({ datasetId: id, versionId: byId.get(id)!.versionId, sha256: byId.get(id)!.sha256 })));
    const test = byId.get(evaluation.dataset.id)!;
    assert.equal(test.split, 'test');
    assert.deepEqual(evaluation.dataset, { id: test.id, versionId: test.versionId, sha256: test.sha256 });
    assert.deepEqual(card.evaluation.summary, evaluation.metrics.map((m) => ({ metric: m.name, value: m.value })));

    for (const metric of [...evaluation.metrics, ...evaluation.robustness]) assert.equal(metric.passed, meets(metric.value, metric.threshold), metric.name);
    assert.equal(evaluation.outcome, 'pass');
    const evidence = risk.hazards.flatMap((h) => h.mitigations.flatMap((m) => m.evidence));
    for (const path of evidence) assert.ok(manifest.files.some((f) => f.path === path), `risk evidence ${path} is in the bundle`);
    assert.ok(compliance.human_oversight.approvers.length >= compliance.human_oversight.quorum);

    // The release timeline reads in order: build, training, evaluation, risk decision, deployment, bundle.
    const order = [
      build.ci.startedAt,
      lineage.training.startedAt,
      lineage.training.finishedAt,
      evaluation.evaluatedAt,
      risk.assessedAt,
      risk.decision.decidedAt,
      deployment.deployedAt,
      manifest.createdAt,
    ].map((t) => Date.parse(t));
    assert.deepEqual([...order].sort((x, y) => x - y), order);
    assert.equal(build.ci.finishedAt, deployment.deployedAt);
  });

  test('the trust store and policy load as the verifier loads them, and hold no private key', async () => {
    const policy = await loadPolicy(sample.policyPath);
    const trust = await loadTrustStore(sample.trustDir);
    const signer = policy.manifest.signer;
    assert.ok('certificateIdentity' in signer, 'the manifest is signed keylessly');
    assert.ok(trust.trustedRoots.has(signer.trustedRoot), 'the policy names the sample trusted root of the trust store');
    assert.equal(trust.trustedRoots.get(signer.trustedRoot)!.ctlogs.length, 0, 'a private instance without a CT log');
    const key = trust.keys.get(policy.logs!.checkpointSigner.key);
    assert.ok(key !== undefined);
    assert.equal(key.algorithm, 'Ed25519');
    const signature = await readJson<{ verificationMaterial: { certificate: { rawBytes: string }; tlogEntries: unknown[] } }>(sample.bundleDir, 'manifest.sigstore.json');
    assert.ok(signature.verificationMaterial.certificate.rawBytes.length > 0);
    assert.equal(signature.verificationMaterial.tlogEntries.length, 1);
    for (const path of await listFiles(sample.root)) {
      assert.doesNotMatch(await readFile(join(sample.root, path), 'latin1'), /PRIVATE KEY/, path);
    }
  });

  test("the verifier's integrity check passes on the sample", async () => {
    const report = await verify(sample.bundleDir);
    const integrity = report.checks.find((c) => c.check === 'INT');
    assert.ok(integrity !== undefined);
    assert.equal(integrity.status, 'passed');
    assert.deepEqual(integrity.findings.map((f) => f.id), ['INT-FILES-VERIFIED']);
  });
});

describe('options', () => {
  test('refuses to write into an existing sample', async () => {
    const sample = await freshSample({ logEntries: 5, artefactBytes: 16 });
    try {
      await assert.rejects(generateSample(join(sample.root, 'out'), { logEntries: 5 }), /already exists/);
    } finally {
      await sample.cleanup();
    }
  });

  test('rejects invalid options before writing anything', async () => {
    await assert.rejects(generateSample('/nonexistent/never-created', { artefactBytes: 0 }));
    await assert.rejects(generateSample('/nonexistent/never-created', { logEntries: -1 }));
    await assert.rejects(generateSample('/nonexistent/never-created', { createdAt: 'yesterday' }));
  });
});
