// LOG-EVENT: what the logs say is what Art. 12 requires them to say. Every line is one strict JSON object
// (no repeated member names at any depth); every event has a correlation id; in the inference logs
// every event type carries its Art. 12 fields and names the bundle's model version.

import type { FindingId } from '../../../shared/finding-ids.js';
import type { EventProblemKind, EventRules } from '../logs/events.js';
import { checkLogEvents, LogUnreadableError, type EventsVerification } from '../logs/verify-log.js';
import { findingOf, type Check, type FindingDraft, type VerifyContext } from './check.js';

/** Logs under this directory are Art. 12 inference logs; the others (e.g. the pipeline audit log) get the envelope rules. */
export const INFERENCE_LOG_PREFIX = 'logs/inference/';

const FINDING_OF_KIND: Readonly<Record<EventProblemKind, FindingId>> = {
  'not-json': 'LOG-EVENT-NOT-JSON',
  'duplicate-key': 'LOG-EVENT-DUPLICATE-KEY',
  'envelope-missing': 'LOG-EVENT-ENVELOPE-MISSING',
  'unknown-type': 'LOG-EVENT-UNKNOWN-TYPE',
  'field-missing': 'LOG-EVENT-FIELD-MISSING',
  'model-mismatch': 'LOG-EVENT-MODEL-MISMATCH',
};

export const logEventsCheck: Check = {
  prefix: 'LOG-EVENT',
  title: 'Log event content (Art. 12 fields)',
  obligation:
    'Art. 12(2)-(3) record-keeping: events must allow the system to be traced: input reference, time, model version, output and confidence, post-processing, human oversight decisions, configuration changes and deployments, tied together by correlation ids.',
  findings: {
    'LOG-EVENT-VERIFIED': { status: 'pass', severity: 'info', when: 'Every line of the logs is strict JSON and every event carries the fields its type requires.' },
    'LOG-EVENT-NOT-JSON': { status: 'fail', severity: 'high', when: 'A line is not UTF-8 JSON, not an object, or not a complete line.' },
    'LOG-EVENT-DUPLICATE-KEY': { status: 'fail', severity: 'high', when: 'A line repeats a member name in an object (readers would disagree on its value).' },
    'LOG-EVENT-ENVELOPE-MISSING': { status: 'fail', severity: 'high', when: 'An event lacks seq, time, prev, type or a non-empty correlation id.' },
    'LOG-EVENT-UNKNOWN-TYPE': { status: 'warn', severity: 'medium', when: 'An inference-log event has a type the Art. 12 profile does not define.' },
    'LOG-EVENT-FIELD-MISSING': { status: 'fail', severity: 'high', when: 'An inference-log event lacks a field its type requires (e.g. input hash, output, confidence; reviewer, decision, rationale; old, new, changed_by).' },
    'LOG-EVENT-MODEL-MISMATCH': { status: 'fail', severity: 'high', when: "An inference-log event names another model version (or name) than the bundle's model." },
  },
  async run(context: VerifyContext): Promise<readonly FindingDraft[]> {
    if (context.manifest.state !== 'ok') return [];
    const manifest = context.manifest.value;
    const byPath = new Map(context.bundle.files.map((f) => [f.path, f]));
    const inputs = manifest.logs.flatMap((head) => {
      const file = byPath.get(head.path);
      if (file === undefined) return []; // LOG reports it
      const rules: EventRules = head.path.startsWith(INFERENCE_LOG_PREFIX)
        ? { profile: 'inference', modelVersion: manifest.model.version, modelName: manifest.model.name }
        : { profile: 'envelope', modelVersion: null, modelName: null };
      return [{ path: file.absPath, bundlePath: head.path, rules }];
    });
    if (inputs.length === 0) return [];
    let results: EventsVerification[];
    try {
      results = await checkLogEvents(inputs);
    } catch (error) {
      if (error instanceof LogUnreadableError) return []; // LOG reports unreadable logs
      throw error;
    }
    const findings: FindingDraft[] = [];
    let events = 0;
    results.forEach((result, i) => {
      const path = inputs[i]!.bundlePath;
      events += result.lines;
      for (const [kind, count] of Object.entries(result.problemCounts) as [EventProblemKind, number][]) {
        const first = result.problems.find((p) => p.kind === kind)!;
        const subject = first.seq === null ? { kind: 'log-entry' as const, path, line: first.line } : { kind: 'log-entry' as const, path, line: first.line, seq: first.seq };
        const more = count > 1 ? ` (${count} events of this file have this problem; the first is named)` : '';
        findings.push(findingOf(this, FINDING_OF_KIND[kind], subject, `${path}: ${first.message}${more}`, { count, examples: result.problems.filter((p) => p.kind === kind).map((p) => p.line).join(', ') }));
      }
    });
    if (!findings.some((f) => f.status === 'fail')) {
      findings.push(findingOf(this, 'LOG-EVENT-VERIFIED', { kind: 'bundle', ref: context.bundle.source }, `${events} events in ${inputs.length} logs are strict JSON with the fields their types require`, { events, logs: inputs.length }));
    }
    return findings;
  },
};
