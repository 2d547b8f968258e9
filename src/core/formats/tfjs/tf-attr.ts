import type { DataType } from '../../ir/dtype.js';
import { packedByteLength } from '../../ir/dtype.js';
import type { AttributeValue } from '../../ir/graph.js';
import { elementCountOf } from '../../ir/shape.js';
import type { Tensor } from '../../ir/tensor.js';
import { MemoryData } from '../../io/tensor-data.js';
import { tfDataType, tfElementType, tfShape } from './dtypes.js';
import { isObject, type JsonObject } from './json.js';

/** Bytes of a protobuf `bytes` field as JSON writes it (standard or URL-safe base64). */
export function decodeBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/** A base64 `bytes` field as text when it is valid UTF-8, else null. */
export function base64Text(s: string): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(decodeBase64(s));
  } catch {
    return null;
  }
}

/** int64 fields come as JSON strings; doubles may be 'NaN' / 'Infinity'. */
function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

/**
 * A TF AttrValue in JSON form as an IR attribute value. `func` and `placeholder` become `ref`
 * (the name of a model function or of an enclosing function's attribute). Null when the AttrValue
 * holds nothing.
 */
export function tfAttributeValue(attr: unknown, tensorName: string): AttributeValue | null {
  if (!isObject(attr)) return null;
  if ('list' in attr) return tfListValue(attr.list, tensorName);
  if ('s' in attr) return bytesValue(String(attr.s));
  if ('i' in attr) return { type: 'int', value: num(attr.i) };
  if ('f' in attr) return { type: 'float', value: num(attr.f) };
  if ('b' in attr) return { type: 'bool', value: attr.b === true };
  if ('type' in attr) return { type: 'dtype', value: tfDataType(attr.type) };
  if ('shape' in attr) return { type: 'shape', value: tfShape(attr.shape) };
  if ('tensor' in attr) return tfTensorAttribute(attr.tensor, tensorName);
  if ('func' in attr) return { type: 'ref', value: String((attr.func as JsonObject | null)?.name ?? '') };
  if ('placeholder' in attr) return { type: 'ref', value: String(attr.placeholder) };
  return null;
}

function bytesValue(b64: string): AttributeValue {
  const text = base64Text(b64);
  return text !== null ? { type: 'string', value: text } : { type: 'other', value: `bytes(base64:${b64})` };
}

function tfListValue(list: unknown, tensorName: string): AttributeValue {
  if (!isObject(list)) return { type: 'ints', value: [] };
  const arr = (k: string): unknown[] | null => (Array.isArray(list[k]) && (list[k] as unknown[]).length ? list[k] as unknown[] : null);
  let a: unknown[] | null;
  if ((a = arr('s'))) {
    const texts = a.map((x) => base64Text(String(x)));
    return texts.every((t) => t !== null)
      ? { type: 'strings', value: texts as string[] }
      : { type: 'other', value: `bytes list (base64): ${a.map(String).join(', ')}` };
  }
  if ((a = arr('i'))) return { type: 'ints', value: a.map(num) };
  if ((a = arr('f'))) return { type: 'floats', value: a.map(num) };
  if ((a = arr('b'))) return { type: 'bools', value: a.map((x) => x === true) };
  if ((a = arr('type'))) return { type: 'dtypes', value: a.map(tfDataType) };
  if ((a = arr('shape'))) return { type: 'shapes', value: a.map(tfShape) };
  if ((a = arr('tensor'))) {
    const ts = a.map((t, i) => tfTensorAttribute(t, `${tensorName}[${i}]`));
    const tensors = ts.filter((t): t is { type: 'tensor'; value: Tensor } => t.type === 'tensor').map((t) => t.value);
    return tensors.length === ts.length ? { type: 'tensors', value: tensors } : { type: 'other', value: `${a.length} tensors without inline values` };
  }
  if ((a = arr('func'))) return { type: 'strings', value: a.map((f) => String((f as JsonObject | null)?.name ?? '')) };
  return { type: 'ints', value: [] };
}

/**
 * A TensorProto in JSON form. TF.js moves Const values to the weights manifest, leaving only dtype
 * and shape: then the result is a `type` attribute; inline values give a `tensor` in memory.
 */
export function tfTensorAttribute(t: unknown, name: string): AttributeValue {
  if (!isObject(t)) return { type: 'other', value: 'tensor' };
  const dtype = tfElementType(t.dtype);
  const shape = tfShape(t.tensorShape) ?? [];
  const tensor = dtype ? inlineTensor(t, dtype, shape.map((d) => (typeof d === 'number' ? d : 0)), name) : null;
  if (tensor) return { type: 'tensor', value: tensor };
  return { type: 'type', value: { dtype, shape: tfShape(t.tensorShape) } };
}

const VAL_FIELDS: Partial<Record<DataType, string>> = {
  float32: 'floatVal', float64: 'doubleVal', int32: 'intVal', int16: 'intVal', int8: 'intVal', uint8: 'intVal',
  uint16: 'intVal', int64: 'int64Val', uint32: 'uint32Val', uint64: 'uint64Val', bool: 'boolVal', float16: 'halfVal',
  bfloat16: 'halfVal', string: 'stringVal', complex64: 'scomplexVal', complex128: 'dcomplexVal',
};

function inlineTensor(t: JsonObject, dtype: DataType, shape: number[], name: string): Tensor | null {
  const count = elementCountOf(shape) ?? 0;
  const base = { name, dtype, shape, elementCount: count, role: 'attribute' as const, location: 'inline in model.json' };
  if (dtype === 'string') {
    const vals = Array.isArray(t.stringVal) ? t.stringVal.map((s) => base64Text(String(s)) ?? String(s)) : null;
    if (!vals) return null;
    // A TensorProto with fewer values than elements repeats the last one (TF's convention).
    const strings = Array.from({ length: count }, (_, i) => vals[Math.min(i, vals.length - 1)] ?? '');
    const data = new MemoryData(new Uint8Array(0));
    return { ...base, byteLength: 0, data: Object.assign(data, { strings: async () => strings }) };
  }
  let bytes: Uint8Array | null = null;
  if (typeof t.tensorContent === 'string') {
    bytes = decodeBase64(t.tensorContent);
  } else {
    const field = VAL_FIELDS[dtype];
    const vals = field && Array.isArray(t[field]) ? (t[field] as unknown[]) : null;
    if (!vals || vals.length === 0) return null;
    try {
      bytes = encodeValues(dtype, vals, count);
    } catch {
      return null; // an int64 value that is not an integer: show dtype and shape only
    }
  }
  if (!bytes) return null;
  return { ...base, byteLength: bytes.byteLength, data: new MemoryData(bytes) };
}

/** Packs typed TensorProto fields (repeating the last value up to `count`, as TF does). */
function encodeValues(dtype: DataType, vals: unknown[], count: number): Uint8Array | null {
  const perElement = dtype === 'complex64' || dtype === 'complex128' ? 2 : 1;
  const n = Math.max(count * perElement, 0);
  const at = (i: number) => vals[Math.min(i, vals.length - 1)];
  const out = new Uint8Array(packedByteLength(dtype, count));
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = at(i);
    switch (dtype) {
      case 'float32': case 'complex64': view.setFloat32(i * 4, num(v), true); break;
      case 'float64': case 'complex128': view.setFloat64(i * 8, num(v), true); break;
      case 'int32': view.setInt32(i * 4, num(v), true); break;
      case 'uint32': view.setUint32(i * 4, num(v), true); break;
      case 'int16': view.setInt16(i * 2, num(v), true); break;
      case 'uint16': case 'float16': case 'bfloat16': view.setUint16(i * 2, num(v), true); break;
      case 'int8': view.setInt8(i, num(v)); break;
      case 'uint8': view.setUint8(i, num(v)); break;
      case 'bool': view.setUint8(i, v === true ? 1 : 0); break;
      case 'int64': view.setBigInt64(i * 8, BigInt(String(v)), true); break;
      case 'uint64': view.setBigUint64(i * 8, BigInt(String(v)), true); break;
      default: return null;
    }
  }
  return out;
}
