// Test-side truth for query tests: the events of a bundle's logs read straight from the JSONL files with
// JSON.parse (no Assay code), and a small RFC 4180 CSV reader, so exports are compared with the source.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface SourceEvent {
  readonly log: string;
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly sha256: string;
  readonly value: Record<string, unknown> & { seq: number; time: string; prev: string; type: string; correlation_id: string };
}

function jsonlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? jsonlFiles(path) : name.endsWith('.jsonl') ? [path] : [];
    });
}

/** Every line of every log under `bundleDir/logs`, in file then line order. Log name: the directory for inference segments. */
export function readSourceEvents(bundleDir: string): SourceEvent[] {
  return jsonlFiles(join(bundleDir, 'logs')).flatMap((abs) => {
    const file = relative(bundleDir, abs).split('\\').join('/');
    const log = file.startsWith('logs/inference/') ? 'logs/inference' : file;
    const lines = readFileSync(abs, 'utf8').split('\n');
    lines.pop();
    return lines.map((text, i) => ({ log, file, line: i + 1, text, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), value: JSON.parse(text) as SourceEvent['value'] }));
  });
}

/** Events in the order of an entry export: time, then log, then seq. */
export function exportOrder(events: readonly SourceEvent[]): SourceEvent[] {
  return [...events].sort((a, b) => (a.value.time < b.value.time ? -1 : a.value.time > b.value.time ? 1 : a.log < b.log ? -1 : a.log > b.log ? 1 : a.value.seq - b.value.seq));
}

export function valueAt(value: unknown, path: string): unknown {
  let at = value;
  for (const key of path.split('.')) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

/** RFC 4180: fields separated by commas, quoted fields with doubled quotes, rows ending in \n or \r\n. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** CSV rows as objects keyed by the header. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
