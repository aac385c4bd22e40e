// Builds small hash-chained logs for the log tests, independently of the sample generator's writer, and
// rewrites them the way an attacker (or a buggy writer) would.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
export const GENESIS = sha256('assay.log/v1 genesis\nurn:uuid:00000000-0000-4000-8000-000000000001\nlogs/test.jsonl');

export interface Entry {
  seq: number;
  time: string;
  type: string;
  correlation_id: string;
  [field: string]: unknown;
}

/** `count` inference events a second apart, from `firstSeq`. */
export function entries(count: number, firstSeq = 0, startMs = Date.parse('2026-09-10T07:00:00.000Z')): Entry[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: firstSeq + i,
    time: new Date(startMs + i * 1000).toISOString(),
    type: 'inference',
    correlation_id: `req-${firstSeq + i}`,
    model: { name: 'credit-risk-classifier', version: '4.3.2', sha256: 'a'.repeat(64) },
    input: { sha256: sha256(`input ${firstSeq + i}`), bytes: 1200 },
    output: { label: 'approve' },
    confidence: 0.9,
  }));
}

/** Serialises entries as chained lines (envelope first, in order), starting from `genesis`. */
export function chain(list: readonly Entry[], genesis = GENESIS): string[] {
  let prev = genesis;
  return list.map((entry) => {
    const { seq, time, type, correlation_id: correlationId, ...fields } = entry;
    const line = JSON.stringify({ seq, time, prev, type, correlation_id: correlationId, ...fields });
    prev = sha256(line);
    return line;
  });
}

export const headOf = (lines: readonly string[], genesis = GENESIS): string => (lines.length === 0 ? genesis : sha256(lines[lines.length - 1]!));

export const text = (lines: readonly string[]): string => lines.map((l) => `${l}\n`).join('');

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'assay-logs-test-'));
  #n = 0;

  write(lines: readonly string[] | string, name = `log-${this.#n++}.jsonl`): string {
    const file = join(this.path, name);
    writeFileSync(file, typeof lines === 'string' ? lines : text(lines));
    return file;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
