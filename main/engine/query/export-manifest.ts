// `export-manifest.json` (`assay.export-manifest/v1`, docs/queries.md): what was asked, of which verified
// logs, what was written (with sha256 and size of each file), how long it took, and whether the export
// is complete: its rows agree, log by log, with the count taken from the verified chain itself.

import { z } from 'zod';
import { EXPORT_FORMATS, QUERY_KINDS } from './query-spec.js';

export const EXPORT_MANIFEST_VERSION = 'assay.export-manifest/v1';
export const EXPORT_MANIFEST_FILE = 'export-manifest.json';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

const logCompleteness = z
  .object({
    log: z.string(),
    expected: z.number().int().nonnegative().describe('matching entries counted from the verified chain'),
    exported: z.number().int().nonnegative().describe('matching entries in the result (for a cohort: the sum of its counts)'),
    expectedSeq: z.object({ min: z.number().int().nullable(), max: z.number().int().nullable(), sum: z.string() }).strict(),
    exportedSeq: z.object({ min: z.number().int().nullable(), max: z.number().int().nullable(), sum: z.string() }).strict(),
    complete: z.boolean(),
  })
  .strict();

export const exportManifestSchema = z
  .object({
    exportManifestVersion: z.literal(EXPORT_MANIFEST_VERSION),
    verifier: z.object({ name: z.literal('assay'), version: z.string() }).strict(),
    generatedAt: z.string(),
    bundle: z.object({ source: z.string(), id: z.string(), manifestSha256: sha256Hex }).strict(),
    query: z
      .object({
        kind: z.enum(QUERY_KINDS),
        parameters: z.record(z.string(), z.string().nullable()),
        sql: z.string().describe('the statement DuckDB ran to produce the result table'),
      })
      .strict(),
    format: z.enum(EXPORT_FORMATS),
    rowCount: z.number().int().nonnegative().describe('rows written to the result file'),
    files: z.array(z.object({ path: z.string(), sha256: sha256Hex, size: z.number().int().nonnegative(), mediaType: z.string() }).strict()),
    executionMs: z
      .object({ verify: z.number(), count: z.number(), query: z.number(), export: z.number(), total: z.number() })
      .strict()
      .describe('verify: checkpoints and hash chains; count: the independent count over the chain; query: DuckDB; export: writing and hashing'),
    verification: z
      .object({
        authenticated: z.boolean().describe('true when trust and policy were given: manifest and checkpoint signatures verified'),
        signerKey: z.string().nullable(),
        entriesVerified: z.number().int().nonnegative(),
        bytesVerified: z.number().int().nonnegative(),
        logs: z.array(
          z
            .object({
              log: z.string(),
              head: sha256Hex.describe("the log's signed head (its last segment's)"),
              entries: z.number().int().nonnegative().describe('entries of the whole log, all segments'),
              segmentsTotal: z.number().int().nonnegative(),
              checkpointChain: z.enum(['verified', 'unauthenticated', 'none']),
              segmentsRead: z.array(
                z
                  .object({ path: z.string(), firstSeq: z.number().int(), entries: z.number().int(), firstTime: z.string().nullable(), lastTime: z.string().nullable(), genesis: z.string().nullable(), head: z.string().nullable(), checkpoint: z.string() })
                  .strict(),
              ),
            })
            .strict(),
        ),
      })
      .strict(),
    completeness: z
      .object({
        complete: z.boolean(),
        expected: z.number().int().nonnegative(),
        exported: z.number().int().nonnegative(),
        linksChecked: z.number().int().nonnegative().describe('pairs of consecutive exported entries whose prev is the sha256 of the entry before (entry queries)'),
        linksBroken: z.number().int().nonnegative(),
        cellsCompared: z.number().int().nonnegative().describe('cohort cells compared with the chain count'),
        cellsDiffering: z.number().int().nonnegative(),
        perLog: z.array(logCompleteness),
        problems: z.array(z.string()),
      })
      .strict(),
  })
  .strict();

export type ExportManifest = z.infer<typeof exportManifestSchema>;

export function renderExportManifest(manifest: ExportManifest): string {
  return `${JSON.stringify(exportManifestSchema.parse(manifest), null, 2)}\n`;
}
