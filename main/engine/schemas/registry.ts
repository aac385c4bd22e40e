// Every document schema of Assay's own formats, by the file name its JSON Schema is published under in
// docs/schemas/. `npm run docs` writes the JSON Schemas from this list, so docs cannot drift from code.

import type { z } from 'zod';
import { COMPLIANCE_PATH, complianceSchema } from './compliance.js';
import { manifestSchema } from './manifest.js';
import { policySchema } from './policy.js';
import {
  buildRecordSchema,
  dataLineageRecordSchema,
  deploymentRecordSchema,
  evaluationRecordSchema,
  modelCardRecordSchema,
  RECORD_PATHS,
  riskAssessmentRecordSchema,
} from './records.js';

export interface PublishedSchema {
  /** File name under docs/schemas/, e.g. `manifest.schema.json`. */
  readonly file: string;
  readonly title: string;
  readonly schema: z.ZodType;
}

export const PUBLISHED_SCHEMAS: readonly PublishedSchema[] = [
  { file: 'manifest.schema.json', title: 'Assay bundle manifest (assay.manifest/v1)', schema: manifestSchema },
  { file: 'policy.schema.json', title: 'Assay verification policy (assay/policy/v1)', schema: policySchema },
  { file: 'compliance.schema.json', title: 'Compliance declaration, compliance.yaml (assay/compliance/v1)', schema: complianceSchema },
  { file: 'record-build.schema.json', title: 'Build record, records/build.json (assay.record.build/v1)', schema: buildRecordSchema },
  { file: 'record-data-lineage.schema.json', title: 'Data lineage record, records/data-lineage.json (assay.record.data-lineage/v1)', schema: dataLineageRecordSchema },
  { file: 'record-evaluation.schema.json', title: 'Evaluation record, records/evaluation.json (assay.record.evaluation/v1)', schema: evaluationRecordSchema },
  { file: 'record-risk-assessment.schema.json', title: 'Risk assessment record, records/risk-assessment.json (assay.record.risk-assessment/v1)', schema: riskAssessmentRecordSchema },
  { file: 'record-model-card.schema.json', title: 'Model card record, records/model-card.json (assay.record.model-card/v1)', schema: modelCardRecordSchema },
  { file: 'record-deployment.schema.json', title: 'Deployment record, records/deployment.json (assay.record.deployment/v1)', schema: deploymentRecordSchema },
];

/** The schema of each fixed-path evidence document of a bundle, by bundle path. */
export const RECORD_SCHEMAS: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  [COMPLIANCE_PATH, complianceSchema],
  [RECORD_PATHS.build, buildRecordSchema],
  [RECORD_PATHS.dataLineage, dataLineageRecordSchema],
  [RECORD_PATHS.evaluation, evaluationRecordSchema],
  [RECORD_PATHS.riskAssessment, riskAssessmentRecordSchema],
  [RECORD_PATHS.modelCard, modelCardRecordSchema],
  [RECORD_PATHS.deployment, deploymentRecordSchema],
]);
