/**
 * Plain-JS passes over float64 blocks (float64 and 32/64-bit integer tensors, whose values a
 * float32 cannot hold). Same definitions as the float32 kernels (non-finite values handled the
 * same way), computed in f64.
 */
import { BLOCK, KEY_BUCKETS, scalarPass1, type Pass1Result } from './stats-kernel.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export class F64Block {
  readonly block: Float64Array;
  readonly hist: Float64Array;
  readonly keyCounts = new Uint32Array(KEY_BUCKETS);
  /** False: pass 2 leaves the key buckets alone (the caller keys the values itself). */
  countKeys = true;
  keysDirty = false;

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
    if (this.countKeys) {
      this.keysDirty = true;
      for (let i = 0; i < n; i++) {
        f32[0] = v[i];
        keyCounts[u32[0] >>> 16]++;
      }
    }
    for (let i = 0; i < n; i++) {
      const x = v[i];
      const t = (x - lo) * scale;
      hist[t >= last ? last : t >= 1 ? Math.trunc(t) : 0]++;
      if (x < olo) below++;
      if (x > ohi) above++;
    }
    return [below, above];
  }
}

// Blocks are reused: a fresh one is 768 KiB to allocate and zero, more than a small tensor's work.
const spare: F64Block[] = [];

/** A clean float64 block with a histogram of at least `bins` + 1 counters. */
export function f64Block(bins: number, countKeys: boolean): F64Block {
  const i = spare.findIndex((b) => b.hist.length >= bins + 1);
  const b = i >= 0 ? spare.splice(i, 1)[0] : new F64Block(BLOCK, bins);
  b.countKeys = countKeys;
  return b;
}

/** Hands a block back (cleaned) for the next f64Block call. */
export function releaseF64Block(b: F64Block): void {
  if (spare.length >= 4) return;
  b.hist.fill(0);
  if (b.keysDirty) b.keyCounts.fill(0);
  b.keysDirty = false;
  spare.push(b);
}
