import type { DataType } from '../../ir/dtype.js';
import type { Node } from '../../ir/graph.js';

/** What the cost engine knows about one value under a concrete dims map. */
export interface KnownValue {
  /** Concrete shape, or null when it could not be determined. */
  shape: number[] | null;
  dtype?: DataType;
  /** Row-major element values, for small tensors computable without running (shape arithmetic). */
  values?: number[];
}

/** Output facts of one node from its inputs' facts; undefined entries stay unknown. */
export type ShapeRule = (node: Node, ins: readonly (KnownValue | undefined)[]) => (KnownValue | undefined)[] | undefined;

const ONNX_DTYPES: Record<number, DataType> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
};

/** Maps an ONNX TensorProto.DataType number, a TF `DT_*` name or a DataType string to a DataType. */
export function toDataType(v: number | string | undefined): DataType | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return ONNX_DTYPES[v];
  const s = v.toLowerCase().replace(/^dt_/, '');
  const alias: Record<string, DataType> = { float: 'float32', double: 'float64', half: 'float16', int: 'int32', long: 'int64' };
  return alias[s] ?? (s as DataType);
}

/** Bytes per element for memory estimates (sub-byte types round to a fraction; unknown → 4). */
export function bytesPerElement(dtype: DataType | undefined): number {
  switch (dtype) {
    case 'float64': case 'int64': case 'uint64': case 'complex64': return 8;
    case 'complex128': return 16;
    case 'float16': case 'bfloat16': case 'int16': case 'uint16': return 2;
    case 'int8': case 'uint8': case 'bool': case 'float8e4m3fn': case 'float8e4m3fnuz': case 'float8e5m2': case 'float8e5m2fnuz': case 'float8e8m0': return 1;
    case 'int4': case 'uint4': case 'float4e2m1': return 0.5;
    case 'int2': case 'uint2': return 0.25;
    default: return 4;
  }
}
