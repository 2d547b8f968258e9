// Conversions from ONNX's typed TensorProto fields to the IR's packed little-endian encoding, and
// the densifying of sparse tensors. Pure functions over bytes; callers turn failures into ModelErrors.
import { bitsPerElement, packedByteLength, type DataType } from '../../ir/dtype.js';

/** Thrown by the converters; the caller adds file, field and tensor. */
export class ConversionError extends Error {
  constructor(readonly code: 'size-mismatch' | 'malformed' | 'limit', message: string) {
    super(message);
  }
}

/** Which typed field of TensorProto may carry a dtype's values (onnx.proto's rules). */
export function typedFieldFor(dtype: DataType): 'float_data' | 'int32_data' | 'int64_data' | 'double_data' | 'uint64_data' | 'string_data' | null {
  switch (dtype) {
    case 'float32': case 'complex64': return 'float_data';
    case 'float64': case 'complex128': return 'double_data';
    case 'int64': return 'int64_data';
    case 'uint32': case 'uint64': return 'uint64_data';
    case 'string': return 'string_data';
    case 'undefined': return null;
    default: return 'int32_data';
  }
}

/** How many varints a tensor of `count` elements stores in int32_data/int64_data/uint64_data. */
export function varintCountFor(dtype: DataType, count: number): number {
  const bits = bitsPerElement(dtype);
  // Sub-byte types keep one packed byte (two 4-bit or four 2-bit elements) per int32.
  return bits >= 8 ? count : Math.ceil((count * bits) / 8);
}

/**
 * Decodes a run of protobuf varints (a packed int32_data / int64_data / uint64_data payload, or
 * unpacked values concatenated) into the packed LE encoding of `dtype`. Counts before allocating,
 * so a lying header cannot make it allocate more than the file holds.
 */
export function varintsToPacked(src: Uint8Array, dtype: DataType, count: number): Uint8Array {
  let n = 0;
  for (let i = 0; i < src.length; i++) if (src[i] < 0x80) n++;
  if (src.length && src[src.length - 1] >= 0x80) throw new ConversionError('malformed', 'the last varint is cut off');
  const expected = varintCountFor(dtype, count);
  if (n !== expected) throw new ConversionError('size-mismatch', `holds ${n} values but its dims need ${expected}`);
  const bits = bitsPerElement(dtype);
  const width = bits >= 8 ? bits / 8 : 1;
  const out = new Uint8Array(packedByteLength(dtype, count));
  if (out.length !== n * width) throw new ConversionError('malformed', `cannot pack ${n} values of ${dtype}`);
  let o = 0;
  let i = 0;
  while (i < src.length) {
    let lo = 0, hi = 0, k = 0, c = 0;
    do {
      if (k >= 10) throw new ConversionError('malformed', 'varint longer than 10 bytes');
      c = src[i++];
      if (k < 4) lo |= (c & 0x7f) << (7 * k);
      else if (k === 4) { lo |= (c & 0x0f) << 28; hi = (c & 0x7f) >> 4; }
      else hi |= (c & 0x7f) << (7 * k - 32);
      k++;
    } while (c >= 0x80);
    out[o] = lo & 0xff;
    if (width > 1) out[o + 1] = (lo >>> 8) & 0xff;
    if (width > 2) { out[o + 2] = (lo >>> 16) & 0xff; out[o + 3] = (lo >>> 24) & 0xff; }
    if (width > 4) {
      out[o + 4] = hi & 0xff; out[o + 5] = (hi >>> 8) & 0xff;
      out[o + 6] = (hi >>> 16) & 0xff; out[o + 7] = (hi >>> 24) & 0xff;
    }
    o += width;
  }
  return out;
}

/** float32 LE bytes of the given numbers (Constant value_float / value_floats). */
export function float32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** int64 LE bytes; Numbers past ±2^63 (INT64_MAX read as a double) clamp to the int64 range. */
export function int64Bytes(values: readonly number[]): Uint8Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v >= 9223372036854775807 ? 9223372036854775807n : v <= -9223372036854775808 ? -9223372036854775808n : BigInt(Math.trunc(v));
  }
  return new Uint8Array(out.buffer);
}

/** Reads little-endian int64 indices as Numbers (exact below 2^53, which bounds any real index). */
export function int64Values(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = new Array(bytes.byteLength >> 3);
  for (let i = 0; i < out.length; i++) out[i] = dv.getUint32(i * 8, true) + dv.getInt32(i * 8 + 4, true) * 4294967296;
  return out;
}

/**
 * Scatters sparse `values` (packed encoding of `dtype`) into a zeroed dense tensor of `dims`.
 * `indices` are linear ([NNZ]) or coordinates ([NNZ, rank]), as SparseTensorProto allows.
 */
export function densify(dtype: DataType, dims: readonly number[], values: Uint8Array, nnz: number, indices: number[], indexRank: number): Uint8Array {
  let total = 1;
  for (const d of dims) total *= d;
  const bits = bitsPerElement(dtype);
  if (bits === 0) throw new ConversionError('malformed', `sparse tensors of ${dtype} cannot be densified`);
  const outBytes = packedByteLength(dtype, total);
  if (outBytes > 2 ** 31) throw new ConversionError('limit', `the dense form would take ${outBytes} bytes`);
  if (values.length !== packedByteLength(dtype, nnz)) throw new ConversionError('size-mismatch', `values hold ${values.length} bytes for ${nnz} elements`);
  const out = new Uint8Array(outBytes);
  const strides: number[] = new Array(dims.length);
  for (let a = dims.length - 1, s = 1; a >= 0; a--) { strides[a] = s; s *= dims[a]; }
  for (let e = 0; e < nnz; e++) {
    let lin: number;
    if (indexRank === 1) {
      lin = indices[e];
    } else {
      lin = 0;
      for (let a = 0; a < dims.length; a++) {
        const ix = indices[e * dims.length + a];
        if (!(ix >= 0 && ix < dims[a])) throw new ConversionError('malformed', `index ${ix} of element ${e} is outside axis ${a} (size ${dims[a]})`);
        lin += ix * strides[a];
      }
    }
    if (!(lin >= 0 && lin < total)) throw new ConversionError('malformed', `index ${lin} of element ${e} is outside the ${total} elements`);
    if (bits >= 8) {
      const w = bits / 8;
      out.set(values.subarray(e * w, e * w + w), lin * w);
    } else {
      const perByte = 8 / bits, mask = (1 << bits) - 1;
      const v = (values[Math.floor(e / perByte)] >> ((e % perByte) * bits)) & mask;
      const at = Math.floor(lin / perByte), shift = (lin % perByte) * bits;
      out[at] = (out[at] & ~(mask << shift)) | (v << shift);
    }
  }
  return out;
}
