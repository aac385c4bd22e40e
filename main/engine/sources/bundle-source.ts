// What every bundle source (directory, tar, tar.gz, zip) hands to verification: a tree of regular files
// on local disk, the entries it refused to treat as files, and a way to release it.

import type { FindingId } from '../../../shared/finding-ids.js';

export type BundleKind = 'directory' | 'tar' | 'tar.gz' | 'zip';

export interface BundleFile {
  /** Relative POSIX path inside the bundle, e.g. `records/build.json`. */
  readonly path: string;
  /** Absolute path of the bytes on local disk (inside the private temporary area for archives). */
  readonly absPath: string;
  readonly size: number;
}

/** An entry of a directory bundle that is not a regular file (symlink, device, socket, FIFO). */
export interface BundleEntryProblem {
  readonly path: string;
  readonly kind: 'symlink' | 'special' | 'unreadable';
  readonly detail: string;
}

export interface OpenedBundle {
  /** What the user named (a path), for reports. */
  readonly source: string;
  readonly kind: BundleKind;
  /** Directory on local disk holding the tree. */
  readonly root: string;
  /** Every regular file, sorted by path. */
  readonly files: readonly BundleFile[];
  readonly problems: readonly BundleEntryProblem[];
  /** Releases the bundle: removes the private temporary area of an archive; a no-op for a directory. */
  close(): Promise<void>;
}

/**
 * An archive that Assay refuses to read, e.g. one with a path traversal or a decompression bomb. Becomes
 * a FAIL finding with `code` as its id; `entry` names the archive entry at fault when there is one.
 */
export class BundleRefusedError extends Error {
  constructor(
    readonly code: Extract<FindingId, `INT-ARCHIVE-${string}`>,
    message: string,
    readonly entry: string | null = null,
  ) {
    super(message);
    this.name = 'BundleRefusedError';
  }
}

/** The input could not be read at all (missing path, permission, not a bundle): exit code 2. */
export class BundleUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleUnreadableError';
  }
}
