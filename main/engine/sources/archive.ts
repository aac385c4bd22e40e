// Archive bundles (.tar, .tar.gz, .zip): owns the private temporary area they are extracted into, from
// creation to removal, and turns whatever went wrong into a refusal or an "unreadable" error.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ArchiveLimits } from '../schemas/policy.js';
import { openRegularFile } from './archive-input.js';
import { ArchiveSink } from './archive-sink.js';
import { extractTar } from './archive-tar.js';
import { extractZip } from './archive-zip.js';
import { BundleRefusedError, BundleUnreadableError, type OpenedBundle } from './bundle-source.js';

export type ArchiveKind = 'tar' | 'tar.gz' | 'zip';

export interface ArchiveOptions {
  /** Where the private temporary directory is created (default: os.tmpdir()). */
  readonly tempParent?: string | undefined;
}

/**
 * Extracts `file` into a fresh private directory (mkdtemp: mode 0700, a name nobody can predict) and
 * returns the tree. Throws BundleRefusedError for an archive Assay will not read (unsafe names, links,
 * special files, duplicates, limits, corruption) and BundleUnreadableError when it cannot read the file
 * at all; either way nothing is left on disk.
 */
export async function openArchiveBundle(file: string, kind: ArchiveKind, limits: ArchiveLimits, options: ArchiveOptions = {}): Promise<OpenedBundle> {
  const { handle, size } = await openRegularFile(file);
  let root: string | null = null;
  try {
    const parent = resolve(options.tempParent ?? tmpdir());
    try {
      root = await mkdtemp(join(parent, 'assay-bundle-'));
    } catch (error) {
      throw new BundleUnreadableError(`cannot create a temporary directory in ${parent} to extract ${file}: ${(error as Error).message}`);
    }
    const sink = new ArchiveSink(root, limits);
    if (kind === 'zip') await extractZip(handle, size, sink, limits);
    else await extractTar(handle, size, kind === 'tar.gz', sink, limits);
    await sink.finish();
    const extracted = root;
    let closed: Promise<void> | null = null;
    return {
      source: file,
      kind,
      root: extracted,
      files: sink.files(),
      problems: [], // anything that is not a regular file or directory was refused outright
      close: () => (closed ??= rm(extracted, { recursive: true, force: true })),
    };
  } catch (error) {
    if (root !== null) await rm(root, { recursive: true, force: true });
    throw classify(error, file);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Refusals and "unreadable" pass through; a system error is the machine's; anything else is the archive's fault. */
function classify(error: unknown, file: string): Error {
  if (error instanceof BundleRefusedError || error instanceof BundleUnreadableError) return error;
  if (error instanceof Error && 'syscall' in error) return new BundleUnreadableError(`cannot read ${file}: ${error.message}`);
  const message = error instanceof Error ? error.message : String(error);
  return new BundleRefusedError('INT-ARCHIVE-CORRUPT', `archive ${file} is corrupt or truncated: ${message}`);
}
