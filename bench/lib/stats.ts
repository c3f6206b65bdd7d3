// Medians with their spread: every figure the benchmarks print is one of these.
export interface Spread {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function spread(samples: number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN, samples };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs `sample` n times alternating with `baseline`, so drift on a shared machine hits both alike. */
export async function interleave(
  n: number,
  baseline: () => Promise<number>,
  subject: () => Promise<number>,
): Promise<{ baseline: Spread; subject: Spread }> {
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < n; i++) {
    b.push(await baseline());
    s.push(await subject());
  }
  return { baseline: spread(b), subject: spread(s) };
}
