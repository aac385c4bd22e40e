// One regulator query, end to end: verify the segments it reads (refusing on any break), count the
// expected answer from the verified chain, run the query on DuckDB over those same files, export the
// result (CSV, JSON Lines or Parquet), and write export-manifest.json with checksums, timings and the
// completeness check that compares DuckDB's rows with the chain's count.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { VERSION } from '../version.js';
import { cellKey, tallyChain, type ChainTally } from './chain-tally.js';
import { jsonPath, openDuckDb, sqlString } from './duckdb.js';
import { EXPORT_MANIFEST_FILE, EXPORT_MANIFEST_VERSION, renderExportManifest, type ExportManifest } from './export-manifest.js';
import { parametersOf, rangeOf, type ExportFormat, type QuerySpec } from './query-spec.js';
import { verifyForQuery, type QueryContext, type VerifiedSegment, type VerifiedSelection } from './verified-logs.js';

export const RESULT_FILES: Readonly<Record<ExportFormat, { name: string; mediaType: string; copyOptions: string }>> = {
  csv: { name: 'result.csv', mediaType: 'text/csv', copyOptions: 'FORMAT csv, HEADER true' },
  json: { name: 'result.jsonl', mediaType: 'application/jsonl', copyOptions: 'FORMAT json' },
  parquet: { name: 'result.parquet', mediaType: 'application/vnd.apache.parquet', copyOptions: "FORMAT parquet, COMPRESSION 'zstd'" },
};

/** Columns of an entry export (time-range, trace, oldest), in order. */
export const ENTRY_COLUMNS = ['log', 'file', 'line', 'seq', 'time', 'type', 'correlation_id', 'prev', 'sha256', 'event'] as const;
/** Columns of a cohort export. */
export const COHORT_COLUMNS = ['subgroup', 'outcome', 'count', 'subgroup_total'] as const;

export interface RunQueryOptions {
  readonly format: ExportFormat;
  readonly outDir: string;
  readonly now?: (() => Date) | undefined;
  readonly memoryLimit?: string | undefined;
  readonly tempParent?: string | undefined;
}

export interface QueryOutcome {
  readonly manifest: ExportManifest;
  readonly manifestPath: string;
  readonly resultPath: string;
}

/** The export directory already holds an export: never overwrite evidence. Exit code 2. */
export class ExportExistsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportExistsError';
  }
}

export async function runQuery(context: QueryContext, spec: QuerySpec, options: RunQueryOptions): Promise<QueryOutcome> {
  const generatedAt = (options.now ?? (() => new Date()))().toISOString();
  const outDir = resolve(options.outDir);
  const target = RESULT_FILES[options.format];
  const resultPath = join(outDir, target.name);
  const manifestPath = join(outDir, EXPORT_MANIFEST_FILE);
  await refuseExisting([resultPath, manifestPath]);

  const start = performance.now();
  const selection = await verifyForQuery(context, { log: spec.log, range: rangeOf(spec), firstSegmentOnly: spec.kind === 'oldest' });
  await mkdir(outDir, { recursive: true });
  const verified = performance.now();
  const tally = tallyChain(spec, selection);
  const counted = performance.now();

  const db = await openDuckDb({ memoryLimit: options.memoryLimit, tempParent: options.tempParent });
  let sql: string;
  let found: Found;
  let rowCount: number;
  let queried: number;
  try {
    const query = buildQuery(spec, selection, (s) => s.absPath);
    // The manifest shows the statement with bundle paths: the same statement, minus this machine's directories.
    sql = buildQuery(spec, selection, (s) => s.path).sql;
    await db.connection.run(`CREATE TEMP TABLE files (abs_path VARCHAR, path VARCHAR, log VARCHAR, first_seq BIGINT)`);
    for (const segment of selection.logs.flatMap((l) => l.segments)) {
      await db.connection.run('INSERT INTO files VALUES ($abs, $path, $log, $first)', { abs: segment.absPath, path: segment.path, log: segment.log, first: segment.firstSeq });
    }
    for (const statement of query.statements) await db.connection.run(statement.sql, Object.keys(statement.values).length === 0 ? undefined : statement.values);
    found = spec.kind === 'cohort' ? await cohortFound(db.connection) : await entriesFound(db.connection);
    queried = performance.now();
    const copied = await db.connection.runAndReadAll(`COPY result TO ${sqlString(resultPath)} (${target.copyOptions})`);
    rowCount = Number(copied.getRows()[0]?.[0] ?? -1);
  } finally {
    await db.close();
  }
  const file = await fileRecord(resultPath, target.name, target.mediaType);
  const exported = performance.now();

  const completeness = completenessOf(spec, selection, tally, found, rowCount);
  const manifest: ExportManifest = {
    exportManifestVersion: EXPORT_MANIFEST_VERSION,
    verifier: { name: 'assay', version: VERSION },
    generatedAt,
    bundle: { source: context.bundle.source, id: context.manifest.bundleId, manifestSha256: context.manifestSha256 },
    query: { kind: spec.kind, parameters: parametersOf(spec), sql },
    format: options.format,
    rowCount,
    files: [file],
    executionMs: { verify: ms(start, verified), count: ms(verified, counted), query: ms(counted, queried), export: ms(queried, exported), total: ms(start, exported) },
    verification: {
      authenticated: context.authenticated,
      signerKey: context.signerKey,
      entriesVerified: selection.entriesVerified,
      bytesVerified: selection.bytesVerified,
      logs: selection.logs.map((log) => ({
        log: log.name,
        head: log.head,
        entries: log.entries,
        segmentsTotal: log.segmentsTotal,
        checkpointChain: log.checkpointChain,
        segmentsRead: log.segments.map((s) => ({ path: s.path, firstSeq: s.firstSeq, entries: s.verification.entries, firstTime: s.verification.firstTime, lastTime: s.verification.lastTime, genesis: s.verification.genesis, head: s.verification.head, checkpoint: s.checkpoint })),
      })),
    },
    completeness,
  };
  await writeFile(manifestPath, renderExportManifest(manifest), { flag: 'wx' });
  return { manifest, manifestPath, resultPath };
}

function ms(from: number, to: number): number {
  return Math.round((to - from) * 10) / 10;
}

async function refuseExisting(targets: readonly string[]): Promise<void> {
  for (const path of targets) {
    const exists = await lstat(path).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    if (exists) throw new ExportExistsError(`${path} already exists; export into a new directory`);
  }
}

async function fileRecord(path: string, name: string, mediaType: string): Promise<ExportManifest['files'][number]> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { path: name, sha256: hash.digest('hex'), size: (await stat(path)).size, mediaType };
}

interface BuiltQuery {
  /** The statements in order, each with the parameters it binds. */
  readonly statements: readonly { readonly sql: string; readonly values: Record<string, DuckDBValue> }[];
  /** All of them, for the export manifest. */
  readonly sql: string;
}

function built(...statements: { sql: string; values: Record<string, DuckDBValue> }[]): BuiltQuery {
  return { statements, sql: statements.map((s) => `${s.sql};`).join('\n') };
}

/** The statement that fills the `result` table (a cohort also keeps its matched events in `matched`). */
export function buildQuery(spec: QuerySpec, selection: VerifiedSelection, pathOf: (segment: VerifiedSegment) => string): BuiltQuery {
  const paths = selection.logs.flatMap((l) => l.segments.map(pathOf));
  const values: Record<string, DuckDBValue> = {};
  const conditions: string[] = [];
  const range = rangeOf(spec);
  if (range !== null) {
    conditions.push("(json->>'time') BETWEEN $from AND $to");
    values['from'] = range.from;
    values['to'] = range.to;
  }
  if (spec.kind === 'trace') {
    conditions.push("(json->>'correlation_id') = $correlation_id");
    values['correlation_id'] = spec.correlationId;
  }
  if (spec.kind === 'cohort') {
    conditions.push("(json->>'type') = $type");
    values['type'] = spec.cohort.type;
  }
  // (->> binds more loosely than = in DuckDB: every extraction is parenthesised.)
  const where = conditions.length === 0 ? '' : `\nWHERE ${conditions.join(' AND ')}`;
  // An empty selection still yields a typed, empty result; read_json_objects needs at least one file.
  const source =
    paths.length === 0
      ? `(SELECT NULL::JSON AS json, NULL::VARCHAR AS filename WHERE false) AS r`
      : `read_json_objects([${paths.map(sqlString).join(', ')}], format = 'newline_delimited', filename = true) AS r`;
  const entries = `SELECT f.log, f.path AS file, (json->>'seq')::BIGINT - f.first_seq + 1 AS line, (json->>'seq')::BIGINT AS seq,
  (json->>'time') AS time, (json->>'type') AS type, (json->>'correlation_id') AS correlation_id, (json->>'prev') AS prev,
  sha256(json::VARCHAR) AS sha256, json AS event
FROM ${source} JOIN files AS f ON r.filename = f.abs_path${where}`;
  switch (spec.kind) {
    case 'time-range':
    case 'trace':
      return built({ sql: `CREATE TEMP TABLE result AS\n${entries}\nORDER BY time, log, seq`, values });
    case 'oldest':
      return built({ sql: `CREATE TEMP TABLE result AS\nSELECT * FROM (${entries})\nQUALIFY row_number() OVER (PARTITION BY log ORDER BY seq) = 1\nORDER BY time, log, seq`, values });
    case 'cohort':
      return built(
        {
          sql: `CREATE TEMP TABLE matched AS
SELECT f.log, (json->>'seq')::BIGINT AS seq, json_extract_string(json, $attribute) AS subgroup, json_extract_string(json, $outcome) AS outcome
FROM ${source} JOIN files AS f ON r.filename = f.abs_path${where}`,
          values: { ...values, attribute: jsonPath(spec.cohort.attribute), outcome: jsonPath(spec.cohort.outcome) },
        },
        {
          sql: `CREATE TEMP TABLE result AS
SELECT subgroup, outcome, count(*)::BIGINT AS count, (sum(count(*)) OVER (PARTITION BY subgroup))::BIGINT AS subgroup_total
FROM matched GROUP BY subgroup, outcome
ORDER BY subgroup NULLS LAST, outcome NULLS LAST`,
          values: {},
        },
      );
  }
}

export interface LogStats {
  readonly count: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly sum: string;
}

/** What DuckDB's result holds, per log and (for a cohort) per cell. */
export interface Found {
  readonly perLog: ReadonlyMap<string, LogStats>;
  readonly events: number;
  readonly links: { checked: number; broken: number };
  readonly cells: ReadonlyMap<string, number> | null;
}

const num = (v: DuckDBValue | undefined): number | null => (v === null || v === undefined ? null : Number(v));

async function statsOf(connection: DuckDBConnection, table: 'result' | 'matched'): Promise<Map<string, LogStats>> {
  const rows = (await connection.runAndReadAll(`SELECT log, count(*), min(seq), max(seq), coalesce(sum(seq), 0)::HUGEINT::VARCHAR FROM ${table} GROUP BY log`)).getRows();
  return new Map(rows.map((r) => [String(r[0]), { count: num(r[1]) ?? 0, min: num(r[2]), max: num(r[3]), sum: String(r[4]) }]));
}

async function entriesFound(connection: DuckDBConnection): Promise<Found> {
  const perLog = await statsOf(connection, 'result');
  // Consecutive entries in the export must still chain: each one's prev is the sha256 of the one before.
  const links = (
    await connection.runAndReadAll(`SELECT count(*) FILTER (WHERE prev_seq = seq - 1), count(*) FILTER (WHERE prev_seq = seq - 1 AND prev IS DISTINCT FROM prev_sha256)
FROM (SELECT seq, prev, lag(seq) OVER w AS prev_seq, lag(sha256) OVER w AS prev_sha256 FROM result WINDOW w AS (PARTITION BY log ORDER BY seq))`)
  ).getRows()[0]!;
  const events = [...perLog.values()].reduce((n, s) => n + s.count, 0);
  return { perLog, events, links: { checked: num(links[0]) ?? 0, broken: num(links[1]) ?? 0 }, cells: null };
}

async function cohortFound(connection: DuckDBConnection): Promise<Found> {
  const perLog = await statsOf(connection, 'matched');
  const rows = (await connection.runAndReadAll('SELECT subgroup, outcome, count FROM result')).getRows();
  const cells = new Map(rows.map((r) => [cellKey(r[0] === null ? null : String(r[0]), r[1] === null ? null : String(r[1])), num(r[2]) ?? 0]));
  const events = [...cells.values()].reduce((n, c) => n + c, 0);
  return { perLog, events, links: { checked: 0, broken: 0 }, cells };
}

/** The completeness check: the result against the count taken from the verified chain, log by log and cell by cell. */
export function completenessOf(spec: QuerySpec, selection: VerifiedSelection, tally: ChainTally, found: Found, rowCount: number): ExportManifest['completeness'] {
  const problems: string[] = [];
  const perLog = selection.logs.map((log) => {
    const t = tally.perLog.get(log.name)!;
    const f = found.perLog.get(log.name) ?? { count: 0, min: null, max: null, sum: '0' };
    const expectedSeq = { min: t.minSeq, max: t.maxSeq, sum: t.seqSum.toString() };
    const complete = t.count === f.count && t.minSeq === f.min && t.maxSeq === f.max && expectedSeq.sum === f.sum;
    if (!complete) problems.push(`${log.name}: the chain has ${t.count} matching entries (seq ${t.minSeq ?? '-'}..${t.maxSeq ?? '-'}), the result ${f.count} (seq ${f.min ?? '-'}..${f.max ?? '-'})`);
    return { log: log.name, expected: t.count, exported: f.count, expectedSeq, exportedSeq: { min: f.min, max: f.max, sum: f.sum }, complete };
  });
  for (const name of found.perLog.keys()) if (!tally.perLog.has(name)) problems.push(`the result holds entries of ${name}, which the query did not verify`);
  let cellsCompared = 0;
  let cellsDiffering = 0;
  if (spec.kind === 'cohort') {
    const keys = new Set([...tally.cells!.keys(), ...found.cells!.keys()]);
    for (const key of keys) {
      cellsCompared += 1;
      const expected = tally.cells!.get(key) ?? 0;
      const got = found.cells!.get(key) ?? 0;
      if (expected !== got) {
        cellsDiffering += 1;
        if (cellsDiffering <= 5) problems.push(`cohort cell ${key}: the chain counts ${expected}, the result ${got}`);
      }
    }
    if (rowCount !== found.cells!.size) problems.push(`${rowCount} rows were written, the result has ${found.cells!.size} cells`);
  } else if (rowCount !== found.events) {
    problems.push(`${rowCount} rows were written, the result has ${found.events}`);
  }
  if (found.links.broken > 0) problems.push(`${found.links.broken} of ${found.links.checked} consecutive exported entries do not chain (prev is not the sha256 of the entry before)`);
  if (found.events !== tally.events) problems.push(`the result covers ${found.events} entries, the chain ${tally.events}`);
  return {
    complete: problems.length === 0,
    expected: tally.events,
    exported: found.events,
    linksChecked: found.links.checked,
    linksBroken: found.links.broken,
    cellsCompared,
    cellsDiffering,
    perLog,
    problems,
  };
}
