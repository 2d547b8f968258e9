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
import type { RowStats, TensorStats, ValueStats } from './stats-types.js';

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

/** A value's arrays moved into `nums`, in place: the result is the packer's to change, and copying its other fields cost more than computing them. */
function packValue(v: ValueStats, nums: Numbers): void {
  const { histogram: h, logHistogram: lh, rows } = v;
  const out = v as unknown as WireValueStats;
  out.histogram = h.counts.length ? { lo: h.edges[0], hi: h.edges[h.edges.length - 1], counts: nums.put(h.counts) } : null;
  out.logHistogram = { edges: nums.put(lh.edges), counts: nums.put(lh.counts) };
  if (rows) {
    const { rowMin, rowMax } = rows;
    const r = rows as unknown as NonNullable<WireValueStats['rows']>;
    if (rowMin) r.rowMin = nums.put(rowMin);
    if (rowMax) r.rowMax = nums.put(rowMax);
  }
}

/**
 * Packs a batch's outcomes one by one as they are computed (errors through `error`), for one
 * postMessage at the end: each result's arrays are garbage as soon as it is added.
 */
export class BatchPacker {
  private readonly nums = new Numbers();
  // Integer counts of at most a batch's values: a Uint32Array is half the cache lines of a Float64Array.
  private merged: Uint32Array | null = null;
  private readonly items: WireItem[] = [];
  constructor(private readonly error: (e: Error) => unknown) {}

  /** Packs an outcome; a result's stats are packed in place (the packer takes them over). */
  add(r: TensorStatsResult | Error): void {
    if (r instanceof Error) {
      this.items.push({ error: this.error(r) });
      return;
    }
    if (r.keys) {
      const merged = (this.merged ??= new Uint32Array(KEY_BUCKETS));
      const { index, count } = r.keys;
      for (let i = 0; i < index.length; i++) merged[index[i]] += count[i];
    }
    // Packed in place: add() takes the result over.
    if (r.stats.raw) packValue(r.stats.raw, this.nums);
    packValue(r.stats, this.nums);
    this.items.push({ stats: r.stats as unknown as WireStats, m2: r.m2, float: !!r.keys });
  }

  /** The batch and what to transfer with it. */
  finish(): { batch: WireBatch; transfer: ArrayBuffer[] } {
    const numbers = this.nums.buf.slice(0, this.nums.n);
    const keys = this.merged ? sparseKeys(this.merged) : null;
    const transfer = [numbers.buffer as ArrayBuffer, ...(keys ? [keys.index.buffer as ArrayBuffer, keys.count.buffer as ArrayBuffer] : [])];
    return { batch: { items: this.items, numbers, keys }, transfer };
  }
}

/** A packed value's arrays rebuilt, in place: the object came from a structured clone and is ours, and a copy would be garbage at once. */
function unpackValue(v: WireValueStats, nums: Float64Array): ValueStats {
  const arr = ([at, n]: Span) => {
    // A plain loop: Array.from over a typed array goes through the iterator, many times slower.
    const a = new Array<number>(n);
    for (let i = 0; i < n; i++) a[i] = nums[at + i];
    return a;
  };
  const { histogram: h, logHistogram: lh, rows } = v;
  const out = v as unknown as ValueStats;
  out.histogram = h ? { edges: linearEdges(h.lo, h.hi, h.counts[1]), counts: arr(h.counts) } : { edges: [], counts: [] };
  out.logHistogram = { edges: arr(lh.edges), counts: arr(lh.counts) };
  if (rows) {
    const { rowMin, rowMax } = rows;
    const r = rows as unknown as RowStats;
    if (rowMin) r.rowMin = arr(rowMin);
    if (rowMax) r.rowMax = arr(rowMax);
  }
  return out;
}

/** The stats of one packed item, as the worker had them (rebuilt in place). */
export function unpackStats(s: WireStats, nums: Float64Array): TensorStats {
  if (s.raw) unpackValue(s.raw, nums);
  return unpackValue(s, nums) as TensorStats;
}
