// The sample's ML-BOM (`sbom/model.cdx.json`, CycloneDX 1.6 JSON): the model as a machine-learning-model
// component with its artefact digests and model card, the datasets it was trained on, and the libraries
// from the lockfiles. Built with @cyclonedx/cyclonedx-library's models and serializer; the library has no
// model for `modelCard` or component `data`, so those two are added to the serialized JSON.

// Subpath imports: the package root also loads the optional JSON-schema validators, which the generator
// does not need (and whose ajv-formats-draft2019 triggers Node's punycode deprecation warning).
import * as Enums from '@cyclonedx/cyclonedx-library/Enums';
import * as Models from '@cyclonedx/cyclonedx-library/Models';
import * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';
import * as Spec from '@cyclonedx/cyclonedx-library/Spec';
import type { ManifestFileEntry } from '../schemas/manifest.js';
import type { Dataset, EvaluationRecord } from '../schemas/records.js';
import { VERSION } from '../version.js';
import type { Prng } from './prng.js';
import type { Scenario } from './scenario.js';

export const SBOM_PATH = 'sbom/model.cdx.json';
export const SBOM_MEDIA_TYPE = 'application/vnd.cyclonedx+json; version=1.6';

export interface SbomInputs {
  readonly scenario: Scenario;
  readonly model: ManifestFileEntry;
  readonly config: ManifestFileEntry;
  readonly trainingDatasets: readonly Dataset[];
  readonly evaluation: EvaluationRecord;
  readonly timestampMs: number;
}

type Json = Record<string, unknown>;

export function buildModelSbom(inputs: SbomInputs, prng: Prng): string {
  const { scenario } = inputs;
  const modelRef = `model:${scenario.model.name}@${scenario.model.version}`;
  const model = new Models.Component(Enums.ComponentType.MachineLearningModel, scenario.model.name, {
    bomRef: modelRef,
    version: scenario.model.version,
    description: `${scenario.model.architecture} scoring the probability of default of a credit application`,
    supplier: new Models.OrganizationalEntity({ name: scenario.organisation.name }),
    licenses: new Models.LicenseRepository([new Models.NamedLicense(scenario.model.license)]),
    hashes: new Models.HashDictionary([[Enums.HashAlgorithm['SHA-256'], inputs.model.sha256]]),
    externalReferences: new Models.ExternalReferenceRepository([
      new Models.ExternalReference(scenario.source.repo, Enums.ExternalReferenceType.VCS, { comment: `commit ${scenario.source.commit}` }),
    ]),
  });

  const configFile = new Models.Component(Enums.ComponentType.File, inputs.config.path, {
    bomRef: `file:${inputs.config.path}`,
    hashes: new Models.HashDictionary([[Enums.HashAlgorithm['SHA-256'], inputs.config.sha256]]),
  });

  const datasets = inputs.trainingDatasets.map(
    (dataset) =>
      new Models.Component(Enums.ComponentType.Data, dataset.id, {
        bomRef: `dataset:${dataset.id}`,
        version: dataset.versionId,
        description: dataset.name,
        hashes: new Models.HashDictionary([[Enums.HashAlgorithm['SHA-256'], dataset.sha256]]),
        externalReferences: new Models.ExternalReferenceRepository([new Models.ExternalReference(dataset.uri, Enums.ExternalReferenceType.Distribution)]),
      }),
  );

  const libraries = scenario.libraries.map(
    (lib) =>
      new Models.Component(Enums.ComponentType.Library, lib.name, {
        bomRef: lib.purl,
        version: lib.version,
        purl: lib.purl,
        licenses: new Models.LicenseRepository([new Models.SpdxLicense(lib.license)]),
        hashes: new Models.HashDictionary([[Enums.HashAlgorithm['SHA-256'], lib.sha256]]),
      }),
  );

  model.dependencies = new Models.BomRefRepository([configFile.bomRef, ...datasets.map((d) => d.bomRef), ...libraries.map((l) => l.bomRef)]);

  const bom = new Models.Bom({
    serialNumber: `urn:uuid:${prng.uuid()}`,
    version: 1,
    metadata: new Models.Metadata({
      timestamp: new Date(inputs.timestampMs),
      lifecycles: new Models.LifecycleRepository([Enums.LifecyclePhase.Build]),
      component: model,
      supplier: new Models.OrganizationalEntity({ name: scenario.organisation.name }),
      tools: new Models.Tools({
        components: new Models.ComponentRepository([
          new Models.Component(Enums.ComponentType.Application, 'assay-sample', { version: VERSION, group: 'assay' }),
        ]),
      }),
    }),
    components: new Models.ComponentRepository([configFile, ...datasets, ...libraries]),
  });

  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  const document = JSON.parse(serializer.serialize(bom, { sortLists: true })) as Json;
  addModelCard(document, modelRef, inputs);
  addDatasetData(document, inputs.trainingDatasets, scenario.organisation.name);
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** CycloneDX 1.6 `modelCard`, derived from the same evaluation record the bundle carries. */
function addModelCard(document: Json, modelRef: string, inputs: SbomInputs): void {
  const metadata = document['metadata'] as Json;
  const component = metadata['component'] as Json;
  if (component['bom-ref'] !== modelRef) throw new Error('serialized BOM lost the model component');
  const { scenario, evaluation } = inputs;
  component['modelCard'] = {
    modelParameters: {
      approach: { type: 'supervised' },
      task: 'classification',
      architectureFamily: 'gradient boosted decision trees',
      modelArchitecture: scenario.model.framework,
      datasets: inputs.trainingDatasets.map((dataset) => ({ ref: `dataset:${dataset.id}` })),
      inputs: [{ format: 'tabular: credit-application/v3' }],
      outputs: [{ format: `class label (${scenario.labels.join(', ')}) with probability of default` }],
    },
    quantitativeAnalysis: {
      performanceMetrics: [
        ...evaluation.metrics.map((metric) => ({ type: metric.name, value: String(metric.value) })),
        ...evaluation.slices.flatMap((slice) =>
          slice.metrics.map((metric) => ({ type: metric.name, value: String(metric.value), slice: `${slice.attribute}=${slice.value}` })),
        ),
      ],
    },
    considerations: {
      users: ['credit officers', 'loan origination services'],
      useCases: ['pre-screening of consumer credit applications, with human review of referred cases'],
      technicalLimitations: ['not validated for business or mortgage lending', 'degrades when bureau scores are missing'],
      ethicalConsiderations: [
        { name: 'indirect discrimination through proxies of protected attributes', mitigationStrategy: 'slice-level fairness audit before each release' },
      ],
    },
  };
}

/** CycloneDX 1.6 component `data` for each dataset: what it holds and who governs it. */
function addDatasetData(document: Json, datasets: readonly Dataset[], organisation: string): void {
  const byRef = new Map(datasets.map((dataset) => [`dataset:${dataset.id}`, dataset]));
  for (const component of document['components'] as Json[]) {
    const dataset = byRef.get(component['bom-ref'] as string);
    if (dataset === undefined) continue;
    component['data'] = [
      {
        type: 'dataset',
        name: dataset.name,
        contents: { url: dataset.uri },
        classification: dataset.personalData ? 'confidential: personal data' : 'internal',
        governance: { owners: [{ organization: { name: organisation } }] },
      },
    ];
  }
}
