// The pipeline audit log (`logs/pipeline-audit.jsonl`): trigger, configuration, every gate with start,
// end, outcome and result digest, external resources fetched, human interventions, and produced
// artefacts. Gate result digests are the sha256 of the files the gates produced, as the manifest lists them.

import { createHash } from 'node:crypto';
import { COMPLIANCE_PATH } from '../schemas/compliance.js';
import type { ManifestFileEntry } from '../schemas/manifest.js';
import { RECORD_PATHS, type EvaluationRecord, type RiskAssessmentRecord } from '../schemas/records.js';
import type { BundleWriter } from './bundle-writer.js';
import { SBOM_PATH } from './cyclonedx.js';
import { ChainedLogWriter, type LogEvent, type LogHead } from './logs.js';
import type { Prng } from './prng.js';
import type { GatePlan, Scenario } from './scenario.js';

export const PIPELINE_LOG_PATH = 'logs/pipeline-audit.jsonl';

export const PIPELINE_EVENT_TYPES = [
  'trigger',
  'config',
  'external-resource',
  'gate.start',
  'gate.end',
  'artefact',
  'human-intervention',
  'run.end',
] as const;
type PipelineEventType = (typeof PIPELINE_EVENT_TYPES)[number];

export interface PipelineLogInputs {
  readonly scenario: Scenario;
  /** Manifest entries of the files written so far (records, artefacts, SBOM). */
  readonly files: (path: string) => ManifestFileEntry;
  readonly evaluation: EvaluationRecord;
  readonly risk: RiskAssessmentRecord;
}

interface Timed {
  readonly atMs: number;
  readonly type: PipelineEventType;
  readonly event: LogEvent;
}

/** The result a gate reports: a bundle file it produced, or a small summary object. */
type GateResult = { readonly path: string } | Record<string, unknown>;

export async function writePipelineLog(writer: BundleWriter, inputs: PipelineLogInputs, prng: Prng): Promise<LogHead> {
  const events = pipelineEvents(inputs, prng);
  const log = await ChainedLogWriter.open(writer, inputs.scenario.bundleId, PIPELINE_LOG_PATH);
  for (const { atMs, type, event } of events) await log.append(new Date(atMs).toISOString(), type, inputs.scenario.ci.traceId, event);
  return log.close();
}

function pipelineEvents(inputs: PipelineLogInputs, prng: Prng): Timed[] {
  const { scenario } = inputs;
  const events: Timed[] = [];
  const at = (atMs: number, type: PipelineEventType, event: LogEvent): void => {
    events.push({ atMs, type, event });
  };
  const first = scenario.gates[0]!;
  const runStart = first.startMs - 20_000;
  at(runStart, 'trigger', {
    trigger: 'tag-push',
    actor: scenario.people.mlEngineer.id,
    repo: scenario.source.repo,
    ref: scenario.source.ref,
    commit: scenario.source.commit,
    ci: { system: scenario.ci.system, run_id: scenario.ci.runId, run_url: scenario.ci.runUrl },
  });
  at(runStart + 1_500, 'config', {
    path: scenario.pipelineConfig.path,
    version: scenario.pipelineConfig.version,
    sha256: scenario.pipelineConfig.sha256,
    gates: scenario.gates.map((g) => g.name),
  });
  at(runStart + 9_000, 'external-resource', { kind: 'container-image', name: scenario.builderImage.name, digest: scenario.builderImage.digest });

  scenario.gates.forEach((plan, index) => {
    at(plan.startMs, 'gate.start', { gate: plan.name, index, kind: plan.kind, attempt: 1 });
    const result = gateActivity(inputs, plan, prng, at);
    const resultSha256 = 'path' in result && typeof result.path === 'string' ? inputs.files(result.path).sha256 : sha256Json(result);
    at(plan.endMs, 'gate.end', {
      gate: plan.name,
      index,
      attempt: 1,
      outcome: 'passed',
      started_at: new Date(plan.startMs).toISOString(),
      duration_ms: plan.endMs - plan.startMs,
      result,
      result_sha256: resultSha256,
    });
  });
  const last = scenario.gates[scenario.gates.length - 1]!;
  at(last.endMs + 2_000, 'run.end', { outcome: 'passed', duration_ms: last.endMs + 2_000 - runStart, gates_passed: scenario.gates.length });
  // Activity inside a gate is timed relative to its start; a stable sort keeps same-time events in order.
  return events.sort((a, b) => a.atMs - b.atMs);
}

/** Emits what happens inside one gate and returns the gate's result. */
function gateActivity(inputs: PipelineLogInputs, plan: GatePlan, prng: Prng, at: (ms: number, type: PipelineEventType, event: LogEvent) => void): GateResult {
  const { scenario } = inputs;
  const span = plan.endMs - plan.startMs;
  const during = (fraction: number): number => plan.startMs + Math.floor(span * fraction);
  const artefact = (ms: number, path: string): void => {
    const file = inputs.files(path);
    at(ms, 'artefact', { path: file.path, sha256: file.sha256, size: file.size });
  };
  switch (plan.name) {
    case 'source-checkout':
      return { repo: scenario.source.repo, commit: scenario.source.commit, ref: scenario.source.ref };
    case 'unit-tests': {
      for (const lock of scenario.lockfiles) {
        at(during(0.05), 'external-resource', { kind: 'package-index', uri: 'https://pypi.org/simple/', lockfile: lock.path, lockfile_sha256: lock.sha256 });
      }
      const tests = prng.int(380, 520);
      return { framework: 'pytest', tests, passed: tests, failed: 0, skipped: 0 };
    }
    case 'data-validation':
      scenario.sourceDatasets.forEach((dataset, i) => {
        at(during(0.1 + i * 0.05), 'external-resource', { kind: 'dataset', uri: dataset.uri, version_id: dataset.versionId, sha256: dataset.sha256 });
      });
      return { path: RECORD_PATHS.dataLineage };
    case 'training':
      artefact(during(0.98), 'artefacts/model.onnx');
      artefact(during(0.98), 'artefacts/config.json');
      return { path: 'artefacts/model.onnx' };
    case 'evaluation':
      return { path: RECORD_PATHS.evaluation };
    case 'fairness-audit': {
      const parity = inputs.evaluation.metrics.find((m) => m.name === 'approval-rate-parity-ratio');
      return { rule: 'four-fifths', slices: inputs.evaluation.slices.length, parity_ratio: parity?.value ?? null, passed: parity?.passed ?? false };
    }
    case 'robustness-tests': {
      const tests = inputs.evaluation.robustness;
      return { tests: tests.length, passed: tests.filter((t) => t.passed).length };
    }
    case 'package-and-sign':
      at(during(0.9), 'artefact', { image: scenario.servingImage.name, digest: scenario.servingImage.digest });
      return { image: scenario.servingImage.name, digest: scenario.servingImage.digest };
    case 'security-scan':
      return { scanner: 'trivy 0.57.1', image_digest: scenario.servingImage.digest, critical: 0, high: 0, medium: prng.int(0, 4), low: prng.int(2, 12) };
    case 'sbom':
      artefact(during(0.9), SBOM_PATH);
      return { path: SBOM_PATH };
    case 'risk-review':
      at(Date.parse(inputs.risk.decision.decidedAt), 'human-intervention', {
        actor: scenario.people.riskOfficer.id,
        action: 'risk-sign-off',
        decision: inputs.risk.decision.outcome,
        reference: RECORD_PATHS.riskAssessment,
      });
      return { path: RECORD_PATHS.riskAssessment };
    case 'release-approval': {
      const approvers = scenario.people.approvers.slice(0, scenario.quorum);
      approvers.forEach((approver, i) => {
        at(during(0.3 + i * 0.4), 'human-intervention', {
          actor: approver.id,
          action: 'approve-release',
          decision: 'approve',
          reference: scenario.approvalReferences[1] ?? scenario.approvalReferences[0],
          model_sha256: inputs.files('artefacts/model.onnx').sha256,
          image_digest: scenario.servingImage.digest,
          bundle_id: scenario.bundleId,
        });
      });
      return { policy: COMPLIANCE_PATH, quorum: scenario.quorum, approvals: approvers.map((a) => a.id), decision: 'approved' };
    }
    case 'deploy':
      at(during(0.1), 'human-intervention', {
        actor: scenario.people.platformEngineer.id,
        action: 'confirm-deployment-window',
        decision: 'proceed',
        reference: scenario.approvalReferences[0],
      });
      return { path: RECORD_PATHS.deployment };
    default:
      throw new Error(`no activity defined for gate ${plan.name}`);
  }
}

/** Digest of an inline gate result: sha256 of its JSON text exactly as it appears on the line. */
export function sha256Json(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value), 'utf8').digest('hex');
}
