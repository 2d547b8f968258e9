/**
 * Plain-JS passes over float64 blocks (float64 and 32/64-bit integer tensors, whose values a
 * float32 cannot hold). Same definitions as the float32 kernels (non-finite values handled the
 * same way), computed in f64.
 */
import { KEY_BUCKETS, scalarPass1, type Pass1Result } from './stats-kernel.js';

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
    out.min = Infinity; out.max = -Infinity; out.s1 = 0; out.s2 = 0; out.zeros = 0; out.finite = 0;
    scalarPass1(this.block, offset, offset + n, k, out);
  }

  pass2(n: number, lo: number, scale: number, bins: number, olo: number, ohi: number): [number, number] {
    const { block: v, hist, keyCounts } = this;
    const last = bins - 1;
    let below = 0, above = 0;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      f32[0] = x;
      keyCounts[u32[0] >>> 16]++;
      const t = (x - lo) * scale;
      hist[t >= last ? last : t >= 1 ? Math.trunc(t) : 0]++;
      if (x < olo) below++;
      if (x > ohi) above++;
    }
    return [below, above];
  }
}
