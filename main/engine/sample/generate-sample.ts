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
import { SLSA_V1 } from '../formats/slsa.js';
import { writePipelineLog } from './pipeline-log.js';
import { developerKey, developerKeyName, sshPublicKeyLine, supplyChainPolicy, writeSupplyChainEvidence } from './supply-chain.js';
import { Prng } from './prng.js';
import { scansPolicy, writeSampleScans } from './scans.js';
import { buildRecord, dataLineageRecord, deploymentRecord, gate, modelCardRecord, renderJson } from './records.js';
import { buildScenario, type Scenario } from './scenario.js';
import { imageDigestOf, SAMPLE_IMAGE_NAME, SAMPLE_TRUSTED_ROOT_NAME, sampleImageSpec, sampleSigner, sampleSigstoreInstance, SBOM_PREDICATE_TYPE, signManifestKeyless } from './release-signing.js';
import { buildSignedImageLayout, type ImageSpec } from './oci/cosign.js';
import type { SignerIdentity, TestSigstoreInstance } from './sigstore/instance.js';

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

  const planned = buildScenario(seed, Date.parse(createdAt));
  const writer = new BundleWriter(bundleDir);
  await mkdir(bundleDir, { recursive: true });

  const artefacts = await writeModelArtefacts(writer, planned, artefactBytes);
  // The serving image is built from the artefacts; every record names its real manifest digest.
  const imageSpec = sampleImageSpec(planned, artefacts);
  const scenario: Scenario = { ...planned, servingImage: { ...planned.servingImage, digest: await imageDigestOf(imageSpec) } };
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

  await writeSampleScans(writer, {
    build: buildRecord(scenario, artefacts),
    libraries: scenario.libraries,
    scanStartedMs: gate(scenario, 'security-scan').startMs,
    scanFinishedMs: gate(scenario, 'security-scan').endMs,
    vexMs: gate(scenario, 'risk-review').endMs,
    key: deriveEd25519Key(seed, PIPELINE_KEY_NAME),
    organisation: scenario.organisation.name,
  });

  // Keyless signing with the sample's own Sigstore instance, in a fixed order: image, its attestations, manifest.
  const sigstore = sampleSigstoreInstance(scenario);
  const signer = sampleSigner(scenario);
  await writeSignedImage(writer, scenario, imageSpec, sigstore, signer, sbom);

  const pipelineLog = await writePipelineLog(writer, { scenario, files: (path) => writer.entry(path), evaluation, risk }, Prng.for(seed, 'pipeline-log'));
  const inferenceLogs = await writeInferenceLogs(writer, { scenario, modelSha256: artefacts.model.sha256, entries: logEntries }, Prng.for(seed, 'inference-log'));

  const key = deriveEd25519Key(seed, PIPELINE_KEY_NAME);
  const logs = await writeCheckpoints(writer, scenario.bundleId, [pipelineLog, ...inferenceLogs], key);
  const manifest = buildManifest(scenario, writer.files, [MODEL_PATH, MODEL_CONFIG_PATH], logs);
  const manifestBytes = renderManifest(manifest);
  await writeFile(join(bundleDir, MANIFEST_PATH), manifestBytes, { flag: 'wx' });
  await writeFile(join(bundleDir, MANIFEST_SIGNATURE_PATH), signManifestKeyless(sigstore, manifestBytes, signer, new Date(scenario.createdAtMs)), { flag: 'wx' });

  // The pipeline key stays in the trust store: it signs the log checkpoints.
  await mkdir(join(trustDir, 'keys'), { recursive: true });
  await writeFile(join(trustDir, 'keys', `${PIPELINE_KEY_NAME}.pem`), key.publicKeyPem, { flag: 'wx' });
  const developer = scenario.people.mlEngineer;
  await mkdir(join(trustDir, 'developers'), { recursive: true });
  await writeFile(join(trustDir, 'developers', `${developerKeyName(developer)}.pub`), sshPublicKeyLine(developerKey(seed, developer), developer.id), { flag: 'wx' });
  await mkdir(join(trustDir, 'sigstore'), { recursive: true });
  await writeFile(join(trustDir, 'sigstore', `${SAMPLE_TRUSTED_ROOT_NAME}.json`), sigstore.trustedRootJson(), { flag: 'wx' });
  await writeFile(policyPath, renderPolicy(signer, { ...supplyChainPolicy(PIPELINE_KEY_NAME, developer), ...scansPolicy(PIPELINE_KEY_NAME) }), { flag: 'wx' });
  return { bundleDir, trustDir, policyPath, bundleId: scenario.bundleId };
}

/** images/<name>/: the serving image, its signature, an SBOM attestation (.att layer) and the same SBOM as a referrer bundle. */
async function writeSignedImage(writer: BundleWriter, scenario: Scenario, image: ImageSpec, instance: TestSigstoreInstance, signer: SignerIdentity, sbom: string): Promise<void> {
  const attestation = { predicateType: SBOM_PREDICATE_TYPE, predicate: JSON.parse(sbom) as unknown };
  const built = await buildSignedImageLayout({
    image,
    dockerReference: scenario.servingImage.name,
    tag: `v${scenario.model.version}`,
    instance,
    signer,
    signedAt: new Date(gate(scenario, 'sbom').endMs),
    attestations: [attestation],
    referrers: [attestation],
  });
  if (built.image.digest !== scenario.servingImage.digest) throw new Error('the signed image is not the one the records name');
  for (const file of built.files) {
    const mediaType = file.path === 'index.json' ? 'application/vnd.oci.image.index.v1+json' : file.path === 'oci-layout' ? 'application/vnd.oci.layout.header.v1+json' : 'application/octet-stream';
    await writer.writeFile(`images/${SAMPLE_IMAGE_NAME}/${file.path}`, file.bytes, mediaType);
  }
}

function renderPolicy(signer: SignerIdentity, supplyChain: Record<string, unknown>): string {
  const identity = { certificateIdentity: signer.identity, certificateOidcIssuer: signer.issuer, trustedRoot: SAMPLE_TRUSTED_ROOT_NAME };
  const policy = {
    apiVersion: POLICY_VERSION,
    manifest: { signer: identity },
    images: { named: [{ name: SAMPLE_IMAGE_NAME, signer: identity }] },
    attestations: { signer: identity, predicateTypes: [{ predicateType: SBOM_PREDICATE_TYPE, requiredForImages: true }, { predicateType: SLSA_V1, signer: { key: PIPELINE_KEY_NAME } }] },
    logs: { checkpointSigner: { key: PIPELINE_KEY_NAME } },
    ...supplyChain,
  };
  policySchema.parse(policy);
  return `# Verification policy for the Assay sample bundle (assay/policy/v1)\n${stringifyYaml(policy, { aliasDuplicateObjects: false })}`;
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
