// The bundle manifest (`manifest.json`), format `assay.manifest/v1`: identity of the release and the
// sha256 and size of every other file in the bundle. See docs/bundle-format.md.

import { z } from 'zod';
import { bundlePath, fileSize, isoTimestamp, sha256Hex } from './common.js';

export const MANIFEST_VERSION = 'assay.manifest/v1';
export const MANIFEST_PATH = 'manifest.json';
export const MANIFEST_SIGNATURE_PATH = 'manifest.sigstore.json';

/** Files that the manifest cannot list because they cover the manifest itself. */
export const SELF_COVERED_PATHS: readonly string[] = [MANIFEST_PATH, MANIFEST_SIGNATURE_PATH];

export const manifestFileEntry = z
  .object({
    path: bundlePath.describe('path of the file inside the bundle'),
    sha256: sha256Hex.describe('sha256 of the exact bytes of the file'),
    size: fileSize.describe('size of the file in bytes'),
    mediaType: z.string().min(1).max(255).optional().describe('IANA or vendor media type of the file'),
  })
  .strict();

export const manifestLogHead = z
  .object({
    path: bundlePath.describe('path of the hash-chained JSON Lines log; also listed under files'),
    entries: z.number().int().nonnegative().describe('number of lines in the log'),
    genesis: sha256Hex.describe('the `prev` value of the first line'),
    head: sha256Hex.describe('sha256 of the exact bytes of the last line (genesis when empty)'),
    firstSeq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().describe('seq of the first line, for a later segment of a segmented log (absent: 0)'),
    checkpoint: bundlePath.optional().describe('the signed checkpoint statement of this log (assay.log-checkpoint/v1); its signature is the same path with .sigstore.json for .json; both listed under files'),
  })
  .strict();

export const manifestSchema = z
  .object({
    manifestVersion: z.literal(MANIFEST_VERSION),
    bundleId: z.string().regex(/^urn:uuid:[0-9a-f-]{36}$/, 'a urn:uuid'),
    createdAt: isoTimestamp,
    system: z
      .object({ name: z.string().min(1).max(200), version: z.string().min(1).max(100) })
      .strict(),
    model: z
      .object({
        name: z.string().min(1).max(200),
        version: z.string().min(1).max(100),
        artefacts: z.array(bundlePath).min(1).describe('the model files, each also listed under files'),
      })
      .strict(),
    files: z.array(manifestFileEntry).describe('every file of the bundle except manifest.json and its signature'),
    logs: z.array(manifestLogHead).default([]),
  })
  .strict()
  .superRefine((manifest, ctx) => {
    const seen = new Set<string>();
    manifest.files.forEach((file, index) => {
      const key = file.path.normalize('NFC').toLowerCase();
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['files', index, 'path'], message: `duplicate path ${file.path}` });
      }
      seen.add(key);
      if (SELF_COVERED_PATHS.includes(file.path)) {
        ctx.addIssue({ code: 'custom', path: ['files', index, 'path'], message: `${file.path} cannot list itself` });
      }
    });
    const listed = new Set(manifest.files.map((f) => f.path));
    manifest.model.artefacts.forEach((artefact, index) => {
      if (!listed.has(artefact)) {
        ctx.addIssue({ code: 'custom', path: ['model', 'artefacts', index], message: `${artefact} is not listed under files` });
      }
    });
    manifest.logs.forEach((log, index) => {
      if (!listed.has(log.path)) {
        ctx.addIssue({ code: 'custom', path: ['logs', index, 'path'], message: `${log.path} is not listed under files` });
      }
      if (log.checkpoint !== undefined && !listed.has(log.checkpoint)) {
        ctx.addIssue({ code: 'custom', path: ['logs', index, 'checkpoint'], message: `${log.checkpoint} is not listed under files` });
      }
    });
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFileEntry = z.infer<typeof manifestFileEntry>;
