// Weight bytes ↔ plain numbers, for formulas, hand computation and weight edits. The stored
// encoding is packed little-endian of `tensor.dtype`; affine-quantized weights (TF.js uint8) are
// dequantized so callers always see the values the model computes with.
import type { DataType } from '../../ir/dtype.js';
import { ModelError } from '../../ir/errors.js';
import type { Tensor } from '../../ir/tensor.js';
import { halfToNumber, numberToHalf } from '../../runtime/tensor-value.js';

/** Element types whose bytes `decodeNumbers` understands. */
export const DECODABLE_DTYPES: readonly DataType[] = [
  'float32', 'float64', 'float16', 'bfloat16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool',
];

/** True when the bytes of `dtype` can be decoded to numbers (and encoded back). */
export function isDecodable(dtype: DataType): boolean {
  return DECODABLE_DTYPES.includes(dtype);
}

function bytesPer(dtype: DataType): number {
  switch (dtype) {
    case 'float64': case 'int64': case 'uint64': return 8;
    case 'float32': case 'int32': case 'uint32': return 4;
    case 'float16': case 'bfloat16': case 'int16': case 'uint16': return 2;
    default: return 1;
  }
}

/** Decodes packed little-endian bytes of `dtype` into numbers (int64 beyond 2^53 loses precision). */
export function decodeNumbers(dtype: DataType, bytes: Uint8Array): Float64Array {
  if (!isDecodable(dtype)) throw new RangeError(`cannot decode ${dtype} values`);
  const size = bytesPer(dtype);
  const n = Math.floor(bytes.byteLength / size);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(n);
  for (let i = 0, o = 0; i < n; i++, o += size) {
    switch (dtype) {
      case 'float32': out[i] = dv.getFloat32(o, true); break;
      case 'float64': out[i] = dv.getFloat64(o, true); break;
      case 'float16': out[i] = halfToNumber(dv.getUint16(o, true)); break;
      case 'bfloat16': out[i] = bf16ToNumber(dv.getUint16(o, true)); break;
      case 'int8': out[i] = dv.getInt8(o); break;
      case 'uint8': case 'bool': out[i] = dv.getUint8(o); break;
      case 'int16': out[i] = dv.getInt16(o, true); break;
      case 'uint16': out[i] = dv.getUint16(o, true); break;
      case 'int32': out[i] = dv.getInt32(o, true); break;
      case 'uint32': out[i] = dv.getUint32(o, true); break;
      case 'int64': out[i] = Number(dv.getBigInt64(o, true)); break;
      case 'uint64': out[i] = Number(dv.getBigUint64(o, true)); break;
    }
  }
  return out;
}

/** Encodes numbers as packed little-endian `dtype` bytes (integers round and saturate). */
export function encodeNumbers(dtype: DataType, values: ArrayLike<number>): Uint8Array {
  if (!isDecodable(dtype)) throw new RangeError(`cannot encode ${dtype} values`);
  const size = bytesPer(dtype);
  const out = new Uint8Array(values.length * size);
  const dv = new DataView(out.buffer);
  const int = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(Number.isFinite(v) ? v : 0)));
  for (let i = 0, o = 0; i < values.length; i++, o += size) {
    const v = values[i];
    switch (dtype) {
      case 'float32': dv.setFloat32(o, v, true); break;
      case 'float64': dv.setFloat64(o, v, true); break;
      case 'float16': dv.setUint16(o, numberToHalf(v), true); break;
      case 'bfloat16': dv.setUint16(o, numberToBf16(v), true); break;
      case 'int8': dv.setInt8(o, int(v, -128, 127)); break;
      case 'uint8': dv.setUint8(o, int(v, 0, 255)); break;
      case 'bool': dv.setUint8(o, v ? 1 : 0); break;
      case 'int16': dv.setInt16(o, int(v, -32768, 32767), true); break;
      case 'uint16': dv.setUint16(o, int(v, 0, 65535), true); break;
      case 'int32': dv.setInt32(o, int(v, -2147483648, 2147483647), true); break;
      case 'uint32': dv.setUint32(o, int(v, 0, 4294967295), true); break;
      case 'int64': dv.setBigInt64(o, BigInt(Math.round(Number.isFinite(v) ? v : 0)), true); break;
      case 'uint64': dv.setBigUint64(o, BigInt(Math.max(0, Math.round(Number.isFinite(v) ? v : 0))), true); break;
    }
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function bf16ToNumber(h: number): number {
  u32[0] = h << 16;
  return f32[0];
}

function numberToBf16(v: number): number {
  f32[0] = v;
  const x = u32[0];
  if (Number.isNaN(v)) return 0x7fc0;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Applies a tensor's affine quantization (real = scale·(q − zeroPoint)) in place. */
export function dequantizeInPlace(values: Float64Array, tensor: Pick<Tensor, 'shape' | 'quantization'>): Float64Array {
  const q = tensor.quantization;
  if (!q || !q.scale.length) return values;
  if (q.scale.length === 1 || q.axis === undefined) {
    const s = q.scale[0], z = q.zeroPoint[0] ?? 0;
    for (let i = 0; i < values.length; i++) values[i] = s * (values[i] - z);
    return values;
  }
  const axis = q.axis < 0 ? q.axis + tensor.shape.length : q.axis;
  let inner = 1;
  for (let d = axis + 1; d < tensor.shape.length; d++) inner *= tensor.shape[d];
  const channels = tensor.shape[axis] ?? 1;
  for (let i = 0; i < values.length; i++) {
    const c = Math.floor(i / inner) % channels;
    values[i] = (q.scale[c] ?? q.scale[0]) * (values[i] - (q.zeroPoint[c] ?? 0));
  }
  return values;
}

/** A weight's values as the model computes with them (dequantized when the tensor is quantized). */
export async function readTensorNumbers(tensor: Tensor): Promise<Float64Array> {
  if (!isDecodable(tensor.dtype)) {
    throw new ModelError('unsupported', `values of ${tensor.dtype} tensors cannot be shown`, { file: tensor.location, tensor: tensor.name });
  }
  const bytes = await tensor.data.read();
  const values = decodeNumbers(tensor.dtype, bytes);
  return dequantizeInPlace(values, tensor);
}
