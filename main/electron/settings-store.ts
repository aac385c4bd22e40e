// Session settings (recent bundles, the chosen trust store and policy) in one JSON file under the app's
// user-data directory. Read defensively: a missing or damaged file gives the defaults, never a crash.
// Written atomically (temporary file, then rename), so a crash cannot leave half a file.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AppSettings, RecentBundle } from '../../shared/ipc-contract.js';
import type { Verdict } from '../../shared/report.js';

export const SETTINGS_FILE = 'assay-settings.json';
export const MAX_RECENT = 10;

const settingsSchema = z.object({
  version: z.literal(1),
  recent: z
    .array(z.object({ source: z.string().min(1), openedAt: z.string(), verdict: z.enum(['PASS', 'FAIL', 'INCOMPLETE']).nullable() }))
    .max(100),
  trustDir: z.string().min(1).nullable(),
  policyPath: z.string().min(1).nullable(),
});

const DEFAULTS: AppSettings = { recent: [], trustDir: null, policyPath: null };

export class SettingsStore {
  private readonly file: string;
  private cached: AppSettings | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = join(dir, SETTINGS_FILE);
  }

  async get(): Promise<AppSettings> {
    if (this.cached === null) this.cached = await this.load();
    return this.cached;
  }

  async recordOpened(source: string, verdict: Verdict | null): Promise<AppSettings> {
    return this.update((s) => {
      const entry: RecentBundle = { source, openedAt: this.now().toISOString(), verdict };
      return { ...s, recent: [entry, ...s.recent.filter((r) => r.source !== source)].slice(0, MAX_RECENT) };
    });
  }

  async forgetRecent(source: string): Promise<AppSettings> {
    return this.update((s) => ({ ...s, recent: s.recent.filter((r) => r.source !== source) }));
  }

  async setTrustDir(trustDir: string | null): Promise<AppSettings> {
    return this.update((s) => ({ ...s, trustDir }));
  }

  async setPolicyPath(policyPath: string | null): Promise<AppSettings> {
    return this.update((s) => ({ ...s, policyPath }));
  }

  private async update(change: (s: AppSettings) => AppSettings): Promise<AppSettings> {
    const next = change(await this.get());
    this.cached = next;
    const write = this.writing.then(() => this.save(next));
    this.writing = write.catch(() => undefined);
    await write;
    return next;
  }

  private async load(): Promise<AppSettings> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return DEFAULTS;
    }
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return DEFAULTS;
      const { recent, trustDir, policyPath } = parsed.data;
      return { recent: recent.slice(0, MAX_RECENT), trustDir, policyPath };
    } catch {
      return DEFAULTS;
    }
  }

  private async save(settings: AppSettings): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ version: 1, ...settings }, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.file);
  }
}
