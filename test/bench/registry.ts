// The registry of benchmark cases run by bench.ts, in order; later areas (log chains...) append theirs.

import type { BenchCase } from './bench-case.js';
import { hashBenchCases } from './hash-cases.js';
import { logBenchCases } from './log-cases.js';
import { queryBenchCases } from './query-cases.js';

export const benchCases: readonly BenchCase[] = [...hashBenchCases, ...logBenchCases, ...queryBenchCases];
