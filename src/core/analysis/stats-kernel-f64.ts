/**
 * Plain-JS passes over float64 blocks (float64 and 32/64-bit integer tensors, whose values a
 * float32 cannot hold). Same definitions as the float32 kernels, computed in f64.
 */
import { KEY_BUCKETS, type Pass1Result } from './stats-kernel.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export class F64Block {
  readonly block: Float64Array;
  readonly hist: Float64Array;
  readonly keyCounts = new Uint32Array(KEY_BUCKETS);

  constructor(size: number, bins: number) {
    this.block = new Float64Array(size);
    this.hist = new Float64Array(bins + 1);
  }

  pass1(offset: number, n: number, k: number, out: Pass1Result): void {
    const v = this.block;
    let mn = Infinity, mx = -Infinity, s1 = 0, s2 = 0, z = 0, nan = 0, pi = 0, ni = 0;
    for (let i = offset, end = offset + n; i < end; i++) {
      const x = v[i];
      if (x - x === 0) { if (x < mn) mn = x; if (x > mx) mx = x; const d = x - k; s1 += d; s2 += d * d; if (x === 0) z++; }
      else if (x !== x) nan++; else if (x > 0) pi++; else ni++;
    }
    out.min = mn; out.max = mx; out.s1 = s1; out.s2 = s2;
    out.zeros = z; out.nan = nan; out.posInf = pi; out.negInf = ni;
  }

  pass2(n: number, lo: number, scale: number, bins: number, olo: number, ohi: number): [number, number] {
    const { block: v, hist, keyCounts } = this;
    const last = bins - 1;
    let below = 0, above = 0;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      f32[0] = x;
      keyCounts[u32[0] >>> 16]++;
      if (x - x !== 0) { hist[bins]++; continue; }
      const t = (x - lo) * scale;
      hist[t < 1 ? 0 : t >= last ? last : Math.trunc(t)]++;
      if (x < olo) below++;
      if (x > ohi) above++;
    }
    return [below, above];
  }
}
