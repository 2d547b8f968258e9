import type { DataType } from '../../ir/dtype.js';
import type { Dim, Shape } from '../../ir/shape.js';

// TensorFlow's DataType enum (types.proto): JSON writes the name, older writers sometimes the number.
const TF_TYPES: [number, string, DataType | null][] = [
  [1, 'DT_FLOAT', 'float32'], [2, 'DT_DOUBLE', 'float64'], [3, 'DT_INT32', 'int32'], [4, 'DT_UINT8', 'uint8'],
  [5, 'DT_INT16', 'int16'], [6, 'DT_INT8', 'int8'], [7, 'DT_STRING', 'string'], [8, 'DT_COMPLEX64', 'complex64'],
  [9, 'DT_INT64', 'int64'], [10, 'DT_BOOL', 'bool'], [11, 'DT_QINT8', 'int8'], [12, 'DT_QUINT8', 'uint8'],
  [13, 'DT_QINT32', 'int32'], [14, 'DT_BFLOAT16', 'bfloat16'], [15, 'DT_QINT16', 'int16'], [16, 'DT_QUINT16', 'uint16'],
  [17, 'DT_UINT16', 'uint16'], [18, 'DT_COMPLEX128', 'complex128'], [19, 'DT_HALF', 'float16'],
  [20, 'DT_RESOURCE', null], [21, 'DT_VARIANT', null], [22, 'DT_UINT32', 'uint32'], [23, 'DT_UINT64', 'uint64'],
  [24, 'DT_FLOAT8_E5M2', 'float8e5m2'], [25, 'DT_FLOAT8_E4M3FN', 'float8e4m3fn'], [29, 'DT_INT4', 'int4'], [30, 'DT_UINT4', 'uint4'],
];
const BY_NAME = new Map(TF_TYPES.map(([, n, t]) => [n, t]));
const NAME_BY_NUMBER = new Map(TF_TYPES.map(([k, n]) => [k, n]));

/**
 * A TF `DT_*` type (name or enum number, `_REF` variants included) as an IR DataType, or as a
 * lower-case word (`resource`, `variant`) when the IR has no element type for it.
 */
export function tfDataType(t: unknown): DataType | string {
  let name = typeof t === 'number' ? NAME_BY_NUMBER.get(t > 100 ? t - 100 : t) ?? `DT_${t}` : String(t);
  if (name.endsWith('_REF')) name = name.slice(0, -4);
  const mapped = BY_NAME.get(name);
  if (mapped) return mapped;
  return name.startsWith('DT_') ? name.slice(3).toLowerCase() : name;
}

/** Like tfDataType, but undefined when the type has no IR element type. */
export function tfElementType(t: unknown): DataType | undefined {
  const d = tfDataType(t);
  return isDataType(d) ? d : undefined;
}

const IR_TYPES = new Set<string>(TF_TYPES.map(([, , t]) => t).filter((t): t is DataType => t !== null));
function isDataType(s: string): s is DataType {
  return IR_TYPES.has(s);
}

/** Element types a TF.js weights manifest may declare, and their storage width in bytes. */
export const MANIFEST_DTYPES: Record<string, { dtype: DataType; bytes: number }> = {
  float32: { dtype: 'float32', bytes: 4 },
  int32: { dtype: 'int32', bytes: 4 },
  bool: { dtype: 'bool', bytes: 1 },
  complex64: { dtype: 'complex64', bytes: 8 },
  string: { dtype: 'string', bytes: 0 },
};

/** Storage types of TF.js quantized weights. */
export const QUANTIZED_DTYPES: Record<string, { dtype: DataType; bytes: number }> = {
  uint8: { dtype: 'uint8', bytes: 1 },
  uint16: { dtype: 'uint16', bytes: 2 },
  float16: { dtype: 'float16', bytes: 2 },
};

/** A TensorShapeProto in JSON form (`{dim: [{size: "-1"}], unknownRank}`) as an IR Shape. */
export function tfShape(s: unknown): Shape {
  if (typeof s !== 'object' || s === null) return null;
  const o = s as { dim?: unknown; unknownRank?: unknown };
  if (o.unknownRank === true) return null;
  if (!Array.isArray(o.dim)) return [];
  return o.dim.map((d): Dim => {
    const size = Number((d as { size?: unknown } | null)?.size ?? 0);
    const name = (d as { name?: unknown } | null)?.name;
    if (!Number.isFinite(size) || size < 0) return typeof name === 'string' && name ? name : null;
    return size;
  });
}

/** A Keras shape list (`[null, 224, 224, 3]`) as an IR Shape. */
export function kerasShape(s: unknown): Shape {
  if (!Array.isArray(s)) return null;
  return s.map((d): Dim => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' ? d : null));
}
