// The archive file as input: opened once (never blocking on a FIFO), checked to be a regular file, and
// read by byte range through that one handle so what is parsed is what was checked.

import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { BundleUnreadableError } from './bundle-source.js';

/** Read size: large enough for throughput, small enough that a bomb never holds much in memory. */
const READ_CHUNK = 64 * 1024;

/**
 * Opens `path` for reading and proves it is a regular file. O_NONBLOCK makes opening a FIFO return at
 * once instead of waiting for a writer (the fstat then refuses it); on regular files it has no effect.
 */
export async function openRegularFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new BundleUnreadableError(`cannot open ${path}: ${describeFsError(error)}`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new BundleUnreadableError(`${path} is not a regular file or a directory`);
    return { handle, size: st.size };
  } catch (error) {
    await handle.close().catch(() => undefined);
    if (error instanceof BundleUnreadableError) throw error;
    throw new BundleUnreadableError(`cannot read ${path}: ${describeFsError(error)}`);
  }
}

/**
 * Bytes [start, end) of the file as a stream of positional reads. Several may be open on one handle at
 * once (yauzl does that), and none of them closes it: the owner closes the handle once, at the end.
 */
export function rangeStream(handle: FileHandle, start: number, end: number): Readable {
  let position = start;
  return new Readable({
    highWaterMark: READ_CHUNK,
    read() {
      const length = Math.min(READ_CHUNK, end - position);
      if (length <= 0) {
        this.push(null);
        return;
      }
      handle.read(Buffer.allocUnsafe(length), 0, length, position).then(
        ({ bytesRead, buffer }) => {
          if (bytesRead === 0) {
            this.push(null); // shorter than expected: the parser reports the truncation
            return;
          }
          position += bytesRead;
          this.push(buffer.subarray(0, bytesRead));
        },
        (error: unknown) => this.destroy(error as Error),
      );
    },
  });
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
