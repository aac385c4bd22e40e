// Renders the release's assessment records: evaluation (metrics against thresholds, slices, robustness)
// and risk assessment (hazards -> mitigations -> residual risk, decision). Pass/fail flags, derived
// metrics and risk levels are computed from the numbers, never asserted.

import {
  RECORD_PATHS,
  RECORD_TYPES,
  RISK_LEVELS,
  type DataLineageRecord,
  type EvaluationRecord,
  type Hazard,
  type RiskAssessmentRecord,
  type RiskLevel,
} from '../schemas/records.js';
import { SBOM_PATH } from './cyclonedx.js';
import type { ModelArtefacts } from './artefacts.js';
import type { Prng } from './prng.js';
import { gate, modelRefOf } from './records.js';
import { isoSeconds, type Scenario } from './scenario.js';

const DAY_MS = 24 * 60 * 60 * 1000;

type Threshold = EvaluationRecord['metrics'][number]['threshold'];

function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function meets(value: number, threshold: Threshold): boolean {
  return threshold.comparator === 'gte' ? value >= threshold.value : value <= threshold.value;
}

function metric(name: string, value: number, threshold: Threshold): EvaluationRecord['metrics'][number] {
  const rounded = round(value);
  return { name, value: rounded, threshold, passed: meets(rounded, threshold) };
}

const SLICES: readonly (readonly [string, readonly (readonly [string, number])[]])[] = [
  ['age_band', [['18-25', 0.14], ['26-40', 0.38], ['41-65', 0.4], ['66+', 0.08]]],
  ['sex', [['female', 0.47], ['male', 0.53]]],
  ['channel', [['branch', 0.31], ['online', 0.52], ['broker', 0.17]]],
];

/** Attributes whose approval rates the four-fifths rule compares. */
const PROTECTED_ATTRIBUTES = new Set(['age_band', 'sex']);

export function evaluationRecord(scenario: Scenario, artefacts: ModelArtefacts, lineage: DataLineageRecord, prng: Prng): EvaluationRecord {
  const testSet = lineage.datasets.find((d) => d.split === 'test');
  if (testSet === undefined) throw new Error('the lineage has no test split');
  const auc = round(prng.between(0.81, 0.86));

  const slices = SLICES.flatMap(([attribute, values]) =>
    values.map(([value, share]) => ({
      name: `${attribute.replace(/_/g, '-')}-${value.replace(/\+/g, 'plus')}`.toLowerCase(),
      attribute,
      value,
      samples: Math.floor(testSet.records * share),
      metrics: [
        { name: 'auc-roc', value: round(auc + prng.between(-0.03, 0.02)) },
        { name: 'approval-rate', value: round(prng.between(0.58, 0.68)) },
      ],
    })),
  );
  const parity = Math.min(
    ...[...PROTECTED_ATTRIBUTES].map((attribute) => {
      const rates = slices.filter((s) => s.attribute === attribute).map((s) => s.metrics[1]!.value);
      return Math.min(...rates) / Math.max(...rates);
    }),
  );

  const metrics = [
    metric('auc-roc', auc, { comparator: 'gte', value: 0.78 }),
    metric('gini', 2 * auc - 1, { comparator: 'gte', value: 0.56 }),
    metric('ks-statistic', prng.between(0.42, 0.52), { comparator: 'gte', value: 0.35 }),
    metric('brier-score', prng.between(0.08, 0.12), { comparator: 'lte', value: 0.15 }),
    metric('expected-calibration-error', prng.between(0.008, 0.02), { comparator: 'lte', value: 0.03 }),
    metric('approval-rate-parity-ratio', parity, { comparator: 'gte', value: 0.8 }),
  ];

  type RobustnessPlan = Omit<EvaluationRecord['robustness'][number], 'passed'>;
  const plans: RobustnessPlan[] = [
    {
      name: 'gaussian-noise-numeric',
      method: 'additive Gaussian noise on standardised numeric features, AUC compared with the clean test set',
      parameters: { sigma: 0.05, repeats: 5, features: 'numeric' },
      metric: 'auc-roc-drop',
      value: round(prng.between(0.002, 0.012)),
      threshold: { comparator: 'lte', value: 0.02 },
    },
    {
      name: 'missing-bureau-score',
      method: 'bureau_score withheld and imputed as in serving, AUC compared with the clean test set',
      parameters: { feature: 'bureau_score' },
      metric: 'auc-roc-drop',
      value: round(prng.between(0.01, 0.03)),
      threshold: { comparator: 'lte', value: 0.05 },
    },
    {
      name: 'monotonicity-debt-to-income',
      method: 'probes raising debt_to_income alone must not lower the probability of default',
      parameters: { feature: 'debt_to_income', direction: 'increasing', probes: 10_000 },
      metric: 'violation-rate',
      value: round(prng.between(0, 0.0008)),
      threshold: { comparator: 'lte', value: 0.001 },
    },
  ];
  const robustness = plans.map((test) => ({ ...test, passed: meets(test.value, test.threshold) }));

  const allPassed = metrics.every((m) => m.passed) && robustness.every((r) => r.passed);
  return {
    recordType: RECORD_TYPES.evaluation,
    evaluatedAt: isoSeconds(gate(scenario, 'evaluation').endMs),
    model: modelRefOf(scenario, artefacts),
    dataset: { id: testSet.id, versionId: testSet.versionId, sha256: testSet.sha256 },
    harness: { name: 'nordlicht-model-eval', version: `2.${prng.int(0, 9)}.${prng.int(0, 9)}` },
    metrics,
    slices,
    robustness,
    outcome: allPassed ? 'pass' : 'fail',
  };
}

/** Risk matrix of the sample methodology: score = severity x likelihood on 1..5 scales. */
export function riskLevelOf(severity: number, likelihood: number): RiskLevel {
  const score = severity * likelihood;
  if (score <= 4) return 'low';
  if (score <= 9) return 'medium';
  if (score <= 16) return 'high';
  return 'critical';
}

interface HazardPlan {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly affected: readonly string[];
  readonly severity: number;
  readonly likelihood: number;
  readonly mitigations: Hazard['mitigations'];
}

function hazardPlans(): HazardPlan[] {
  return [
    {
      id: 'discriminatory-outcomes',
      title: 'Discriminatory credit outcomes',
      description: 'Approval rates differ between groups defined by protected attributes or their proxies (age, sex, postcode).',
      affected: ['applicants', 'protected groups'],
      severity: 4,
      likelihood: 3,
      mitigations: [
        { id: 'fairness-audit', description: 'Four-fifths rule on approval rates per age band and sex before every release.', kind: 'technical', status: 'implemented', evidence: [RECORD_PATHS.evaluation] },
        { id: 'proxy-review', description: 'Features reviewed for proxies of protected attributes; postcode excluded.', kind: 'procedural', status: 'implemented', evidence: [RECORD_PATHS.dataLineage] },
      ],
    },
    {
      id: 'erroneous-decline',
      title: 'Creditworthy applicant declined',
      description: 'A false decline denies credit to an applicant who would have repaid.',
      affected: ['applicants'],
      severity: 3,
      likelihood: 3,
      mitigations: [
        { id: 'refer-band', description: 'Uncertain scores are referred to a credit officer instead of declined.', kind: 'technical', status: 'implemented', evidence: ['artefacts/config.json'] },
        { id: 'decline-sampling', description: 'A sample of declines is reviewed by a second credit officer.', kind: 'organisational', status: 'implemented', evidence: ['compliance.yaml'] },
      ],
    },
    {
      id: 'performance-drift',
      title: 'Performance drift after deployment',
      description: 'Applicant population or economy shifts and the model degrades unnoticed.',
      affected: ['applicants', 'the bank'],
      severity: 3,
      likelihood: 3,
      mitigations: [
        { id: 'drift-monitoring', description: 'Weekly population-stability and calibration monitoring on the inference logs.', kind: 'technical', status: 'implemented', evidence: ['compliance.yaml'] },
        { id: 'quarterly-revalidation', description: 'Quarterly revalidation against fresh outcomes.', kind: 'procedural', status: 'planned', evidence: [] },
      ],
    },
    {
      id: 'input-manipulation',
      title: 'Manipulated application data',
      description: 'Applicants or brokers tune declared values to cross the approval threshold.',
      affected: ['the bank', 'other applicants'],
      severity: 3,
      likelihood: 2,
      mitigations: [
        { id: 'robustness-tests', description: 'Noise, missing-feature and monotonicity tests before release.', kind: 'technical', status: 'implemented', evidence: [RECORD_PATHS.evaluation] },
        { id: 'supply-chain', description: 'Dependencies pinned by hash and listed in the SBOM.', kind: 'technical', status: 'implemented', evidence: [SBOM_PATH] },
      ],
    },
    {
      id: 'automation-bias',
      title: 'Automation bias in human review',
      description: 'Credit officers confirm model suggestions without independent judgement.',
      affected: ['applicants'],
      severity: 3,
      likelihood: 3,
      mitigations: [
        { id: 'mandatory-rationale', description: 'Every review decision carries a written rationale, logged with the request.', kind: 'procedural', status: 'implemented', evidence: ['compliance.yaml'] },
      ],
    },
  ];
}

export function riskAssessmentRecord(scenario: Scenario, artefacts: ModelArtefacts, prng: Prng): RiskAssessmentRecord {
  const review = gate(scenario, 'risk-review');
  const hazards: Hazard[] = hazardPlans().map((plan) => {
    // Mitigations lower likelihood more than severity; the residual never exceeds the inherent risk.
    const severity = Math.max(1, plan.severity - prng.int(0, 1));
    const likelihood = Math.max(1, plan.likelihood - prng.int(1, 2));
    return {
      id: plan.id,
      title: plan.title,
      description: plan.description,
      affected: [...plan.affected],
      severity: plan.severity,
      likelihood: plan.likelihood,
      mitigations: plan.mitigations,
      residualRisk: { severity, likelihood, level: riskLevelOf(severity, likelihood) },
    };
  });
  const overall = hazards.reduce<RiskLevel>((worst, h) => (RISK_LEVELS.indexOf(h.residualRisk.level) > RISK_LEVELS.indexOf(worst) ? h.residualRisk.level : worst), 'low');
  const mediumOrAbove = hazards.filter((h) => h.residualRisk.level !== 'low');
  const decidedAtMs = review.endMs - 5 * 60_000;
  const outcome = overall === 'low' ? 'accept' : overall === 'medium' ? 'accept-with-conditions' : 'reject';
  return {
    recordType: RECORD_TYPES.riskAssessment,
    assessedAt: isoSeconds(review.startMs + 10 * 60_000),
    methodology: 'ISO/IEC 23894:2023 with a 5x5 severity-likelihood matrix',
    assessors: [scenario.people.riskOfficer.id, scenario.people.mlEngineer.id],
    model: modelRefOf(scenario, artefacts),
    hazards,
    overallResidualRisk: overall,
    decision: {
      outcome,
      decidedAt: isoSeconds(decidedAtMs),
      decidedBy: [scenario.people.riskOfficer.id],
      conditions: mediumOrAbove.map((h) => `Re-assess "${h.title}" at the next quarterly review with production outcomes.`),
      rationale:
        outcome === 'reject'
          ? 'Residual risk above the appetite for consumer credit decisions.'
          : `Residual risk is ${overall} after mitigation and within the appetite for consumer credit decisions with human review.`,
    },
    nextReviewDue: isoSeconds(decidedAtMs + 90 * DAY_MS),
  };
}
