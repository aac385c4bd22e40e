// Shared by the sample generator's tests: a fresh sample in a temporary directory, and small readers.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSample, type GeneratedSample, type SampleOptions } from '../../../main/engine/sample/generate-sample.js';
import { manifestSchema, type Manifest } from '../../../main/engine/schemas/manifest.js';

/** Small enough to generate in well under a second, large enough to span several daily logs. */
export const SMALL_SAMPLE: SampleOptions = { logEntries: 2_000, artefactBytes: 64 * 1024 };

export interface SampleDir extends GeneratedSample {
  readonly root: string;
  cleanup(): Promise<void>;
}

export async function freshSample(options: SampleOptions = SMALL_SAMPLE): Promise<SampleDir> {
  const root = await mkdtemp(join(tmpdir(), 'assay-sample-test-'));
  const generated = await generateSample(join(root, 'out'), options);
  return { ...generated, root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Every regular file under `dir`, as POSIX paths relative to it, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1).split('\\').join('/'))
    .sort();
}

export async function readManifest(bundleDir: string): Promise<Manifest> {
  return manifestSchema.parse(JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8')));
}

export async function readJson<T = Record<string, unknown>>(bundleDir: string, path: string): Promise<T> {
  return JSON.parse(await readFile(join(bundleDir, path), 'utf8')) as T;
}
