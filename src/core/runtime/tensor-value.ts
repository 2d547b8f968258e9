import type { DataType } from '../ir/dtype.js';

/** Typed storage of one runtime tensor, as onnxruntime expects it (float16 as raw Uint16 bits, bool as Uint8). */
export type TensorArray =
  | Float32Array | Float64Array | Uint16Array | Int8Array | Uint8Array | Int16Array
  | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | string[];

/** A concrete tensor fed to or returned by a backend. */
export interface RuntimeTensor {
  name: string;
  dtype: DataType;
  shape: number[];
  data: TensorArray;
}

/** The element types the runtime can feed and return. */
export const RUNTIME_DTYPES: readonly DataType[] = [
  'float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool', 'string',
];

/** Allocates a zero-filled array of the storage type onnxruntime uses for `dtype`. */
export function allocateArray(dtype: DataType, length: number): TensorArray {
  switch (dtype) {
    case 'float32': return new Float32Array(length);
    case 'float64': return new Float64Array(length);
    case 'float16': case 'uint16': case 'bfloat16': return new Uint16Array(length);
    case 'int8': return new Int8Array(length);
    case 'uint8': case 'bool': return new Uint8Array(length);
    case 'int16': return new Int16Array(length);
    case 'int32': return new Int32Array(length);
    case 'uint32': return new Uint32Array(length);
    case 'int64': return new BigInt64Array(length);
    case 'uint64': return new BigUint64Array(length);
    case 'string': return new Array<string>(length).fill('');
    default: throw new RangeError(`the runtime cannot hold ${dtype} tensors`);
  }
}

/** True when a RuntimeTensor can be built for this dtype. */
export function isRuntimeDtype(dtype: string): dtype is DataType {
  return (RUNTIME_DTYPES as readonly string[]).includes(dtype);
}

/** Product of the dims (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half bits → number. */
export function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** number → IEEE half bits, rounding to nearest even. */
export function numberToHalf(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** Element `i` as a JS number (int64 beyond 2^53 loses precision; float16 is decoded; strings give NaN). */
export function elementAsNumber(t: { dtype: DataType; data: TensorArray }, i: number): number {
  const v = t.data[i];
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return NaN;
  return t.dtype === 'float16' ? halfToNumber(v) : v;
}

/** The whole tensor as JS numbers (float16 decoded, int64 as numbers). Not for strings. */
export function toNumberArray(t: { dtype: DataType; data: TensorArray }): Float64Array {
  const n = t.data.length;
  const out = new Float64Array(n);
  const d = t.data;
  if (t.dtype === 'float16') for (let i = 0; i < n; i++) out[i] = halfToNumber((d as Uint16Array)[i]);
  else if (d instanceof BigInt64Array || d instanceof BigUint64Array) for (let i = 0; i < n; i++) out[i] = Number(d[i]);
  else if (Array.isArray(d)) out.fill(NaN);
  else out.set(d as ArrayLike<number>);
  return out;
}

/** Builds storage for `dtype` from plain numbers (casts, rounds float16, truncates integers). */
export function fromNumbers(dtype: DataType, values: ArrayLike<number>): TensorArray {
  const n = values.length;
  const out = allocateArray(dtype, n);
  if (dtype === 'float16') {
    const o = out as Uint16Array;
    for (let i = 0; i < n; i++) o[i] = numberToHalf(values[i]);
  } else if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) out[i] = BigInt(Math.trunc(Number.isFinite(values[i]) ? values[i] : 0));
  } else if (Array.isArray(out)) {
    for (let i = 0; i < n; i++) out[i] = String(values[i]);
  } else if (dtype === 'bool') {
    const o = out as Uint8Array;
    for (let i = 0; i < n; i++) o[i] = values[i] ? 1 : 0;
  } else {
    (out as Float64Array).set(values);
  }
  return out;
}

/** Converts a tensor's storage to another dtype (numeric → numeric). Returns the input when equal. */
export function castTensorData(from: DataType, data: TensorArray, to: DataType): TensorArray {
  if (from === to) return data;
  if (to === 'string' || from === 'string') throw new RangeError(`cannot convert ${from} to ${to}`);
  if ((from === 'int64' || from === 'uint64') && (to === 'int64' || to === 'uint64')) {
    return to === 'int64' ? BigInt64Array.from(data as BigUint64Array, (v) => BigInt.asIntN(64, v)) : BigUint64Array.from(data as BigInt64Array, (v) => BigInt.asUintN(64, v));
  }
  return fromNumbers(to, toNumberArray({ dtype: from, data }));
}

/** Views `count` little-endian elements of `dtype` over an (aligned) ArrayBuffer without copying. */
export function viewArray(dtype: DataType, buffer: ArrayBufferLike, byteOffset: number, count: number): Exclude<TensorArray, string[]> {
  const proto = allocateArray(dtype, 0);
  if (Array.isArray(proto)) throw new RangeError('string tensors have no byte view');
  const Ctor = proto.constructor as new (b: ArrayBufferLike, o: number, n: number) => Exclude<TensorArray, string[]>;
  return new Ctor(buffer, byteOffset, count);
}

/** Copies packed little-endian bytes into a fresh array of `dtype` (handles unaligned input). */
export function arrayFromBytes(dtype: DataType, bytes: Uint8Array): Exclude<TensorArray, string[]> {
  const proto = allocateArray(dtype, 0) as Exclude<TensorArray, string[]>;
  const size = proto.BYTES_PER_ELEMENT;
  const copy = new Uint8Array(bytes.subarray(0, bytes.byteLength - (bytes.byteLength % size))); // copy even for a Buffer
  return viewArray(dtype, copy.buffer, 0, copy.byteLength / size);
}
