// The Art. 12 inference logs (`logs/inference/<UTC date>.jsonl`, one hash chain per day): the deployment,
// then scored requests with their post-processing, human-oversight decisions and configuration changes,
// sharing a correlation id per request. Streams any number of entries with bounded memory.

import type { BundleWriter } from './bundle-writer.js';
import { ChainedLogWriter, logGenesis, nextSegment, type LogEvent, type LogHead } from './logs.js';
import type { Prng } from './prng.js';
import type { Scenario } from './scenario.js';

export const INFERENCE_LOG_DIR = 'logs/inference';
export const INFERENCE_EVENT_TYPES = ['deployment', 'inference', 'post-processing', 'oversight', 'config-change'] as const;
type InferenceEventType = (typeof INFERENCE_EVENT_TYPES)[number];

/** Lines per scored request on average (the request, plus post-processing and reviews that follow it). */
const LINES_PER_REQUEST = 1.25;
/** Share of the traffic window the requests should fill, leaving room for late reviews. */
const WINDOW_FILL = 0.92;
const LOW_CONFIDENCE = 0.6;
/** Where in the log (as a share of its lines) the serving configuration changes. */
const CONFIG_CHANGES_AT = [0.35, 0.7] as const;
const MIN_ENTRIES_FOR_CONFIG_CHANGES = 50;
const MINUTE_MS = 60_000;

const RATIONALES: Readonly<Record<string, readonly string[]>> = {
  approved: [
    'income verified against payslips; affordability adequate',
    'thin bureau file, but stable employment and savings history',
    'debt-to-income acceptable once the consolidated loans are repaid',
    'collateral covers the requested exposure',
  ],
  declined: ['affordability insufficient after verified expenses', 'recent delinquencies confirmed with the bureau', 'income documentation inconsistent with declared values'],
  escalated: ['exposure above the officer mandate; sent to the credit committee', 'possible identity mismatch; sent to the fraud team'],
  upheld: ['decline consistent with policy and documents', 'delinquencies confirmed; decline stands'],
  overturned: ['bureau record corrected after an applicant dispute', 'declared income understated; verified income supports approval'],
};

/** Features an applicant may leave out; serving imputes them. */
const OPTIONAL_FEATURES = ['bureau_score', 'savings_balance_band', 'collateral_type', 'residence_tenure_months'] as const;
const REGIONS = ['de-by', 'de-be', 'de-nw', 'de-he', 'at-9', 'nl-nh'] as const;
const PRODUCTS = ['consumer-loan', 'car-loan', 'overdraft-extension', 'debt-consolidation'] as const;

interface Pending {
  readonly ms: number;
  readonly type: InferenceEventType;
  readonly correlationId: string;
  readonly event: LogEvent;
}

export interface InferenceLogInputs {
  readonly scenario: Scenario;
  readonly modelSha256: string;
  /** Total number of lines over all inference logs. */
  readonly entries: number;
}

/** Writes the inference logs and returns their heads, in path (= date) order. */
export async function writeInferenceLogs(writer: BundleWriter, inputs: InferenceLogInputs, prng: Prng): Promise<LogHead[]> {
  const logs = new DailyLogs(writer, inputs.scenario.bundleId);
  await new TrafficSimulation(inputs, prng, logs).run();
  return logs.close();
}

/**
 * Routes each line to the segment of its UTC day, opening and closing files as the days pass. The days
 * are segments of one log (`logs/inference`): each day's first line links to the previous day's last.
 */
class DailyLogs {
  readonly #heads: LogHead[] = [];
  #current: ChainedLogWriter | null = null;
  #day = '';

  constructor(
    private readonly writer: BundleWriter,
    private readonly bundleId: string,
  ) {}

  async append(ms: number, type: InferenceEventType, correlationId: string, event: LogEvent): Promise<void> {
    const time = new Date(ms).toISOString();
    const day = time.slice(0, 10);
    if (day !== this.#day || this.#current === null) {
      if (this.#current !== null) this.#heads.push(await this.#current.close());
      const previous = this.#heads[this.#heads.length - 1];
      const start = previous === undefined ? { log: INFERENCE_LOG_DIR, segment: 0, genesis: logGenesis(this.bundleId, INFERENCE_LOG_DIR), firstSeq: 0 } : nextSegment(previous);
      this.#current = await ChainedLogWriter.open(this.writer, this.bundleId, `${INFERENCE_LOG_DIR}/${day}.jsonl`, start);
      this.#day = day;
    }
    const flushed = this.#current.append(time, type, correlationId, event);
    if (flushed !== undefined) await flushed;
  }

  async close(): Promise<LogHead[]> {
    if (this.#current !== null) this.#heads.push(await this.#current.close());
    this.#current = null;
    return this.#heads;
  }
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** How sharply label scores fall off with the distance of the default probability from a label's band. */
const SCORE_SHARPNESS = 12;

/**
 * Scores of the three labels from the default probability and the refer band: each label's weight decays
 * with the distance to its band, so scores agree with the label and confidence is low near a boundary.
 */
export function decisionScores(pd: number, [low, high]: readonly [number, number]): { approve: number; refer: number; decline: number } {
  const weight = (distance: number): number => Math.exp(-SCORE_SHARPNESS * Math.max(0, distance));
  const approve = weight(pd - low);
  const refer = weight(Math.max(low - pd, pd - high));
  const decline = weight(high - pd);
  const total = approve + refer + decline;
  return { approve: round4(approve / total), refer: round4(refer / total), decline: round4(decline / total) };
}

class TrafficSimulation {
  readonly #scenario: Scenario;
  readonly #model: { name: string; version: string; sha256: string };
  readonly #instances: string[];
  /** Requests are paced to end near here, leaving room for the reviews that follow the last ones. */
  readonly #paceUntilMs: number;
  /** Line counts at which the risk officer retunes the refer band: a few changes per log, at any size. */
  readonly #configChanges: number[];
  /** Follow-up events (reviews) waiting for their time, kept sorted by time; small and bounded. */
  readonly #pending: Pending[] = [];
  #referBand: [number, number];
  #configVersion: number;
  #written = 0;
  #lastMs = -Infinity;

  constructor(
    private readonly inputs: InferenceLogInputs,
    private readonly prng: Prng,
    private readonly logs: DailyLogs,
  ) {
    const scenario = inputs.scenario;
    this.#scenario = scenario;
    this.#model = { name: scenario.model.name, version: scenario.model.version, sha256: inputs.modelSha256 };
    this.#instances = Array.from({ length: 6 }, (_, i) => `risk-scorer-${prng.hex(3)}-${i + 1}`);
    const window = scenario.inferenceWindow.endMs - scenario.inferenceWindow.startMs;
    this.#paceUntilMs = scenario.inferenceWindow.startMs + window * WINDOW_FILL;
    this.#configChanges = inputs.entries >= MIN_ENTRIES_FOR_CONFIG_CHANGES ? CONFIG_CHANGES_AT.map((share) => Math.floor(inputs.entries * share)) : [];
    this.#referBand = [scenario.referBand[0], scenario.referBand[1]];
    this.#configVersion = scenario.servingConfigVersion;
  }

  async run(): Promise<void> {
    const scenario = this.#scenario;
    const end = scenario.inferenceWindow.endMs;
    if (this.#written < this.inputs.entries) await this.#emit(scenario.deployedAtMs, 'deployment', this.prng.uuid(), this.#deploymentEvent());
    let next = scenario.inferenceWindow.startMs;
    while (this.#written < this.inputs.entries) {
      const due = this.#pending[0];
      if (due !== undefined && due.ms <= next) {
        this.#pending.shift();
        await this.#emit(due.ms, due.type, due.correlationId, due.event);
        continue;
      }
      if (this.#configChanges.length > 0 && this.#written >= this.#configChanges[0]!) {
        this.#configChanges.shift();
        await this.#emit(next, 'config-change', this.prng.uuid(), this.#configChange());
        continue;
      }
      await this.#request(next);
      next = Math.min(end, next + Math.max(1, Math.round(this.prng.exponential(this.#meanGapMs(next)))));
    }
  }

  async #emit(ms: number, type: InferenceEventType, correlationId: string, event: LogEvent): Promise<void> {
    // A review due within the few milliseconds of a request's post-processing must not step back in time.
    this.#lastMs = Math.max(this.#lastMs, ms);
    this.#written += 1;
    await this.logs.append(this.#lastMs, type, correlationId, event);
  }

  /** Mean gap to the next request: the time left spread over the requests the remaining lines allow. */
  #meanGapMs(now: number): number {
    const requestsLeft = Math.max(1, (this.inputs.entries - this.#written) / LINES_PER_REQUEST);
    return Math.max(1, (this.#paceUntilMs - now) / requestsLeft);
  }

  #schedule(item: Pending): void {
    const queue = this.#pending;
    let i = queue.length;
    while (i > 0 && queue[i - 1]!.ms > item.ms) i -= 1;
    queue.splice(i, 0, item);
  }

  /** W3C trace context ids of the span that wrote the event (as an OpenTelemetry exporter records them). */
  #trace(): { trace_id: string; span_id: string } {
    return { trace_id: this.prng.hex(16), span_id: this.prng.hex(8) };
  }

  #deploymentEvent(): LogEvent {
    const scenario = this.#scenario;
    return {
      version: scenario.model.version,
      model_sha256: this.#model.sha256,
      image_digest: scenario.servingImage.digest,
      environment: scenario.environment.name,
      strategy: 'canary',
      deployer: scenario.people.platformEngineer.id,
      approval_references: scenario.approvalReferences,
    };
  }

  #configChange(): LogEvent {
    const old = [...this.#referBand];
    const bound = this.prng.int(0, 1);
    const step = this.prng.chance(0.5) ? 0.01 : -0.01;
    this.#referBand[bound] = round4(this.#referBand[bound]! + step);
    const oldVersion = this.#configVersion;
    this.#configVersion += 1;
    return {
      setting: 'decision_policy.refer_band',
      old,
      new: [...this.#referBand],
      changed_by: this.#scenario.people.riskOfficer.id,
      change_ticket: `CHG-2026-${this.prng.int(1000, 9999)}`,
      config_version: { old: oldVersion, new: this.#configVersion },
      model_version: this.#model.version,
    };
  }

  async #request(ms: number): Promise<void> {
    const prng = this.prng;
    const correlationId = prng.uuid();
    // Skewed towards low default probabilities, as a retail credit book is.
    const pd = round4(prng.float() ** 2.5 * 0.97);
    const scores = decisionScores(pd, this.#referBand);
    const label = scores.approve >= scores.refer && scores.approve >= scores.decline ? 'approve' : scores.decline > scores.refer ? 'decline' : 'refer';
    const confidence = scores[label];
    // SHAP attributions of every feature, largest first: what a reviewer or an auditor reads to see why.
    const attributions = this.#scenario.features.map((feature) => ({ feature, attribution: round4(prng.normal(0, 0.06)) }));
    attributions.sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution));
    const missing = prng.chance(0.08) ? [prng.pick(OPTIONAL_FEATURES)] : [];
    const channel = prng.weighted([['online', 52], ['branch', 31], ['broker', 17]] as const);

    await this.#emit(ms, 'inference', correlationId, {
      model: this.#model,
      input: {
        sha256: prng.hex(32),
        bytes: prng.int(900, 2400),
        schema: 'credit-application/v3',
        features: this.#scenario.features.length,
        quality: { missing, imputed: missing.length, out_of_range: [] },
      },
      output: { label, probability_of_default: pd, scores },
      confidence,
      latency_ms: Math.round((4 + prng.exponential(14)) * 10) / 10,
      explanation: { method: 'tree-shap', base_value: 0.1187, attributions },
      request: { application_id: `APP-2026-${String(prng.int(0, 9_999_999)).padStart(7, '0')}`, channel, region: prng.pick(REGIONS), product: prng.pick(PRODUCTS) },
      decision_policy: { refer_band: [...this.#referBand], config_version: this.#configVersion },
      trace: this.#trace(),
      client: { service: 'loan-origination', instance: prng.pick(this.#instances) },
      serving_config_version: this.#configVersion,
    });

    let final: string = label;
    // The post-processing line must not overshoot the number of lines asked for.
    if (this.#written >= this.inputs.entries) return;
    if (label !== 'refer' && confidence < LOW_CONFIDENCE) final = await this.#postProcess(ms, correlationId, label, 'low-confidence-refer', `confidence ${confidence} below ${LOW_CONFIDENCE}`);
    else if (label === 'approve' && prng.chance(0.01)) final = await this.#postProcess(ms, correlationId, label, 'affordability-floor', 'installment-to-income above 0.45');

    if (final === 'refer' && prng.chance(0.92)) this.#review(ms, correlationId, final, 'referral', [['approved', 55], ['declined', 35], ['escalated', 10]]);
    else if (final === 'decline' && prng.chance(0.03)) this.#review(ms, correlationId, final, 'decline-sample', [['upheld', 85], ['overturned', 15]]);
  }

  async #postProcess(ms: number, correlationId: string, label: string, rule: string, reason: string): Promise<string> {
    await this.#emit(ms + this.prng.int(1, 4), 'post-processing', correlationId, { rule, reason, original: { label }, modified: { label: 'refer' }, model_version: this.#model.version, trace: this.#trace() });
    return 'refer';
  }

  #review(ms: number, correlationId: string, label: string, caseKind: string, decisions: readonly (readonly [string, number])[]): void {
    const prng = this.prng;
    const decision = prng.weighted(decisions);
    const reviewSeconds = prng.int(45, 900);
    const at = Math.min(this.#scenario.inferenceWindow.endMs, ms + 2 * MINUTE_MS + Math.round(prng.exponential(25 * MINUTE_MS)));
    this.#schedule({
      ms: at,
      type: 'oversight',
      correlationId,
      event: {
        case: caseKind,
        reviewer: prng.pick(this.#scenario.people.reviewers).id,
        model_label: label,
        decision,
        rationale: prng.pick(RATIONALES[decision] ?? ['recorded in the case file']),
        review_seconds: reviewSeconds,
        model_version: this.#model.version,
        trace: this.#trace(),
      },
    });
  }
}
