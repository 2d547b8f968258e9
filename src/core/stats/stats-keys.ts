/**
 * The bit-pattern histogram: one bucket per top 16 bits of a value's float32 encoding (sign,
 * exponent, 7 mantissa bits). Bucket widths are relative (under 2^-7 of the value), so it gives
 * percentiles with a fixed relative precision whatever the range or outliers, a log-magnitude
 * histogram, and a model-wide histogram by merging buckets across tensors.
 */
import type { Histogram, Percentiles } from './stats-types.js';

const PCTS = [1, 5, 25, 50, 75, 95, 99] as const;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function fromBits(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0];
}

/** Finite keys in ascending value order: negatives from −max down to −0, then +0 up to +max. */
const ASCENDING = (() => {
  const out = new Uint16Array(2 * 0x7f80);
  let i = 0;
  for (let k = 0xff7f; k >= 0x8000; k--) out[i++] = k;
  for (let k = 0; k <= 0x7f7f; k++) out[i++] = k;
  return out;
})();

/** Non-zero key buckets only: parallel arrays of bucket index and count (small, transferable). */
export interface SparseKeys {
  index: Uint32Array;
  count: Float64Array;
}

/** The non-zero buckets of a dense key histogram. */
export function sparseKeys(dense: ArrayLike<number>): SparseKeys {
  let n = 0;
  for (let k = 0; k < dense.length; k++) if (dense[k]) n++;
  const index = new Uint32Array(n);
  const count = new Float64Array(n);
  for (let k = 0, j = 0; k < dense.length; k++) if (dense[k]) { index[j] = k; count[j++] = dense[k]; }
  return { index, count };
}

const bits = new Float32Array(1);
const bitsU = new Uint32Array(bits.buffer);
/** Key buckets of a list of values (for small tensors, instead of scanning 65536 buckets). */
export function sparseKeysOfValues(values: ArrayLike<number>): SparseKeys {
  const m = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    bits[0] = values[i];
    const k = bitsU[0] >>> 16;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  const keys = [...m.keys()].sort((a, b) => a - b);
  return { index: Uint32Array.from(keys), count: Float64Array.from(keys, (k) => m.get(k)!) };
}

/** The value interval [a, b] a finite key covers, ascending. */
export function keyInterval(key: number): [number, number] {
  const m = key & 0x7fff;
  const lo = fromBits(m << 16);
  const hi = fromBits((m + 1) << 16);
  return key & 0x8000 ? [-hi, -lo] : [lo, hi];
}

function linear(at: (i: number) => number, finite: number, p: number): number {
  const r = (p / 100) * (finite - 1);
  const i = Math.floor(r);
  const a = at(i);
  return i + 1 < finite ? a + (at(i + 1) - a) * (r - i) : a;
}

function toPercentiles(values: number[], exact: boolean): Percentiles {
  const [p1, p5, p25, p50, p75, p95, p99] = values;
  return { p1, p5, p25, p50, p75, p95, p99, exact };
}

/** Exact percentiles of sorted finite values (numpy "linear"). */
export function exactPercentiles(sorted: Float64Array | { length: number; at(i: number): number }): Percentiles | null {
  if (!sorted.length) return null;
  const at = sorted instanceof Float64Array ? (i: number) => sorted[i] : sorted.at;
  return toPercentiles(PCTS.map((p) => linear(at, sorted.length, p)), true);
}

let scanCum = 0;
/** The index in ASCENDING, from `from` on, of the bucket holding rank `rank` (counts before `from`: `cum`); −1 past the end. Leaves the count before it in scanCum. */
function bucketOfRank(keys: ArrayLike<number>, from: number, cum: number, rank: number): number {
  for (let i = from, n = ASCENDING.length; i < n; i++) {
    const c = keys[ASCENDING[i]];
    if (c && rank < cum + c) { scanCum = cum; return i; }
    cum += c;
  }
  scanCum = cum;
  return -1;
}

/** Percentiles read off the key buckets: order statistic i sits at the centre of its share of its bucket. */
export function percentilesFromKeys(keys: ArrayLike<number>, finite: number, min: number, max: number): Percentiles | null {
  if (finite <= 0) return null;
  // Ranks needed: floor and floor+1 of each target, ascending.
  const wanted = new Set<number>();
  for (const p of PCTS) {
    const r = (p / 100) * (finite - 1);
    wanted.add(Math.floor(r));
    if (Math.floor(r) + 1 < finite) wanted.add(Math.floor(r) + 1);
  }
  const ranks = [...wanted].sort((a, b) => a - b);
  const valueAt = new Map<number, number>();
  let cum = 0;
  let j = 0;
  for (let i = 0; j < ranks.length;) {
    // Skip to the next bucket holding rank ranks[j] (a loop of its own: it runs over up to 65280 buckets).
    const found = bucketOfRank(keys, i, cum, ranks[j]);
    if (found < 0) break;
    i = found;
    const k = ASCENDING[i];
    cum = scanCum;
    const c = keys[k];
    while (j < ranks.length && ranks[j] < cum + c) {
      const [a, b] = keyInterval(k);
      const v = a + (b - a) * ((ranks[j] - cum + 0.5) / c);
      valueAt.set(ranks[j], Math.min(max, Math.max(min, v)));
      j++;
    }
    cum += c;
    i++;
  }
  const at = (i: number) => valueAt.get(i) ?? max;
  return toPercentiles(PCTS.map((p) => linear(at, finite, p)), false);
}

// Quarter-octave counts, shared by every call in this thread: zero between calls (a fresh array and a scan of all of it cost more than a small tensor's work).
const logCounts = new Float64Array(0x3fc);

/** |x| histogram at 4 bins per octave from the (non-zero) key buckets; exact zeros (`zeros`) are left out. */
export function logHistogramFromKeys(keys: SparseKeys, zeros: number): Histogram {
  // Quarter-octave q = magnitude key >> 5 (8 exponent bits + 2 mantissa bits); finite q < 0x3fc.
  const counts = logCounts;
  let lo = zeros ? 0 : counts.length, hi = zeros ? 0 : -1;
  for (let i = 0; i < keys.index.length; i++) {
    const m = keys.index[i] & 0x7fff;
    if (m > 0x7f7f) continue;
    const q = m >> 5;
    counts[q] += keys.count[i];
    if (q < lo) lo = q;
    if (q > hi) hi = q;
  }
  counts[0] -= zeros; // zeros sit in bucket 0 with the tiniest subnormals
  let first = -1, last = -1;
  for (let q = lo; q <= hi; q++) if (counts[q] > 0) { if (first < 0) first = q; last = q; }
  const out: Histogram = { edges: [], counts: [] };
  if (first >= 0) {
    for (let q = first; q <= last + 1; q++) out.edges.push(fromBits(q << 21));
    for (let q = first; q <= last; q++) out.counts.push(counts[q]);
  }
  if (hi >= lo) counts.fill(0, lo, hi + 1);
  return out;
}

/**
 * A linear histogram between lo and hi rebuilt from key buckets: each bucket's count goes to the
 * bin holding the bucket's centre (clamped to [lo, hi]). Used for the model-wide histogram.
 */
export function histogramFromKeys(keys: ArrayLike<number>, lo: number, hi: number, bins: number): Histogram {
  if (!(hi >= lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return { edges: [], counts: [] };
  if (hi === lo) bins = 1;
  const counts = new Array<number>(bins).fill(0);
  const scale = hi > lo ? bins / (hi - lo) : 0;
  for (let i = 0; i < ASCENDING.length; i++) {
    const k = ASCENDING[i];
    const c = keys[k];
    if (!c) continue;
    const [a, b] = keyInterval(k);
    const centre = Math.min(hi, Math.max(lo, (a + b) / 2));
    counts[Math.min(bins - 1, Math.floor((centre - lo) * scale))] += c;
  }
  return { edges: linearEdges(lo, hi, bins), counts };
}

/** bins + 1 edges from lo to hi. */
export function linearEdges(lo: number, hi: number, bins: number): number[] {
  const edges = new Array<number>(bins + 1);
  for (let i = 0; i <= bins; i++) edges[i] = i === bins ? hi : lo + ((hi - lo) * i) / bins;
  return edges;
}
