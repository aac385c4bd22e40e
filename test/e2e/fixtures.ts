// Bundles for the end-to-end tests: the clean sample, and tampered variants derived from it in code,
// each named for what it carries, with the finding the assessor must see beside it.

import { cpSync, mkdirSync, mkdtempSync, openSync, closeSync, ftruncateSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FindingId } from '../../shared/finding-ids.js';
import { generateSample } from '../../main/engine/sample/generate-sample.js';

export interface Fixtures {
  readonly root: string;
  readonly clean: string;
  readonly trustDir: string;
  readonly policyPath: string;
  variant(name: VariantName): string;
  remove(): void;
}

export const FLIPPED_FILE = 'records/evaluation.json';
/** File names that are HTML and script: an unlisted file, and an unlisted file in a folder, so its path reads `<script>...</script>`. */
export const HTML_FILE_NAME = 'artefacts/<img src=x onerror="window.__pwned=1">.txt';
export const SCRIPT_PATH = '<script>window.__pwned=2</script>';
export const HUGE_FILE = 'artefacts/huge-weights.bin';
/** Large enough that hashing takes seconds at ~1.5 GB/s (sparse: costs no disk). */
export const HUGE_FILE_BYTES = 24 * 1024 ** 3;

export const VARIANTS = {
  'evaluation-record-byte-flipped': { finding: 'INT-FILE-HASH-MISMATCH' },
  'file-names-carrying-html': { finding: 'INT-FILE-UNLISTED' },
  'huge-unlisted-artefact': { finding: 'INT-FILE-UNLISTED' },
} as const satisfies Record<string, { finding: FindingId }>;

export type VariantName = keyof typeof VARIANTS;

export async function makeFixtures(): Promise<Fixtures> {
  const root = mkdtempSync(join(tmpdir(), 'assay-e2e-'));
  const sample = await generateSample(join(root, 'sample'), {});
  const made = new Map<VariantName, string>();
  return {
    root,
    clean: sample.bundleDir,
    trustDir: sample.trustDir,
    policyPath: sample.policyPath,
    variant(name) {
      const existing = made.get(name);
      if (existing !== undefined) return existing;
      const dir = join(root, name);
      cpSync(sample.bundleDir, dir, { recursive: true });
      derive[name](dir);
      made.set(name, dir);
      return dir;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

const derive: Record<VariantName, (dir: string) => void> = {
  'evaluation-record-byte-flipped'(dir) {
    const file = join(dir, FLIPPED_FILE);
    const bytes = readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(file, bytes);
  },
  'file-names-carrying-html'(dir) {
    writeFileSync(join(dir, HTML_FILE_NAME), 'not listed in the manifest\n');
    const [folder, name] = SCRIPT_PATH.split('/') as [string, string];
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, name), 'not listed in the manifest\n');
  },
  'huge-unlisted-artefact'(dir) {
    const fd = openSync(join(dir, HUGE_FILE), 'w');
    ftruncateSync(fd, HUGE_FILE_BYTES);
    closeSync(fd);
  },
};
