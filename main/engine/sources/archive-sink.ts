// The one place archive entries touch the disk: checks each entry's name, type, uniqueness and size
// against the limits, then writes it inside the private temporary area and nowhere else.

import { constants } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { isSafeBundlePath } from '../schemas/common.js';
import type { ArchiveLimits } from '../schemas/policy.js';
import { bundlePathOf, describeLinkTarget, EntryNames, windowsUnsafeReason } from './archive-names.js';
import { BundleRefusedError, BundleUnreadableError, type BundleFile } from './bundle-source.js';

/**
 * O_EXCL makes every write a fresh file: nothing an earlier entry created (or anything else) can be
 * overwritten. O_NOFOLLOW additionally refuses a symlink as the last component. O_NOFOLLOW is absent on
 * Windows, where O_EXCL alone guards.
 */
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/** Bytes a decompressor may produce beyond ratio × input before it is called a bomb: tiny files compress absurdly well. */
export const RATIO_ALLOWANCE_BYTES = 1024 * 1024;

/**
 * Files up to this size are held in memory and written in batches, within PENDING_BUDGET_BYTES (data,
 * names and bookkeeping). Creating a file costs far more than parsing its entry, so an archive flooding
 * tiny entries reaches maxEntries (and is refused) before it has cost thousands of file creations; and
 * batches are written concurrently, which also speeds up honest bundles of many small files.
 */
const SMALL_FILE_BYTES = 64 * 1024;
const PENDING_BUDGET_BYTES = 32 * 1024 * 1024;
const PENDING_OVERHEAD_BYTES = 256;
const FLUSH_CONCURRENCY = 8;

interface PendingFile {
  readonly path: string;
  readonly absPath: string;
  readonly entryName: string;
  readonly bytes: Buffer;
}

export type EntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'special';

export interface EntryInfo {
  /** The entry's name exactly as the archive spells it (directories may end with `/`). */
  readonly name: string;
  readonly type: EntryType;
  /** Size the archive declares for the entry's data. */
  readonly declaredSize: number;
  /** For links: the target as recorded (null when unknown). */
  readonly linkTarget?: string | null;
  /** For special files: what it is, for the message ("character device"). */
  readonly specialKind?: string;
}

export class ArchiveSink {
  private entries = 0;
  /** Declared sizes of the entries accepted so far (plus the current one). */
  private declaredTotal = 0;
  /** Bytes actually received so far (held in memory or written). */
  private writtenTotal = 0;
  private readonly names = new EntryNames();
  private readonly written: BundleFile[] = [];
  private pending: PendingFile[] = [];
  private pendingCost = 0;

  constructor(
    /** Absolute path of the private temporary directory: the root of the extracted tree. */
    private readonly root: string,
    private readonly limits: ArchiveLimits,
  ) {}

  /** Entries admitted (or refused) so far. */
  get entryCount(): number {
    return this.entries;
  }

  /** Every regular file written, sorted by path (code-unit order, so the same on every machine). */
  files(): BundleFile[] {
    if (this.pending.length > 0) throw new Error('ArchiveSink.files() called before finish()');
    return [...this.written].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Admits one entry: counts it, refuses links, special files, unsafe or duplicate names and sizes over
   * the limit, and creates directories. Returns the bundle path of a file to write next, or null when
   * there is nothing to write (a directory, or the `./` root entry).
   */
  async admit(entry: EntryInfo): Promise<string | null> {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) {
      throw new BundleRefusedError('INT-ARCHIVE-TOO-MANY-ENTRIES', `archive has more than ${this.limits.maxEntries} entries (the policy's limit); stopped at entry "${entry.name}"`, entry.name);
    }
    const path = bundlePathOf(entry.name, entry.type === 'directory');
    if (path === '') {
      if (entry.type === 'directory') return null; // `./`: the root itself
      throw unsafe(entry.name);
    }
    if (!isSafeBundlePath(path)) throw unsafe(entry.name);
    const windows = windowsUnsafeReason(path);
    if (windows !== null) throw new BundleRefusedError('INT-ARCHIVE-UNSAFE-PATH', `archive entry "${entry.name}" has a name Windows cannot hold as written: ${windows}; extracted there it would write elsewhere`, entry.name);

    if (entry.type === 'symlink' || entry.type === 'hardlink') {
      const where = describeLinkTarget(path, entry.linkTarget ?? null, entry.type === 'hardlink');
      throw new BundleRefusedError('INT-ARCHIVE-LINK', `archive entry "${entry.name}" is a ${entry.type === 'symlink' ? 'symbolic' : 'hard'} link (${where}); links are refused because every bundle file must be a regular file covered by its own hash`, entry.name);
    }
    if (entry.type === 'special') {
      throw new BundleRefusedError('INT-ARCHIVE-SPECIAL-FILE', `archive entry "${entry.name}" is a ${entry.specialKind ?? 'special file'}; a bundle holds only regular files and directories`, entry.name);
    }
    if (entry.type === 'directory' && entry.declaredSize !== 0) {
      throw new BundleRefusedError('INT-ARCHIVE-CORRUPT', `archive entry "${entry.name}" is a directory that declares ${entry.declaredSize} bytes of data`, entry.name);
    }

    for (const dir of this.names.claim(path, entry.type === 'directory' ? 'directory' : 'file', entry.name)) {
      await this.makeDir(dir, entry.name);
    }
    if (entry.type === 'directory') return null;
    this.addBytes(entry.declaredSize, entry.name, 'declares');
    return path;
  }

  /**
   * Writes one admitted file from `data`, counting actual bytes against the limits (the declared size
   * may lie). `onChunk` lets the caller apply its own checks (e.g. the compression ratio) before each
   * chunk is kept. Small files are held in memory and written in batches (see PENDING_BUDGET_BYTES);
   * call finish() before files().
   */
  async write(path: string, entryName: string, declaredSize: number, data: AsyncIterable<Buffer>, onChunk?: (n: number) => void): Promise<void> {
    const absPath = this.absolute(path);
    let size = 0;
    const account = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > declaredSize) {
        throw new BundleRefusedError('INT-ARCHIVE-CORRUPT', `archive entry "${entryName}" holds more data than the ${declaredSize} bytes it declares`, entryName);
      }
      // Redundant while size <= declared holds, but the limit is on bytes written, not on promises.
      this.writtenTotal += chunk.length;
      if (this.writtenTotal > this.limits.maxTotalBytes) {
        throw new BundleRefusedError('INT-ARCHIVE-TOO-LARGE', `archive entry "${entryName}" takes the archive past the policy's limit of ${this.limits.maxTotalBytes} uncompressed bytes`, entryName);
      }
      onChunk?.(chunk.length);
    };
    const complete = (): void => {
      if (size !== declaredSize) {
        throw new BundleRefusedError('INT-ARCHIVE-CORRUPT', `archive entry "${entryName}" holds ${size} bytes but declares ${declaredSize}`, entryName);
      }
    };

    if (declaredSize <= SMALL_FILE_BYTES) {
      const chunks: Buffer[] = [];
      for await (const chunk of data) {
        account(chunk);
        chunks.push(Buffer.from(chunk)); // a copy: the chunk may be a view into a much larger buffer
      }
      complete();
      const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      this.pending.push({ path, absPath, entryName, bytes });
      this.pendingCost += bytes.length + 2 * (path.length + entryName.length) + PENDING_OVERHEAD_BYTES;
      if (this.pendingCost > PENDING_BUDGET_BYTES) await this.flush();
      return;
    }

    const handle = await createExclusive(absPath, entryName);
    try {
      for await (const chunk of data) {
        account(chunk);
        await writeAll(handle, chunk, entryName);
      }
    } finally {
      await handle.close().catch(() => undefined);
    }
    complete();
    this.written.push({ path, absPath, size });
  }

  /** Writes the files still held in memory. Call once the archive has been read without refusal. */
  async finish(): Promise<void> {
    await this.flush();
  }

  /**
   * Writes the pending small files, a few at a time (file creation is latency-bound). On a failure it
   * stops starting new writes but waits for those in flight, so that nothing is still being created
   * when the caller removes the temporary area.
   */
  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.pendingCost = 0;
    let next = 0;
    let failure: unknown = null;
    const worker = async (): Promise<void> => {
      while (failure === null && next < batch.length) {
        const item = batch[next] as PendingFile;
        next += 1;
        try {
          const handle = await createExclusive(item.absPath, item.entryName);
          try {
            await writeAll(handle, item.bytes, item.entryName);
          } finally {
            await handle.close().catch(() => undefined);
          }
          this.written.push({ path: item.path, absPath: item.absPath, size: item.bytes.length });
        } catch (error) {
          if (failure === null) failure = error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(FLUSH_CONCURRENCY, batch.length) }, worker));
    if (failure !== null) throw failure;
  }

  /** Counts bytes an entry will add, refusing the archive once the total passes maxTotalBytes. */
  private addBytes(n: number, entryName: string, verb: string): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new BundleRefusedError('INT-ARCHIVE-CORRUPT', `archive entry "${entryName}" has an invalid size (${n})`, entryName);
    }
    this.declaredTotal += n;
    if (this.declaredTotal > this.limits.maxTotalBytes) {
      throw new BundleRefusedError('INT-ARCHIVE-TOO-LARGE', `archive entry "${entryName}" ${verb} ${n} bytes, taking the archive past the policy's limit of ${this.limits.maxTotalBytes} uncompressed bytes`, entryName);
    }
  }

  private async makeDir(path: string, entryName: string): Promise<void> {
    try {
      // Not recursive: EntryNames hands out each directory once, parents first, so an EEXIST here means
      // something unexpected is in the private area, and that is an error, not something to reuse.
      await mkdir(this.absolute(path), { mode: 0o700 });
    } catch (error) {
      throw ioError(entryName, error);
    }
  }

  /** Joins a checked bundle path onto the root, and proves the result is inside it (defence in depth). */
  private absolute(path: string): string {
    const abs = resolve(this.root, ...path.split('/'));
    const rel = relative(this.root, abs);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      throw new BundleRefusedError('INT-ARCHIVE-UNSAFE-PATH', `archive entry "${path}" resolves outside the extraction directory`, path);
    }
    return abs;
  }
}

async function createExclusive(absPath: string, entryName: string): Promise<FileHandle> {
  try {
    return await open(absPath, CREATE_FLAGS, 0o600);
  } catch (error) {
    throw ioError(entryName, error);
  }
}

async function writeAll(handle: FileHandle, chunk: Buffer, entryName: string): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    try {
      const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
      offset += bytesWritten;
    } catch (error) {
      throw ioError(entryName, error);
    }
  }
}

function unsafe(name: string): BundleRefusedError {
  return new BundleRefusedError('INT-ARCHIVE-UNSAFE-PATH', `archive entry "${name}" has an unsafe path (absolute, "..", ".", empty segment, backslash, drive letter or control character); it could write outside the bundle`, name);
}

/** Failing to write into our own temporary area is the machine's problem (disk full, permissions), not the archive's. */
function ioError(entryName: string, error: unknown): Error {
  if (error instanceof BundleRefusedError || error instanceof BundleUnreadableError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENAMETOOLONG') {
    return new BundleRefusedError('INT-ARCHIVE-UNSAFE-PATH', `archive entry "${entryName}" has a name too long for the file system`, entryName);
  }
  return new BundleUnreadableError(`could not extract "${entryName}" into the temporary area: ${(error as Error).message}`);
}
