// Assembles `manifest.json` from the files as written: identity, every file's sha256 and size, and the
// head of every hash-chained log. Validated against the manifest schema before it is signed.

import { MANIFEST_VERSION, manifestSchema, type Manifest, type ManifestFileEntry } from '../schemas/manifest.js';
import type { LogHead } from './logs.js';
import { isoSeconds, type Scenario } from './scenario.js';

export function buildManifest(scenario: Scenario, files: readonly ManifestFileEntry[], artefacts: readonly string[], logs: readonly (LogHead & { readonly checkpoint?: string })[]): Manifest {
  const manifest: Manifest = {
    manifestVersion: MANIFEST_VERSION,
    bundleId: scenario.bundleId,
    createdAt: isoSeconds(scenario.createdAtMs),
    system: { name: scenario.system.name, version: scenario.system.version },
    model: { name: scenario.model.name, version: scenario.model.version, artefacts: [...artefacts] },
    files: files.map((f) => ({ ...f })),
    logs: [...logs]
      .sort((a, b) => (a.path < b.path ? -1 : 1))
      .map((l) => ({ path: l.path, entries: l.entries, genesis: l.genesis, head: l.head, ...(l.firstSeq > 0 ? { firstSeq: l.firstSeq } : {}), ...(l.checkpoint !== undefined ? { checkpoint: l.checkpoint } : {}) })),
  };
  // A generator bug must fail here, not surface later as a verification finding on the sample.
  return manifestSchema.parse(manifest);
}

export function renderManifest(manifest: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}
