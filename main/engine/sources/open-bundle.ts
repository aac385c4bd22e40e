// The one entry point for local bundles: decides what `path` is (directory, tar, tar.gz, zip) from its
// content, never its name, and hands it to the matching source.

import type { FileHandle } from 'node:fs/promises';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from '../schemas/policy.js';
import { openArchiveBundle, type ArchiveKind, type ArchiveOptions } from './archive.js';
import { describeFsError, openRegularFile, rangeStream } from './archive-input.js';
import { BundleRefusedError, BundleUnreadableError, type OpenedBundle } from './bundle-source.js';
import { openDirectoryBundle } from './directory.js';

const TAR_MAGIC_OFFSET = 257;
const TAR_MAGIC = Buffer.from('ustar'); // POSIX "ustar\0" and GNU "ustar  " alike
const TAR_HEADER_SIZE = 512;

export async function openBundle(path: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS, options: ArchiveOptions = {}): Promise<OpenedBundle> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    throw new BundleUnreadableError(`cannot open bundle ${path}: ${describeFsError(error)}`);
  }
  if (isDirectory) return openDirectoryBundle(path);
  const kind = await detectArchiveKind(path);
  return openArchiveBundle(path, kind, limits, options);
}

/** The archive kind of a file from its first bytes; BundleUnreadableError when it is no bundle at all. */
export async function detectArchiveKind(path: string): Promise<ArchiveKind> {
  const { handle, size } = await openRegularFile(path); // refuses FIFOs, devices and sockets without blocking
  try {
    const head = Buffer.alloc(Math.min(size, TAR_HEADER_SIZE));
    await handle.read(head, 0, head.length, 0);
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      // Only a tar inside gzip is a bundle. A gzip stream that is corrupt is an archive we refuse
      // (INT-ARCHIVE-CORRUPT, the same finding a truncated tar.gz gets later in the stream); one that
      // decompresses to something other than a tar is simply not a bundle (BundleUnreadableError, exit 2),
      // like any other file of the wrong kind.
      const inner = await gunzipPrefix(handle, size, TAR_HEADER_SIZE);
      if (hasTarMagic(inner)) return 'tar.gz';
      throw new BundleUnreadableError(`${path} is gzip-compressed but does not contain a tar archive, so it is not a bundle`);
    }
    if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06))) {
      return 'zip'; // a local file header, or the end-of-central-directory record of an empty zip
    }
    if (hasTarMagic(head)) return 'tar';
    const what = size === 0 ? 'an empty file' : 'neither a directory nor a tar, tar.gz or zip archive (judged by content, not name)';
    throw new BundleUnreadableError(`${path} is not a bundle: it is ${what}`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function hasTarMagic(block: Buffer): boolean {
  return block.length >= TAR_MAGIC_OFFSET + TAR_MAGIC.length && block.subarray(TAR_MAGIC_OFFSET, TAR_MAGIC_OFFSET + TAR_MAGIC.length).equals(TAR_MAGIC);
}

/** The first `want` decompressed bytes (fewer if the stream is shorter); stops reading as soon as it has them. */
function gunzipPrefix(handle: FileHandle, size: number, want: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const input = rangeStream(handle, 0, size);
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let got = 0;
    let settled = false;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      input.destroy();
      gunzip.destroy();
      if (error === null) resolve(Buffer.concat(chunks).subarray(0, want));
      else reject(new BundleRefusedError('INT-ARCHIVE-CORRUPT', `gzip stream is corrupt: ${error.message}`));
    };
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= want) finish(null);
    });
    gunzip.on('end', () => finish(null));
    gunzip.on('error', (error: Error) => (got >= TAR_MAGIC_OFFSET + TAR_MAGIC.length ? finish(null) : finish(error)));
    input.on('error', (error: Error) => {
      if (!settled) {
        settled = true;
        gunzip.destroy();
        reject(new BundleUnreadableError(`cannot read the archive: ${error.message}`));
      }
    });
    input.pipe(gunzip);
  });
}
