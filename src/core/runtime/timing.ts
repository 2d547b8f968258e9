import type { LatencyStats } from './backend.js';

/** Summarizes run times (ms): min, nearest-rank p50 and p90, mean, max. */
export function latencyStats(samples: readonly number[]): LatencyStats {
  if (!samples.length) return { min: 0, p50: 0, p90: 0, mean: 0, max: 0, runs: 0 };
  const s = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  return {
    min: s[0],
    p50: rank(0.5),
    p90: rank(0.9),
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    max: s[s.length - 1],
    runs: s.length,
  };
}
