// Renders the release records that describe provenance (build, data lineage, model card, deployment) from
// the scenario and the artefacts as written, so every digest in them is the one in the manifest.

import type { ManifestFileEntry } from '../schemas/manifest.js';
import {
  RECORD_PATHS,
  RECORD_TYPES,
  type ArtefactRef,
  type BuildRecord,
  type DataLineageRecord,
  type Dataset,
  type DeploymentRecord,
  type EvaluationRecord,
  type ModelCardRecord,
  type ModelRef,
} from '../schemas/records.js';
import type { ModelArtefacts } from './artefacts.js';
import type { Prng } from './prng.js';
import { isoSeconds, type Scenario } from './scenario.js';

export function artefactRefOf(entry: ManifestFileEntry): ArtefactRef {
  return { path: entry.path, sha256: entry.sha256, size: entry.size };
}

export function modelRefOf(scenario: Scenario, artefacts: ModelArtefacts): ModelRef {
  return { name: scenario.model.name, version: scenario.model.version, sha256: artefacts.model.sha256 };
}

export function gate(scenario: Scenario, name: string): { startMs: number; endMs: number } {
  const found = scenario.gates.find((g) => g.name === name);
  if (found === undefined) throw new Error(`the sample pipeline has no gate ${name}`);
  return found;
}

export function buildRecord(scenario: Scenario, artefacts: ModelArtefacts): BuildRecord {
  const first = scenario.gates[0]!;
  const last = scenario.gates[scenario.gates.length - 1]!;
  return {
    recordType: RECORD_TYPES.build,
    source: { ...scenario.source },
    ci: {
      system: scenario.ci.system,
      runId: scenario.ci.runId,
      runUrl: scenario.ci.runUrl,
      triggeredBy: scenario.people.mlEngineer.id,
      startedAt: isoSeconds(first.startMs),
      finishedAt: isoSeconds(last.endMs),
    },
    pipelineConfig: { path: scenario.pipelineConfig.path, version: scenario.pipelineConfig.version, sha256: scenario.pipelineConfig.sha256 },
    builder: { ...scenario.builderImage },
    lockfiles: scenario.lockfiles.map((lock) => ({ path: lock.path, sha256: lock.sha256 })),
    outputs: { artefacts: [artefactRefOf(artefacts.model), artefactRefOf(artefacts.config)], image: { ...scenario.servingImage } },
  };
}

/** Source datasets as declared, a cleaned join, and a stratified 80/10/10 split of it. */
export function dataLineageRecord(scenario: Scenario, artefacts: ModelArtefacts, prng: Prng): DataLineageRecord {
  const sources: Dataset[] = scenario.sourceDatasets.map(({ id, name, ...rest }) => ({ id, name, kind: 'source', ...rest }));
  const validation = gate(scenario, 'data-validation');
  const training = gate(scenario, 'training');
  const bucket = `s3://nordlicht-ml-data/credit/features/${scenario.model.version}`;
  const joinedRecords = Math.floor(Math.min(...scenario.sourceDatasets.slice(0, 2).map((s) => s.records)) * prng.between(0.9, 0.96));
  const derived = (id: string, name: string, records: number, split?: Dataset['split']): Dataset => ({
    id,
    name,
    kind: 'derived',
    ...(split === undefined ? {} : { split }),
    uri: `${bucket}/${id}/`,
    versionId: prng.hex(16),
    sha256: prng.hex(32),
    records,
    license: 'LicenseRef-Nordlicht-Internal',
    personalData: true,
  });
  const joined = derived('credit-features', 'Joined and cleaned credit features', joinedRecords);
  const testRecords = Math.floor(joinedRecords * 0.1);
  const validationRecords = Math.floor(joinedRecords * 0.1);
  const splits = [
    derived('credit-features-train', 'Training split', joinedRecords - testRecords - validationRecords, 'train'),
    derived('credit-features-validation', 'Validation split', validationRecords, 'validation'),
    derived('credit-features-test', 'Held-out test split', testRecords, 'test'),
  ];
  const splitAt = validation.startMs + Math.floor((validation.endMs - validation.startMs) / 2);
  return {
    recordType: RECORD_TYPES.dataLineage,
    datasets: [...sources, joined, ...splits],
    transformations: [
      {
        id: 'join-and-clean',
        description: 'Join applications to repayment outcomes and bureau scores by application id; drop records without an observed 12-month outcome; remove direct identifiers.',
        inputs: sources.map((s) => s.id),
        outputs: [joined.id],
        code: { commit: scenario.source.commit, path: 'pipelines/features/join_and_clean.py' },
        performedAt: isoSeconds(validation.startMs + 60_000),
      },
      {
        id: 'stratified-split',
        description: 'Split 80/10/10 stratified by outcome and application quarter, seeded for reproducibility.',
        inputs: [joined.id],
        outputs: splits.map((s) => s.id),
        code: { commit: scenario.source.commit, path: 'pipelines/features/split.py' },
        performedAt: isoSeconds(splitAt),
      },
    ],
    training: {
      runId: `${scenario.ci.runId}-train`,
      inputs: [splits[0]!.id, splits[1]!.id],
      startedAt: isoSeconds(training.startMs),
      finishedAt: isoSeconds(training.endMs),
      outputs: [artefactRefOf(artefacts.model), artefactRefOf(artefacts.config)],
    },
  };
}

export function modelCardRecord(scenario: Scenario, artefacts: ModelArtefacts, lineage: DataLineageRecord, evaluation: EvaluationRecord): ModelCardRecord {
  const trainingIds = new Set(lineage.training.inputs);
  return {
    recordType: RECORD_TYPES.modelCard,
    createdAt: isoSeconds(gate(scenario, 'sbom').startMs),
    model: { ...scenario.model },
    artefacts: [artefactRefOf(artefacts.model), artefactRefOf(artefacts.config)],
    owner: { organisation: scenario.organisation.name, contact: scenario.organisation.contact },
    description: `Scores consumer credit applications with a probability of default and maps it to approve, refer or decline; referred applications go to a credit officer.`,
    intendedUse: 'Pre-screening of consumer credit applications of natural persons in the EU retail business, with human review of referred and sampled declined cases.',
    outOfScope: ['business, mortgage or student lending', 'final credit decisions without the human review the decision policy requires', 'pricing or limit setting'],
    users: ['credit officers', 'loan origination service'],
    limitations: ['trained on 2019-2025 applications; behaviour under a macroeconomic shock is untested', 'accuracy drops for thin-file applicants without a bureau score'],
    ethicalConsiderations: [
      { risk: 'indirect discrimination through proxies of protected attributes', mitigation: 'slice-level fairness audit against the four-fifths rule before each release' },
      { risk: 'automation bias of credit officers', mitigation: 'reviewers see the explanation, and must record a rationale for each decision' },
    ],
    trainingData: lineage.datasets.filter((d) => trainingIds.has(d.id)).map((d) => ({ datasetId: d.id, versionId: d.versionId, sha256: d.sha256 })),
    evaluation: { record: RECORD_PATHS.evaluation, summary: evaluation.metrics.map((m) => ({ metric: m.name, value: m.value })) },
  };
}

export function deploymentRecord(scenario: Scenario, artefacts: ModelArtefacts): DeploymentRecord {
  return {
    recordType: RECORD_TYPES.deployment,
    environment: { ...scenario.environment },
    image: { ...scenario.servingImage },
    model: modelRefOf(scenario, artefacts),
    deployedAt: isoSeconds(scenario.deployedAtMs),
    deployer: { id: scenario.people.platformEngineer.id, kind: 'human' },
    strategy: 'canary',
    approvalReferences: [...scenario.approvalReferences],
  };
}

/** Records are pretty-printed JSON with a final newline: stable bytes for stable digests. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
