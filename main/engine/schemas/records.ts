// The pipeline's evidence records (`records/*.json`): build, data lineage, evaluation, risk assessment,
// model card and deployment, each typed by a versioned `recordType`. See docs/bundle-format.md.

import { z } from 'zod';
import { bundlePath, fileSize, isoTimestamp, sha256Hex } from './common.js';
import { principalId, slug } from './compliance.js';

export const RECORD_TYPES = {
  build: 'assay.record.build/v1',
  dataLineage: 'assay.record.data-lineage/v1',
  evaluation: 'assay.record.evaluation/v1',
  riskAssessment: 'assay.record.risk-assessment/v1',
  modelCard: 'assay.record.model-card/v1',
  deployment: 'assay.record.deployment/v1',
} as const;

export const RECORD_PATHS = {
  build: 'records/build.json',
  dataLineage: 'records/data-lineage.json',
  evaluation: 'records/evaluation.json',
  riskAssessment: 'records/risk-assessment.json',
  modelCard: 'records/model-card.json',
  deployment: 'records/deployment.json',
} as const;

/** An OCI content digest as registries and `cosign` print it. */
export const ociDigest = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'an OCI digest sha256:<64 lowercase hex>');

/** A git object id: SHA-1 (40 hex) or SHA-256 (64 hex) repositories. */
export const gitCommit = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'a full git commit id (40 or 64 lowercase hex)');

const name = z.string().min(1).max(200);
const text = z.string().min(1).max(4000);
const version = z.string().min(1).max(100);

/** A file of the bundle by path and content. */
export const artefactRef = z.object({ path: bundlePath, sha256: sha256Hex, size: fileSize }).strict();

/** The model a record is about: its identity and the sha256 of its primary artefact. */
export const modelRef = z
  .object({ name, version, sha256: sha256Hex.describe('sha256 of the primary model artefact (manifest model.artefacts[0])') })
  .strict();

export const imageRef = z
  .object({ name: z.string().min(1).max(500).describe('repository, e.g. registry.example.eu/credit/scorer'), digest: ociDigest })
  .strict();

/** A comparison against a limit: `gte` means value >= limit passes. */
export const thresholdSchema = z.object({ comparator: z.enum(['gte', 'lte']), value: z.number() }).strict();

function uniqueIds(ids: readonly string[], ctx: z.RefinementCtx, path: (string | number)[], what: string): Set<string> {
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [...path, index, 'id'], message: `duplicate ${what} id ${id}` });
    seen.add(id);
  });
  return seen;
}

// --- build.json -------------------------------------------------------------------------------

export const buildRecordSchema = z
  .object({
    recordType: z.literal(RECORD_TYPES.build),
    source: z
      .object({
        repo: z.url().max(2048).describe('the source repository'),
        commit: gitCommit,
        ref: z.string().min(1).max(500).describe('branch or tag that was built, e.g. refs/heads/main'),
      })
      .strict(),
    ci: z
      .object({
        system: name.describe('CI system, e.g. gitlab-ci'),
        runId: z.string().min(1).max(200).describe('the CI run (pipeline) id'),
        runUrl: z.url().max(2048).optional(),
        triggeredBy: principalId,
        startedAt: isoTimestamp,
        finishedAt: isoTimestamp,
      })
      .strict(),
    pipelineConfig: z
      .object({ path: bundlePath.describe('path of the pipeline definition in the source repository'), version, sha256: sha256Hex })
      .strict(),
    builder: imageRef.describe('the container image the pipeline ran in'),
    lockfiles: z
      .array(z.object({ path: bundlePath.describe('path in the source repository'), sha256: sha256Hex }).strict())
      .min(1),
    outputs: z
      .object({
        artefacts: z.array(artefactRef).min(1).describe('model files produced, as listed in the manifest'),
        image: imageRef.describe('the serving image built'),
      })
      .strict(),
  })
  .strict();

// --- data-lineage.json ------------------------------------------------------------------------

export const datasetSchema = z
  .object({
    id: slug,
    name,
    kind: z.enum(['source', 'derived']).describe('source: declared in compliance.yaml; derived: produced by a transformation'),
    split: z.enum(['train', 'validation', 'test']).optional(),
    uri: z.url().max(2048),
    versionId: z.string().min(1).max(200),
    sha256: sha256Hex,
    records: z.number().int().nonnegative(),
    license: z.string().min(1).max(200),
    personalData: z.boolean().describe('whether the dataset holds personal data (GDPR)'),
  })
  .strict();

export const dataLineageRecordSchema = z
  .object({
    recordType: z.literal(RECORD_TYPES.dataLineage),
    datasets: z.array(datasetSchema).min(1),
    transformations: z.array(
      z
        .object({
          id: slug,
          description: text,
          inputs: z.array(slug).min(1).describe('dataset ids'),
          outputs: z.array(slug).min(1).describe('dataset ids'),
          code: z.object({ commit: gitCommit, path: bundlePath.describe('path in the source repository') }).strict(),
          performedAt: isoTimestamp,
        })
        .strict(),
    ),
    training: z
      .object({
        runId: z.string().min(1).max(200),
        inputs: z.array(slug).min(1).describe('dataset ids the model was trained on'),
        startedAt: isoTimestamp,
        finishedAt: isoTimestamp,
        outputs: z.array(artefactRef).min(1),
      })
      .strict(),
  })
  .strict()
  .superRefine((lineage, ctx) => {
    const ids = uniqueIds(lineage.datasets.map((d) => d.id), ctx, ['datasets'], 'dataset');
    const known = (list: readonly string[], path: (string | number)[]): void => {
      list.forEach((id, index) => {
        if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: [...path, index], message: `unknown dataset id ${id}` });
      });
    };
    lineage.transformations.forEach((step, index) => {
      known(step.inputs, ['transformations', index, 'inputs']);
      known(step.outputs, ['transformations', index, 'outputs']);
    });
    known(lineage.training.inputs, ['training', 'inputs']);
  });

// --- evaluation.json --------------------------------------------------------------------------

export const metricResultSchema = z
  .object({ name: slug, value: z.number(), threshold: thresholdSchema, passed: z.boolean() })
  .strict();

export const evaluationRecordSchema = z
  .object({
    recordType: z.literal(RECORD_TYPES.evaluation),
    evaluatedAt: isoTimestamp,
    model: modelRef,
    dataset: z.object({ id: slug, versionId: z.string().min(1).max(200), sha256: sha256Hex }).strict().describe('the held-out test set'),
    harness: z.object({ name, version }).strict().describe('the evaluation code that produced the numbers'),
    metrics: z.array(metricResultSchema).min(1),
    slices: z.array(
      z
        .object({
          name: slug,
          attribute: name.describe('the attribute the slice selects on'),
          value: name,
          samples: z.number().int().nonnegative(),
          metrics: z.array(z.object({ name: slug, value: z.number() }).strict()).min(1),
        })
        .strict(),
    ),
    robustness: z.array(
      z
        .object({
          name: slug,
          method: text,
          parameters: z.record(z.string().min(1).max(100), z.union([z.number(), z.string().max(500), z.boolean()])),
          metric: slug,
          value: z.number(),
          threshold: thresholdSchema,
          passed: z.boolean(),
        })
        .strict(),
    ),
    outcome: z.enum(['pass', 'fail']).describe('pass only if every metric and robustness test passed'),
  })
  .strict();

// --- risk-assessment.json ---------------------------------------------------------------------

/** Ordinal 1 (rare / negligible) to 5 (almost certain / catastrophic). */
const scale = z.number().int().min(1).max(5);
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export const riskLevel = z.enum(RISK_LEVELS);

export const hazardSchema = z
  .object({
    id: slug,
    title: name,
    description: text,
    affected: z.array(name).min(1).describe('who may be harmed'),
    severity: scale,
    likelihood: scale,
    mitigations: z.array(
      z
        .object({
          id: slug,
          description: text,
          kind: z.enum(['technical', 'organisational', 'procedural']),
          status: z.enum(['implemented', 'planned']),
          evidence: z.array(bundlePath).describe('bundle files that show the mitigation in place'),
        })
        .strict(),
    ),
    residualRisk: z.object({ severity: scale, likelihood: scale, level: riskLevel }).strict(),
  })
  .strict();

export const riskAssessmentRecordSchema = z
  .object({
    recordType: z.literal(RECORD_TYPES.riskAssessment),
    assessedAt: isoTimestamp,
    methodology: name.describe('e.g. ISO/IEC 23894:2023'),
    assessors: z.array(principalId).min(1),
    model: modelRef,
    hazards: z.array(hazardSchema).min(1),
    overallResidualRisk: riskLevel.describe('the highest residual level over all hazards'),
    decision: z
      .object({
        outcome: z.enum(['accept', 'accept-with-conditions', 'reject']),
        decidedAt: isoTimestamp,
        decidedBy: z.array(principalId).min(1),
        conditions: z.array(text),
        rationale: text,
      })
      .strict(),
    nextReviewDue: isoTimestamp,
  })
  .strict()
  .superRefine((risk, ctx) => {
    uniqueIds(risk.hazards.map((h) => h.id), ctx, ['hazards'], 'hazard');
  });

// --- model-card.json --------------------------------------------------------------------------

export const modelCardRecordSchema = z
  .object({
    recordType: z.literal(RECORD_TYPES.modelCard),
    createdAt: isoTimestamp,
    model: z
      .object({
        name,
        version,
        task: name.describe('e.g. tabular-classification'),
        architecture: name,
        framework: name,
        format: name.describe('serialisation format of the artefact, e.g. onnx'),
        license: name,
      })
      .strict(),
    artefacts: z.array(artefactRef).min(1).describe('the model files, as listed in the manifest'),
    owner: z.object({ organisation: name, contact: z.email() }).strict(),
    description: text,
    intendedUse: text,
    outOfScope: z.array(text),
    users: z.array(name).min(1),
    limitations: z.array(text),
    ethicalConsiderations: z.array(z.object({ risk: text, mitigation: text }).strict()),
    trainingData: z.array(z.object({ datasetId: slug, versionId: z.string().min(1).max(200), sha256: sha256Hex }).strict()).min(1),
    evaluation: z
      .object({
        record: bundlePath.describe('the evaluation record the figures come from'),
        summary: z.array(z.object({ metric: slug, value: z.number() }).strict()).min(1),
      })
      .strict(),
  })
  .strict();

// --- deployment.json --------------------------------------------------------------------------

export const deploymentRecordSchema = z
  .object({
    recordType: z.literal(RECORD_TYPES.deployment),
    environment: z.object({ name: slug, cluster: name, region: name }).strict(),
    image: imageRef.describe('the image running in the environment'),
    model: modelRef,
    deployedAt: isoTimestamp,
    deployer: z.object({ id: principalId, kind: z.enum(['human', 'service']) }).strict(),
    strategy: z.enum(['rolling', 'blue-green', 'canary']),
    approvalReferences: z.array(z.string().min(1).max(200)).min(1).describe('change and approval tickets that authorised the deployment'),
  })
  .strict();

export type BuildRecord = z.infer<typeof buildRecordSchema>;
export type DataLineageRecord = z.infer<typeof dataLineageRecordSchema>;
export type Dataset = z.infer<typeof datasetSchema>;
export type EvaluationRecord = z.infer<typeof evaluationRecordSchema>;
export type RiskAssessmentRecord = z.infer<typeof riskAssessmentRecordSchema>;
export type Hazard = z.infer<typeof hazardSchema>;
export type RiskLevel = z.infer<typeof riskLevel>;
export type ModelCardRecord = z.infer<typeof modelCardRecordSchema>;
export type DeploymentRecord = z.infer<typeof deploymentRecordSchema>;
export type ArtefactRef = z.infer<typeof artefactRef>;
export type ModelRef = z.infer<typeof modelRef>;
