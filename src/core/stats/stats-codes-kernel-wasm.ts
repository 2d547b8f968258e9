/** The WASM SIMD code kernel: the code loops of wasm/stats-kernel.wat over the stats kernel's memory. */
import { BLOCK } from './stats-kernel.js';
import { ROW_FIGURES, segmentCount, type CodeHist, type CodeKernel } from './stats-codes-kernel.js';

export interface CodeExports {
  memory: WebAssembly.Memory;
  hist8(p: number, n: number, h: number): void;
  hist16(p: number, n: number, h: number): void;
  rows8(p: number, n: number, phase: number, len: number, xor: number, za: number, zb: number, nib: number, out: number): void;
  rows16(p: number, n: number, phase: number, len: number, inf: number, out: number): void;
}

/** Bytes of the input area: a block of 16-bit codes, plus room for a vector load past the end. */
const INPUT_BYTES = 2 * BLOCK + 64;
/** Row segments of one block at most (rows of 2 elements, plus a partial one at each end). */
const MAX_SEGMENTS = BLOCK / 2 + 2;
const HIST_BYTES = 65536 * 4 + 4 * 1024;

interface WasmHist extends CodeHist {
  base: number;
  used8: boolean;
  used16: boolean;
}

export class WasmCodeKernel implements CodeKernel {
  readonly name = 'wasm' as const;
  private readonly input: number;
  private readonly out: number;
  private readonly free: WasmHist[] = [];
  private ids = 0;

  /** `alloc` hands out bytes of the module's memory that stay the caller's. */
  constructor(private readonly ex: CodeExports, private readonly alloc: (bytes: number) => number) {
    this.input = alloc(INPUT_BYTES);
    this.out = alloc(MAX_SEGMENTS * ROW_FIGURES * 4);
  }

  private get buffer(): ArrayBuffer { return this.ex.memory.buffer; }

  newHist(): CodeHist {
    const reuse = this.free.pop();
    if (reuse) return reuse;
    return { id: ++this.ids, base: this.alloc(HIST_BYTES), used8: false, used16: false } as WasmHist;
  }

  release(h: CodeHist): void {
    const w = h as WasmHist;
    if (w.used16) new Uint32Array(this.buffer, w.base, 65536).fill(0);
    if (w.used8) new Uint32Array(this.buffer, w.base + 65536 * 4, 1024).fill(0);
    w.used8 = w.used16 = false;
    this.free.push(w);
  }

  load(src: Uint8Array, off: number, len: number): void {
    new Uint8Array(this.buffer, this.input, len).set(src.subarray(off, off + len));
  }

  hist8(h: CodeHist, n: number): void {
    const w = h as WasmHist;
    w.used8 = true;
    this.ex.hist8(this.input, n, w.base + 65536 * 4);
  }

  hist16(h: CodeHist, n: number): void {
    const w = h as WasmHist;
    w.used16 = true;
    this.ex.hist16(this.input, n, w.base);
  }

  rows8(n: number, phase: number, len: number, xor: number, za: number, zb: number, nib: boolean): Int32Array {
    this.ex.rows8(this.input, n, phase, len, xor, za, zb, nib ? 1 : 0, this.out);
    return new Int32Array(this.buffer, this.out, segmentCount(n, phase, len) * ROW_FIGURES);
  }

  rows16(n: number, phase: number, len: number, inf: number): Int32Array {
    this.ex.rows16(this.input, n, phase, len, inf, this.out);
    return new Int32Array(this.buffer, this.out, segmentCount(n, phase, len) * ROW_FIGURES);
  }

  counts8(h: CodeHist): Float64Array {
    const c = new Uint32Array(this.buffer, (h as WasmHist).base + 65536 * 4, 1024);
    const out = new Float64Array(256);
    for (let b = 0; b < 256; b++) out[b] = c[b] + c[b + 256] + c[b + 512] + c[b + 768];
    return out;
  }

  counts16(h: CodeHist): Uint32Array {
    return new Uint32Array(this.buffer, (h as WasmHist).base, 65536);
  }
}
