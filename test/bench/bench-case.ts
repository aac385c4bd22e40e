// Shapes shared by the benchmark runner and its cases: what a case receives and what it reports.

/** A measured figure, e.g. { value: 1450, unit: 'MB/s' }. MB is 10^6 bytes. */
export interface Figure {
  readonly value: number;
  readonly unit: string;
}

export interface BenchRow {
  /** Stable id, also accepted by `--only`. */
  readonly id: string;
  readonly title: string;
  readonly assay: Figure;
  /** The reference measured over the same bytes in the same run, when there is one. */
  readonly baseline: (Figure & { readonly label: string }) | null;
  /** assay / baseline for throughputs; null when there is no baseline. */
  readonly ratio: number | null;
  readonly target: { readonly text: string; readonly met: boolean };
  /** A caveat printed under the table, e.g. that other load on the machine skewed this case. */
  readonly note?: string;
  /** Further figures worth keeping in the JSON output (per-run times, sizes, worker count...). */
  readonly details: Readonly<Record<string, number | string | readonly number[]>>;
}

export interface BenchContext {
  /** Private temporary directory of this run, removed afterwards. */
  readonly workDir: string;
  /** `--quick`: sizes scaled down for a smoke run; targets are still reported but mean little. */
  readonly quick: boolean;
  /** Timed repetitions per measurement (best is kept). */
  readonly runs: number;
  log(message: string): void;
}

export interface BenchCase {
  readonly id: string;
  readonly title: string;
  run(ctx: BenchContext): Promise<BenchRow>;
}
