// Renders the sample's `compliance.yaml` from the scenario: the declaration the records are checked against.

import { Document } from 'yaml';
import { COMPLIANCE_VERSION, type Compliance } from '../schemas/compliance.js';
import { INFERENCE_EVENT_TYPES } from './inference-log.js';
import type { Scenario } from './scenario.js';

export function complianceDeclaration(scenario: Scenario): Compliance {
  return {
    apiVersion: COMPLIANCE_VERSION,
    system_name: scenario.system.name,
    system_version: scenario.system.version,
    owner: { organisation: scenario.organisation.name, contact: scenario.organisation.contact },
    intended_use:
      'Assess the creditworthiness of natural persons applying for consumer credit, as decision support: referred applications are decided by a credit officer.',
    out_of_scope: [
      'business, mortgage or student lending',
      'fully automated decisions with legal effect without the human review the decision policy requires',
      'life and health insurance pricing',
    ],
    risk_tier: 'high',
    domain: 'EU AI Act Annex III 5(b): creditworthiness assessment and credit scoring of natural persons',
    data_sources: scenario.sourceDatasets.map((d) => ({ uri: d.uri, version_id: d.versionId, sha256: d.sha256 })),
    human_oversight: { approvers: scenario.people.approvers.map((p) => p.id), quorum: scenario.quorum },
    logging_profile: { profile: 'assay.art12-inference/v1', retention_years: 10, events: [...INFERENCE_EVENT_TYPES] },
  };
}

export function renderComplianceYaml(compliance: Compliance): string {
  const document = new Document(compliance);
  document.commentBefore = ' Compliance declaration of the AI system (assay/compliance/v1), see docs/bundle-format.md';
  return document.toString({ lineWidth: 0 });
}
