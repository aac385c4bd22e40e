// Builds test archives in memory: well-formed ones, hostile ones (names, links, devices a normal tool
// would refuse to write) and cheap bombs. No test data lives on disk.

import { constants, crc32, deflateRawSync, gzipSync } from 'node:zlib';
import yazl from 'yazl';

// ---------------------------------------------------------------- tar

export interface TarEntrySpec {
  readonly name: string;
  readonly data?: Buffer | string;
  /** Type flag: '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device, '5' directory, '6' FIFO. */
  readonly type?: string;
  readonly linkname?: string;
  /** Declared size when it differs from the data (bombs). */
  readonly size?: number;
}

/** One ustar header block; the size field switches to base-256 past 8 GiB, as GNU tar does. */
export function tarHeader(spec: TarEntrySpec): Buffer {
  const block = Buffer.alloc(512);
  const data = toBuffer(spec.data);
  const size = spec.size ?? data.length;
  const type = spec.type ?? '0';
  let name = spec.name;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
  }
  block.write(name, 0, 100, 'utf8');
  block.write(octal(type === '5' ? 0o755 : 0o644, 7), 100, 'ascii');
  block.write(octal(0, 7), 108, 'ascii');
  block.write(octal(0, 7), 116, 'ascii');
  if (size < 8 ** 11) {
    block.write(octal(size, 11), 124, 'ascii');
  } else {
    block[124] = 0x80;
    let rest = size;
    for (let i = 135; i > 124; i -= 1) {
      block[i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
  }
  block.write(octal(1_700_000_000, 11), 136, 'ascii');
  block.write(type, 156, 'ascii');
  if (spec.linkname !== undefined) block.write(spec.linkname, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 'binary');
  block.write(octal(0, 7), 329, 'ascii');
  block.write(octal(0, 7), 337, 'ascii');
  if (prefix !== '') block.write(prefix, 345, 155, 'utf8');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${octal(sum, 6)}\u0000 `, 148, 'binary');
  return block;
}

/** Header, data and padding of one entry. */
export function tarEntry(spec: TarEntrySpec): Buffer {
  const data = toBuffer(spec.data);
  const pad = (512 - (data.length % 512)) % 512;
  return Buffer.concat([tarHeader(spec), data, Buffer.alloc(pad)]);
}

export function tarArchive(entries: readonly TarEntrySpec[]): Buffer {
  return Buffer.concat([...entries.map(tarEntry), Buffer.alloc(1024)]);
}

export function gzip(data: Buffer): Buffer {
  return gzipSync(data);
}

/**
 * A tar.gz whose one entry declares `declaredBytes` and whose gzip stream really expands to
 * `megabytes` MiB of zeros: many identical gzip members (gunzip concatenates them), each 1 MiB of
 * zeros in about 1 KiB. Builds a 10 GB bomb in a few milliseconds.
 */
export function tarGzBomb(declaredBytes: number, megabytes: number): Buffer {
  const member = gzipSync(Buffer.alloc(1024 * 1024));
  const parts: Buffer[] = [gzipSync(tarHeader({ name: 'artefacts/model.bin', size: declaredBytes }))];
  for (let i = 0; i < megabytes; i += 1) parts.push(member);
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------- zip

/** A zip built by yazl, a real zip writer (entries with a name ending "/" are directories). */
export function zipArchive(entries: ReadonlyArray<{ name: string; data?: Buffer | string; mode?: number }>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    const options = { mtime: new Date(1_700_000_000_000), ...(entry.mode === undefined ? {} : { mode: entry.mode }) };
    if (entry.name.endsWith('/')) zip.addEmptyDirectory(entry.name, options);
    else zip.addBuffer(toBuffer(entry.data), entry.name, { ...options, compress: true });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

export interface RawZipEntry {
  readonly name: string;
  /** Bytes as stored (already deflated when method is 8). */
  readonly stored?: Buffer;
  readonly method?: 0 | 8;
  readonly crc?: number;
  readonly uncompressedSize?: number;
  /** Unix mode, written to the high 16 bits of the external attributes. */
  readonly mode?: number;
  readonly flags?: number;
}

/**
 * A zip written byte by byte, for what no zip tool will write: unsafe names, lying sizes, encrypted
 * flags. Defaults give a valid stored entry.
 */
export function rawZip(entries: readonly RawZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const stored = entry.stored ?? Buffer.alloc(0);
    const method = entry.method ?? 0;
    const usize = entry.uncompressedSize ?? stored.length;
    const crc = entry.crc ?? crc32(stored);
    const flags = (entry.flags ?? 0) | 0x800; // UTF-8 names
    const mode = entry.mode ?? (entry.name.endsWith('/') ? 0o040755 : 0o100644);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(usize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(usize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((mode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  return Buffer.concat([...locals, endOfArchive(Buffer.concat(centrals), offset, entries.length)]);
}

/** Central directory and end records; the Zip64 ones too when the count does not fit 16 bits. */
function endOfArchive(directory: Buffer, directoryOffset: number, count: number): Buffer {
  const parts: Buffer[] = [directory];
  const zip64 = count >= 0xffff;
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE((3 << 8) | 45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(directory.length), 40);
    record.writeBigUInt64LE(BigInt(directoryOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(directoryOffset + directory.length), 8);
    locator.writeUInt32LE(1, 16);
    parts.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : count, 8);
  end.writeUInt16LE(zip64 ? 0xffff : count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(directoryOffset, 16);
  parts.push(end);
  return Buffer.concat(parts);
}

/**
 * Raw deflate data for `megabytes` MiB of zeros, built without compressing them all: one 1 MiB block
 * ending in a sync flush (byte-aligned, not final) repeated, then an empty final block.
 */
export function deflatedZeros(megabytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: constants.Z_SYNC_FLUSH });
  const parts: Buffer[] = [];
  for (let i = 0; i < megabytes; i += 1) parts.push(block);
  parts.push(deflateRawSync(Buffer.alloc(0)));
  return Buffer.concat(parts);
}

function toBuffer(data: Buffer | string | undefined): Buffer {
  if (data === undefined) return Buffer.alloc(0);
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

function octal(value: number, digits: number): string {
  return value.toString(8).padStart(digits, '0');
}

// ---------------------------------------------------------------- a bundle-shaped tree

/** A small tree shaped like a bundle, with an empty file, nested directories and non-ASCII names. */
export function sampleTree(): Map<string, Buffer> {
  const model = Buffer.alloc(300 * 1024);
  for (let i = 0; i < model.length; i += 1) model[i] = (i * 7919 + (i >> 8)) & 0xff;
  return new Map<string, Buffer>([
    ['manifest.json', Buffer.from('{"bundleId":"b-1","files":[]}\n')],
    ['compliance.yaml', Buffer.from('system_name: demo\nrisk_tier: high\n')],
    ['records/build.json', Buffer.from('{"commit":"0123456789abcdef"}\n')],
    ['records/empty.json', Buffer.alloc(0)],
    ['artefacts/model.bin', model],
    ['logs/inference/2024-01-01.jsonl', Buffer.from('{"seq":1}\n{"seq":2}\n')],
    ['sbom/caf\u00e9-na\u00efve.json', Buffer.from('{}')],
  ]);
}

/** Directories the archives name explicitly (a tar made by `tar -c` lists them before their contents). */
export function directoriesOf(tree: Map<string, Buffer>): string[] {
  const dirs = new Set<string>();
  for (const path of tree.keys()) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i += 1) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs].sort();
}

export function sampleTar(tree: Map<string, Buffer>, prefix = ''): Buffer {
  const entries: TarEntrySpec[] = [];
  if (prefix !== '') entries.push({ name: prefix, type: '5' });
  for (const dir of directoriesOf(tree)) entries.push({ name: `${prefix}${dir}/`, type: '5' });
  for (const [path, data] of tree) entries.push({ name: `${prefix}${path}`, data });
  return tarArchive(entries);
}

export function sampleZip(tree: Map<string, Buffer>): Promise<Buffer> {
  return zipArchive([
    ...directoriesOf(tree).map((dir) => ({ name: `${dir}/` })),
    ...[...tree].map(([name, data]) => ({ name, data })),
  ]);
}

/**
 * A zip whose `count` central directory records all point at one local entry (names differ): the
 * overlapping-entries bomb, where each entry looks modest but the file holds the data only once.
 */
export function overlappingZip(count: number, megabytesOfZeros: number): Buffer {
  const stored = deflatedZeros(megabytesOfZeros);
  const usize = megabytesOfZeros * 1024 * 1024;
  const crc = crc32(Buffer.alloc(usize));
  const single = rawZip([{ name: 'shared', stored, method: 8, uncompressedSize: usize, crc }]);
  const localLength = 30 + 'shared'.length + stored.length;
  const template = single.subarray(localLength, localLength + 46);
  const centrals: Buffer[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = Buffer.from(`part-${i}.bin`);
    const central = Buffer.from(template);
    central.writeUInt16LE(name.length, 28);
    centrals.push(central, name);
  }
  return Buffer.concat([single.subarray(0, localLength), endOfArchive(Buffer.concat(centrals), localLength, count)]);
}
