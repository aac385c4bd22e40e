import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import type { DataLineageRecord } from '../../../main/engine/schemas/records.js';
import type { Manifest } from '../../../main/engine/schemas/manifest.js';
import { freshSample, readJson, readManifest, type SampleDir } from './sample-fixture.js';

interface CdxComponent {
  'bom-ref': string;
  type: string;
  name: string;
  version?: string;
  purl?: string;
  hashes?: { alg: string; content: string }[];
  modelCard?: { modelParameters: { datasets: { ref: string }[] } };
}

describe('sbom/model.cdx.json', () => {
  let sample: SampleDir;
  let manifest: Manifest;
  let text: string;
  let bom: { specVersion: string; metadata: { component: CdxComponent }; components: CdxComponent[]; dependencies: { ref: string; dependsOn?: string[] }[] };

  before(async () => {
    sample = await freshSample({ logEntries: 10, artefactBytes: 4096 });
    manifest = await readManifest(sample.bundleDir);
    text = await readFile(join(sample.bundleDir, 'sbom/model.cdx.json'), 'utf8');
    bom = JSON.parse(text) as typeof bom;
  });
  after(async () => sample.cleanup());

  test('passes the CycloneDX 1.6 strict JSON schema validation', async () => {
    const error = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text);
    assert.equal(error, null, JSON.stringify(error, null, 2));
    assert.equal(bom.specVersion, '1.6');
  });

  test('describes the model artefact of the manifest as a machine-learning-model with a model card', () => {
    const model = bom.metadata.component;
    const artefact = manifest.files.find((f) => f.path === manifest.model.artefacts[0])!;
    assert.equal(model.type, 'machine-learning-model');
    assert.deepEqual([model.name, model.version], [manifest.model.name, manifest.model.version]);
    assert.deepEqual(model.hashes, [{ alg: 'SHA-256', content: artefact.sha256 }]);
    assert.ok(model.modelCard !== undefined);
  });

  test('lists the training datasets of the lineage as data components, and libraries with purls', async () => {
    const lineage = await readJson<DataLineageRecord>(sample.bundleDir, 'records/data-lineage.json');
    const datasets = bom.components.filter((c) => c.type === 'data');
    assert.deepEqual(
      datasets.map((d) => [d.name, d.version, d.hashes?.[0]?.content]),
      lineage.training.inputs.map((id) => lineage.datasets.find((d) => d.id === id)!).map((d) => [d.id, d.versionId, d.sha256]),
    );
    assert.deepEqual(bom.metadata.component.modelCard!.modelParameters.datasets.map((d) => d.ref).sort(), datasets.map((d) => d['bom-ref']).sort());
    const libraries = bom.components.filter((c) => c.type === 'library');
    assert.ok(libraries.length >= 3);
    for (const lib of libraries) assert.match(lib.purl ?? '', /^pkg:pypi\/[a-z0-9-]+@[0-9.]+$/);
    const modelDeps = bom.dependencies.find((d) => d.ref === bom.metadata.component['bom-ref']);
    assert.deepEqual([...(modelDeps?.dependsOn ?? [])].sort(), bom.components.map((c) => c['bom-ref']).sort());
  });
});
