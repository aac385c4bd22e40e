// Reads a .zip into an ArchiveSink with yauzl, one entry at a time, refusing links, special files,
// encrypted entries and bombs (declared and actual sizes against the compressed bytes behind them).

import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import type { ArchiveLimits } from '../schemas/policy.js';
import { RATIO_ALLOWANCE_BYTES, type ArchiveSink, type EntryInfo } from './archive-sink.js';
import { rangeStream } from './archive-input.js';
import { BundleRefusedError, BundleUnreadableError } from './bundle-source.js';

/** A symlink's target is its data; this much is read to say where it points. */
const MAX_LINK_TARGET_BYTES = 4096;

const S_IFMT = 0o170000;
const FILE_TYPES: Record<number, EntryInfo['type'] | undefined> = {
  0o100000: 'file',
  0o040000: 'directory',
  0o120000: 'symlink',
};
const SPECIAL_KINDS: Record<number, string> = {
  0o020000: 'character device',
  0o060000: 'block device',
  0o010000: 'FIFO (named pipe)',
  0o140000: 'socket',
};

/** yauzl reads through our handle, so the bytes parsed are those of the file we checked is regular. */
class HandleReader extends yauzl.RandomAccessReader {
  constructor(private readonly handle: FileHandle) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return rangeStream(this.handle, start, end);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    this.handle.read(buffer, offset, length, position).then(({ bytesRead }) => callback(null, bytesRead), (error: unknown) => callback(error as Error));
  }

  override close(callback: (err: Error | null) => void): void {
    setImmediate(() => callback(null)); // the handle's owner closes it
  }
}

export async function extractZip(handle: FileHandle, size: number, sink: ArchiveSink, limits: ArchiveLimits): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromRandomAccessReaderPromise(new HandleReader(handle), size, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: true,
      validateEntrySizes: true,
      strictFileNames: true, // a backslash stays a backslash, and is refused, instead of becoming "/"
    });
  } catch (error) {
    throw yauzlError(error);
  }
  try {
    // The central directory says how many entries follow: a count over the limit needs no extraction.
    if (zip.entryCount > limits.maxEntries) {
      throw new BundleRefusedError('INT-ARCHIVE-TOO-MANY-ENTRIES', `archive has ${zip.entryCount} entries, more than the policy's limit of ${limits.maxEntries}`);
    }
    const meter = { compressed: 0, declared: 0, actual: 0 };
    zip.on('error', () => undefined); // errors are taken by nextEntry(); this keeps a late one from crashing
    // One entry at a time, each finished before the next is read: nothing is in flight when we stop.
    for (let entry = await nextEntry(zip); entry !== null; entry = await nextEntry(zip)) {
      await extractEntry(zip, entry, size, meter, sink, limits);
    }
  } finally {
    zip.close();
  }
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry): void => {
      settle();
      resolve(entry);
    };
    const onEnd = (): void => {
      settle();
      resolve(null);
    };
    const onError = (error: unknown): void => {
      settle();
      reject(yauzlError(error));
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

async function extractEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  archiveSize: number,
  meter: { compressed: number; declared: number; actual: number },
  sink: ArchiveSink,
  limits: ArchiveLimits,
): Promise<void> {
  const name = entry.fileName;
  const info = await entryInfo(zip, entry);
  const path = await sink.admit(info);
  if (path === null) return;
  if (entry.isEncrypted()) {
    throw new BundleRefusedError('INT-ARCHIVE-CORRUPT', `archive entry "${name}" is encrypted; Assay reads only unencrypted archives`, name);
  }
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw new BundleRefusedError('INT-ARCHIVE-CORRUPT', `archive entry "${name}" uses compression method ${entry.compressionMethod}; only stored (0) and deflate (8) are supported`, name);
  }
  // Compressed bytes behind the output so far. Capped at the file size because entries may overlap
  // (several central directory records pointing at the same data is a known bomb construction).
  meter.compressed = Math.min(meter.compressed + entry.compressedSize, archiveSize);
  const allowed = (): number => limits.maxCompressionRatio * meter.compressed + RATIO_ALLOWANCE_BYTES;
  meter.declared += entry.uncompressedSize;
  if (meter.declared > allowed()) {
    throw ratioError(name, entry.uncompressedSize, entry.compressedSize, limits);
  }
  const stream = await openReadStream(zip, entry);
  let crc = 0;
  const checked = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      crc = crc32(chunk, crc);
      yield chunk;
    }
  };
  try {
    await sink.write(path, name, entry.uncompressedSize, checked(), (n) => {
      meter.actual += n;
      if (meter.actual > allowed()) throw ratioError(name, entry.uncompressedSize, entry.compressedSize, limits);
    });
  } catch (error) {
    throw yauzlError(error, name);
  } finally {
    stream.destroy();
  }
  // yauzl leaves the CRC to the caller; a mismatch means the data is not what was archived.
  if (crc >>> 0 !== entry.crc32 >>> 0) {
    throw new BundleRefusedError('INT-ARCHIVE-CORRUPT', `archive entry "${name}" fails its CRC-32 check`, name);
  }
}

async function entryInfo(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<EntryInfo> {
  const name = entry.fileName;
  const declaredSize = entry.uncompressedSize;
  // The Unix mode lives in the high 16 bits of the external attributes (Info-ZIP, and 7-Zip even on
  // Windows). A zero type means no Unix mode was recorded: then only the trailing "/" says "directory".
  const fileType = (entry.externalFileAttributes >>> 16) & S_IFMT;
  const special = SPECIAL_KINDS[fileType];
  if (special !== undefined) return { name, type: 'special', declaredSize, specialKind: special };
  const known = fileType === 0 ? 'file' : FILE_TYPES[fileType];
  if (known === undefined) return { name, type: 'special', declaredSize, specialKind: `entry of unknown Unix file type 0o${fileType.toString(8)}` };
  if (known === 'symlink') return { name, type: 'symlink', declaredSize, linkTarget: await readLinkTarget(zip, entry) };
  if (known === 'directory' || name.endsWith('/')) return { name: name.endsWith('/') ? name : `${name}/`, type: 'directory', declaredSize };
  return { name, type: 'file', declaredSize };
}

/** The target of a symlink entry, for the refusal message only; null when it cannot be read cheaply. */
async function readLinkTarget(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string | null> {
  if (entry.uncompressedSize > MAX_LINK_TARGET_BYTES || !entry.canDecodeFileData()) return null;
  try {
    const stream = await openReadStream(zip, entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  } catch {
    return null;
  }
}

function openReadStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(yauzlError(error, entry.fileName)) : resolve(stream)));
  });
}

function ratioError(name: string, declared: number, compressed: number, limits: ArchiveLimits): BundleRefusedError {
  return new BundleRefusedError('INT-ARCHIVE-RATIO', `archive entry "${name}" expands ${compressed} compressed bytes to ${declared} bytes, taking the archive over the policy's ratio of ${limits.maxCompressionRatio}:1 (a decompression bomb)`, name);
}

/**
 * yauzl reports everything as plain Errors. Its file-name checks (run because decodeStrings is on) are
 * unsafe paths; anything else it says about the archive's structure or data means it is corrupt.
 */
function yauzlError(error: unknown, entryName: string | null = null): unknown {
  if (!(error instanceof Error) || error instanceof BundleRefusedError || error instanceof BundleUnreadableError || 'syscall' in error) return error;
  const unsafe = /^(invalid characters in fileName|absolute path|invalid relative path): (.*)$/s.exec(error.message);
  if (unsafe !== null) {
    const name = unsafe[2] ?? '';
    return new BundleRefusedError('INT-ARCHIVE-UNSAFE-PATH', `archive entry "${name}" has an unsafe path (${unsafe[1]}); it could write outside the bundle`, name);
  }
  const where = entryName === null ? 'archive' : `archive entry "${entryName}"`;
  return new BundleRefusedError('INT-ARCHIVE-CORRUPT', `${where} is corrupt: ${error.message}`, entryName);
}
