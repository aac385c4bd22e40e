// The facts of one sample release (who, what, when, which digests), drawn once from the seed. Every
// record, the SBOM and the logs are rendered from this one value, which is what keeps them consistent.

import { createHash } from 'node:crypto';
import { Prng } from './prng.js';
import { signedSourceCommit, type SignedCommit } from './supply-chain.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** Record timestamps: ISO 8601 UTC to the second. */
export function isoSeconds(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

function sha1Text(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface Person {
  readonly id: string;
  readonly name: string;
}

export interface Library {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly purl: string;
  /** sha256 of the wheel, as pinned in the lockfile. */
  readonly sha256: string;
  readonly usedIn: 'train' | 'serve' | 'both';
}

export interface Lockfile {
  readonly path: string;
  readonly text: string;
  readonly sha256: string;
}

export interface SourceDataset {
  readonly id: string;
  readonly name: string;
  readonly uri: string;
  readonly versionId: string;
  readonly sha256: string;
  readonly records: number;
  readonly license: string;
  readonly personalData: boolean;
}

export type GateKind = 'automated' | 'human';

export interface GatePlan {
  readonly name: string;
  readonly kind: GateKind;
  readonly startMs: number;
  readonly endMs: number;
}

export interface ImageName {
  readonly name: string;
  readonly digest: string;
}

export interface Scenario {
  readonly seed: string;
  readonly bundleId: string;
  readonly createdAtMs: number;
  readonly organisation: { readonly name: string; readonly contact: string };
  readonly system: { readonly name: string; readonly version: string };
  readonly model: {
    readonly name: string;
    readonly version: string;
    readonly task: string;
    readonly architecture: string;
    readonly framework: string;
    readonly format: string;
    readonly license: string;
  };
  readonly people: {
    readonly mlEngineer: Person;
    readonly riskOfficer: Person;
    readonly platformEngineer: Person;
    readonly approvers: readonly Person[];
    readonly reviewers: readonly Person[];
  };
  readonly quorum: number;
  readonly source: { readonly repo: string; readonly commit: string; readonly ref: string };
  /** The raw commit object of source.commit, signed by the ML engineer's SSH key (source/commit.git). */
  readonly sourceCommitObject: SignedCommit;
  readonly ci: { readonly system: string; readonly runId: string; readonly runUrl: string; readonly traceId: string };
  readonly pipelineConfig: { readonly path: string; readonly version: string; readonly text: string; readonly sha256: string };
  readonly builderImage: ImageName;
  readonly servingImage: ImageName;
  readonly libraries: readonly Library[];
  readonly lockfiles: readonly Lockfile[];
  readonly sourceDatasets: readonly SourceDataset[];
  readonly features: readonly string[];
  readonly labels: readonly string[];
  /** Probability-of-default band sent to human review at deployment time. */
  readonly referBand: readonly [number, number];
  readonly servingConfigVersion: number;
  readonly gates: readonly GatePlan[];
  readonly environment: { readonly name: string; readonly cluster: string; readonly region: string };
  readonly approvalReferences: readonly string[];
  readonly deployedAtMs: number;
  /** Inference traffic runs in [start, end). */
  readonly inferenceWindow: { readonly startMs: number; readonly endMs: number };
}

const ORGANISATION = { name: 'Nordlicht Bank AG', domain: 'nordlicht-bank.example' };

const NAMES = [
  'Anna Keller', 'Jonas Weber', 'Lea Brandt', 'Mateo Rossi', 'Sofia Lindqvist', 'Lukas Novak', 'Emma Dubois',
  'Noah Schmidt', 'Mia Jansen', 'Elias Fischer', 'Clara Moreau', 'Finn Hansen', 'Ida Nilsson', 'Paul Wagner',
  'Hanna Kowalski', 'Leon Vogel',
];

/** The release-gate sequence the sample pipeline definition declares, with plausible durations in minutes. */
const GATE_PLAN: readonly (readonly [string, GateKind, number, number])[] = [
  ['source-checkout', 'automated', 1, 3],
  ['unit-tests', 'automated', 4, 10],
  ['data-validation', 'automated', 10, 25],
  ['training', 'automated', 90, 240],
  ['evaluation', 'automated', 15, 40],
  ['fairness-audit', 'automated', 10, 20],
  ['robustness-tests', 'automated', 20, 45],
  ['package-and-sign', 'automated', 3, 8],
  ['security-scan', 'automated', 5, 12],
  ['sbom', 'automated', 1, 3],
  ['risk-review', 'human', 180, 600],
  ['release-approval', 'human', 60, 1440],
  ['deploy', 'automated', 5, 15],
];

const LIBRARIES: readonly Omit<Library, 'sha256' | 'purl'>[] = [
  { name: 'lightgbm', version: '4.5.0', license: 'MIT', usedIn: 'train' },
  { name: 'numpy', version: '2.1.3', license: 'BSD-3-Clause', usedIn: 'both' },
  { name: 'onnxmltools', version: '1.13.0', license: 'Apache-2.0', usedIn: 'train' },
  { name: 'onnxruntime', version: '1.20.1', license: 'MIT', usedIn: 'serve' },
  { name: 'pandas', version: '2.2.3', license: 'BSD-3-Clause', usedIn: 'train' },
  { name: 'scikit-learn', version: '1.5.2', license: 'BSD-3-Clause', usedIn: 'train' },
  { name: 'shap', version: '0.46.0', license: 'MIT', usedIn: 'both' },
];

export const FEATURES: readonly string[] = [
  'age_band', 'employment_status', 'employment_tenure_months', 'income_monthly', 'debt_to_income', 'loan_amount',
  'loan_term_months', 'credit_history_months', 'num_open_accounts', 'num_delinquencies_24m', 'utilisation_ratio',
  'bureau_score', 'housing_status', 'residence_tenure_months', 'num_dependants', 'savings_balance_band', 'purpose',
  'channel', 'previous_loans', 'previous_defaults', 'collateral_type', 'loan_to_value', 'installment_to_income',
  'recent_inquiries_6m',
];

/** Pipeline runs end this long before the bundle is assembled; inference traffic fills the gap. */
const DEPLOYED_BEFORE_BUNDLE_MS = 21 * DAY_MS;

export function buildScenario(seed: string, createdAtMs: number): Scenario {
  const prng = Prng.for(seed, 'scenario');
  const people = NAMES.length;
  const staff = prng.sample(NAMES, people).map((name) => person(name));
  const [mlEngineer, riskOfficer, platformEngineer, approverA, approverB, approverC, ...rest] = staff as [Person, Person, Person, Person, Person, Person, ...Person[]];
  const modelVersion = `4.${prng.int(0, 9)}.${prng.int(0, 9)}`;
  const runId = String(prng.int(100_000, 999_999));
  const repo = `https://git.${ORGANISATION.domain}/credit/credit-risk-classifier`;

  const libraries = LIBRARIES.map((lib) => ({ ...lib, purl: `pkg:pypi/${lib.name}@${lib.version}`, sha256: prng.hex(32) }));
  const lockfiles = [
    lockfile('requirements/train.lock', libraries.filter((l) => l.usedIn !== 'serve')),
    lockfile('requirements/serve.lock', libraries.filter((l) => l.usedIn !== 'train')),
  ];
  const pipelineVersion = `3.${prng.int(0, 9)}.${prng.int(0, 9)}`;
  const pipelineText = pipelineDefinition(pipelineVersion);

  const gates = planGates(prng, createdAtMs - DEPLOYED_BEFORE_BUNDLE_MS - prng.int(0, 180) * MINUTE_MS);
  const deployedAtMs = gates[gates.length - 1]!.endMs;
  const tree = prng.hex(20);
  const commit = signedSourceCommit({ seed, tree, parent: sha1Text(`parent of ${tree}`), author: mlEngineer, timeMs: gates[0]!.startMs - 20 * MINUTE_MS, message: `Release credit-risk-classifier ${modelVersion}` });

  return {
    seed,
    bundleId: `urn:uuid:${prng.uuid()}`,
    createdAtMs,
    organisation: { name: ORGANISATION.name, contact: `ai-governance@${ORGANISATION.domain}` },
    system: { name: 'Nordlicht Credit Decisioning', version: `2026.${prng.int(1, 12)}.${prng.int(0, 4)}` },
    model: {
      name: 'credit-risk-classifier',
      version: modelVersion,
      task: 'tabular-classification',
      architecture: 'gradient-boosted decision trees',
      framework: 'lightgbm 4.5.0',
      format: 'onnx',
      license: 'LicenseRef-Nordlicht-Proprietary',
    },
    people: { mlEngineer, riskOfficer, platformEngineer, approvers: [approverA, approverB, approverC], reviewers: rest.slice(0, 6) },
    quorum: 2,
    source: { repo, commit: commit.id, ref: `refs/tags/v${modelVersion}` },
    sourceCommitObject: commit,
    ci: { system: 'gitlab-ci', runId, runUrl: `${repo}/-/pipelines/${runId}`, traceId: prng.uuid() },
    pipelineConfig: { path: '.gitlab-ci.yml', version: pipelineVersion, text: pipelineText, sha256: sha256Text(pipelineText) },
    builderImage: { name: `registry.${ORGANISATION.domain}/ml/builder`, digest: `sha256:${prng.hex(32)}` },
    servingImage: { name: `registry.${ORGANISATION.domain}/credit/risk-scorer`, digest: `sha256:${prng.hex(32)}` },
    libraries,
    lockfiles,
    sourceDatasets: sourceDatasets(prng),
    features: FEATURES,
    labels: ['approve', 'refer', 'decline'],
    referBand: [prng.int(30, 35) / 100, prng.int(55, 60) / 100],
    servingConfigVersion: prng.int(10, 40),
    gates,
    environment: { name: 'production', cluster: 'aks-weu-prod-02', region: 'westeurope' },
    approvalReferences: [`CHG-2026-${prng.int(1000, 9999)}`, `RAB-2026-${prng.int(100, 999)}`],
    deployedAtMs,
    inferenceWindow: { startMs: deployedAtMs + 5 * MINUTE_MS, endMs: createdAtMs - 30 * MINUTE_MS },
  };
}

function person(name: string): Person {
  const [first = '', last = ''] = name.toLowerCase().split(' ');
  return { id: `${first}.${last}@${ORGANISATION.domain}`, name };
}

function planGates(prng: Prng, deployEndMs: number): GatePlan[] {
  // Durations first, then placed backwards from the deployment, so the release lands on a fixed day.
  const spans = GATE_PLAN.map(([name, kind, min, max]) => ({
    name,
    kind,
    duration: prng.int(min * 60, max * 60) * 1000,
    queued: (kind === 'human' ? prng.int(30, 240) * 60 : prng.int(5, 120)) * 1000,
  }));
  const total = spans.reduce((sum, s) => sum + s.duration + s.queued, 0);
  let cursor = deployEndMs - total;
  return spans.map((s) => {
    const startMs = cursor + s.queued;
    cursor = startMs + s.duration;
    return { name: s.name, kind: s.kind, startMs, endMs: cursor };
  });
}

function lockfile(path: string, libraries: readonly Library[]): Lockfile {
  const lines = ['# This file is autogenerated by pip-compile with Python 3.12', `#    pip-compile --generate-hashes --output-file=${path}`, ''];
  for (const lib of libraries) lines.push(`${lib.name}==${lib.version} \\`, `    --hash=sha256:${lib.sha256}`);
  const text = `${lines.join('\n')}\n`;
  return { path, text, sha256: sha256Text(text) };
}

/** The pipeline definition whose sha256 build.json records; the gate list is the one the audit log shows. */
function pipelineDefinition(version: string): string {
  const lines = [`# release pipeline for the credit risk classifier`, `variables:`, `  PIPELINE_VERSION: "${version}"`, `stages:`];
  for (const [name] of GATE_PLAN) lines.push(`  - ${name}`);
  for (const [name, kind] of GATE_PLAN) {
    lines.push(`${name}:`, `  stage: ${name}`, `  script: ["make ${name}"]`);
    if (kind === 'human') lines.push('  when: manual');
  }
  return `${lines.join('\n')}\n`;
}

function sourceDatasets(prng: Prng): SourceDataset[] {
  const bucket = 's3://nordlicht-ml-data/credit';
  const versionId = (): string => prng.hex(16);
  return [
    { id: 'loan-applications', name: 'Loan applications 2019-2025', uri: `${bucket}/applications/`, versionId: versionId(), sha256: prng.hex(32), records: prng.int(900_000, 1_400_000), license: 'LicenseRef-Nordlicht-Internal', personalData: true },
    { id: 'repayment-outcomes', name: 'Repayment outcomes 2019-2025', uri: `${bucket}/repayments/`, versionId: versionId(), sha256: prng.hex(32), records: prng.int(700_000, 900_000), license: 'LicenseRef-Nordlicht-Internal', personalData: true },
    { id: 'bureau-scores', name: 'Credit bureau score snapshot', uri: 'https://exports.bureau.example/nordlicht/scores/', versionId: `snapshot-2026-0${prng.int(1, 6)}`, sha256: prng.hex(32), records: prng.int(1_500_000, 2_000_000), license: 'LicenseRef-Bureau-Data-Agreement', personalData: true },
  ];
}
