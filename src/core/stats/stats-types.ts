import type { DataType } from '../ir/dtype.js';
import type { Quantization, TensorRole } from '../ir/tensor.js';

/** Bin edges (length = counts + 1, ascending) and the count of values in each bin. */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/**
 * Percentiles of the finite values, numpy's default ("linear") definition: the value at
 * position p/100 · (finite − 1) of the sorted values. `exact` is false when they were read off
 * a 65536-bucket histogram of the float32 bit patterns (relative error under 2^-8 ≈ 0.4%).
 */
export interface Percentiles {
  p1: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  p99: number;
  exact: boolean;
}

/** Values far from the mean: below mean − sigma·std or above mean + sigma·std. */
export interface OutlierStats {
  sigma: number;
  below: number;
  above: number;
  /** max(|max − mean|, |min − mean|) / std; 0 when std is 0. */
  maxAbsZ: number;
}

/** Per-row figures along axis 0 (output channels of conv / dense weights), for ≥2-D tensors. */
export interface RowStats {
  axis: 0;
  rows: number;
  rowSize: number;
  /** Rows whose values are all zero. */
  deadRows: number;
  /** Indices of the first (up to 32) dead rows. */
  deadRowIndices: number[];
  /** Smallest and largest max−min of a row (rows of non-finite values only are left out). */
  minRange: number;
  maxRange: number;
  /** maxRange / minRange over rows with a non-zero range; null when fewer than two such rows. */
  rangeRatio: number | null;
  /** Per-row min and max, given when there are at most 1024 rows. */
  rowMin?: number[];
  rowMax?: number[];
}

/**
 * Statistics of a stream of values. min, max, mean, std (population, ddof = 0), percentiles and
 * histograms are over the finite values; NaN and ±Inf are only counted. Empty or all-non-finite
 * input gives NaN for min/max/mean/std and empty histograms.
 */
export interface ValueStats {
  count: number;
  finite: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  absMax: number;
  zeros: number;
  /** zeros / count. */
  sparsity: number;
  nan: number;
  posInf: number;
  negInf: number;
  /** posInf + negInf. */
  inf: number;
  percentiles: Percentiles | null;
  /** Linear bins between min and max (integer data: one bin per integer when the range allows). */
  histogram: Histogram;
  /** |x| of the non-zero finite values, 4 bins per octave; edges are magnitudes (bucket starts 2^e·{1, 1.25, 1.5, 1.75}). */
  logHistogram: Histogram;
  outliers: OutlierStats | null;
  rows?: RowStats;
}

/** Statistics of one weight. For quantized tensors the top-level figures are of the dequantized values. */
export interface TensorStats extends ValueStats {
  name: string;
  dtype: DataType;
  shape: number[];
  bytes: number;
  role?: TensorRole;
  /** Set when the values were dequantized: real = scale · (q − zeroPoint). */
  quantization?: Quantization;
  /** Statistics of the stored integers of a quantized tensor. */
  raw?: ValueStats;
  /** Which hot-loop implementation computed the figures (both give identical results). */
  kernel: 'wasm' | 'js';
}

/** Parameters and bytes of one group of weights (a dtype, a name scope, an op type). */
export interface GroupTotal {
  key: string;
  tensors: number;
  parameters: number;
  bytes: number;
}

export type StatsFlagKind = 'nan' | 'inf' | 'all-zero' | 'dead-rows' | 'outliers' | 'channel-range-spread';

/** Something about a weight worth a look, with the numbers that triggered it. */
export interface StatsFlag {
  tensor: string;
  kind: StatsFlagKind;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** The number the threshold was applied to (count, ratio, sigma). */
  value: number;
  threshold?: number;
}

/** A weight whose statistics were not computed, and why. */
export interface SkippedTensor {
  name: string;
  dtype: DataType;
  reason: string;
}

/** Statistics of every weight of a model plus model-wide summaries. */
export interface ModelStats {
  /** Bumped when the shape or meaning of these figures changes (cache key). */
  version: number;
  path: string;
  tensors: TensorStats[];
  /** All float weights (dequantized values of quantized ones) together. Its histogram and percentiles
   *  are re-binned from per-tensor float32 bit-pattern buckets (relative placement error < 0.4%). */
  model: ValueStats;
  totals: { tensors: number; parameters: number; bytes: number };
  byDtype: GroupTotal[];
  byScope: GroupTotal[];
  byOpType: GroupTotal[];
  /** The 10 largest weights by bytes. */
  largest: { name: string; dtype: DataType; shape: number[]; parameters: number; bytes: number }[];
  flags: StatsFlag[];
  skipped: SkippedTensor[];
  options: { bins: number; outlierSigma: number; spreadRatio: number };
  elapsedMs: number;
  /** True when these figures came from the cache. */
  fromCache?: boolean;
}

/** Options of one tensor's statistics. */
export interface TensorStatsOptions {
  /** Linear histogram bins (default 256). */
  bins?: number;
  /** Outlier threshold in standard deviations (default 10). */
  outlierSigma?: number;
  /** Hot-loop implementation: 'auto' (WASM SIMD when available), 'wasm' or 'js'. */
  kernel?: 'auto' | 'wasm' | 'js';
  /** False: decode every tensor to values, even where its codes could be counted (tests compare both). */
  codes?: boolean;
  /** Bytes read per chunk (default 16 MiB). */
  chunkBytes?: number;
  /** Quantization to apply when the tensor has none of its own (e.g. from a DequantizeLinear node). */
  quantization?: Quantization;
  signal?: AbortSignal;
  /** Called with data bytes done (both passes count, so it ends at 2·bytes) and the total. */
  onProgress?: (done: number, total: number) => void;
}
