import { BLOCK, clearKeys, JsStatsKernel, KEY_BUCKETS, MAX_BINS, MAX_SEGMENTS, noteUse, type KernelSlot, type Pass1Result, type SlotUse, type StatsKernel } from './stats-kernel.js';
import type { SparseKeys } from './stats-keys.js';
import { STATS_KERNEL_WASM_BASE64 } from './wasm/stats-kernel-wasm-bytes.js';
import { JsCodeKernel, type CodeKernel } from './stats-codes-kernel.js';
import { WasmCodeKernel, type CodeExports } from './stats-codes-kernel-wasm.js';

interface WasmExports extends CodeExports {
  memory: WebAssembly.Memory;
  pass1(p: number, n: number, k: number): void;
  pass2(p: number, n: number, lo: number, scale: number, bins: number, hist: number, stride: number, keys: number, olo: number, ohi: number): void;
  half(src: number, dst: number, n: number, bf16: number): void;
  pass1rows(p: number, n: number, k: number, first: number, len: number, out: number, s1: number, s2: number): void;
  distinct(p: number, n: number, map: number, keys: number, seen: number, counts: number): void;
  gather(p: number, n: number, keys: number, dst: number): void;
}

// Per-slot layout: the value block, 4 lane copies of the linear histogram, key buckets.
const HIST_STRIDE = MAX_BINS * 4;
const SLOT_BYTES = BLOCK * 4 + 4 * HIST_STRIDE + KEY_BUCKETS * 4;
const FIRST_SLOT = 64; // bytes 0..63 hold the results of the last call
const PAGE = 65536;

interface WasmSlot extends KernelSlot {
  base: number;
  use: SlotUse;
}

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(b64, 'base64'));
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The WASM SIMD kernel. One instance (one memory) per thread; slots are reused. */
export class WasmStatsKernel implements StatsKernel {
  readonly name = 'wasm' as const;
  private readonly ex: WasmExports;
  private readonly free: WasmSlot[] = [];
  private nextBase = FIRST_SLOT;

  /** The code loops (stats-codes.ts) over the same memory. */
  readonly codes: WasmCodeKernel;

  constructor(module: WebAssembly.Module) {
    this.ex = new WebAssembly.Instance(module, {}).exports as unknown as WasmExports;
    this.codes = new WasmCodeKernel(this.ex, (bytes) => this.alloc(bytes));
  }

  /** Bytes of memory for good (16-byte aligned), growing it as needed. */
  private alloc(bytes: number): number {
    const b = this.nextBase;
    this.nextBase += (bytes + 15) & ~15;
    const need = Math.ceil(this.nextBase / PAGE) - this.buffer.byteLength / PAGE;
    if (need > 0) this.ex.memory.grow(need);
    return b;
  }

  private get buffer(): ArrayBuffer { return this.ex.memory.buffer; }

  // Views of the result area, remade only when the memory grows (a view per call costs more than a row's work).
  private viewBuffer: ArrayBuffer | null = null;
  private f32 = new Float32Array(0);
  private f64 = new Float64Array(0);
  private i32 = new Int32Array(0);
  private results(): void {
    if (this.viewBuffer === this.buffer) return;
    this.viewBuffer = this.buffer;
    this.f32 = new Float32Array(this.buffer, 0, 2);
    this.f64 = new Float64Array(this.buffer, 8, 2);
    this.i32 = new Int32Array(this.buffer, 24, 7);
  }

  newSlot(): KernelSlot {
    // Free slots are clean: fresh memory is zero, and release() zeroes what a use dirtied.
    const free = this.free.pop();
    if (free) return free;
    const b = this.alloc(SLOT_BYTES);
    let view: Float32Array | null = null;
    const slot: WasmSlot = {
      base: b, use: { bins: 0, calls: 0, n: 0 },
      values: () => (view?.buffer === this.buffer ? view : (view = new Float32Array(this.buffer, b, BLOCK))),
    };
    return slot;
  }

  release(slot: KernelSlot): void {
    const s = slot as WasmSlot;
    const hist = s.base + BLOCK * 4;
    for (let lane = 0; lane < 4; lane++) new Uint32Array(this.buffer, hist + lane * HIST_STRIDE, MAX_BINS).fill(0, 0, s.use.bins + 1);
    clearKeys(s.use, new Int32Array(this.buffer, s.base, BLOCK), this.keys(s));
    this.free.push(s);
  }

  pass1(slot: KernelSlot, offset: number, n: number, k: number, out: Pass1Result): void {
    this.ex.pass1((slot as WasmSlot).base + offset * 4, n, k);
    this.results();
    const { f32, f64, i32 } = this;
    out.min = f32[0]; out.max = f32[1]; out.s1 = f64[0]; out.s2 = f64[1]; out.zeros = i32[0]; out.finite = i32[1];
  }

  pass2(slot: KernelSlot, n: number, lo: number, scale: number, bins: number, olo: number, ohi: number): [number, number] {
    const base = (slot as WasmSlot).base;
    noteUse((slot as WasmSlot).use, n, bins);
    this.ex.pass2(base, n, lo, scale, bins, base + BLOCK * 4, HIST_STRIDE, base + BLOCK * 4 + 4 * HIST_STRIDE, olo, ohi);
    this.results();
    return [this.i32[4], this.i32[5]];
  }

  decodeHalf(slot: KernelSlot, src: Uint8Array, offset: number, n: number, bf16: boolean): void {
    // Stage the 16-bit values in the upper half of the block, then widen them in place (SIMD).
    const base = (slot as WasmSlot).base;
    new Uint8Array(this.buffer, base + BLOCK * 2, n * 2).set(src.subarray(offset, offset + n * 2));
    this.ex.half(base + BLOCK * 2, base, n, bf16 ? 1 : 0);
  }

  histogram(slot: KernelSlot, bins: number): number[] {
    const base = (slot as WasmSlot).base + BLOCK * 4;
    const out = new Array<number>(bins).fill(0);
    for (let lane = 0; lane < 4; lane++) {
      const h = new Uint32Array(this.buffer, base + lane * HIST_STRIDE, bins);
      for (let i = 0; i < bins; i++) out[i] += h[i];
    }
    return out;
  }

  keys(slot: KernelSlot): Uint32Array {
    return new Uint32Array(this.buffer, this.keysAt(slot), KEY_BUCKETS);
  }

  private keysAt(slot: KernelSlot): number {
    return (slot as WasmSlot).base + BLOCK * 4 + 4 * HIST_STRIDE;
  }

  // Scratch shared by the slots (each result is read before the next call), made at once on first
  // use: growing the memory later would detach the views handed out.
  private scratch: { rows: number; seen: number; counts: number; map: number; gathered: number } | null = null;
  private scratchAt(which: 'rows' | 'seen' | 'counts' | 'map' | 'gathered'): number {
    this.scratch ??= {
      rows: this.alloc(48 * (MAX_SEGMENTS + 1)), seen: this.alloc(4 * KEY_BUCKETS), counts: this.alloc(8 * KEY_BUCKETS),
      map: this.alloc(KEY_BUCKETS / 8), gathered: this.alloc(4 * BLOCK),
    };
    return this.scratch[which];
  }
  private count(): number {
    this.results();
    return this.i32[6];
  }

  pass1Rows(slot: KernelSlot, offset: number, n: number, k: number, first: number, len: number, s1: number, s2: number): Float64Array {
    const out = this.scratchAt('rows');
    this.ex.pass1rows((slot as WasmSlot).base + offset * 4, n, k, first, len, out, s1, s2);
    return new Float64Array(this.buffer, out, 6 * (MAX_SEGMENTS + 1));
  }

  distinct(slot: KernelSlot, n: number): SparseKeys {
    const seen = this.scratchAt('seen'), counts = this.scratchAt('counts');
    this.ex.distinct((slot as WasmSlot).base, n, this.scratchAt('map'), this.keysAt(slot), seen, counts);
    const d = this.count();
    (slot as WasmSlot).use.keysClean = true;
    return { index: new Uint32Array(this.buffer, seen, d).slice(), count: new Float64Array(this.buffer, counts, d).slice() };
  }

  gather(slot: KernelSlot, n: number, keys: number[]): Float32Array {
    const dst = this.scratchAt('gathered');
    const buckets = this.keys(slot);
    for (const k of keys) buckets[k] = 1;
    this.ex.gather((slot as WasmSlot).base, n, this.keysAt(slot), dst);
    for (const k of keys) buckets[k] = 0;
    return new Float32Array(this.buffer, dst, this.count());
  }
}

let wasmModule: WebAssembly.Module | null | undefined;
let wasmKernel: WasmStatsKernel | null = null;
let jsKernel: JsStatsKernel | null = null;
let jsCodeKernel: JsCodeKernel | null = null;

/** True when this runtime can compile the SIMD module. */
export function wasmKernelAvailable(): boolean {
  if (wasmModule === undefined) {
    try {
      wasmModule = new WebAssembly.Module(decodeBase64(STATS_KERNEL_WASM_BASE64));
    } catch {
      wasmModule = null; // no WebAssembly or no SIMD: the JS kernel gives the same numbers
    }
  }
  return wasmModule !== null;
}

/** The kernel for a preference: 'auto' picks WASM SIMD when available, else JS. */
export function statsKernel(kind: 'auto' | 'wasm' | 'js' = 'auto'): StatsKernel {
  if (kind !== 'js' && wasmKernelAvailable()) return (wasmKernel ??= new WasmStatsKernel(wasmModule!));
  if (kind === 'wasm') throw new Error('WebAssembly SIMD is not available in this runtime');
  return (jsKernel ??= new JsStatsKernel());
}

/** The code kernel of the stats kernel `statsKernel(kind)` gives. */
export function codeKernel(kind: 'auto' | 'wasm' | 'js' = 'auto'): CodeKernel {
  const k = statsKernel(kind);
  return k instanceof WasmStatsKernel ? k.codes : (jsCodeKernel ??= new JsCodeKernel());
}
