/**
 * How a batch of results crosses from a worker to the host cheaply: structured-cloning thousands
 * of number arrays (histograms, per-row figures) costs more than computing them, so their numbers
 * travel in one Float64Array (one transfer) and the arrays are rebuilt on the host; linear
 * histogram edges are recomputed from their ends (the same linearEdges call gives the same
 * numbers); the key buckets of the batch travel merged (integer counts, so the sum is exact).
 */
import { KEY_BUCKETS } from './stats-kernel.js';
import { linearEdges, sparseKeys, type SparseKeys } from './stats-keys.js';
import type { TensorStatsResult } from './stats-tensor.js';
import type { Histogram, TensorStats, ValueStats } from './stats-types.js';

/** [offset, length] of an array in the batch's numbers. */
type Span = [number, number];

interface WireHistogram { lo: number; hi: number; counts: Span }
type WireValueStats = Omit<ValueStats, 'histogram' | 'logHistogram' | 'rows'> & {
  histogram: WireHistogram | null;
  logHistogram: { edges: Span; counts: Span };
  rows?: Omit<NonNullable<ValueStats['rows']>, 'rowMin' | 'rowMax'> & { rowMin?: Span; rowMax?: Span };
};
type WireStats = Omit<TensorStats, keyof ValueStats | 'raw'> & WireValueStats & { raw?: WireValueStats };

/** One result of a batch, or the error that stopped that tensor. */
export type WireItem = { stats: WireStats; m2: number; float: boolean } | { error: unknown };

export interface WireBatch {
  items: WireItem[];
  numbers: Float64Array;
  /** The key buckets of the batch's float tensors, summed. */
  keys: SparseKeys | null;
}

class Numbers {
  buf = new Float64Array(4096);
  n = 0;
  put(xs: ArrayLike<number>): Span {
    const at = this.n;
    if (at + xs.length > this.buf.length) {
      const b = new Float64Array(Math.max(at + xs.length, 2 * this.buf.length));
      b.set(this.buf.subarray(0, at));
      this.buf = b;
    }
    // A plain loop: set() from a plain array takes a slow generic path.
    const buf = this.buf;
    for (let i = 0; i < xs.length; i++) buf[at + i] = xs[i];
    this.n += xs.length;
    return [at, xs.length];
  }
}

function packValue(v: ValueStats, nums: Numbers): WireValueStats {
  const { histogram: h, logHistogram: lh, rows, ...rest } = v;
  const out: WireValueStats = {
    ...rest,
    histogram: h.counts.length ? { lo: h.edges[0], hi: h.edges[h.edges.length - 1], counts: nums.put(h.counts) } : null,
    logHistogram: { edges: nums.put(lh.edges), counts: nums.put(lh.counts) },
  };
  if (rows) {
    const { rowMin, rowMax, ...r } = rows;
    out.rows = { ...r, ...(rowMin ? { rowMin: nums.put(rowMin) } : {}), ...(rowMax ? { rowMax: nums.put(rowMax) } : {}) };
  }
  return out;
}

/** Packs a batch's outcomes (errors through `error`) for one postMessage; returns it and what to transfer. */
export function packBatch(results: (TensorStatsResult | Error)[], error: (e: Error) => unknown): { batch: WireBatch; transfer: ArrayBuffer[] } {
  const nums = new Numbers();
  let merged: Float64Array | null = null;
  const items: WireItem[] = results.map((r) => {
    if (r instanceof Error) return { error: error(r) };
    if (r.keys) {
      merged ??= new Float64Array(KEY_BUCKETS);
      for (let i = 0; i < r.keys.index.length; i++) merged[r.keys.index[i]] += r.keys.count[i];
    }
    const { raw, histogram: _h, logHistogram: _l, rows: _r, ...s } = r.stats;
    const stats: WireStats = { ...s, ...packValue(r.stats, nums), ...(raw ? { raw: packValue(raw, nums) } : {}) };
    return { stats, m2: r.m2, float: !!r.keys };
  });
  const numbers = nums.buf.slice(0, nums.n);
  const keys = merged ? sparseKeys(merged) : null;
  const transfer = [numbers.buffer as ArrayBuffer, ...(keys ? [keys.index.buffer as ArrayBuffer, keys.count.buffer as ArrayBuffer] : [])];
  return { batch: { items, numbers, keys }, transfer };
}

function unpackValue(v: WireValueStats, nums: Float64Array): ValueStats {
  const arr = ([at, n]: Span) => {
    // A plain loop: Array.from over a typed array goes through the iterator, many times slower.
    const a = new Array<number>(n);
    for (let i = 0; i < n; i++) a[i] = nums[at + i];
    return a;
  };
  const { histogram: h, logHistogram: lh, rows, ...rest } = v;
  const histogram: Histogram = h ? { edges: linearEdges(h.lo, h.hi, h.counts[1]), counts: arr(h.counts) } : { edges: [], counts: [] };
  const out: ValueStats = { ...rest, histogram, logHistogram: { edges: arr(lh.edges), counts: arr(lh.counts) } };
  if (rows) {
    const { rowMin, rowMax, ...r } = rows;
    out.rows = { ...r, ...(rowMin ? { rowMin: arr(rowMin) } : {}), ...(rowMax ? { rowMax: arr(rowMax) } : {}) };
  }
  return out;
}

/** The stats of one packed item, as the worker had them. */
export function unpackStats(s: WireStats, nums: Float64Array): TensorStats {
  const { raw, ...rest } = s;
  return { ...rest, ...unpackValue(s, nums), ...(raw ? { raw: unpackValue(raw, nums) } : {}) } as TensorStats;
}
