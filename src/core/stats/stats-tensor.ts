/**
 * Statistics of one tensor: decodes its bytes block by block (any chunking, any alignment) into
 * one accumulator, or two for quantized tensors (stored integers, dequantized values).
 */
import { isFloatType, packedByteLength, type DataType } from '../ir/dtype.js';
import { ModelError } from '../ir/errors.js';
import { open, type FileHandle } from 'node:fs/promises';
import type { FileRange, Quantization, Tensor, TensorData, TensorRole } from '../ir/tensor.js';
import { elementDecoder, type ElementDecoder } from './decode.js';
import type { SparseKeys } from './stats-keys.js';
import { ValueAccumulator, type AccumulatorResult } from './stats-accumulator.js';
import { BLOCK, MAX_BINS, type StatsKernel } from './stats-kernel.js';
import { codeKernel, statsKernel } from './stats-kernel-wasm.js';
import { CodeAccumulator, codePlan } from './stats-codes.js';
import type { TensorStats, TensorStatsOptions } from './stats-types.js';

/** What the engine needs to know about a tensor; plain data, so it can be posted to a worker. */
export interface TensorMeta {
  name: string;
  dtype: DataType;
  shape: number[];
  elementCount: number;
  byteLength: number;
  role?: TensorRole;
  quantization?: Quantization;
  /** The model file, for error messages. */
  file: string;
}

/** The figures of one tensor plus what model-wide merging needs. */
export interface TensorStatsResult {
  stats: TensorStats;
  /** Key buckets of the float values (dequantized for quantized tensors); null for non-float tensors. */
  keys: SparseKeys | null;
  /** Σ(x − mean)² over the finite values of `stats`. */
  m2: number;
}

export const DEFAULT_CHUNK_BYTES = 16 << 20;

/** The meta of a tensor, with `quantization` taking the place of a missing own one. */
export function tensorMeta(t: Tensor, file: string, quantization?: Quantization): TensorMeta {
  const q = t.quantization ?? quantization;
  return {
    name: t.name, dtype: t.dtype, shape: [...t.shape], elementCount: t.elementCount, byteLength: t.byteLength,
    role: t.role, file, ...(q ? { quantization: q } : {}),
  };
}

/** Why a tensor gets no statistics, or null when it does. */
export function statsUnsupportedReason(dtype: DataType): string | null {
  return elementDecoder(dtype) ? null : `no numeric statistics for ${dtype} tensors`;
}

interface Dequantizer {
  (src: Float32Array | Float64Array, dst: Float32Array, n: number, start: number): void;
}

function dequantizer(meta: TensorMeta): Dequantizer {
  const q = meta.quantization!;
  const fail = (why: string): never => {
    throw new ModelError('malformed', `quantization (${q.origin}): ${why}`, { file: meta.file, tensor: meta.name });
  };
  const scales = q.scale.map((s) => Math.fround(s));
  if (!scales.length) fail('no scale');
  if (scales.length === 1) {
    const s = scales[0];
    const zp = q.zeroPoint[0] ?? 0;
    return (src, dst, n) => { for (let i = 0; i < n; i++) dst[i] = (src[i] - zp) * s; };
  }
  const rank = meta.shape.length;
  const axis = (q.axis ?? 0) < 0 ? (q.axis ?? 0) + rank : (q.axis ?? 0);
  if (axis < 0 || axis >= rank) fail(`axis ${q.axis} is outside a rank-${rank} tensor`);
  const dim = meta.shape[axis];
  if (scales.length !== dim) fail(`${scales.length} scales for ${dim} slices along axis ${axis}`);
  if (q.zeroPoint.length > 1 && q.zeroPoint.length !== dim) fail(`${q.zeroPoint.length} zero points for ${dim} slices along axis ${axis}`);
  const zps = scales.map((_, c) => q.zeroPoint.length > 1 ? q.zeroPoint[c] : (q.zeroPoint[0] ?? 0));
  let inner = 1;
  for (let d = axis + 1; d < rank; d++) inner *= meta.shape[d];
  return (src, dst, n, start) => {
    let i = 0;
    while (i < n) {
      const e = start + i;
      const c = Math.floor(e / inner) % dim;
      const end = Math.min(n, i + (inner - (e % inner)));
      const s = scales[c], zp = zps[c];
      for (; i < end; i++) dst[i] = (src[i] - zp) * s;
    }
  };
}

/**
 * Feeds a tensor's bytes through the accumulators. Usage: beginPass(1), push()…, endPass(); if that
 * returned true, beginPass(2), push() the same bytes again, endPass(); then result().
 */
export class TensorStatsBuilder {
  private readonly decoder: ElementDecoder;
  private readonly value: ValueAccumulator | null;
  private readonly raw: ValueAccumulator | null;
  /** The code path (stats-codes.ts), taking the place of both accumulators where it applies. */
  private readonly codes: CodeAccumulator | null;
  private readonly dequantize: Dequantizer | null;
  private readonly blockBytes: number;
  private readonly totalBytes: number;
  private stage: Uint8Array | null = null; // made on first need: most tensors arrive whole
  private stageFill = 0;
  private consumed = 0;
  private elementsDone = 0;
  private pass: 1 | 2 = 1;
  private readonly kernel: StatsKernel;

  constructor(readonly meta: TensorMeta, private readonly options: TensorStatsOptions = {}) {
    const decoder = elementDecoder(meta.dtype);
    if (!decoder) throw new ModelError('unsupported', statsUnsupportedReason(meta.dtype)!, { file: meta.file, tensor: meta.name });
    const bins = options.bins ?? 256;
    if (!(bins >= 1 && bins <= MAX_BINS && Number.isInteger(bins))) throw new RangeError(`bins must be an integer from 1 to ${MAX_BINS}`);
    this.decoder = decoder;
    this.kernel = statsKernel(options.kernel ?? 'auto');
    const cfg = { count: meta.elementCount, bins, outlierSigma: options.outlierSigma ?? 10, shape: meta.shape };
    const plan = options.codes === false ? null : codePlan(meta);
    this.codes = plan ? new CodeAccumulator(plan, codeKernel(options.kernel ?? 'auto'), { ...cfg, byteLength: meta.byteLength }) : null;
    if (plan) {
      this.raw = null;
      this.value = null;
      this.dequantize = null;
    } else if (meta.quantization) {
      this.raw = new ValueAccumulator(decoder.target, this.kernel, { ...cfg, integer: decoder.integer });
      this.value = new ValueAccumulator('f32', this.kernel, { ...cfg, integer: false });
      this.dequantize = dequantizer(meta);
    } else {
      this.raw = null;
      this.value = new ValueAccumulator(decoder.target, this.kernel, { ...cfg, integer: decoder.integer });
      this.dequantize = null;
    }
    this.blockBytes = (BLOCK / decoder.elementsPerGroup) * decoder.bytesPerGroup;
    this.totalBytes = packedByteLength(meta.dtype, meta.elementCount);
  }

  /** Bytes of the encoding this builder expects per pass. */
  get byteLength(): number { return this.totalBytes; }

  beginPass(pass: 1 | 2): void {
    this.pass = pass;
    this.stageFill = 0;
    this.consumed = 0;
    this.elementsDone = 0;
  }

  /** The next bytes of the encoding, in order; chunks may end anywhere. Bytes past the end are ignored. */
  push(bytes: Uint8Array): void {
    let off = 0;
    const end = Math.min(bytes.length, this.totalBytes - this.consumed);
    this.consumed += end;
    while (off < end) {
      if (this.stageFill === 0 && end - off >= this.blockBytes) {
        this.block(bytes, off, BLOCK);
        off += this.blockBytes;
        continue;
      }
      if (this.stageFill === 0 && this.consumed === this.totalBytes) {
        // The tensor's last, partial block, all in this chunk: no need to stage it.
        this.block(bytes, off, this.meta.elementCount - this.elementsDone);
        break;
      }
      const n = Math.min(this.blockBytes - this.stageFill, end - off);
      this.stage ??= new Uint8Array(this.blockBytes);
      this.stage.set(bytes.subarray(off, off + n), this.stageFill);
      this.stageFill += n;
      off += n;
      if (this.stageFill === this.blockBytes) {
        this.stageFill = 0;
        this.block(this.stage, 0, BLOCK);
      }
    }
  }

  private block(src: Uint8Array, off: number, n: number): void {
    const start = this.elementsDone;
    if (this.codes) {
      this.codes.block(src, off, n, start);
      this.elementsDone += n;
      return;
    }
    const first = (this.raw ?? this.value)!;
    first.decode(this.decoder, src, off, n);
    if (this.raw) this.dequantize!(this.raw.values(), this.value!.values() as Float32Array, n, start);
    for (const acc of this.raw ? [this.raw, this.value!] : [this.value!]) {
      if (this.pass === 1) acc.pass1Block(n, start);
      else acc.pass2Block(n);
    }
    this.elementsDone += n;
  }

  /** Ends the pass. After pass 1, returns whether pass 2 is needed. */
  endPass(): boolean {
    const left = this.meta.elementCount - this.elementsDone;
    if (left > 0) {
      if (this.consumed < this.totalBytes) {
        throw new ModelError('truncated', `tensor data ended after ${this.consumed} of ${this.totalBytes} bytes`, { file: this.meta.file, tensor: this.meta.name });
      }
      this.block(this.stage ?? new Uint8Array(this.blockBytes), 0, left);
      this.stageFill = 0;
    }
    if (this.pass === 2 || this.codes) return false; // the code path is done after one pass
    const a = this.value!.endPass1();
    const b = this.raw ? this.raw.endPass1() : false;
    return a || b;
  }

  result(): TensorStatsResult {
    const { meta } = this;
    const coded = this.codes?.finish();
    const value = coded ? coded.value : this.value!.finish();
    const raw = coded ? coded.raw : this.raw?.finish() ?? null;
    return tensorStatsResult(meta, value, raw, this.kernel.name);
  }
}

/** A tensor's result from its accumulators' (raw: the stored integers of a quantized tensor). */
export function tensorStatsResult(meta: TensorMeta, value: AccumulatorResult, raw: AccumulatorResult | null, kernel: 'wasm' | 'js'): TensorStatsResult {
  const stats: TensorStats = {
    name: meta.name, dtype: meta.dtype, shape: meta.shape, bytes: meta.byteLength,
    ...(meta.role ? { role: meta.role } : {}),
    ...(meta.quantization ? { quantization: meta.quantization } : {}),
    ...value.stats,
    ...(raw ? { raw: raw.stats } : {}),
    kernel,
  };
  const floatValued = isFloatType(meta.dtype) || !!meta.quantization;
  return { stats, keys: floatValued ? value.keys : null, m2: value.m2 };
}

function aborted(meta: TensorMeta): ModelError {
  return new ModelError('cancelled', 'statistics cancelled', { file: meta.file, tensor: meta.name });
}

/** A source of a tensor's bytes: TensorData, or anything with read() and byteLength. */
export type TensorBytes = Pick<TensorData, 'read' | 'byteLength'> & Partial<Pick<TensorData, 'fileRanges'>>;

// Chunk buffers are reused across tensors: fresh multi-megabyte buffers cost a page fault per 4 KiB.
const spareBuffers: Uint8Array[] = [];

/** Reads [pos, pos+len) of the concatenated file ranges into `target` through open handles. */
export class RangeReader {
  private readonly handles = new Map<string, Promise<FileHandle>>();
  constructor(private readonly ranges: FileRange[]) {}

  async read(pos: number, target: Uint8Array): Promise<void> {
    let start = 0; // start of the current range within the concatenation
    let written = 0;
    for (const r of this.ranges) {
      if (written >= target.length) break;
      const end = start + r.length;
      if (end > pos + written) {
        const from = pos + written - start;
        const n = Math.min(r.length - from, target.length - written);
        let fh = this.handles.get(r.path);
        if (!fh) { fh = open(r.path, 'r'); this.handles.set(r.path, fh); }
        const h = await fh;
        let done = 0;
        while (done < n) {
          const { bytesRead } = await h.read(target, written + done, n - done, r.offset + from + done);
          if (bytesRead === 0) throw new Error(`${r.path} ended at byte ${r.offset + from + done}, ${n - done} bytes short`);
          done += bytesRead;
        }
        written += n;
      }
      start = end;
    }
    if (written < target.length) throw new Error(`the file ranges hold ${written} of the ${target.length} bytes asked for`);
  }

  async close(): Promise<void> {
    for (const fh of this.handles.values()) await (await fh.catch(() => null))?.close();
    this.handles.clear();
  }
}

/**
 * Runs both passes over a tensor's bytes. A tensor that fits one chunk is read once; larger ones
 * are read chunk by chunk in each pass. File-backed bytes go into a reused buffer (fresh
 * multi-megabyte buffers cost a page fault per 4 KiB).
 */
export async function statsOfData(meta: TensorMeta, data: TensorBytes, options: TensorStatsOptions = {}): Promise<TensorStatsResult> {
  const builder = new TensorStatsBuilder(meta, options);
  const total = Math.min(builder.byteLength, data.byteLength);
  const chunk = Math.max(1, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  const ranges = total > 0 ? data.fileRanges?.() ?? null : null;
  const reader = ranges ? new RangeReader(ranges) : null;
  const span = Math.min(chunk, total);
  let buffer: Uint8Array | null = null;
  if (reader) {
    const i = spareBuffers.findIndex((b) => b.length >= span);
    buffer = i >= 0 ? spareBuffers.splice(i, 1)[0] : new Uint8Array(Math.max(span, Math.min(chunk, DEFAULT_CHUNK_BYTES)));
  }
  let whole: Uint8Array | null = null; // a tensor that fits one chunk is read once for both passes
  let done = 0;
  const step = async (pass: 1 | 2) => {
    builder.beginPass(pass);
    for (let pos = 0; pos < total; pos += chunk) {
      if (options.signal?.aborted) throw aborted(meta);
      const len = Math.min(chunk, total - pos);
      let bytes: Uint8Array;
      if (whole) bytes = whole;
      else if (reader) {
        bytes = buffer!.subarray(0, len);
        await guardRead(meta, pos, len, () => reader.read(pos, bytes));
      } else {
        bytes = await guardRead(meta, pos, len, () => data.read(pos, len));
      }
      if (total <= chunk) whole = bytes;
      builder.push(bytes);
      done += len;
      options.onProgress?.(done, 2 * total);
    }
    return builder.endPass();
  };
  try {
    if (await step(1)) await step(2);
    else options.onProgress?.(2 * total, 2 * total);
  } finally {
    await reader?.close();
    if (buffer && spareBuffers.length < 2) spareBuffers.push(buffer);
  }
  return builder.result();
}

/** Runs a read of bytes [pos, pos+len) of the tensor; a failure becomes a ModelError naming the tensor, its file and the bytes. */
export async function guardRead<T>(meta: TensorMeta, pos: number, len: number, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError('unreadable', `could not read bytes ${pos}..${pos + len} of the tensor: ${(e as Error).message}`, { file: meta.file, tensor: meta.name });
  }
}

/** A quantized tensor's values as float32: scale · (q − zeroPoint), per tensor or per slice. */
export async function dequantizedValues(tensor: Tensor, quantization: Quantization, file: string): Promise<Float32Array> {
  const meta = tensorMeta(tensor, file, quantization);
  const dec = elementDecoder(tensor.dtype);
  if (!dec) throw new ModelError('unsupported', `${tensor.dtype} tensors cannot be dequantized`, { file, tensor: tensor.name });
  const n = tensor.elementCount;
  const raw = dec.target === 'f32' ? new Float32Array(n) : new Float64Array(n);
  dec.decode(await tensor.data.read(), 0, n, raw);
  const out = new Float32Array(n);
  dequantizer(meta)(raw, out, n, 0);
  return out;
}

/** Statistics of one tensor, computed in this thread. `file` names the model in error messages. */
export async function computeTensorStats(tensor: Tensor, options: TensorStatsOptions & { file?: string } = {}): Promise<TensorStats> {
  const meta = tensorMeta(tensor, options.file ?? tensor.location, options.quantization);
  return (await statsOfData(meta, tensor.data, options)).stats;
}
