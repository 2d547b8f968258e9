/**
 * The code path: tensors whose values are a function of a small code (int8/uint8/int4/uint4
 * integers, quantized per tensor or not, and large float16/bfloat16 tensors) are never decoded.
 * One pass counts each code (256 or 16 bins, or 65536 for 16-bit codes) and gathers per-row
 * code figures; the statistics are then read off the counts through each code's value
 * (stats-codes-figures.ts). A second pass over the bytes is never needed.
 */
import type { AccumulatorResult } from './stats-accumulator.js';
import { EXACT_PERCENTILE_LIMIT } from './stats-accumulator.js';
import { float16Table } from './decode.js';
import { code16, ROW_FIGURES, segmentCount, type CodeHist, type CodeKernel } from './stats-codes-kernel.js';
import { figuresFromCodes } from './stats-codes-figures.js';
import { newRowFigures, rowLayout, type RowFigures } from './stats-rows.js';
import type { TensorMeta } from './stats-tensor.js';

/** float16 / bfloat16 tensors of at least this many values take the code path (65536 counters to clear and read). */
export const HALF_CODE_MIN = 1 << 18;
/** 8- and 4-bit tensors of at least this many bytes are counted two bytes at a time (65536 counters). */
const PAIR_MIN_BYTES = 1 << 20;

export interface CodePlan {
  bits: 4 | 8 | 16;
  /** The stored value of each code. */
  raw: Float32Array;
  integer: boolean;
  /** The dequantized value of each code (per-tensor quantization), or null. */
  value: Float32Array | null;
  /** 8/4-bit: xor that orders signed codes as unsigned ones. */
  xor: number;
  /** 16-bit: smallest magnitude code that is not finite. */
  inf: number;
  /** 8/4-bit: the ordered code of stored 0 and of dequantized 0 (−1: none). */
  rawZero: number;
  valueZero: number;
}

function intCodes(bits: 4 | 8, signed: boolean): Float32Array {
  const n = 1 << bits, half = n >> 1;
  return Float32Array.from({ length: n }, (_, c) => (signed && c >= half ? c - n : c));
}

/** The one code whose value is 0, as an ordered code; −1 when none; null when several (no code path). */
function zeroCode(values: Float32Array, xor: number): number | null {
  let z = -1;
  for (let c = 0; c < values.length; c++) {
    if (values[c] !== 0) continue;
    if (z >= 0) return null;
    z = c ^ xor;
  }
  return z;
}

/** How the code path takes a tensor, or null when it does not (small tensors, per-axis quantization…). */
export function codePlan(meta: TensorMeta): CodePlan | null {
  const { dtype, elementCount: count } = meta;
  const q = meta.quantization;
  const { rows, rowSize } = rowLayout(count, meta.shape);
  if (dtype === 'float16' || dtype === 'bfloat16') {
    if (q || count < HALF_CODE_MIN) return null;
    let raw: Float32Array;
    if (dtype === 'float16') raw = float16Table();
    else {
      raw = new Float32Array(65536);
      new Uint32Array(raw.buffer).forEach((_, c, a) => { a[c] = c << 16; });
    }
    return { bits: 16, raw, integer: false, value: null, xor: 0, inf: dtype === 'float16' ? 0x7c00 : 0x7f80, rawZero: -1, valueZero: -1 };
  }
  const bits = dtype === 'int8' || dtype === 'uint8' ? 8 : dtype === 'int4' || dtype === 'uint4' ? 4 : 0;
  if (!bits || count <= EXACT_PERCENTILE_LIMIT) return null;
  if (bits === 4 && rows && rowSize % 2) return null; // rows would split bytes
  const signed = dtype === 'int8' || dtype === 'int4';
  const xor = signed ? (bits === 8 ? 0x80 : 0x08) : 0;
  const raw = intCodes(bits, signed);
  let value: Float32Array | null = null;
  if (q) {
    if (q.scale.length !== 1 || (q.zeroPoint.length ?? 0) > 1) return null;
    const s = Math.fround(q.scale[0]);
    const zp = q.zeroPoint[0] ?? 0;
    if (!Number.isFinite(s)) return null;
    // As the dequantizer of stats-tensor.ts computes it: (q − zp) · s rounded to float32.
    value = raw.map((v) => (v - zp) * s);
  }
  const rawZero = zeroCode(raw, xor);
  const valueZero = value ? zeroCode(value, xor) : -1;
  if (rawZero === null || valueZero === null) return null;
  return { bits, raw, integer: true, value, xor, inf: 0, rawZero, valueZero };
}

// The counts of 16-bit codes, reused: finish() is synchronous, so one tensor at a time uses it.
const half = new Float64Array(65536);

export interface CodeConfig {
  count: number;
  bins: number;
  outlierSigma: number;
  shape: number[];
  byteLength: number;
}

/** What a finished code accumulator hands back: the (dequantized) values' figures, and the stored integers' for quantized tensors. */
export interface CodeResult {
  value: AccumulatorResult;
  raw: AccumulatorResult | null;
}

/** What one part of a tensor's elements counted: summed over parts, the figures of the whole (stats-split.ts). */
export interface CodeState {
  /** The count of each code. */
  counts: Float64Array;
  /** The first row the row figures cover (they cover the rows the part's elements touch). */
  rowFrom: number;
  raw: RowFigures | null;
  value: RowFigures | null;
}

export class CodeAccumulator {
  private readonly hist: CodeHist;
  private readonly pairs: boolean;
  /** Bytes counted outside the kernel (the odd byte of a pair count), and the last nibble of an odd 4-bit tensor. */
  private readonly extra = new Float64Array(256);
  private readonly extraNibbles = new Float64Array(16);
  private readonly rawRows: RowFigures | null = null;
  private readonly valueRows: RowFigures | null = null;
  private readonly rowFrom: number = 0;

  /** `span`: the elements [from, to) this accumulator will see (default: all). */
  constructor(private readonly plan: CodePlan, private readonly kernel: CodeKernel, private readonly cfg: CodeConfig, span?: { from: number; to: number }) {
    this.hist = kernel.newHist();
    this.pairs = plan.bits !== 16 && cfg.byteLength >= PAIR_MIN_BYTES;
    const { rows, rowSize } = rowLayout(cfg.count, cfg.shape);
    if (rows) {
      const from = span ? Math.floor(span.from / rowSize) : 0;
      const to = span ? Math.floor((span.to - 1) / rowSize) + 1 : rows;
      this.rowFrom = from;
      this.rawRows = newRowFigures(to - from, rowSize);
      if (plan.value) this.valueRows = newRowFigures(to - from, rowSize);
    }
  }

  /** n elements from src[off…], the first of which is element `start` of the tensor (a multiple of 2 for 4-bit codes). */
  block(src: Uint8Array, off: number, n: number, start: number): void {
    const { plan, kernel: k, hist } = this;
    const bytes = plan.bits === 16 ? 2 * n : plan.bits === 8 ? n : n >> 1;
    k.load(src, off, bytes);
    if (plan.bits === 16) k.hist16(hist, n);
    else if (this.pairs) {
      k.hist16(hist, bytes >> 1);
      if (bytes & 1) this.extra[src[off + bytes - 1]]++;
    } else k.hist8(hist, bytes);
    // An odd 4-bit tensor's last element sits alone in the low nibble of its byte.
    if (plan.bits === 4 && n & 1) this.extraNibbles[src[off + bytes] & 15]++;
    if (this.rawRows) this.rows(n, start); // the loaded bytes
  }

  private rows(n: number, start: number): void {
    const { plan, kernel: k } = this;
    const rr = this.rawRows!, vr = this.valueRows;
    const len = rr.rowSize;
    const phase = start % len;
    let row = Math.floor(start / len) - this.rowFrom;
    const segs = segmentCount(n, phase, len);
    if (plan.bits === 16) {
      const out = k.rows16(n, phase, len, plan.inf);
      let left = n, ph = phase;
      for (let s = 0; s < segs; s++, row++) {
        const seg = Math.min(len - ph, left);
        const o = s * ROW_FIGURES;
        rr.rowZeros[row] += out[o + 2];
        if (out[o + 3] < seg) { // the segment has finite values (the kernel's min / max are theirs)
          const mn = plan.raw[code16(out[o])], mx = plan.raw[code16(out[o + 1])];
          if (mn < rr.rowMin[row]) rr.rowMin[row] = mn;
          if (mx > rr.rowMax[row]) rr.rowMax[row] = mx;
        }
        left -= seg; ph = 0;
      }
      return;
    }
    const za = plan.rawZero, zb = plan.valueZero >= 0 ? plan.valueZero : za;
    const out = k.rows8(n, phase, len, plan.xor, za < 0 ? 0 : za, zb < 0 ? 0 : zb, plan.bits === 4);
    for (let s = 0; s < segs; s++, row++) {
      const o = s * ROW_FIGURES;
      const cmin = out[o] ^ plan.xor, cmax = out[o + 1] ^ plan.xor;
      let a = plan.raw[cmin], b = plan.raw[cmax];
      if (a < rr.rowMin[row]) rr.rowMin[row] = a;
      if (b > rr.rowMax[row]) rr.rowMax[row] = b;
      if (za >= 0) rr.rowZeros[row] += out[o + 2];
      if (vr) {
        // Dequantization is monotonic (increasing or decreasing with the scale's sign).
        a = plan.value![cmin]; b = plan.value![cmax];
        if (a > b) [a, b] = [b, a];
        if (a < vr.rowMin[row]) vr.rowMin[row] = a;
        if (b > vr.rowMax[row]) vr.rowMax[row] = b;
        if (plan.valueZero >= 0) vr.rowZeros[row] += out[o + 3];
      }
    }
  }

  /** The count of each code. */
  private counts(): Float64Array {
    const { plan, kernel: k, hist } = this;
    if (plan.bits === 16) {
      half.set(k.counts16(hist));
      return half;
    }
    let bytes: Float64Array;
    if (this.pairs) {
      const c16 = k.counts16(hist);
      bytes = new Float64Array(256);
      for (let hi = 0; hi < 256; hi++) {
        let sum = 0;
        const base = hi << 8;
        for (let lo = 0; lo < 256; lo++) { const c = c16[base | lo]; sum += c; bytes[lo] += c; }
        bytes[hi] += sum;
      }
    } else bytes = k.counts8(hist);
    for (let b = 0; b < 256; b++) bytes[b] += this.extra[b];
    if (plan.bits === 8) return bytes;
    const nib = Float64Array.from(this.extraNibbles);
    for (let b = 0; b < 256; b++) { nib[b & 15] += bytes[b]; nib[b >> 4] += bytes[b]; }
    return nib;
  }

  /** What was counted; the accumulator is done. `keep`: a copy that outlives later accumulators. */
  state(keep = true): CodeState {
    const counts = this.counts();
    this.kernel.release(this.hist);
    return { counts: keep && counts === half ? Float64Array.from(counts) : counts, rowFrom: this.rowFrom, raw: this.rawRows, value: this.valueRows };
  }

  finish(): CodeResult {
    return codeFigures(this.plan, this.cfg, this.state(false));
  }
}

/** The figures of a tensor from the state of all its elements (row figures of every row). */
export function codeFigures(plan: CodePlan, cfg: CodeConfig, state: CodeState): CodeResult {
  const base = { count: cfg.count, bins: cfg.bins, outlierSigma: cfg.outlierSigma };
  const raw = figuresFromCodes(state.counts, plan.raw, { ...base, integer: plan.integer }, state.raw);
  if (!plan.value) return { value: raw, raw: null };
  return { value: figuresFromCodes(state.counts, plan.value, { ...base, integer: false }, state.value), raw };
}

function mergeRows(into: RowFigures, part: RowFigures, from: number): void {
  for (let r = 0; r < part.rows; r++) {
    const t = from + r;
    if (part.rowMin[r] < into.rowMin[t]) into.rowMin[t] = part.rowMin[r];
    if (part.rowMax[r] > into.rowMax[t]) into.rowMax[t] = part.rowMax[r];
    into.rowZeros[t] += part.rowZeros[r];
  }
}

/** The state of a whole tensor from the states of parts that cover its elements once each. */
export function mergeCodeStates(cfg: CodeConfig, parts: CodeState[]): CodeState {
  const counts = new Float64Array(parts[0].counts.length);
  for (const p of parts) for (let c = 0; c < counts.length; c++) counts[c] += p.counts[c];
  const { rows, rowSize } = rowLayout(cfg.count, cfg.shape);
  const merged = (pick: (p: CodeState) => RowFigures | null): RowFigures | null => {
    if (!rows || !pick(parts[0])) return null;
    const into = newRowFigures(rows, rowSize);
    for (const p of parts) mergeRows(into, pick(p)!, p.rowFrom);
    return into;
  };
  return { counts, rowFrom: 0, raw: merged((p) => p.raw), value: merged((p) => p.value) };
}
