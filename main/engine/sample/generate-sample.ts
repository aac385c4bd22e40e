// `generateSample`: writes a complete, consistent, signed sample release (bundle v1), a trust store with
// the pipeline's public key, and a matching policy. Deterministic: the same seed and options give the
// same bytes, because every value comes from the seed or the options, never from the clock.

import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { isoTimestamp } from '../schemas/common.js';
import { COMPLIANCE_PATH } from '../schemas/compliance.js';
import { MANIFEST_PATH, MANIFEST_SIGNATURE_PATH } from '../schemas/manifest.js';
import { POLICY_VERSION, policySchema } from '../schemas/policy.js';
import { RECORD_PATHS } from '../schemas/records.js';
import { evaluationRecord, riskAssessmentRecord } from './assessment.js';
import { MODEL_CONFIG_PATH, MODEL_PATH, writeModelArtefacts } from './artefacts.js';
import { BundleWriter } from './bundle-writer.js';
import { complianceDeclaration, renderComplianceYaml } from './compliance.js';
import { buildModelSbom, SBOM_MEDIA_TYPE, SBOM_PATH } from './cyclonedx.js';
import { writeInferenceLogs } from './inference-log.js';
import { deriveEd25519Key } from './keys.js';
import { writeCheckpoints } from './checkpoints.js';
import { buildManifest, renderManifest } from './manifest.js';
import { writePipelineLog } from './pipeline-log.js';
import { developerKey, developerKeyName, sshPublicKeyLine, supplyChainPolicy, writeSupplyChainEvidence } from './supply-chain.js';
import { Prng } from './prng.js';
import { buildRecord, dataLineageRecord, deploymentRecord, gate, modelCardRecord, renderJson } from './records.js';
import { buildScenario } from './scenario.js';
import { signManifest } from './sign.js';

export const DEFAULT_SAMPLE_SEED = 'assay-sample';
export const DEFAULT_SAMPLE_CREATED_AT = '2026-10-01T09:00:00Z';
export const DEFAULT_LOG_ENTRIES = 2_000;
export const DEFAULT_ARTEFACT_BYTES = 1024 * 1024;
/** Name of the pipeline key in the trust store and the policy. */
export const PIPELINE_KEY_NAME = 'pipeline';

export const sampleOptionsSchema = z
  .object({
    seed: z.string().min(1).max(200).default(DEFAULT_SAMPLE_SEED),
    logEntries: z.number().int().min(0).max(10_000_000).default(DEFAULT_LOG_ENTRIES).describe('lines over all inference logs'),
    artefactBytes: z.number().int().min(1).max(2 ** 40).default(DEFAULT_ARTEFACT_BYTES).describe('size of the model weights'),
    createdAt: isoTimestamp.default(DEFAULT_SAMPLE_CREATED_AT),
  })
  .strict();

export type SampleOptions = z.input<typeof sampleOptionsSchema>;

export interface GeneratedSample {
  readonly bundleDir: string;
  readonly trustDir: string;
  readonly policyPath: string;
  readonly bundleId: string;
}

export async function generateSample(outDir: string, options: SampleOptions = {}): Promise<GeneratedSample> {
  const { seed, logEntries, artefactBytes, createdAt } = sampleOptionsSchema.parse(options);
  const bundleDir = join(outDir, 'bundle');
  const trustDir = join(outDir, 'trust');
  const policyPath = join(outDir, 'policy.yaml');
  for (const target of [bundleDir, trustDir, policyPath]) await refuseExisting(target);

  const scenario = buildScenario(seed, Date.parse(createdAt));
  const writer = new BundleWriter(bundleDir);
  await mkdir(bundleDir, { recursive: true });

  const artefacts = await writeModelArtefacts(writer, scenario, artefactBytes);
  const lineage = dataLineageRecord(scenario, artefacts, Prng.for(seed, 'lineage'));
  const evaluation = evaluationRecord(scenario, artefacts, lineage, Prng.for(seed, 'evaluation'));
  const risk = riskAssessmentRecord(scenario, artefacts, Prng.for(seed, 'risk'));
  const compliance = complianceDeclaration(scenario);
  await writer.writeFile(COMPLIANCE_PATH, renderComplianceYaml(compliance), 'application/yaml');
  await writer.writeFile(RECORD_PATHS.build, renderJson(buildRecord(scenario, artefacts)), 'application/json');
  await writer.writeFile(RECORD_PATHS.dataLineage, renderJson(lineage), 'application/json');
  await writer.writeFile(RECORD_PATHS.evaluation, renderJson(evaluation), 'application/json');
  await writer.writeFile(RECORD_PATHS.riskAssessment, renderJson(risk), 'application/json');
  await writer.writeFile(RECORD_PATHS.modelCard, renderJson(modelCardRecord(scenario, artefacts, lineage, evaluation)), 'application/json');
  await writer.writeFile(RECORD_PATHS.deployment, renderJson(deploymentRecord(scenario, artefacts)), 'application/json');

  const trainingIds = new Set(lineage.training.inputs);
  const sbom = buildModelSbom(
    {
      scenario,
      model: artefacts.model,
      config: artefacts.config,
      trainingDatasets: lineage.datasets.filter((d) => trainingIds.has(d.id)),
      evaluation,
      timestampMs: gate(scenario, 'sbom').endMs,
    },
    Prng.for(seed, 'sbom'),
  );
  await writer.writeFile(SBOM_PATH, sbom, SBOM_MEDIA_TYPE);
  await writeSupplyChainEvidence(writer, {
    commit: scenario.sourceCommitObject,
    build: buildRecord(scenario, artefacts),
    startedOn: new Date(scenario.gates[0]!.startMs).toISOString(),
    finishedOn: new Date(gate(scenario, 'package-and-sign').endMs).toISOString(),
    key: deriveEd25519Key(seed, PIPELINE_KEY_NAME),
    modelFiles: [artefacts.model, artefacts.config],
  });

  const pipelineLog = await writePipelineLog(writer, { scenario, files: (path) => writer.entry(path), evaluation, risk }, Prng.for(seed, 'pipeline-log'));
  const inferenceLogs = await writeInferenceLogs(writer, { scenario, modelSha256: artefacts.model.sha256, entries: logEntries }, Prng.for(seed, 'inference-log'));

  const key = deriveEd25519Key(seed, PIPELINE_KEY_NAME);
  const logs = await writeCheckpoints(writer, scenario.bundleId, [pipelineLog, ...inferenceLogs], key);
  const manifest = buildManifest(scenario, writer.files, [MODEL_PATH, MODEL_CONFIG_PATH], logs);
  const manifestBytes = renderManifest(manifest);
  await writeFile(join(bundleDir, MANIFEST_PATH), manifestBytes, { flag: 'wx' });
  await writeFile(join(bundleDir, MANIFEST_SIGNATURE_PATH), signManifest(manifestBytes, key), { flag: 'wx' });

  await mkdir(join(trustDir, 'keys'), { recursive: true });
  await writeFile(join(trustDir, 'keys', `${PIPELINE_KEY_NAME}.pem`), key.publicKeyPem, { flag: 'wx' });
  const developer = scenario.people.mlEngineer;
  await mkdir(join(trustDir, 'developers'), { recursive: true });
  await writeFile(join(trustDir, 'developers', `${developerKeyName(developer)}.pub`), sshPublicKeyLine(developerKey(seed, developer), developer.id), { flag: 'wx' });
  await writeFile(policyPath, renderPolicy(supplyChainPolicy(PIPELINE_KEY_NAME, developer)), { flag: 'wx' });
  return { bundleDir, trustDir, policyPath, bundleId: scenario.bundleId };
}

function renderPolicy(supplyChain: Record<string, unknown>): string {
  const policy = { apiVersion: POLICY_VERSION, manifest: { signer: { key: PIPELINE_KEY_NAME } }, ...supplyChain };
  policySchema.parse(policy);
  return `# Verification policy for the Assay sample bundle (assay/policy/v1)\n${stringifyYaml(policy)}`;
}

/** Never writes into an existing sample: mixing two runs would give a bundle that fails its own manifest. */
async function refuseExisting(path: string): Promise<void> {
  const exists = await lstat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  if (exists) throw new Error(`${path} already exists; generate the sample into a new directory`);
}
