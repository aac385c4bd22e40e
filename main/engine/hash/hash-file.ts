// Streaming SHA-256 of one regular file on local disk: refuses symlinks and special files, bounded memory.

import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, promises as fsp, readSync } from 'node:fs';
import type { Stats } from 'node:fs';

export interface FileDigest {
  readonly sha256: string;
  readonly size: number;
}

export interface HashFileOptions {
  readonly signal?: AbortSignal;
  /** Called after each chunk with the number of bytes just hashed. */
  readonly onBytes?: (n: number) => void;
}

/** Size of each read buffer (two are used, so reads overlap hashing). Chosen by `npm run bench`. */
export const HASH_BUFFER_SIZE = 1024 * 1024;

/**
 * O_NOFOLLOW: a symlink as the last path component fails with ELOOP instead of being followed.
 * O_NONBLOCK: opening a FIFO cannot wait for a writer (the lstat/fstat checks then refuse it).
 * Both are absent on Windows, where the lstat check alone guards.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Thrown for a path that is not a regular file (symlink, FIFO, socket, device, directory). */
export class NotRegularFileError extends Error {
  constructor(
    readonly absPath: string,
    readonly kind: string,
  ) {
    super(`refusing to hash ${kind}: ${absPath} (only regular files are hashed)`);
    this.name = 'NotRegularFileError';
  }
}

function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'a special file';
}

function checkRegular(absPath: string, st: Stats): void {
  if (!st.isFile()) throw new NotRegularFileError(absPath, kindOf(st));
}

function translateOpenError(absPath: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  // ELOOP (Linux, macOS) or EMLINK (FreeBSD): O_NOFOLLOW met a symlink swapped in after the lstat.
  if (code === 'ELOOP' || code === 'EMLINK') return new NotRegularFileError(absPath, 'a symbolic link');
  return err;
}

/** Read buffers kept between calls: allocating (and faulting in) 1 MiB per small file costs more than hashing it. */
const spareBuffers: Buffer[] = [];
const MAX_SPARE_BUFFERS = 8;

function takeBuffer(): Buffer {
  return spareBuffers.pop() ?? Buffer.allocUnsafeSlow(HASH_BUFFER_SIZE);
}

function giveBack(buffer: Buffer): void {
  if (spareBuffers.length < MAX_SPARE_BUFFERS) spareBuffers.push(buffer);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/**
 * A short read that reaches the size fstat reported is the end of a regular file: skipping the extra
 * read that would return 0 saves a round trip per small file. A file still growing is read to its end.
 */
function isEnd(bytesRead: number, requested: number, position: number, statSize: number): boolean {
  return bytesRead < requested && position >= statSize;
}

/** Hashes one regular file, reading with two reused buffers so the next read overlaps hashing. */
export async function hashFile(absPath: string, options: HashFileOptions = {}): Promise<FileDigest> {
  const { signal, onBytes } = options;
  if (signal?.aborted) throw abortReason(signal);
  checkRegular(absPath, await fsp.lstat(absPath));
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(absPath, OPEN_FLAGS);
  } catch (err) {
    throw translateOpenError(absPath, err);
  }
  let pending: Promise<unknown> | null = null;
  let current = takeBuffer();
  let next = takeBuffer();
  try {
    const st = await fh.stat();
    checkRegular(absPath, st);
    const hash = createHash('sha256');
    let position = 0;
    let read = fh.read(current, 0, HASH_BUFFER_SIZE, 0);
    pending = read;
    for (;;) {
      const { bytesRead } = await read;
      pending = null;
      if (signal?.aborted) throw abortReason(signal);
      if (bytesRead === 0) break;
      position += bytesRead;
      const atEnd = isEnd(bytesRead, HASH_BUFFER_SIZE, position, st.size);
      if (!atEnd) {
        read = fh.read(next, 0, HASH_BUFFER_SIZE, position);
        pending = read;
      }
      hash.update(current.subarray(0, bytesRead));
      onBytes?.(bytesRead);
      if (atEnd) break;
      [current, next] = [next, current];
    }
    return { sha256: hash.digest('hex'), size: position };
  } finally {
    if (pending !== null) await pending.catch(() => undefined);
    giveBack(current);
    giveBack(next);
    await fh.close();
  }
}

/**
 * Synchronous variant for worker threads, where blocking is free and per-file async round trips would
 * dominate for small files. `buffer` is the caller's reused read buffer.
 */
export function hashFileSync(
  absPath: string,
  buffer: Buffer,
  onBytes?: (n: number) => void,
): FileDigest {
  checkRegular(absPath, lstatSync(absPath));
  let fd: number;
  try {
    fd = openSync(absPath, OPEN_FLAGS);
  } catch (err) {
    throw translateOpenError(absPath, err);
  }
  try {
    const st = fstatSync(fd);
    checkRegular(absPath, st);
    const hash = createHash('sha256');
    let position = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      hash.update(buffer.subarray(0, bytesRead));
      onBytes?.(bytesRead);
      if (isEnd(bytesRead, buffer.length, position, st.size)) break;
    }
    return { sha256: hash.digest('hex'), size: position };
  } finally {
    closeSync(fd);
  }
}
