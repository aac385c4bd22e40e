// The per-file view of integrity: each file the manifest lists or the bundle holds, with its expected
// and actual size and sha256 and the state that follows. Pure, so the engine and the renderer agree.

export type FileState = 'ok' | 'missing' | 'size-mismatch' | 'hash-mismatch' | 'unlisted' | 'unreadable';

export interface FileRecord {
  readonly path: string;
  readonly state: FileState;
  readonly expectedSha256: string | null;
  readonly actualSha256: string | null;
  readonly expectedSize: number | null;
  readonly actualSize: number | null;
  readonly error: string | null;
}

export interface ListedFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export type ActualFile = { readonly ok: true; readonly sha256: string; readonly size: number } | { readonly ok: false; readonly error: string };

/**
 * Compares what the manifest lists with what the bundle holds. `actual` has an entry for every regular
 * file present; `exempt` names files the manifest cannot list (the manifest and its signature).
 */
export function compareFiles(
  listed: readonly ListedFile[],
  actual: ReadonlyMap<string, ActualFile>,
  exempt: readonly string[],
): FileRecord[] {
  const records: FileRecord[] = [];
  const listedPaths = new Set<string>();
  for (const entry of listed) {
    listedPaths.add(entry.path);
    const found = actual.get(entry.path);
    const base = { path: entry.path, expectedSha256: entry.sha256, expectedSize: entry.size };
    if (found === undefined) {
      records.push({ ...base, state: 'missing', actualSha256: null, actualSize: null, error: null });
    } else if (!found.ok) {
      records.push({ ...base, state: 'unreadable', actualSha256: null, actualSize: null, error: found.error });
    } else {
      const state: FileState = found.size !== entry.size ? 'size-mismatch' : found.sha256 !== entry.sha256 ? 'hash-mismatch' : 'ok';
      records.push({ ...base, state, actualSha256: found.sha256, actualSize: found.size, error: null });
    }
  }
  for (const [path, found] of actual) {
    if (listedPaths.has(path) || exempt.includes(path)) continue;
    records.push({
      path,
      state: found.ok ? 'unlisted' : 'unreadable',
      expectedSha256: null,
      expectedSize: null,
      actualSha256: found.ok ? found.sha256 : null,
      actualSize: found.ok ? found.size : null,
      error: found.ok ? null : found.error,
    });
  }
  return records.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
