/**
 * The hot loops over float32 blocks, behind one interface with two implementations: WASM SIMD
 * (stats-kernel-wasm.ts) and plain JS (here). The JS loops perform exactly the float operations
 * of wasm/stats-kernel.wat in the same order, so both give bit-identical results.
 */
import type { SparseKeys } from './stats-keys.js';

/** Elements per block. Blocks start at multiples of this element index, which is what makes the
 *  figures independent of how the bytes arrive (summation order depends only on the tensor). */
export const BLOCK = 65536;
/** Buckets of the bit-pattern histogram used for percentiles and the log-magnitude histogram. */
export const KEY_BUCKETS = 65536;
/** Largest linear histogram the kernel bins into. */
export const MAX_BINS = 4096;

/** Results of one pass-1 call. min/max may include the shift k where values were not finite. */
export interface Pass1Result {
  min: number;
  max: number;
  s1: number;
  s2: number;
  zeros: number;
  finite: number;
}

/**
 * Pass 1 element by element over v[from, end), continuing the sums already in `out` (the tail
 * of the lane-split loop, and the whole of the float64 pass): non-finite values count as k.
 */
export function scalarPass1(v: ArrayLike<number>, from: number, end: number, k: number, out: Pass1Result): void {
  let mn = out.min, mx = out.max, s1 = out.s1, s2 = out.s2, z = out.zeros, fin = out.finite;
  for (let i = from; i < end; i++) {
    let x = v[i];
    if (x === 0) z++;
    if (x - x === 0) fin++; else x = k;
    if (x < mn) mn = x;
    if (x > mx) mx = x;
    const d = x - k;
    s1 += d;
    s2 += d * d;
  }
  out.min = mn; out.max = mx; out.s1 = s1; out.s2 = s2; out.zeros = z; out.finite = fin;
}

export function emptyPass1(): Pass1Result {
  return { min: Infinity, max: -Infinity, s1: 0, s2: 0, zeros: 0, finite: 0 };
}

/** Working memory of one accumulator: a block of values and its histograms. */
export interface KernelSlot {
  /** The block the caller decodes into (a fresh view each call: WASM memory may have grown). */
  values(): Float32Array;
}

export interface StatsKernel {
  readonly name: 'wasm' | 'js';
  newSlot(bins: number): KernelSlot;
  release(slot: KernelSlot): void;
  /** Pass 1 over values[offset, offset+n): min/max/Σ(x−k)/Σ(x−k)² of finite values, counts. */
  pass1(slot: KernelSlot, offset: number, n: number, k: number, out: Pass1Result): void;
  /** Pass 2 over values[0, n): bins into the slot's histograms; returns [below, above] outlier counts. */
  pass2(slot: KernelSlot, n: number, lo: number, scale: number, bins: number, olo: number, ohi: number): [number, number];
  /** The linear histogram counts (bins of them), summed over lane copies. */
  histogram(slot: KernelSlot, bins: number): number[];
  /** Optional fast path: float16 / bfloat16 bytes (any alignment) → the slot's block as float32. */
  decodeHalf?(slot: KernelSlot, src: Uint8Array, offset: number, n: number, bf16: boolean): void;
  /** The bit-pattern bucket counts (KEY_BUCKETS): a view, valid until the slot is released. */
  keys(slot: KernelSlot): Uint32Array;
  /**
   * pass1 over consecutive segments of values[offset, offset+n): `first` values, then `len` at a
   * time (one call per block instead of one per row). In the view returned (valid until the next
   * call), segment j's figures are at 6(j+1)…6(j+1)+5 (min, max, s1, s2, zeros, finite), and 0…5
   * hold the block's: s1 and s2 (the segments' added one by one to the given s1 and s2), min, max
   * (right only when all values are finite), zeros, finite.
   */
  pass1Rows(slot: KernelSlot, offset: number, n: number, k: number, first: number, len: number, s1: number, s2: number): Float64Array;
  /** The key buckets of values[0, n) after its one pass2 call (ascending), read off and zeroed: release() then has no keys to clear. */
  distinct(slot: KernelSlot, n: number): SparseKeys;
  /** The values of values[0, n) whose key is one of `keys`, in order (a view valid until the next call); after distinct(). */
  gather(slot: KernelSlot, n: number, keys: number[]): Float32Array;
}

/** Segments of pass1Rows in one block: rows of ≥2 values, the first and last partial. */
export const MAX_SEGMENTS = BLOCK / 2 + 2;

/** What a slot's pass-2 calls dirtied, so that release() clears only that (a full clear costs more than a small tensor). */
export interface SlotUse {
  /** Largest bin count binned into. */
  bins: number;
  /** pass2 calls; after exactly one, the block still holds the values whose keys were counted. */
  calls: number;
  /** Values of the last pass2 call. */
  n: number;
  /** Set by forgetKeys: the key buckets are zero already. */
  keysClean?: boolean;
}

export function noteUse(use: SlotUse, n: number, bins: number): void {
  use.calls++;
  use.n = n;
  if (bins > use.bins) use.bins = bins;
}

/** Zeroes the key buckets a slot's pass-2 calls counted into (`bits` views the value block; int32 loads stay small integers). */
export function clearKeys(use: SlotUse, bits: Int32Array, keyCounts: Uint32Array): void {
  if (use.keysClean) use.calls = 0;
  if (use.calls === 1 && use.n < KEY_BUCKETS / 4) {
    for (let i = 0; i < use.n; i++) keyCounts[bits[i] >>> 16] = 0;
  } else if (use.calls > 0) {
    keyCounts.fill(0);
  }
  use.calls = 0; use.n = 0; use.bins = 0; use.keysClean = false;
}

interface JsSlot extends KernelSlot {
  block: Float32Array;
  bits: Uint32Array;
  hist: Uint32Array;
  keyCounts: Uint32Array;
  use: SlotUse;
}

/** The plain-JS kernel: the fallback where WASM SIMD is missing, and the reference in tests. */
export class JsStatsKernel implements StatsKernel {
  readonly name = 'js' as const;

  private readonly free: JsSlot[] = [];

  newSlot(bins: number): KernelSlot {
    // Free slots are clean (release() zeroed what their last use dirtied).
    const reuse = this.free.findIndex((f) => f.hist.length >= bins + 1);
    if (reuse >= 0) return this.free.splice(reuse, 1)[0];
    const block = new Float32Array(BLOCK);
    const slot: JsSlot = {
      block, bits: new Uint32Array(block.buffer), hist: new Uint32Array(bins + 1), keyCounts: new Uint32Array(KEY_BUCKETS),
      use: { bins: 0, calls: 0, n: 0 }, values: () => block,
    };
    return slot;
  }

  release(slot: KernelSlot): void {
    const s = slot as JsSlot;
    if (this.free.length >= 4) return;
    s.hist.fill(0, 0, s.use.bins + 1);
    clearKeys(s.use, new Int32Array(s.block.buffer), s.keyCounts);
    this.free.push(s);
  }

  pass1(s: KernelSlot, offset: number, n: number, k: number, out: Pass1Result): void {
    const v = (s as JsSlot).block;
    let mn = Infinity, mx = -Infinity;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    let z = 0, fin = 0;
    const end4 = offset + (n & ~3);
    let i = offset;
    // Lane j of the WASM loop, element by element: non-finite values are replaced by k.
    for (; i < end4; i += 4) {
      let x0 = v[i], x1 = v[i + 1], x2 = v[i + 2], x3 = v[i + 3];
      if (x0 === 0) z++;
      if (x1 === 0) z++;
      if (x2 === 0) z++;
      if (x3 === 0) z++;
      if (x0 - x0 === 0) fin++; else x0 = k;
      if (x1 - x1 === 0) fin++; else x1 = k;
      if (x2 - x2 === 0) fin++; else x2 = k;
      if (x3 - x3 === 0) fin++; else x3 = k;
      if (x0 < mn) mn = x0; if (x0 > mx) mx = x0;
      if (x1 < mn) mn = x1; if (x1 > mx) mx = x1;
      if (x2 < mn) mn = x2; if (x2 > mx) mx = x2;
      if (x3 < mn) mn = x3; if (x3 > mx) mx = x3;
      const d0 = x0 - k, d1 = x1 - k, d2 = x2 - k, d3 = x3 - k;
      a0 += d0; b0 += d0 * d0;
      a1 += d1; b1 += d1 * d1;
      a2 += d2; b2 += d2 * d2;
      a3 += d3; b3 += d3 * d3;
    }
    out.min = mn; out.max = mx; out.zeros = z; out.finite = fin;
    out.s1 = (a0 + a2) + (a1 + a3);
    out.s2 = (b0 + b2) + (b1 + b3);
    scalarPass1(v, i, offset + n, k, out);
  }

  pass2(s: KernelSlot, n: number, lo: number, scale: number, bins: number, olo: number, ohi: number): [number, number] {
    const { block: v, bits, hist, keyCounts, use } = s as JsSlot;
    noteUse(use, n, bins);
    const last = bins - 1;
    let below = 0, above = 0;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      keyCounts[bits[i] >>> 16]++;
      // f32 arithmetic as in the WASM loop (double rounding of f32 operands through f64 is exact);
      // NaN and −Inf go to bin 0, +Inf to the last bin, as trunc_sat and the clamp put them there.
      const t = Math.fround(Math.fround(x - lo) * scale);
      hist[t >= last ? last : t >= 1 ? Math.trunc(t) : 0]++;
      if (x < olo) below++;
      if (x > ohi) above++;
    }
    return [below, above];
  }

  histogram(s: KernelSlot, bins: number): number[] {
    return Array.from((s as JsSlot).hist.subarray(0, bins));
  }

  keys(s: KernelSlot): Uint32Array {
    return (s as JsSlot).keyCounts;
  }

  private rowsOut = new Float64Array(0);
  private readonly seg = emptyPass1();
  pass1Rows(s: KernelSlot, offset: number, n: number, k: number, first: number, len: number, s1: number, s2: number): Float64Array {
    if (!this.rowsOut.length) this.rowsOut = new Float64Array(6 * (MAX_SEGMENTS + 1));
    const out = this.rowsOut, r = this.seg;
    let mn = Infinity, mx = -Infinity, z = 0, fin = 0;
    for (let off = offset, end = offset + n, m = first, j = 6; off < end; off += m, m = len, j += 6) {
      if (m > end - off) m = end - off;
      this.pass1(s, off, m, k, r);
      // Through float32, as the WASM kernel stores min and max.
      out[j] = Math.fround(r.min); out[j + 1] = Math.fround(r.max); out[j + 2] = r.s1; out[j + 3] = r.s2; out[j + 4] = r.zeros; out[j + 5] = r.finite;
      mn = Math.min(mn, out[j]); mx = Math.max(mx, out[j + 1]);
      s1 += r.s1; s2 += r.s2; z += r.zeros; fin += r.finite;
    }
    out[0] = s1; out[1] = s2; out[2] = mn; out[3] = mx; out[4] = z; out[5] = fin;
    return out;
  }

  private readonly map = new Uint32Array(KEY_BUCKETS / 32);
  distinct(s: KernelSlot, n: number): SparseKeys {
    const { bits, keyCounts, use } = s as JsSlot;
    const { map } = this;
    let d = 0;
    for (let i = 0; i < n; i++) {
      const key = bits[i] >>> 16;
      const w = key >>> 5, b = 1 << (key & 31);
      if (!(map[w] & b)) { map[w] |= b; d++; }
    }
    const index = new Uint32Array(d), count = new Float64Array(d);
    for (let w = 0, j = 0; w < map.length; w++) {
      let x = map[w];
      if (!x) continue;
      map[w] = 0;
      for (; x; x &= x - 1) {
        const key = (w << 5) | (31 - Math.clz32(x & -x));
        index[j] = key; count[j++] = keyCounts[key]; keyCounts[key] = 0;
      }
    }
    use.keysClean = true;
    return { index, count };
  }

  private gathered = new Float32Array(0);
  gather(s: KernelSlot, n: number, keys: number[]): Float32Array {
    if (!this.gathered.length) this.gathered = new Float32Array(BLOCK);
    const { block, bits, keyCounts } = s as JsSlot;
    const out = this.gathered;
    for (const k of keys) keyCounts[k] = 1;
    let g = 0;
    for (let i = 0; i < n; i++) if (keyCounts[bits[i] >>> 16]) out[g++] = block[i];
    for (const k of keys) keyCounts[k] = 0;
    return out.subarray(0, g);
  }
}
