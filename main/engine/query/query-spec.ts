// What a regulator can ask of a bundle's logs, as typed values: a time range, the trace of one
// correlation id, a cohort (outcome by subgroup attribute) or the oldest entry. Parsing of the user's
// text (times, the cohort expression) happens here, once, so the engine only sees valid specs.

export const QUERY_KINDS = ['time-range', 'trace', 'cohort', 'oldest'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export const EXPORT_FORMATS = ['csv', 'json', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A closed time range `[from, to]`, both ends included, as envelope timestamps (`YYYY-MM-DDTHH:MM:SS.mmmZ`). */
export interface TimeRange {
  readonly from: string;
  readonly to: string;
}

/** Outcome by subgroup: events of `type`, grouped by the value at `attribute`, counted per value at `outcome`. */
export interface CohortExpr {
  /** Dotted path into the event's own fields, e.g. `request.region`. */
  readonly attribute: readonly string[];
  readonly outcome: readonly string[];
  readonly type: string;
}

interface Common {
  /** Restricts the query to one log (its name, e.g. `logs/inference`); null: every log of the bundle. */
  readonly log: string | null;
}

export type QuerySpec =
  | (Common & { readonly kind: 'time-range'; readonly range: TimeRange })
  | (Common & { readonly kind: 'trace'; readonly correlationId: string; readonly range: TimeRange | null })
  | (Common & { readonly kind: 'cohort'; readonly cohort: CohortExpr; readonly range: TimeRange | null })
  | (Common & { readonly kind: 'oldest' });

export class QuerySpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuerySpecError';
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 time as an envelope timestamp. A bare date means the start of that UTC day for `from`
 * and its last millisecond for `to`, so `--from 2026-09-12 --to 2026-09-12` is that whole day.
 */
export function parseQueryTime(text: string, end: 'from' | 'to'): string {
  const trimmed = text.trim();
  if (DATE_ONLY.test(trimmed)) {
    const iso = `${trimmed}T${end === 'from' ? '00:00:00.000' : '23:59:59.999'}Z`;
    if (Number.isNaN(Date.parse(iso)) || new Date(iso).toISOString() !== iso) throw new QuerySpecError(`"${text}" is not a valid date`);
    return iso;
  }
  if (!TIMESTAMP.test(trimmed)) throw new QuerySpecError(`"${text}" is not an ISO 8601 time (e.g. 2026-09-12T08:00:00Z or 2026-09-12)`);
  const ms = Date.parse(trimmed);
  if (Number.isNaN(ms)) throw new QuerySpecError(`"${text}" is not a valid time`);
  const year = new Date(ms).getUTCFullYear();
  if (year < 0 || year > 9999) throw new QuerySpecError(`"${text}" is outside the years 0000-9999`);
  return new Date(ms).toISOString();
}

export function parseTimeRange(from: string, to: string): TimeRange {
  const range = { from: parseQueryTime(from, 'from'), to: parseQueryTime(to, 'to') };
  if (range.from > range.to) throw new QuerySpecError(`the range is empty: ${range.from} is after ${range.to}`);
  return range;
}

const PATH_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const EVENT_TYPE = /^[A-Za-z0-9_.:-]{1,128}$/;
const COHORT_KEYS = ['attribute', 'outcome', 'type'] as const;

/** A dotted path of plain field names (`request.region`); no wildcards, indexes or quoting. */
export function parseFieldPath(text: string, what: string): string[] {
  const segments = text.split('.');
  if (segments.length > 8 || segments.some((s) => !PATH_SEGMENT.test(s))) {
    throw new QuerySpecError(`${what} "${text}" is not a dotted path of field names (letters, digits, _ and -, e.g. request.region)`);
  }
  return segments;
}

/**
 * `attribute=PATH[,outcome=PATH][,type=TYPE]`: group the events of TYPE (default `inference`) by the value
 * at PATH and count the values at the outcome path (default `output.label`) in each group.
 */
export function parseCohortExpr(text: string): CohortExpr {
  const clauses = text.split(',').map((c) => c.trim());
  const values = new Map<string, string>();
  for (const clause of clauses) {
    const eq = clause.indexOf('=');
    const key = eq < 0 ? clause : clause.slice(0, eq).trim();
    if (eq < 0 || !(COHORT_KEYS as readonly string[]).includes(key)) {
      throw new QuerySpecError(`cohort clause "${clause}" is not one of ${COHORT_KEYS.map((k) => `${k}=...`).join(', ')}`);
    }
    if (values.has(key)) throw new QuerySpecError(`cohort key "${key}" is given twice`);
    values.set(key, clause.slice(eq + 1).trim());
  }
  const attribute = values.get('attribute');
  if (attribute === undefined) throw new QuerySpecError('the cohort expression needs attribute=PATH (e.g. attribute=request.region)');
  const type = values.get('type') ?? 'inference';
  if (!EVENT_TYPE.test(type)) throw new QuerySpecError(`cohort type "${type}" is not an event type`);
  return { attribute: parseFieldPath(attribute, 'attribute'), outcome: parseFieldPath(values.get('outcome') ?? 'output.label', 'outcome'), type };
}

export function formatCohortExpr(cohort: CohortExpr): string {
  return `attribute=${cohort.attribute.join('.')},outcome=${cohort.outcome.join('.')},type=${cohort.type}`;
}

const CORRELATION_ID = /^[\x21-\x7e]{1,128}$/;

export function checkCorrelationId(id: string): string {
  if (!CORRELATION_ID.test(id) || id.includes('"') || id.includes('\\')) throw new QuerySpecError(`"${id}" is not a correlation id (1 to 128 printable ASCII characters, no quote or backslash)`);
  return id;
}

/** The parameters of a spec as plain JSON, for export manifests and reports. */
export function parametersOf(spec: QuerySpec): Record<string, string | null> {
  const log = { log: spec.log };
  switch (spec.kind) {
    case 'time-range':
      return { ...log, from: spec.range.from, to: spec.range.to };
    case 'trace':
      return { ...log, correlationId: spec.correlationId, from: spec.range?.from ?? null, to: spec.range?.to ?? null };
    case 'cohort':
      return { ...log, cohort: formatCohortExpr(spec.cohort), from: spec.range?.from ?? null, to: spec.range?.to ?? null };
    case 'oldest':
      return log;
  }
}

/** The time range a spec reads, if it is limited to one (segments outside it are not read). */
export function rangeOf(spec: QuerySpec): TimeRange | null {
  return spec.kind === 'oldest' ? null : spec.range;
}
