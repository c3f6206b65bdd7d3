// One row of the benchmark table and of bench/results.json.
import type { Spread } from './stats';

export interface BenchResult {
  id: string;
  title: string;
  unit: string;
  /** The measured figure (median) and the baseline measured in the same run. */
  subject: Spread;
  baseline: Spread;
  /** How the target reads: subject/baseline for speed, or an absolute bound derived in the same run. */
  ratio: number;
  target: string;
  holds: boolean;
  notes: string[];
}

export interface BenchOptions {
  /** CI's short version: smaller workloads, fewer runs. The figures are then indicative only. */
  smoke: boolean;
  runs: number;
  log: (line: string) => void;
}

export type Bench = (opts: BenchOptions) => Promise<BenchResult>;
