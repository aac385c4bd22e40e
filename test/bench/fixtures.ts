// Benchmark fixtures and timing helpers: files of exact sizes, page-cache warming, openssl runs, best-of-N.

import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** Fresh pseudo-random content, so no layer below can shortcut repeated blocks. */
const pattern = randomBytes(4 * MiB);

/** Writes `size` bytes to `path` (a new file). The block pattern is shifted per block. */
export function writeFileOfSize(path: string, size: number): void {
  const fd = openSync(path, 'wx');
  try {
    let written = 0;
    let block = 0;
    while (written < size) {
      const offset = (block * 4099) % MiB;
      const n = Math.min(size - written, pattern.length - offset);
      written += writeSync(fd, pattern, offset, n);
      block++;
    }
  } finally {
    closeSync(fd);
  }
}

/** `count` sizes of roughly equal share (each 0.5 to 1.5 times the mean) summing to exactly `total`. */
export function spreadSizes(count: number, total: number): number[] {
  const mean = total / count;
  const sizes: number[] = [];
  let sum = 0;
  for (let i = 0; i < count - 1; i++) {
    const size = Math.round(mean * (0.5 + ((i * 7919) % 1000) / 1000));
    sizes.push(size);
    sum += size;
  }
  sizes.push(Math.max(0, total - sum));
  return sizes;
}

/** Flushes dirty pages so write-back does not run during timings (no-op where `sync` is missing). */
export function flushWrites(): void {
  try {
    execFileSync('sync');
  } catch {
    // Not fatal: timings may just be noisier.
  }
}

/** Reads every file once so that all timed runs hash from the page cache. */
export function warmPageCache(paths: readonly string[]): void {
  const buffer = Buffer.allocUnsafe(4 * MiB);
  for (const path of paths) {
    const fd = openSync(path, 'r');
    try {
      let position = 0;
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, position);
        if (n === 0) break;
        position += n;
      }
    } finally {
      closeSync(fd);
    }
  }
}

export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** MB/s, MB being 10^6 bytes. */
export function mbPerSecond(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

/** Runs `command args` in `cwd`, returning its wall time (spawn to exit) and stdout. Throws on failure. */
export function timeProcess(command: string, args: readonly string[], cwd: string): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = msSince(start);
      if (code === 0) resolve({ ms, stdout: Buffer.concat(out).toString('utf8') });
      else reject(new Error(`${command} exited with ${code}: ${Buffer.concat(err).toString('utf8').slice(0, 500)}`));
    });
  });
}

/**
 * Splits `names` into argument lists whose total length stays under `maxArgBytes` (xargs-style), so a
 * command line never exceeds the system limit; 10,000 short relative names fit in one.
 */
export function chunkArgs(names: readonly string[], maxArgBytes = 1024 * 1024): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const name of names) {
    const cost = Buffer.byteLength(name) + 1 + 8; // the string, its NUL, its argv pointer
    if (current.length > 0 && bytes + cost > maxArgBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(name);
    bytes += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Parses `openssl dgst -sha256 -r` output (`<hex> *<name>` per line) into name -> hex. */
export function parseOpensslDigests(stdout: string): Map<string, string> {
  const digests = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^([0-9a-f]{64}) \*?(.+)$/.exec(line.trim());
    if (m !== null) digests.set(m[2]!, m[1]!);
  }
  return digests;
}
