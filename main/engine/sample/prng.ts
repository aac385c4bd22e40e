// Deterministic randomness for the sample generator: an AES-256-CTR keystream keyed from (seed, label).
// AES-CTR runs at GB/s in OpenSSL, so the same source serves megabytes of model weights and millions of
// small draws for log lines. Each label is an independent stream, so changing one option (say the number
// of log entries) leaves every other file of the sample byte-identical.

import { createCipheriv, createHash, type Cipher } from 'node:crypto';

const STREAM_DOMAIN = 'assay.sample/v1 stream';
const REFILL_BYTES = 64 * 1024;
const ZEROS = Buffer.alloc(1024 * 1024);

function keystreamCipher(seed: string, label: string): Cipher {
  const key = createHash('sha256').update(`${STREAM_DOMAIN}\n${seed}\n${label}`).digest();
  // A fresh key per (seed, label) makes the all-zero IV safe: no key ever encrypts two streams.
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
}

/** Raw keystream bytes in chunks, for streaming large pseudo-random files. */
export class Keystream {
  readonly #cipher: Cipher;

  constructor(seed: string, label: string) {
    this.#cipher = keystreamCipher(seed, label);
  }

  /** The next `n` bytes of the stream (n at most 1 MiB per call). */
  next(n: number): Buffer {
    if (n > ZEROS.length) throw new RangeError(`at most ${ZEROS.length} keystream bytes per call`);
    return this.#cipher.update(ZEROS.subarray(0, n));
  }
}

export class Prng {
  readonly #stream: Keystream;
  #buffer: Buffer = Buffer.alloc(0);
  #offset = 0;

  constructor(seed: string, label: string) {
    this.#stream = new Keystream(seed, label);
  }

  /** A child stream, independent of how much this one has been drawn from. */
  static for(seed: string, label: string): Prng {
    return new Prng(seed, label);
  }

  #take(n: number): number {
    if (this.#offset + n > this.#buffer.length) {
      this.#buffer = this.#stream.next(REFILL_BYTES);
      this.#offset = 0;
    }
    const at = this.#offset;
    this.#offset += n;
    return at;
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    for (let filled = 0; filled < n; ) {
      const chunk = Math.min(n - filled, REFILL_BYTES);
      const at = this.#take(chunk);
      this.#buffer.copy(out, filled, at, at + chunk);
      filled += chunk;
    }
    return out;
  }

  uint32(): number {
    return this.#buffer.readUInt32LE(this.#take(4));
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  float(): number {
    const at = this.#take(8);
    const high = this.#buffer.readUInt32LE(at) >>> 5;
    const low = this.#buffer.readUInt32LE(at + 4) >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** Uniform real in [min, max). */
  between(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** Picks by relative weight: `[[item, weight], ...]`. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let point = this.float() * total;
    for (const [item, weight] of choices) {
      point -= weight;
      if (point < 0) return item;
    }
    return choices[choices.length - 1]![0];
  }

  /** `k` distinct items in random order (a partial Fisher-Yates shuffle: k draws, not n). */
  sample<T>(items: readonly T[], k: number): T[] {
    const pool = [...items];
    const count = Math.min(k, pool.length);
    for (let i = 0; i < count; i += 1) {
      const j = i + Math.floor(this.float() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, count);
  }

  /** Exponentially distributed with the given mean (waiting times between events). */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /** Normally distributed (Box-Muller). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.float();
    const v = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  hex(bytes: number): string {
    const at = this.#take(bytes);
    return this.#buffer.toString('hex', at, at + bytes);
  }

  /** An RFC 9562 version 4 UUID. */
  uuid(): string {
    const b = this.bytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}
