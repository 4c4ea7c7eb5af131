// Order statistics for latency samples. Medians and p90s, never means: one GC pause must not move the figure.

export interface Summary {
  count: number;
  median: number;
  p90: number;
  min: number;
}

/** Nearest-rank percentile of already sorted samples. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, median: percentile(sorted, 50), p90: percentile(sorted, 90), min: sorted[0] ?? Number.NaN };
}

export function median(values: number[]): number {
  return summarize(values).median;
}
