// Streams a .tar or .tar.gz into an ArchiveSink, metering compressed and decompressed bytes so that a
// bomb is stopped as soon as it trips a limit, with bounded memory.

import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import type { ArchiveLimits } from '../schemas/policy.js';
import { RATIO_ALLOWANCE_BYTES, type ArchiveSink, type EntryInfo } from './archive-sink.js';
import { rangeStream } from './archive-input.js';
import { BundleRefusedError, BundleUnreadableError } from './bundle-source.js';

/**
 * The tar stream carries headers, padding and pax records besides file data. This much beyond
 * maxTotalBytes is allowed for them (a base, plus a generous amount per entry seen); past it the stream
 * itself is too large, e.g. endless zero blocks (tar readers skip them) or pax headers that never reach
 * an entry.
 */
const TAR_METADATA_BASE_BYTES = 64 * 1024 * 1024;
const TAR_METADATA_PER_ENTRY_BYTES = 4096;

export async function extractTar(handle: FileHandle, size: number, gzip: boolean, sink: ArchiveSink, limits: ArchiveLimits): Promise<void> {
  const extract = tar.extract();
  const abort = new AbortController();
  let failure: unknown = null;
  // The first failure is the one reported; the rest are its consequences (streams torn down under
  // the other side). Tearing everything down at once is what stops a bomb quickly.
  const fail = (error: unknown): void => {
    if (failure === null) failure = error;
    abort.abort();
    extract.destroy(error instanceof Error ? error : new Error(String(error)));
  };

  // tar-stream reports a malformed archive on the parser, and tears down the entry being read with a
  // bare "Stream was destroyed"; the parser's own error is the one that explains what happened.
  let parseError: Error | null = null;
  extract.on('error', (error: Error) => {
    parseError ??= error;
  });

  let compressedIn = 0;
  let streamOut = 0;
  const countIn = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      compressedIn += chunk.length;
      yield chunk;
    }
  };
  const countOut = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      streamOut += chunk.length;
      if (gzip && streamOut > limits.maxCompressionRatio * compressedIn + RATIO_ALLOWANCE_BYTES) {
        throw new BundleRefusedError('INT-ARCHIVE-RATIO', `gzip stream expanded ${compressedIn} compressed bytes to more than ${streamOut} bytes, over the policy's ratio of ${limits.maxCompressionRatio}:1 (a decompression bomb)`);
      }
      if (streamOut > limits.maxTotalBytes + TAR_METADATA_BASE_BYTES + TAR_METADATA_PER_ENTRY_BYTES * sink.entryCount) {
        throw new BundleRefusedError('INT-ARCHIVE-TOO-LARGE', `tar stream is larger than the policy's limit of ${limits.maxTotalBytes} uncompressed bytes`);
      }
      yield chunk;
    }
  };
  const feed = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      if (!extract.write(chunk)) await drained(extract, abort.signal);
    }
    extract.end(undefined);
  };

  const input = rangeStream(handle, 0, size);
  const feeding = (gzip
    ? pipeline(input, countIn, createGunzip(), countOut, feed, { signal: abort.signal })
    : pipeline(input, countOut, feed, { signal: abort.signal })
  ).catch(fail);

  try {
    for await (const entry of extract) {
      const header = entry.header;
      const info = entryInfo(header);
      const path = await sink.admit(info);
      if (path === null) {
        entry.resume();
        continue;
      }
      await sink.write(path, header.name, info.declaredSize, entry as AsyncIterable<Buffer>);
    }
  } catch (error) {
    fail(error);
  }
  await feeding;
  if (failure === null) return;
  if (failure instanceof BundleRefusedError || failure instanceof BundleUnreadableError || parseError === null) throw failure;
  throw parseError;
}

function entryInfo(header: tar.Header): EntryInfo {
  const name = header.name;
  const declaredSize = header.size;
  // Typed as a closed union, but tar-stream yields null for a type flag it does not know.
  switch (header.type as tar.Header['type'] | null) {
    case 'file':
    case 'contiguous-file': // POSIX: "may be treated as a regular file"
      return { name, type: 'file', declaredSize };
    case 'directory':
      return { name, type: 'directory', declaredSize };
    case 'symlink':
      return { name, type: 'symlink', declaredSize, linkTarget: (header.linkname as string | null) ?? null };
    case 'link':
      return { name, type: 'hardlink', declaredSize, linkTarget: (header.linkname as string | null) ?? null };
    case 'character-device':
      return { name, type: 'special', declaredSize, specialKind: 'character device' };
    case 'block-device':
      return { name, type: 'special', declaredSize, specialKind: 'block device' };
    case 'fifo':
      return { name, type: 'special', declaredSize, specialKind: 'FIFO (named pipe)' };
    default:
      // null: a type tar-stream does not know (GNU sparse file, volume label, multi-volume part...).
      return { name, type: 'special', declaredSize, specialKind: 'tar entry of an unsupported type (e.g. a GNU sparse file or volume label)' };
  }
}

/** Resolves when the writable wants more data; rejects if it is torn down first. */
function drained(stream: tar.Extract, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error): void => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      signal.removeEventListener('abort', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(new Error('tar parser closed'));
    stream.on('drain', onDrain);
    stream.on('close', onClose);
    signal.addEventListener('abort', onClose);
    if (signal.aborted) onClose();
  });
}
