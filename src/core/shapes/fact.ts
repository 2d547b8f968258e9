// What the shape engine knows about a value, and the helpers every operator rule shares. A fact's
// dims (and small values, such as a Shape output) may be symbolic; under a dims map it becomes a
// KnownValue, where every dim and value is a number.
import type { DataType } from '../ir/dtype.js';
import type { Node } from '../ir/graph.js';
import { attrInts } from '../explain/values/attributes.js';
import { allNumbers, evalShape, type Dim, type DimsMap } from './dims.js';
import { KNOWN_VALUE_LIMIT, prod, type KnownTensor } from './small-tensor.js';

/** One value's shape (dims numbers, names or expressions), dtype and, for small tensors, its values. */
export interface ShapeFact {
  /** The shape, or null when even the rank is unknown. */
  shape: Dim[] | null;
  dtype?: DataType;
  /** Row-major element values, for small tensors computable without running (shape arithmetic). */
  values?: Dim[];
}

/** What the cost engine knows about one value under a concrete dims map. */
export interface KnownValue {
  /** Concrete shape, or null when it could not be determined. */
  shape: number[] | null;
  dtype?: DataType;
  values?: number[];
}

/** Output facts of one node from its inputs' facts; undefined entries stay unknown. */
export type ShapeRule = (node: Node, ins: readonly (ShapeFact | undefined)[]) => (ShapeFact | undefined)[] | undefined;

export type In = readonly (ShapeFact | undefined)[];
export type Shaped = ShapeFact & { shape: Dim[] };

export const known = (v: ShapeFact | undefined): v is Shaped => !!v && v.shape !== null;
export const same = (v: ShapeFact | undefined, dtype = v?.dtype): ShapeFact | undefined => (known(v) ? { shape: [...v.shape], dtype } : undefined);
export const normAxis = (a: number, rank: number) => (a < 0 ? a + rank : a);

/** The values when every one is a number. */
export function numbers(xs: readonly Dim[] | undefined): number[] | undefined {
  return xs && allNumbers(xs) ? [...xs] : undefined;
}

/** The fact as a tensor of known values (its shape all numbers), for value arithmetic. */
export function tensorOf(v: ShapeFact | undefined): KnownTensor<Dim> | undefined {
  if (!known(v) || !v.values || !allNumbers(v.shape)) return undefined;
  return v.values.length === prod(v.shape) ? { shape: v.shape, values: v.values } : undefined;
}

/** A fact that keeps its values when they are few and match the shape. */
export function withValues(shape: Dim[], values: readonly Dim[] | undefined, dtype: DataType | undefined): ShapeFact {
  const n = allNumbers(shape) ? prod(shape) : -1;
  return values && values.length <= KNOWN_VALUE_LIMIT && values.length === n ? { shape, dtype, values: [...values] } : { shape, dtype };
}

/** Integer-valued input `i` (axes, pads, sizes…), or the attribute of the same meaning in older opsets. */
export function intsFrom(node: Node, ins: In, i: number, attr: string): number[] | undefined {
  const v = ins[i];
  if (v?.values) return numbers(v.values);
  if (v && !v.values) return undefined;
  return attrInts(node, attr);
}

/** Like intsFrom, but entries may be symbolic dims (a target shape built from Shape outputs). */
export function dimsFrom(node: Node, ins: In, i: number, attr: string): Dim[] | undefined {
  const v = ins[i];
  if (v) return v.values ? [...v.values] : undefined;
  return attrInts(node, attr);
}

/** The fact under `dims`: a shape with a dim that stays unknown becomes null; values likewise. */
export function evaluateFact(f: ShapeFact, dims: DimsMap): KnownValue {
  const shape = f.shape ? evalShape(f.shape, dims) : null;
  const values = f.values ? evalShape(f.values, dims) : null;
  const out: KnownValue = { shape, dtype: f.dtype };
  if (values && shape && values.length === prod(shape)) out.values = values;
  return out;
}

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
