// The inspection scenario format (`assay/scenario/v1`, docs/queries.md): a named list of regulator
// requests, each a query with the targets it must meet (time, completeness, rows). YAML, read strictly
// (unique keys, no custom tags) and validated here; the runner sees only typed, checked requests.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeProblem, readYamlDocument } from '../schemas/validate.js';
import { checkCorrelationId, EXPORT_FORMATS, parseCohortExpr, parseQueryTime, parseTimeRange, QuerySpecError, type QuerySpec, type TimeRange } from '../query/query-spec.js';

export const SCENARIO_VERSION = 'assay/scenario/v1';
const MAX_SCENARIO_BYTES = 1024 * 1024;

const targetsSchema = z
  .object({
    maxSeconds: z.number().positive().max(86_400).optional().describe('the request must be answered (verified, queried, exported) within this many seconds'),
    completeness: z.number().min(0).max(1).optional().describe('share of the chain-counted entries the export must hold (1: all, the default)'),
    minRows: z.number().int().nonnegative().optional().describe('the result must have at least this many rows'),
    oldestNotAfter: z.string().optional().describe('oldest-entry requests: the oldest entry must be at or before this time (retention reaches back that far)'),
  })
  .strict();

const timeText = z.string().min(1).max(64);
const base = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase letters, digits and -, up to 64'),
  title: z.string().min(1).max(200),
  request: z.string().max(2000).optional().describe("the regulator's request in their words"),
  log: z.string().min(1).max(512).optional().describe('restrict to one log (e.g. logs/inference)'),
  format: z.enum(EXPORT_FORMATS).optional(),
  targets: targetsSchema.optional(),
};

const pickSchema = z
  .object({
    type: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).describe('event type whose correlation id is traced'),
    nth: z.number().int().positive().max(1_000_000).default(1).describe('the nth event of that type in chain order'),
  })
  .strict();

export const scenarioRequestSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('time-range'), from: timeText, to: timeText }).strict(),
  z
    .object({ ...base, kind: z.literal('trace'), correlationId: z.string().optional(), pick: pickSchema.optional(), from: timeText.optional(), to: timeText.optional() })
    .strict()
    .refine((r) => (r.correlationId === undefined) !== (r.pick === undefined), { message: 'a trace request names either correlationId or pick, not both' }),
  z.object({ ...base, kind: z.literal('cohort'), cohort: z.string().min(1).max(512), from: timeText.optional(), to: timeText.optional() }).strict(),
  z.object({ ...base, kind: z.literal('oldest') }).strict(),
]);

export const scenarioSchema = z
  .object({
    apiVersion: z.literal(SCENARIO_VERSION),
    name: z.string().min(1).max(200),
    description: z.string().max(4000).optional(),
    authority: z.string().max(200).optional().describe('who asks, e.g. the market surveillance authority'),
    defaults: z.object({ format: z.enum(EXPORT_FORMATS).optional(), targets: targetsSchema.optional() }).strict().optional(),
    requests: z.array(scenarioRequestSchema).min(1).max(200),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.requests.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['requests', i, 'id'], message: `request id ${r.id} is used twice` });
      seen.add(r.id);
    });
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioRequest = z.infer<typeof scenarioRequestSchema>;
export type Targets = z.infer<typeof targetsSchema>;

/** The scenario file cannot be used: exit code 2. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly sha256: string;
  /** Every request as a query spec; a trace with `pick` gets its correlation id at run time. */
  readonly plans: readonly RequestPlan[];
}

export interface RequestPlan {
  readonly request: ScenarioRequest;
  readonly format: (typeof EXPORT_FORMATS)[number];
  readonly targets: { readonly maxSeconds: number | null; readonly completeness: number; readonly minRows: number | null; readonly oldestNotAfter: string | null };
  /** The query; for a trace chosen by `pick`, `correlationId` is filled in by the runner. */
  readonly spec: QuerySpec;
  readonly pick: { readonly type: string; readonly nth: number } | null;
}

export async function loadScenario(path: string): Promise<LoadedScenario> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ScenarioError(`cannot read scenario ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (bytes.length > MAX_SCENARIO_BYTES) throw new ScenarioError(`scenario ${path} is ${bytes.length} bytes, over ${MAX_SCENARIO_BYTES}`);
  return parseScenario(bytes, path);
}

export function parseScenario(bytes: Buffer, where = 'scenario'): LoadedScenario {
  const reading = readYamlDocument(bytes, scenarioSchema);
  if (!reading.ok) throw new ScenarioError(`${where}: ${describeProblem(reading)}`);
  const scenario = reading.value;
  const plans = scenario.requests.map((request, i) => {
    try {
      return planOf(request, scenario);
    } catch (error) {
      if (error instanceof QuerySpecError) throw new ScenarioError(`${where}: requests.${i} (${request.id}): ${error.message}`);
      throw error;
    }
  });
  return { scenario, sha256: createHash('sha256').update(bytes).digest('hex'), plans };
}

function planOf(request: ScenarioRequest, scenario: Scenario): RequestPlan {
  const defaults = scenario.defaults?.targets ?? {};
  const t = { ...defaults, ...(request.targets ?? {}) };
  if (t.oldestNotAfter !== undefined && request.kind !== 'oldest') throw new QuerySpecError('oldestNotAfter is a target of oldest-entry requests only');
  const targets = {
    maxSeconds: t.maxSeconds ?? null,
    completeness: t.completeness ?? 1,
    minRows: t.minRows ?? null,
    oldestNotAfter: t.oldestNotAfter === undefined ? null : parseQueryTime(t.oldestNotAfter, 'to'),
  };
  const format = request.format ?? scenario.defaults?.format ?? 'csv';
  const log = request.log ?? null;
  const rangeOf = (from: string | undefined, to: string | undefined): TimeRange | null => {
    if ((from === undefined) !== (to === undefined)) throw new QuerySpecError('from and to go together');
    return from === undefined || to === undefined ? null : parseTimeRange(from, to);
  };
  switch (request.kind) {
    case 'time-range':
      return { request, format, targets, pick: null, spec: { kind: 'time-range', range: parseTimeRange(request.from, request.to), log } };
    case 'trace':
      return {
        request,
        format,
        targets,
        pick: request.pick ?? null,
        spec: { kind: 'trace', correlationId: request.correlationId === undefined ? '' : checkCorrelationId(request.correlationId), range: rangeOf(request.from, request.to), log },
      };
    case 'cohort':
      return { request, format, targets, pick: null, spec: { kind: 'cohort', cohort: parseCohortExpr(request.cohort), range: rangeOf(request.from, request.to), log } };
    case 'oldest':
      return { request, format, targets, pick: null, spec: { kind: 'oldest', log } };
  }
}
