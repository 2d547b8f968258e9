import type { DataType } from '../ir/dtype.js';

/**
 * Turns the packed little-endian bytes of one dtype into numbers. Decoders read byte by byte (or
 * through an aligned copy), so the source may start at any offset. Types whose values all fit a
 * float32 exactly decode to Float32Array ('f32'); the others (float64, 32/64-bit integers) to
 * Float64Array ('f64').
 */
export interface ElementDecoder {
  dtype: DataType;
  target: 'f32' | 'f64';
  /** Elements per whole byte group (2 for 4-bit types, 4 for 2-bit types, else 1). */
  elementsPerGroup: number;
  /** Bytes per group (the element size for byte-sized and larger types). */
  bytesPerGroup: number;
  /** True when the values are integers (histograms then bin one integer per bin where they can). */
  integer: boolean;
  /** Decodes `count` elements starting at byte `srcOffset` of `src` into `dst` from index 0. The first element sits at the start of a byte group. */
  decode(src: Uint8Array, srcOffset: number, count: number, dst: Float32Array | Float64Array): void;
}

let f16Table: Float32Array | null = null;
/** All 65536 float16 values as float32 (exact), built once. */
export function float16Table(): Float32Array {
  if (f16Table) return f16Table;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 0x1f;
    const m = h & 0x3ff;
    if (e === 0) t[h] = s * m * 2 ** -24;
    else if (e === 31) t[h] = m ? NaN : s * Infinity;
    else t[h] = s * (1 + m / 1024) * 2 ** (e - 15);
  }
  f16Table = t;
  return t;
}

/** Float value of one 8-bit float encoding, per the ONNX spec of each variant. */
function float8Value(dtype: DataType, b: number): number {
  if (dtype === 'float8e8m0') return b === 0xff ? NaN : 2 ** (b - 127);
  const sign = b & 0x80 ? -1 : 1;
  const [expBits, bias] = dtype === 'float8e4m3fn' ? [4, 7] : dtype === 'float8e4m3fnuz' ? [4, 8]
    : dtype === 'float8e5m2' ? [5, 15] : [5, 16];
  const manBits = 7 - expBits;
  const e = (b >> manBits) & ((1 << expBits) - 1);
  const m = b & ((1 << manBits) - 1);
  if (dtype === 'float8e4m3fnuz' || dtype === 'float8e5m2fnuz') {
    if (b === 0x80) return NaN; // the only NaN; there is no −0 and no infinity
  } else if (dtype === 'float8e4m3fn') {
    if ((b & 0x7f) === 0x7f) return NaN; // no infinities
  } else if (e === 31) {
    return m ? NaN : sign * Infinity; // e5m2 is IEEE-like
  }
  if (e === 0) return sign * m * 2 ** (1 - bias - manBits);
  return sign * (1 + m / (1 << manBits)) * 2 ** (e - bias);
}

const tableCache = new Map<DataType, Float32Array>();
function byteTable(dtype: DataType): Float32Array {
  let t = tableCache.get(dtype);
  if (!t) {
    t = new Float32Array(256);
    for (let b = 0; b < 256; b++) t[b] = float8Value(dtype, b);
    tableCache.set(dtype, t);
  }
  return t;
}

// float4 e2m1: sign, 2 exponent bits (bias 1), 1 mantissa bit; no inf or NaN.
const FLOAT4_VALUES = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];

function make(dtype: DataType, target: 'f32' | 'f64', bytesPerGroup: number, elementsPerGroup: number, integer: boolean,
  decode: ElementDecoder['decode']): ElementDecoder {
  return { dtype, target, bytesPerGroup, elementsPerGroup, integer, decode };
}

/** Copies bytes to an aligned scratch buffer and views them as `T` (for float32/float64 input at odd offsets). */
function copyInto(src: Uint8Array, srcOffset: number, byteCount: number, dst: Float32Array | Float64Array): void {
  new Uint8Array(dst.buffer, dst.byteOffset, byteCount).set(src.subarray(srcOffset, srcOffset + byteCount));
}

function subByte(dtype: DataType, bits: 2 | 4, signed: boolean, values?: number[]): ElementDecoder {
  const per = 8 / bits;
  const mask = (1 << bits) - 1;
  const half = 1 << (bits - 1);
  const lut = new Float32Array(1 << bits);
  for (let v = 0; v <= mask; v++) lut[v] = values ? values[v] : signed && v >= half ? v - (1 << bits) : v;
  return make(dtype, 'f32', 1, per, !values, (src, off, count, dst) => {
    for (let i = 0; i < count; i++) {
      const byte = src[off + ((i / per) | 0)];
      dst[i] = lut[(byte >> ((i % per) * bits)) & mask];
    }
  });
}

/** The decoder for a dtype, or null for types without numeric statistics (string, complex, undefined). */
export function elementDecoder(dtype: DataType): ElementDecoder | null {
  switch (dtype) {
    case 'float32':
      return make(dtype, 'f32', 4, 1, false, (src, off, count, dst) => copyInto(src, off, count * 4, dst));
    case 'float64':
      return make(dtype, 'f64', 8, 1, false, (src, off, count, dst) => copyInto(src, off, count * 8, dst));
    case 'float16': {
      const t = float16Table();
      return make(dtype, 'f32', 2, 1, false, (src, off, count, dst) => {
        for (let i = 0, p = off; i < count; i++, p += 2) dst[i] = t[src[p] | (src[p + 1] << 8)];
      });
    }
    case 'bfloat16': {
      return make(dtype, 'f32', 2, 1, false, (src, off, count, dst) => {
        const bits = new Uint32Array(dst.buffer, dst.byteOffset, count);
        for (let i = 0, p = off; i < count; i++, p += 2) bits[i] = ((src[p] << 16) | (src[p + 1] << 24)) >>> 0;
      });
    }
    case 'float8e4m3fn': case 'float8e4m3fnuz': case 'float8e5m2': case 'float8e5m2fnuz': case 'float8e8m0': {
      const t = byteTable(dtype);
      return make(dtype, 'f32', 1, 1, false, (src, off, count, dst) => {
        for (let i = 0; i < count; i++) dst[i] = t[src[off + i]];
      });
    }
    case 'float4e2m1': return subByte(dtype, 4, false, FLOAT4_VALUES);
    case 'int4': return subByte(dtype, 4, true);
    case 'uint4': return subByte(dtype, 4, false);
    case 'int2': return subByte(dtype, 2, true);
    case 'uint2': return subByte(dtype, 2, false);
    case 'bool':
      return make(dtype, 'f32', 1, 1, true, (src, off, count, dst) => {
        for (let i = 0; i < count; i++) dst[i] = src[off + i] ? 1 : 0;
      });
    case 'int8':
      return make(dtype, 'f32', 1, 1, true, (src, off, count, dst) => {
        for (let i = 0; i < count; i++) dst[i] = (src[off + i] << 24) >> 24;
      });
    case 'uint8':
      return make(dtype, 'f32', 1, 1, true, (src, off, count, dst) => {
        for (let i = 0; i < count; i++) dst[i] = src[off + i];
      });
    case 'int16':
      return make(dtype, 'f32', 2, 1, true, (src, off, count, dst) => {
        for (let i = 0, p = off; i < count; i++, p += 2) dst[i] = ((src[p] | (src[p + 1] << 8)) << 16) >> 16;
      });
    case 'uint16':
      return make(dtype, 'f32', 2, 1, true, (src, off, count, dst) => {
        for (let i = 0, p = off; i < count; i++, p += 2) dst[i] = src[p] | (src[p + 1] << 8);
      });
    case 'int32': case 'uint32': {
      const signed = dtype === 'int32';
      return make(dtype, 'f64', 4, 1, true, (src, off, count, dst) => {
        for (let i = 0, p = off; i < count; i++, p += 4) {
          const v = src[p] | (src[p + 1] << 8) | (src[p + 2] << 16) | (src[p + 3] << 24);
          dst[i] = signed ? v : v >>> 0;
        }
      });
    }
    case 'int64': case 'uint64': {
      const signed = dtype === 'int64';
      return make(dtype, 'f64', 8, 1, true, (src, off, count, dst) => {
        for (let i = 0, p = off; i < count; i++, p += 8) {
          const lo = (src[p] | (src[p + 1] << 8) | (src[p + 2] << 16) | (src[p + 3] << 24)) >>> 0;
          const hiBits = src[p + 4] | (src[p + 5] << 8) | (src[p + 6] << 16) | (src[p + 7] << 24);
          dst[i] = (signed ? hiBits : hiBits >>> 0) * 4294967296 + lo;
        }
      });
    }
    case 'string': case 'complex64': case 'complex128': case 'undefined':
      return null;
  }
}
