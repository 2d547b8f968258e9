/**
 * Statistics of one stream of values (a tensor's raw or dequantized values), fed block by block
 * in two passes. Pass 1: range, moments, special values, per-row figures. Pass 2 (after the
 * range is known): histograms, outliers, and the values themselves for exact percentiles of small
 * tensors. Blocks are fixed by element index (BLOCK), so the result does not depend on chunking.
 */
import type { ElementDecoder } from './decode.js';
import { BLOCK, emptyPass1, type KernelSlot, type Pass1Result, type StatsKernel } from './stats-kernel.js';
import { F64Block, f64Block, releaseF64Block } from './stats-kernel-f64.js';
import { exactSummary, exactSummaryOfSlot } from './stats-exact.js';
import { linearEdges, logHistogramFromKeys, percentilesFromKeys, sparseKeys, type SparseKeys } from './stats-keys.js';
import { rowLayout, rowStatsOf } from './stats-rows.js';
import type { Histogram, RowStats, ValueStats } from './stats-types.js';

/** Tensors with at most this many finite values get exact percentiles (by sorting). */
export const EXACT_PERCENTILE_LIMIT = 65536;

export interface AccumulatorConfig {
  count: number;
  /** Integer data: one histogram bin per integer when the range fits in `bins`. */
  integer: boolean;
  bins: number;
  outlierSigma: number;
  /** Shape, for per-row figures along axis 0 (≥2-D with at least 2 rows). */
  shape: number[];
}

/** What a finished accumulator hands back: the figures, and its key buckets for model-wide merging. */
export interface AccumulatorResult {
  stats: ValueStats;
  /** The non-zero bit-pattern buckets (for model-wide merging). */
  keys: SparseKeys;
  /** Σ(x − mean)² over the finite values, for merging moments across tensors. */
  m2: number;
}

export class ValueAccumulator {
  private readonly slot: KernelSlot | null;
  private readonly f64: F64Block | null;
  private readonly tmp = emptyPass1();
  private k: number | null = null;
  private min = Infinity;
  private max = -Infinity;
  private s1 = 0;
  private s2 = 0;
  private zeros = 0;
  private nan = 0;
  private posInf = 0;
  private negInf = 0;
  private readonly rowSize: number;
  private readonly rows: number;
  private rowMin: Float64Array | null = null;
  private rowMax: Float64Array | null = null;
  private rowZeros: Float64Array | null = null;
  // Pass 2 set-up
  private finite = 0;
  private mean = NaN;
  private std = NaN;
  private lo = 0;
  private hi = 0;
  private binCount = 0;
  private scale = 0;
  private olo = -Infinity;
  private ohi = Infinity;
  private below = 0;
  private above = 0;
  private kept: Float64Array | null = null;
  private keptCount = 0;

  constructor(readonly target: 'f32' | 'f64', private readonly kernel: StatsKernel, private readonly cfg: AccumulatorConfig) {
    this.slot = target === 'f32' ? kernel.newSlot(cfg.bins) : null;
    // Tensors small enough for exact percentiles never read the dense key buckets: skip them.
    this.f64 = target === 'f64' ? f64Block(cfg.bins, cfg.count > EXACT_PERCENTILE_LIMIT) : null;
    const { rows, rowSize } = rowLayout(cfg.count, cfg.shape);
    if (rows) {
      this.rows = rows;
      this.rowSize = rowSize;
      this.rowMin = new Float64Array(rows).fill(Infinity);
      this.rowMax = new Float64Array(rows).fill(-Infinity);
      this.rowZeros = new Float64Array(rows);
    } else {
      this.rows = 0;
      this.rowSize = 0;
    }
  }

  /** Decodes n elements from src[offset…] into the block, through the kernel's fast path where it has one. */
  decode(decoder: ElementDecoder, src: Uint8Array, offset: number, n: number): void {
    if (this.slot && this.kernel.decodeHalf && (decoder.dtype === 'float16' || decoder.dtype === 'bfloat16')) {
      this.kernel.decodeHalf(this.slot, src, offset, n, decoder.dtype === 'bfloat16');
    } else {
      decoder.decode(src, offset, n, this.values());
    }
  }

  /** The block to decode the next values into (index 0 = first element of the block). */
  values(): Float32Array | Float64Array {
    return this.slot ? this.slot.values() : this.f64!.block;
  }

  /** Pass 1 over the first n values of the block, which start at element `start` of the tensor. */
  pass1Block(n: number, start: number): void {
    if (this.k === null) {
      // The shift for the moments: the tensor's first finite value (close to the mean in practice).
      const v = this.values();
      for (let i = 0; i < n; i++) if (v[i] - v[i] === 0) { this.k = v[i]; break; }
    }
    if (!this.rows) {
      this.segment(0, n, -1);
      return;
    }
    const row0 = Math.floor(start / this.rowSize);
    if (this.slot) {
      // One kernel call for the block's rows (a call per row costs more than a short row's work).
      const first = (row0 + 1) * this.rowSize - start;
      const seg = this.kernel.pass1Rows(this.slot, 0, n, this.k ?? 0, first, this.rowSize, this.s1, this.s2);
      const allFinite = seg[5] === n;
      if (allFinite) {
        // The block's figures at once; the rows' need no fixing up.
        this.s1 = seg[0]; this.s2 = seg[1];
        if (seg[2] < this.min) this.min = seg[2];
        if (seg[3] > this.max) this.max = seg[3];
        this.zeros += seg[4];
      }
      const r = this.tmp;
      const { rowMin, rowMax, rowZeros } = this;
      for (let off = 0, len = first, j = 6, row = row0; off < n; off += len, len = this.rowSize, j += 6, row++) {
        if (len > n - off) len = n - off;
        if (allFinite) {
          if (seg[j] < rowMin![row]) rowMin![row] = seg[j];
          if (seg[j + 1] > rowMax![row]) rowMax![row] = seg[j + 1];
          rowZeros![row] += seg[j + 4];
          continue;
        }
        r.min = seg[j]; r.max = seg[j + 1]; r.s1 = seg[j + 2]; r.s2 = seg[j + 3]; r.zeros = seg[j + 4]; r.finite = seg[j + 5];
        this.add(off, len, row, r);
      }
      return;
    }
    let off = 0;
    while (off < n) {
      const e = start + off;
      const row = Math.floor(e / this.rowSize);
      const len = Math.min(n - off, (row + 1) * this.rowSize - e);
      this.segment(off, len, row);
      off += len;
    }
  }

  private segment(off: number, n: number, row: number): void {
    const r = this.tmp;
    if (this.slot) this.kernel.pass1(this.slot, off, n, this.k ?? 0, r);
    else this.f64!.pass1(off, n, this.k ?? 0, r);
    this.add(off, n, row, r);
  }

  /** Takes in one segment's pass-1 figures (values[off, off+n) of row `row`, or −1). */
  private add(off: number, n: number, row: number, r: Pass1Result): void {
    if (r.finite < n) {
      // Rare: NaN/Inf present. The kernel put k in their place; count them and redo min/max exactly.
      const v = this.values();
      let mn = Infinity, mx = -Infinity;
      for (let i = off; i < off + n; i++) {
        const x = v[i];
        if (x - x === 0) { if (x < mn) mn = x; if (x > mx) mx = x; }
        else if (x !== x) this.nan++;
        else if (x > 0) this.posInf++;
        else this.negInf++;
      }
      r.min = mn;
      r.max = mx;
    }
    if (r.min < this.min) this.min = r.min;
    if (r.max > this.max) this.max = r.max;
    this.s1 += r.s1;
    this.s2 += r.s2;
    this.zeros += r.zeros;
    if (row >= 0) {
      if (r.min < this.rowMin![row]) this.rowMin![row] = r.min;
      if (r.max > this.rowMax![row]) this.rowMax![row] = r.max;
      this.rowZeros![row] += r.zeros;
    }
  }

  /** Ends pass 1: fixes mean, std, the histogram range and the outlier thresholds. False when pass 2 has nothing to do. */
  endPass1(): boolean {
    const { cfg } = this;
    this.finite = cfg.count - this.nan - this.posInf - this.negInf;
    // −0 and +0 compare equal; report +0 whichever the loop order kept.
    this.min += 0;
    this.max += 0;
    if (this.finite <= 0) return false;
    const n = this.finite;
    // (k·n + s1)/n rather than k + s1/n: exact for integer data, equally accurate otherwise.
    this.mean = (this.k! * n + this.s1) / n;
    this.std = Math.sqrt(Math.max(0, (this.s2 - (this.s1 * this.s1) / n) / n));
    if (cfg.integer && this.max - this.min + 1 <= cfg.bins) {
      this.binCount = this.max - this.min + 1;
      this.lo = this.min - 0.5;
      this.hi = this.max + 0.5;
    } else {
      this.binCount = this.max > this.min ? cfg.bins : 1;
      this.lo = this.min;
      this.hi = this.max;
    }
    const f = this.target === 'f32' ? Math.fround : (x: number) => x;
    this.scale = this.hi > this.lo ? f(this.binCount / (this.hi - this.lo)) : 0;
    if (this.std > 0) {
      this.olo = f(this.mean - cfg.outlierSigma * this.std);
      this.ohi = f(this.mean + cfg.outlierSigma * this.std);
    }
    // A float32 tensor of one block keeps its values in the kernel's block: no copy (finish() reads them there).
    if (n <= EXACT_PERCENTILE_LIMIT && !this.inSlot()) this.kept = new Float64Array(n);
    return true;
  }

  /** True when all the values sit in the kernel slot's block after pass 2 (one block, one pass2 call). */
  private inSlot(): boolean {
    return !!this.slot && this.cfg.count <= BLOCK;
  }

  /** Pass 2 over the first n values of the block. */
  pass2Block(n: number): void {
    if (this.finite <= 0) return;
    const lo = this.target === 'f32' ? Math.fround(this.lo) : this.lo;
    const [b, a] = this.slot
      ? this.kernel.pass2(this.slot, n, lo, this.scale, this.binCount, this.olo, this.ohi)
      : this.f64!.pass2(n, lo, this.scale, this.binCount, this.olo, this.ohi);
    this.below += b;
    this.above += a;
    if (this.kept) {
      const v = this.values();
      if (this.nan + this.posInf + this.negInf === 0) {
        this.kept.set(n === v.length ? v : v.subarray(0, n), this.keptCount);
        this.keptCount += n;
      } else {
        for (let i = 0; i < n; i++) if (v[i] - v[i] === 0) this.kept[this.keptCount++] = v[i];
      }
    }
  }

  finish(): AccumulatorResult {
    const { cfg, finite } = this;
    const has = finite > 0;
    const dense = this.slot ? this.kernel.keys(this.slot) : this.f64!.keyCounts;
    // Small tensors: buckets and exact percentiles of the kept finite values, not a scan of all 65536 buckets.
    const exact = this.kept ? exactSummary(this.kept.subarray(0, this.keptCount))
      : has && this.inSlot() ? exactSummaryOfSlot(this.kernel, this.slot!, cfg.count, finite) : null;
    const keys = exact ? exact.keys : sparseKeys(dense);
    let histogram: Histogram = { edges: [], counts: [] };
    if (has) {
      const counts = this.slot ? this.kernel.histogram(this.slot, this.binCount) : Array.from(this.f64!.hist.subarray(0, this.binCount));
      // The kernels bin NaN and −Inf into the first bin and +Inf into the last: take them out.
      counts[0] -= this.nan + this.negInf;
      counts[this.binCount - 1] -= this.posInf;
      histogram = { edges: linearEdges(this.lo, this.hi, this.binCount), counts };
    }
    let percentiles = null;
    if (has) {
      if (exact) percentiles = exact.percentiles;
      else percentiles = percentilesFromKeys(dense, finite, this.min, this.max);
    }
    const stats: ValueStats = {
      count: cfg.count,
      finite,
      min: has ? this.min : NaN,
      max: has ? this.max : NaN,
      mean: this.mean,
      std: this.std,
      absMax: has ? Math.max(Math.abs(this.min), Math.abs(this.max)) : NaN,
      zeros: this.zeros,
      sparsity: cfg.count ? this.zeros / cfg.count : 0,
      nan: this.nan,
      posInf: this.posInf,
      negInf: this.negInf,
      inf: this.posInf + this.negInf,
      percentiles,
      histogram,
      logHistogram: has ? logHistogramFromKeys(keys, this.zeros) : { edges: [], counts: [] },
      outliers: has ? {
        // ±Inf compared beyond finite thresholds in the kernels; outliers count finite values only.
        sigma: cfg.outlierSigma,
        below: this.below - (-Infinity < this.olo ? this.negInf : 0),
        above: this.above - (Infinity > this.ohi ? this.posInf : 0),
        maxAbsZ: this.std > 0 ? Math.max(this.max - this.mean, this.mean - this.min) / this.std : 0,
      } : null,
    };
    const rows = this.rowStats();
    if (rows) stats.rows = rows;
    const m2 = has ? this.std * this.std * finite : 0;
    if (this.slot) this.kernel.release(this.slot);
    if (this.f64) releaseF64Block(this.f64);
    return { stats, keys, m2 };
  }

  private rowStats(): RowStats | undefined {
    if (!this.rows) return undefined;
    return rowStatsOf({ rows: this.rows, rowSize: this.rowSize, rowMin: this.rowMin!, rowMax: this.rowMax!, rowZeros: this.rowZeros! });
  }
}
