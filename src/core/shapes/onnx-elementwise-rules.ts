// ONNX operators that compute element by element (unary, broadcasting binary, comparisons) or
// reduce along axes. Small known values are computed too: exporters do shape arithmetic with Add,
// Mul, Div and Gather on Shape outputs, and those values may be symbolic dims.
import type { Node } from '../ir/graph.js';
import { attrInt, attrInts } from '../explain/values/attributes.js';
import { addDim, allNumbers, broadcastDims, divDim, mulDim, subDim, type Dim } from './dims.js';
import { known, normAxis, numbers, same, tensorOf, withValues, type In, type ShapeFact } from './fact.js';
import { broadcastApply, type KnownTensor } from './small-tensor.js';

export const unary = (_node: Node, ins: In) => [same(ins[0])];

const UNARY_VALUE: Record<string, (x: number) => number> = {
  Neg: (x) => -x, Abs: Math.abs, Floor: Math.floor, Ceil: Math.ceil, Sqrt: Math.sqrt, Reciprocal: (x) => 1 / x,
  Not: (x) => (x ? 0 : 1), Identity: (x) => x, Relu: (x) => Math.max(0, x), Sign: Math.sign, Round: Math.round,
};

/** Unary ops whose values are worth computing when known (shape arithmetic uses them). */
export const VALUE_UNARY_OPS = Object.keys(UNARY_VALUE);

export function unaryWithValues(node: Node, ins: In): (ShapeFact | undefined)[] {
  const t = tensorOf(ins[0]);
  const f = UNARY_VALUE[node.opType];
  const xs = t && numbers(t.values);
  if (t && f && xs) return [withValues([...t.shape], xs.map(f), ins[0]!.dtype)];
  if (t && node.opType === 'Identity') return [withValues([...t.shape], t.values, ins[0]!.dtype)];
  return [same(ins[0])];
}

const BINARY_VALUE: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b, Sub: (a, b) => a - b, Mul: (a, b) => a * b, Div: (a, b) => a / b, Pow: (a, b) => a ** b,
  Max: Math.max, Min: Math.min, Sum: (a, b) => a + b, Mod: (a, b) => a % b,
  Equal: (a, b) => +(a === b), Less: (a, b) => +(a < b), Greater: (a, b) => +(a > b),
  LessOrEqual: (a, b) => +(a <= b), GreaterOrEqual: (a, b) => +(a >= b), And: (a, b) => +(a && b), Or: (a, b) => +(a || b),
};
/** Where one operand is a symbolic dim: the arithmetic that still has a name for its result. */
const BINARY_DIM: Record<string, (a: Dim, b: Dim) => Dim> = { Add: addDim, Sum: addDim, Sub: subDim, Mul: mulDim, Div: divDim };
const BOOL_OUT = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Not', 'IsNaN', 'IsInf']);

function binaryValue(op: string, isInt: boolean): ((a: Dim, b: Dim) => Dim) | undefined {
  const f = BINARY_VALUE[op];
  if (!f) return undefined;
  const g = op === 'Div' && isInt ? (a: number, b: number) => Math.trunc(a / b) : f;
  const sym = BINARY_DIM[op];
  return (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return g(a, b);
    const r = sym ? sym(a, b) : null;
    return op === 'Div' && isInt && typeof r === 'number' ? Math.trunc(r) : r;
  };
}

export function broadcastOp(node: Node, ins: In): (ShapeFact | undefined)[] | undefined {
  const present = ins.filter((v) => v !== undefined);
  if (!present.length || !present.every(known)) return undefined;
  const dtype = BOOL_OUT.has(node.opType) ? 'bool' : node.opType === 'Where' ? present[1]?.dtype : present[0].dtype;
  const tensors = present.map(tensorOf);
  if (tensors.every((t) => t)) {
    const ts = tensors as KnownTensor<Dim>[];
    let r: KnownTensor<Dim> | null = null;
    if (node.opType === 'Where') r = broadcastApply(ts, (c, a, b) => (c === null || typeof c === 'string' ? null : c ? a : b));
    else {
      const f = binaryValue(node.opType, dtype !== undefined && /int/.test(dtype));
      if (f) r = ts.slice(1).reduce<KnownTensor<Dim> | null>((acc, t) => (acc ? broadcastApply([acc, t], f) : null), ts[0]);
    }
    if (r) return [withValues(r.shape, r.values, dtype)];
  }
  const shape = broadcastDims(present.map((v) => v.shape));
  return [shape ? { shape, dtype } : undefined];
}

/** `x` reduced over `axes` (every axis when none), keeping them as size 1 when `keep`. */
export function reduceShape(shape: readonly Dim[], axes: readonly number[], keep: boolean): Dim[] {
  const ax = axes.map((a) => normAxis(a, shape.length));
  return keep ? shape.map((d, i) => (ax.includes(i) ? 1 : d)) : shape.filter((_, i) => !ax.includes(i));
}

export function reduce(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const fromInput = ins[1] !== undefined;
  let axes = fromInput ? numbers(ins[1]?.values) : attrInts(node, 'axes');
  if (fromInput && !axes) return undefined;
  if (!axes || !axes.length) axes = attrInt(node, 'noop_with_empty_axes', 0) ? [] : x.shape.map((_, i) => i);
  return [{ shape: reduceShape(x.shape, axes, attrInt(node, 'keepdims', 1) === 1), dtype: x.dtype }];
}

export function argReduce(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  return [{ shape: reduceShape(x.shape, [attrInt(node, 'axis', 0)], attrInt(node, 'keepdims', 1) === 1), dtype: 'int64' as const }];
}

export function topK(node: Node, ins: In) {
  const x = ins[0];
  const kv = ins[1]?.values?.[0];
  const k = typeof kv === 'number' ? kv : attrInt(node, 'k', -1);
  if (!known(x) || k < 0) return undefined;
  const axis = normAxis(attrInt(node, 'axis', -1), x.shape.length);
  const shape = x.shape.map((d, i) => (i === axis ? k : d));
  return [{ shape, dtype: x.dtype }, { shape: [...shape], dtype: 'int64' as const }];
}

/** Size: the element count, as a value too when the shape is all numbers. */
export function size(_node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  return [allNumbers(x.shape) ? { shape: [], dtype: 'int64' as const, values: [x.shape.reduce((a, b) => a * b, 1)] } : { shape: [], dtype: 'int64' as const }];
}
