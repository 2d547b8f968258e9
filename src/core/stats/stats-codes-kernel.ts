/**
 * The loops of the code path (stats-codes.ts): histograms of 8- and 16-bit codes and per-row
 * figures of codes, behind one interface with two implementations, WASM SIMD
 * (stats-codes-kernel-wasm.ts over wasm/stats-kernel.wat) and plain JS (here). Both only count,
 * so they give identical results by construction.
 */

/** Int32 figures per row segment written by rows8 / rows16. */
export const ROW_FIGURES = 4;

/** Code counters of one accumulator: 65536 for 16-bit codes, or 4 copies of 256 for bytes. */
export interface CodeHist {
  readonly id: number;
}

export interface CodeKernel {
  readonly name: 'wasm' | 'js';
  newHist(): CodeHist;
  /** Zeroes the counters and keeps them for the next newHist(). */
  release(h: CodeHist): void;
  /** Makes src[off, off+len) the input of the next calls (len ≤ 2 · BLOCK). */
  load(src: Uint8Array, off: number, len: number): void;
  /** Counts the input's first n bytes into the 256 byte counters. */
  hist8(h: CodeHist, n: number): void;
  /** Counts the input's first n little-endian 16-bit codes into the 65536 counters. */
  hist16(h: CodeHist, n: number): void;
  /**
   * Per row segment of the input's first n 8-bit codes (4-bit, two to a byte, when nib): min and
   * max of code ^ xor, and the counts of ordered codes za and zb. The first segment finishes a row
   * that is `phase` elements in; rows are `len` elements. A view, valid until the next call.
   */
  rows8(n: number, phase: number, len: number, xor: number, za: number, zb: number, nib: boolean): Int32Array;
  /** Per row segment of n 16-bit float codes: min and max of the ordered code, ±0 codes, codes of magnitude ≥ inf. */
  rows16(n: number, phase: number, len: number, inf: number): Int32Array;
  /** The byte counters (4 copies summed). */
  counts8(h: CodeHist): Float64Array;
  /** The 65536 counters: a view, valid until the next call. */
  counts16(h: CodeHist): Uint32Array;
}

/** Row segments of n elements that start `phase` elements into rows of `len`. */
export function segmentCount(n: number, phase: number, len: number): number {
  return n > 0 ? Math.ceil((phase + n) / len) : 0;
}

/** The ordered code of a 16-bit sign-and-magnitude code: m for +m, −1−m for −m (as the WASM loop). */
export function ordered16(c: number): number {
  return c & 0x8000 ? -1 - (c & 0x7fff) : c;
}

/** The 16-bit code of an ordered code. */
export function code16(o: number): number {
  return o < 0 ? 0x8000 | (-1 - o) : o;
}

interface JsHist extends CodeHist {
  c8: Uint32Array;
  c16: Uint32Array;
  used8: boolean;
  used16: boolean;
}

/** The plain-JS code kernel: the fallback without WASM SIMD, and the reference in tests. */
export class JsCodeKernel implements CodeKernel {
  readonly name = 'js' as const;
  private src: Uint8Array = new Uint8Array(0);
  private off = 0;
  private out = new Int32Array(0);
  private readonly free: JsHist[] = [];
  private ids = 0;

  newHist(): CodeHist {
    return this.free.pop() ?? { id: ++this.ids, c8: new Uint32Array(256), c16: new Uint32Array(65536), used8: false, used16: false } as JsHist;
  }

  release(h: CodeHist): void {
    const j = h as JsHist;
    if (j.used8) j.c8.fill(0);
    if (j.used16) j.c16.fill(0);
    j.used8 = j.used16 = false;
    if (this.free.length < 4) this.free.push(j);
  }

  load(src: Uint8Array, off: number): void {
    this.src = src;
    this.off = off;
  }

  hist8(h: CodeHist, n: number): void {
    const j = h as JsHist, c = j.c8, s = this.src;
    j.used8 = true;
    for (let i = this.off, end = this.off + n; i < end; i++) c[s[i]]++;
  }

  hist16(h: CodeHist, n: number): void {
    const j = h as JsHist, c = j.c16, s = this.src;
    j.used16 = true;
    for (let p = this.off, end = this.off + 2 * n; p < end; p += 2) c[s[p] | (s[p + 1] << 8)]++;
  }

  private outFor(segments: number): Int32Array {
    if (this.out.length < segments * ROW_FIGURES) this.out = new Int32Array(segments * ROW_FIGURES * 2);
    return this.out;
  }

  rows8(n: number, phase: number, len: number, xor: number, za: number, zb: number, nib: boolean): Int32Array {
    const out = this.outFor(segmentCount(n, phase, len));
    const s = this.src;
    let p = this.off, o = 0;
    while (n > 0) {
      const seg = Math.min(len - phase, n);
      let mn = 255, mx = 0, na = 0, nb = 0;
      for (let i = 0; i < seg; i++) {
        const byte = s[p + (nib ? i >> 1 : i)];
        const d = (nib ? (i & 1 ? byte >> 4 : byte & 15) : byte) ^ xor;
        if (d < mn) mn = d;
        if (d > mx) mx = d;
        if (d === za) na++;
        if (d === zb) nb++;
      }
      out[o] = mn; out[o + 1] = mx; out[o + 2] = na; out[o + 3] = nb;
      o += ROW_FIGURES;
      p += nib ? seg >> 1 : seg;
      n -= seg;
      phase = 0;
    }
    return out;
  }

  rows16(n: number, phase: number, len: number, inf: number): Int32Array {
    const out = this.outFor(segmentCount(n, phase, len));
    const s = this.src;
    let p = this.off, o = 0;
    while (n > 0) {
      const seg = Math.min(len - phase, n);
      let mn = 0x7fff, mx = -0x8000, z = 0, nf = 0;
      for (let i = 0; i < seg; i++, p += 2) {
        const c = s[p] | (s[p + 1] << 8);
        const m = c & 0x7fff;
        if (m === 0) z++;
        if (m >= inf) { nf++; continue; } // non-finite: no part in min / max
        const d = ordered16(c);
        if (d < mn) mn = d;
        if (d > mx) mx = d;
      }
      out[o] = mn; out[o + 1] = mx; out[o + 2] = z; out[o + 3] = nf;
      o += ROW_FIGURES;
      n -= seg;
      phase = 0;
    }
    return out;
  }

  counts8(h: CodeHist): Float64Array {
    return Float64Array.from((h as JsHist).c8);
  }

  counts16(h: CodeHist): Uint32Array {
    return (h as JsHist).c16;
  }
}
