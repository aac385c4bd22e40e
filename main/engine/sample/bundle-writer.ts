// Writes the files of a sample bundle and remembers each one's sha256, size and media type, so the
// manifest is computed from the bytes as they were written instead of re-reading gigabytes of logs.

import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ManifestFileEntry } from '../schemas/manifest.js';

const FLUSH_BYTES = 1024 * 1024;

export class BundleWriter {
  readonly #files = new Map<string, ManifestFileEntry>();

  constructor(readonly root: string) {}

  /** Every file written so far, sorted by path. */
  get files(): ManifestFileEntry[] {
    return [...this.#files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  entry(path: string): ManifestFileEntry {
    const file = this.#files.get(path);
    if (file === undefined) throw new Error(`${path} has not been written`);
    return file;
  }

  async writeFile(path: string, content: string | Uint8Array, mediaType: string): Promise<ManifestFileEntry> {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const target = this.#claim(path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes, { flag: 'wx' });
    return this.#record({ path, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, mediaType });
  }

  /** A file written piece by piece with bounded memory; `close()` records it. */
  async openSink(path: string, mediaType: string): Promise<FileSink> {
    const target = this.#claim(path);
    await mkdir(dirname(target), { recursive: true });
    const handle = await open(target, 'wx');
    return new FileSink(handle, (sha256, size) => this.#record({ path, sha256, size, mediaType }));
  }

  #claim(path: string): string {
    if (this.#files.has(path)) throw new Error(`${path} written twice`);
    return join(this.root, ...path.split('/'));
  }

  #record(entry: ManifestFileEntry): ManifestFileEntry {
    this.#files.set(entry.path, entry);
    return entry;
  }
}

/**
 * Buffers small string writes into ~1 MiB chunks (one syscall and one hash update per chunk) and hashes
 * exactly the bytes written. `write` returns a promise only when it flushed, so hot loops can skip awaits.
 */
export class FileSink {
  readonly #hash: Hash = createHash('sha256');
  #pending: string[] = [];
  #pendingLength = 0;
  #size = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly onClose: (sha256: string, size: number) => ManifestFileEntry,
  ) {}

  write(chunk: string): Promise<void> | undefined {
    this.#pending.push(chunk);
    this.#pendingLength += chunk.length;
    return this.#pendingLength >= FLUSH_BYTES ? this.flush() : undefined;
  }

  async writeBytes(bytes: Buffer): Promise<void> {
    await this.flush();
    await this.#put(bytes);
  }

  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const bytes = Buffer.from(this.#pending.join(''), 'utf8');
    this.#pending = [];
    this.#pendingLength = 0;
    await this.#put(bytes);
  }

  async close(): Promise<ManifestFileEntry> {
    await this.flush();
    await this.handle.close();
    return this.onClose(this.#hash.digest('hex'), this.#size);
  }

  async #put(bytes: Buffer): Promise<void> {
    this.#hash.update(bytes);
    this.#size += bytes.length;
    for (let written = 0; written < bytes.length; ) {
      const { bytesWritten } = await this.handle.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
  }
}
