/**
 * The figures of a tensor read off its code counts (how many times each 4-, 8- or 16-bit code
 * occurs) and the value of each code: what ValueAccumulator computes from the values, without
 * decoding them. Sums run in code order, so the result depends only on the counts (not on the
 * kernel, the chunking, or how the tensor was split).
 */
import type { AccumulatorResult } from './stats-accumulator.js';
import { KEY_BUCKETS } from './stats-kernel.js';
import { linearEdges, logHistogramFromKeys, percentilesFromKeys, sparseKeys } from './stats-keys.js';
import { rowStatsOf, type RowFigures } from './stats-rows.js';
import type { Histogram, ValueStats } from './stats-types.js';

export interface CodeFiguresConfig {
  count: number;
  /** Integer values: one histogram bin per integer when the range fits in `bins`. */
  integer: boolean;
  bins: number;
  outlierSigma: number;
}

const bits = new Float32Array(1);
const bitsU = new Uint32Array(bits.buffer);
const dense = new Float64Array(KEY_BUCKETS);
// The finite counted values and their counts, in code order, for the passes after the first.
const fv = new Float64Array(65536);
const fk = new Float64Array(65536);

interface CodeSums { nan: number; posInf: number; negInf: number; zeros: number; finite: number; s1: number; min: number; max: number; m: number }

// The loops are functions of their own: V8 optimizes each one with its own type feedback
// (one function holding them all kept deoptimizing at the first cold line after a hot loop).

/** The figures of pass 1 and the key buckets of every counted value (as the value kernel's pass 2 counts them); fills fv/fk. */
function sumCodes(counts: Float64Array, values: Float32Array): CodeSums {
  let nan = 0, posInf = 0, negInf = 0, zeros = 0, finite = 0, s1 = 0, m = 0;
  let min = Infinity, max = -Infinity;
  for (let c = 0, n = values.length; c < n; c++) {
    const k = counts[c];
    if (k === 0) continue;
    const v = values[c];
    bits[0] = v;
    dense[bitsU[0] >>> 16] += k;
    if (v - v === 0) {
      fv[m] = v; fk[m++] = k;
      finite += k;
      s1 += k * v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (v === 0) zeros += k;
    } else if (v !== v) nan += k;
    else if (v > 0) posInf += k;
    else negInf += k;
  }
  return { nan, posInf, negInf, zeros, finite, s1, min, max, m };
}

function squaredDeviations(m: number, mean: number): number {
  let m2 = 0;
  for (let j = 0; j < m; j++) {
    const d = fv[j] - mean;
    m2 += fk[j] * d * d;
  }
  return m2;
}

/** Linear histogram counts and outliers of the finite values, in the value kernel's float32 arithmetic. */
function binCodes(m: number, hc: Float64Array, flo: number, scale: number, last: number, olo: number, ohi: number): [number, number] {
  const f = Math.fround;
  let below = 0, above = 0;
  for (let j = 0; j < m; j++) {
    const k = fk[j], x = fv[j];
    const t = f(f(x - flo) * scale);
    const b = t >= last ? last : t >= 1 ? t | 0 : 0; // t < 2^31 here: | 0 truncates as Math.trunc
    hc[b] += k;
    if (x < olo) below += k;
    if (x > ohi) above += k;
  }
  return [below, above];
}

/** Figures of the values `values[c]` counted `counts[c]` times; `rows` as the caller gathered them. */
export function figuresFromCodes(counts: Float64Array, values: Float32Array, cfg: CodeFiguresConfig, rows: RowFigures | null): AccumulatorResult {
  const { nan, posInf, negInf, zeros, finite, s1, m, ...range } = sumCodes(counts, values);
  const min = range.min + 0, max = range.max + 0; // −0 and +0: report +0
  const has = finite > 0;
  let mean = NaN, std = NaN, m2 = 0;
  if (has) {
    mean = s1 / finite;
    m2 = squaredDeviations(m, mean);
    std = Math.sqrt(m2 / finite);
  }
  const keys = sparseKeys(dense);
  let histogram: Histogram = { edges: [], counts: [] };
  let below = 0, above = 0;
  let percentiles = null;
  if (has) {
    let binCount: number, lo: number, hi: number;
    if (cfg.integer && max - min + 1 <= cfg.bins) {
      binCount = max - min + 1; lo = min - 0.5; hi = max + 0.5;
    } else {
      binCount = max > min ? cfg.bins : 1; lo = min; hi = max;
    }
    // The value kernel's binning, in its float32 arithmetic: the same bins for the same values.
    const f = Math.fround;
    const scale = hi > lo ? f(binCount / (hi - lo)) : 0;
    const hc = new Float64Array(binCount);
    const olo = std > 0 ? f(mean - cfg.outlierSigma * std) : -Infinity;
    const ohi = std > 0 ? f(mean + cfg.outlierSigma * std) : Infinity;
    [below, above] = binCodes(m, hc, f(lo), scale, binCount - 1, olo, ohi);
    histogram = { edges: linearEdges(lo, hi, binCount), counts: Array.from(hc) };
    percentiles = percentilesFromKeys(dense, finite, min, max);
  }
  dense.fill(0);
  const stats: ValueStats = {
    count: cfg.count, finite,
    min: has ? min : NaN, max: has ? max : NaN, mean, std,
    absMax: has ? Math.max(Math.abs(min), Math.abs(max)) : NaN,
    zeros, sparsity: cfg.count ? zeros / cfg.count : 0,
    nan, posInf, negInf, inf: posInf + negInf,
    percentiles, histogram,
    logHistogram: has ? logHistogramFromKeys(keys, zeros) : { edges: [], counts: [] },
    outliers: has ? {
      sigma: cfg.outlierSigma, below, above,
      maxAbsZ: std > 0 ? Math.max(max - mean, mean - min) / std : 0,
    } : null,
  };
  if (rows) stats.rows = rowStatsOf(rows);
  return { stats, keys, m2 };
}
