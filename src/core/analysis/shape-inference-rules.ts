// Output types of common operators from their input types, attributes and (small) constant inputs.
// ONNX semantics first; TF.js spellings of the same ops share the rules. Unknown stays unknown (null).
import type { DataType } from '../ir/dtype.js';
import type { Attribute, Node } from '../ir/graph.js';
import type { Dim } from '../ir/shape.js';

export interface TypeOf { dtype?: DataType; shape: Dim[] | null }

/** What a rule can ask about the node's inputs. */
export interface RuleInput {
  node: Node;
  type(i: number): TypeOf | undefined;
  /** The value of input i when it is a small known integer (or float) tensor; symbolic entries allowed. */
  constant(i: number): Dim[] | null;
  opset: number;
}

export type Rule = (r: RuleInput) => (TypeOf | undefined)[] | null;

const ONNX_DTYPES: Record<number, DataType> = { 1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16' };

export function attr(n: Node, name: string): Attribute | undefined { return n.attributes.find((a) => a.name === name); }
export function attrInt(n: Node, name: string, dflt: number): number { const a = attr(n, name); return a && (a.type === 'int' || a.type === 'float') ? a.value : dflt; }
export function attrInts(n: Node, name: string): number[] | null { const a = attr(n, name); return a && a.type === 'ints' ? a.value : null; }
function attrString(n: Node, name: string, dflt: string): string { const a = attr(n, name); return a && a.type === 'string' ? a.value : dflt; }

/** d1 × d2 for dims; symbols survive multiplication by 1 only. */
export function mulDim(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (a === 1) return b;
  if (b === 1) return a;
  return null;
}

/** NumPy broadcasting of shapes; null where the sizes cannot be told. */
export function broadcast(shapes: (Dim[] | null)[]): Dim[] | null {
  if (shapes.some((s) => s === null)) return null;
  const rank = Math.max(0, ...shapes.map((s) => s!.length));
  const out: Dim[] = [];
  for (let k = 0; k < rank; k++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const x = s![s!.length - rank + k];
      if (x === undefined || x === 1) continue;
      if (d === 1) d = x;
      else if (d !== x) d = typeof d === 'number' && typeof x !== 'number' ? d : typeof x === 'number' && typeof d !== 'number' ? x : null;
    }
    out.push(d);
  }
  return out;
}

const norm = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);
const same: Rule = (r) => { const t = r.type(0); return t ? [{ ...t }] : null; };
const withDtype = (dtype: DataType): Rule => (r) => { const t = r.type(0); return t ? [{ dtype, shape: t.shape }] : null; };
const elementwise = (dtype?: DataType): Rule => (r) => {
  const ts = r.node.inputs.map((_, i) => r.type(i));
  if (ts.some((t) => !t)) return null;
  return [{ dtype: dtype ?? ts[0]!.dtype, shape: broadcast(ts.map((t) => t!.shape)) }];
};

function matmul(a: Dim[] | null, b: Dim[] | null): Dim[] | null {
  if (!a || !b || !a.length || !b.length) return null;
  const A = a.length === 1 ? [1, a[0]] : a, B = b.length === 1 ? [b[0], 1] : b;
  const batch = broadcast([A.slice(0, -2), B.slice(0, -2)]);
  if (!batch) return null;
  const out = [...batch, A[A.length - 2], B[B.length - 1]];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.pop();
  return out;
}

/** Output size of a sliding window along one axis (conv and pooling). */
function window(size: Dim, k: number, stride: number, dilation: number, padBegin: number, padEnd: number, autoPad: string, ceil: boolean): Dim {
  if (typeof size !== 'number') return autoPad.startsWith('SAME') && stride === 1 ? size : null;
  if (autoPad.startsWith('SAME')) return Math.ceil(size / stride);
  const eff = (k - 1) * dilation + 1;
  const pad = autoPad === 'VALID' ? 0 : padBegin + padEnd;
  const r = (size + pad - eff) / stride;
  return (ceil ? Math.ceil(r) : Math.floor(r)) + 1;
}

/** Conv/pool in NCHW (ONNX) with the kernel's spatial size `kernel`. */
function spatial(r: RuleInput, x: Dim[], kernel: number[], channels: Dim, ceilMode = false): Dim[] {
  const n = kernel.length;
  const strides = attrInts(r.node, 'strides') ?? Array(n).fill(1);
  const dil = attrInts(r.node, 'dilations') ?? Array(n).fill(1);
  const pads = attrInts(r.node, 'pads') ?? Array(2 * n).fill(0);
  const autoPad = attrString(r.node, 'auto_pad', 'NOTSET');
  const out: Dim[] = [x[0], channels];
  for (let i = 0; i < n; i++) out.push(window(x[2 + i], kernel[i], strides[i], dil[i], pads[i], pads[i + n], autoPad, ceilMode));
  return out;
}

const conv: Rule = (r) => {
  const x = r.type(0), w = r.type(1);
  if (!x?.shape || !w?.shape || w.shape.some((d) => typeof d !== 'number')) return null;
  const kernel = attrInts(r.node, 'kernel_shape') ?? (w.shape.slice(2) as number[]);
  return [{ dtype: x.dtype, shape: spatial(r, x.shape, kernel, w.shape[0]) }];
};

const pool: Rule = (r) => {
  const x = r.type(0);
  const k = attrInts(r.node, 'kernel_shape');
  if (!x?.shape || !k) return null;
  const out = { dtype: x.dtype, shape: spatial(r, x.shape, k, x.shape[1], attrInt(r.node, 'ceil_mode', 0) === 1) };
  return [out, { dtype: 'int64', shape: out.shape }];
};

const globalPool: Rule = (r) => { const x = r.type(0); return x?.shape ? [{ dtype: x.dtype, shape: [x.shape[0], x.shape[1], ...x.shape.slice(2).map(() => 1)] }] : null; };

function reduce(r: RuleInput, axes: number[] | null, keep: boolean, dtype?: DataType): (TypeOf | undefined)[] | null {
  const x = r.type(0);
  if (!x?.shape) return null;
  const rank = x.shape.length;
  if (axes === null && attrInt(r.node, 'noop_with_empty_axes', 0) === 1) return [{ ...x }];
  const set = new Set((axes ?? x.shape.map((_, i) => i)).map((a) => norm(a, rank)));
  const shape = keep ? x.shape.map((d, i) => (set.has(i) ? 1 : d)) : x.shape.filter((_, i) => !set.has(i));
  return [{ dtype: dtype ?? x.dtype, shape }];
}

const reduceRule: Rule = (r) => {
  const fromInput = r.node.inputs.length > 1 ? r.constant(1) : null;
  if (r.node.inputs.length > 1 && fromInput === null) return null;
  const axes = fromInput ? (fromInput as number[]) : attrInts(r.node, 'axes');
  return reduce(r, axes, attrInt(r.node, 'keepdims', 1) === 1);
};

const reshape: Rule = (r) => {
  const x = r.type(0), target = r.constant(1);
  if (!target) return null;
  const allowZero = attrInt(r.node, 'allowzero', 0) === 1;
  const out: Dim[] = target.map((d, i) => (d === 0 && !allowZero ? x?.shape?.[i] ?? null : d));
  const minus = out.indexOf(-1);
  if (minus >= 0) {
    out[minus] = null;
    const known = x?.shape && x.shape.every((d) => typeof d === 'number') && out.every((d, i) => i === minus || typeof d === 'number');
    if (known) {
      const total = (x!.shape as number[]).reduce((a, b) => a * b, 1);
      const rest = (out.filter((_, i) => i !== minus) as number[]).reduce((a, b) => a * b, 1);
      out[minus] = rest ? total / rest : 0;
    } else if (x?.shape) {
      // Symbolic: the dims both sides share cancel out; what is left is the -1.
      const left = [...x.shape];
      const others = out.filter((_, i) => i !== minus);
      for (const d of others) { const k = left.indexOf(d); if (k >= 0) left.splice(k, 1); }
      const cancelled = others.every((d) => d === 1 || x.shape!.includes(d));
      if (cancelled && left.length === 1) out[minus] = left[0];
      else if (cancelled && left.every((d) => typeof d === 'number')) out[minus] = (left as number[]).reduce((a, b) => a * b, 1);
    }
  }
  return [{ dtype: x?.dtype, shape: out }];
};

const transpose: Rule = (r) => {
  const x = r.type(0);
  if (!x?.shape) return null;
  const perm = attrInts(r.node, 'perm') ?? (r.node.inputs.length > 1 ? (r.constant(1) as number[] | null) : null) ?? x.shape.map((_, i) => x.shape!.length - 1 - i);
  return [{ dtype: x.dtype, shape: perm.map((p) => x.shape![p] ?? null) }];
};

const concat = (axisFromLastInput: boolean): Rule => (r) => {
  const count = axisFromLastInput ? r.node.inputs.length - 1 : r.node.inputs.length;
  const ts = Array.from({ length: count }, (_, i) => r.type(i));
  if (ts.some((t) => !t?.shape)) return null;
  const rank = ts[0]!.shape!.length;
  const ax = axisFromLastInput ? (r.constant(count)?.[0] as number | undefined) : attrInt(r.node, 'axis', 0);
  if (typeof ax !== 'number') return null;
  const axis = norm(ax, rank);
  const shape = [...ts[0]!.shape!];
  let sum: Dim = 0;
  for (const t of ts) { const d = t!.shape![axis]; sum = typeof sum === 'number' && typeof d === 'number' ? sum + d : null; }
  shape[axis] = sum;
  return [{ dtype: ts[0]!.dtype, shape }];
};

const flatten: Rule = (r) => {
  const x = r.type(0);
  if (!x?.shape) return null;
  const axis = norm(attrInt(r.node, 'axis', 1), x.shape.length);
  const prod = (ds: Dim[]) => ds.reduce<Dim>((a, b) => mulDim(a, b), 1);
  return [{ dtype: x.dtype, shape: [prod(x.shape.slice(0, axis)), prod(x.shape.slice(axis))] }];
};

const gather: Rule = (r) => {
  const x = r.type(0), idx = r.type(1);
  if (!x?.shape || !idx?.shape) return null;
  const axis = norm(attrInt(r.node, 'axis', 0), x.shape.length);
  return [{ dtype: x.dtype, shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)] }];
};

const squeeze: Rule = (r) => {
  const x = r.type(0);
  if (!x?.shape) return null;
  const axes = attrInts(r.node, 'axes') ?? attrInts(r.node, 'squeeze_dims') ?? (r.node.inputs.length > 1 ? (r.constant(1) as number[] | null) : null);
  if (!axes) return x.shape.every((d) => typeof d === 'number') ? [{ dtype: x.dtype, shape: x.shape.filter((d) => d !== 1) }] : null;
  const set = new Set(axes.map((a) => norm(a, x.shape!.length)));
  return [{ dtype: x.dtype, shape: x.shape.filter((_, i) => !set.has(i)) }];
};

const unsqueeze: Rule = (r) => {
  const x = r.type(0);
  if (!x?.shape) return null;
  const axes = attrInts(r.node, 'axes') ?? (r.node.inputs.length > 1 ? (r.constant(1) as number[] | null) : null);
  if (!axes) return null;
  const rank = x.shape.length + axes.length;
  const set = new Set(axes.map((a) => norm(a, rank)));
  const out: Dim[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(set.has(i) ? 1 : x.shape[k++]);
  return [{ dtype: x.dtype, shape: out }];
};

const gemm: Rule = (r) => {
  const a = r.type(0), b = r.type(1);
  if (!a?.shape || !b?.shape || a.shape.length !== 2 || b.shape.length !== 2) return null;
  const m = attrInt(r.node, 'transA', 0) ? a.shape[1] : a.shape[0];
  const n = attrInt(r.node, 'transB', 0) ? b.shape[0] : b.shape[1];
  return [{ dtype: a.dtype, shape: [m, n] }];
};

const split: Rule = (r) => {
  const x = r.type(0);
  if (!x?.shape) return null;
  const axis = norm(attrInt(r.node, 'axis', 0), x.shape.length);
  const sizes = attrInts(r.node, 'split') ?? (r.node.inputs.length > 1 && r.node.inputs[1] ? (r.constant(1) as number[] | null) : null);
  const k = r.node.outputs.length;
  const d = x.shape[axis];
  return r.node.outputs.map((_, i) => {
    const shape = [...x.shape!];
    shape[axis] = sizes ? sizes[i] ?? null : typeof d === 'number' && d % k === 0 ? d / k : null;
    return { dtype: x.dtype, shape };
  });
};

const slice: Rule = (r) => {
  const x = r.type(0);
  if (!x?.shape) return null;
  const starts = r.constant(1), ends = r.constant(2);
  const axes = r.node.inputs[3] ? r.constant(3) : x.shape.map((_, i) => i);
  const steps = r.node.inputs[4] ? r.constant(4) : null;
  const shape = [...x.shape];
  if (!starts || !ends || !axes) return [{ dtype: x.dtype, shape: x.shape.map(() => null) }];
  axes.forEach((a, k) => {
    const ax = norm(a as number, shape.length);
    const d = shape[ax], s = starts[k], e = ends[k], st = (steps?.[k] as number) ?? 1;
    if (typeof d !== 'number' || typeof s !== 'number' || typeof e !== 'number') { shape[ax] = null; return; }
    const clampS = Math.max(st > 0 ? 0 : -1, Math.min(st > 0 ? d : d - 1, s < 0 ? s + d : s));
    const clampE = Math.max(st > 0 ? 0 : -1, Math.min(st > 0 ? d : d - 1, e < 0 ? e + d : e));
    shape[ax] = Math.max(0, Math.ceil((clampE - clampS) / st));
  });
  return [{ dtype: x.dtype, shape }];
};

const castRule: Rule = (r) => {
  const t = r.type(0);
  const to = attr(r.node, 'to') ?? attr(r.node, 'DstT');
  const dtype = to?.type === 'int' ? ONNX_DTYPES[to.value] : to?.type === 'dtype' ? (to.value as DataType) : undefined;
  return t ? [{ dtype, shape: t.shape }] : null;
};

const expand: Rule = (r) => { const x = r.type(0), s = r.constant(1); return x && s ? [{ dtype: x.dtype, shape: broadcast([x.shape, s]) }] : null; };
const where: Rule = (r) => { const ts = [0, 1, 2].map((i) => r.type(i)); return ts.every(Boolean) ? [{ dtype: ts[1]!.dtype, shape: broadcast(ts.map((t) => t!.shape)) }] : null; };
const shapeOp: Rule = (r) => { const x = r.type(0); return x?.shape ? [{ dtype: 'int64', shape: [x.shape.length] }] : null; };
const layerNorm: Rule = (r) => { const x = r.type(0); return x ? [{ ...x }] : null; };
const argReduce: Rule = (r) => reduce(r, [attrInt(r.node, 'axis', 0)], attrInt(r.node, 'keepdims', 1) === 1, 'int64');
const tfMatMul: Rule = (r) => {
  const a = r.type(0), b = r.type(1);
  if (!a?.shape || !b?.shape) return null;
  const ta = attr(r.node, 'transpose_a')?.value === true || attr(r.node, 'adj_x')?.value === true;
  const tb = attr(r.node, 'transpose_b')?.value === true || attr(r.node, 'adj_y')?.value === true;
  const sw = (s: Dim[], t: boolean) => (t ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
  return [{ dtype: a.dtype, shape: matmul(sw(a.shape, ta), sw(b.shape, tb)) }];
};

const UNARY = 'Relu Sigmoid Tanh Exp Log Neg Abs Sqrt Reciprocal Erf Softmax LogSoftmax Identity Clip LeakyRelu Elu Selu Gelu HardSigmoid HardSwish Softplus Softsign Sign Floor Ceil Round Sin Cos Not CumSum Trilu InstanceNormalization GroupNormalization LRN LpNormalization BatchNormalization FusedBatchNorm FusedBatchNormV3 Relu6 Rsqrt Square Dropout Mish Celu ThresholdedRelu Shrink';
const BINARY = 'Add Sub Mul Div Pow Max Min Sum Mean Mod PRelu BitShift AddV2 BiasAdd RealDiv Maximum Minimum SquaredDifference FloorDiv AddN';
const COMPARE = 'Equal Less Greater LessOrEqual GreaterOrEqual And Or Xor NotEqual';

export const RULES: Record<string, Rule> = {
  MatMul: (r) => { const a = r.type(0), b = r.type(1); return a && b ? [{ dtype: a.dtype, shape: matmul(a.shape, b.shape) }] : null; },
  BatchMatMul: tfMatMul, BatchMatMulV2: tfMatMul, _FusedMatMul: tfMatMul,
  Gemm: gemm, Conv: conv, MaxPool: pool, AveragePool: pool, LpPool: pool,
  GlobalAveragePool: globalPool, GlobalMaxPool: globalPool, GlobalLpPool: globalPool,
  Reshape: reshape, Transpose: transpose, Concat: concat(false), ConcatV2: concat(true), Flatten: flatten,
  Gather: gather, GatherV2: gather, Squeeze: squeeze, Unsqueeze: unsqueeze, ExpandDims: unsqueeze, Split: split, Slice: slice,
  ReduceMean: reduceRule, ReduceSum: reduceRule, ReduceMax: reduceRule, ReduceMin: reduceRule, ReduceProd: reduceRule,
  ReduceL1: reduceRule, ReduceL2: reduceRule, ReduceLogSumExp: reduceRule, ReduceSumSquare: reduceRule,
  ArgMax: argReduce, ArgMin: argReduce,
  LayerNormalization: layerNorm, SimplifiedLayerNormalization: layerNorm,
  Cast: castRule, Expand: expand, Where: where, Shape: shapeOp,
  Size: () => [{ dtype: 'int64', shape: [] }],
  IsNaN: withDtype('bool'), IsInf: withDtype('bool'),
  QuantizeLinear: (r) => { const x = r.type(0), z = r.type(2); return x ? [{ dtype: z?.dtype ?? 'uint8', shape: x.shape }] : null; },
  DequantizeLinear: (r) => { const x = r.type(0); return x ? [{ dtype: 'float32', shape: x.shape }] : null; },
  ConstantOfShape: (r) => { const s = r.constant(0); const v = attr(r.node, 'value'); return s ? [{ dtype: v?.type === 'tensor' ? v.value.dtype : 'float32', shape: s }] : null; },
};
for (const op of UNARY.split(' ')) RULES[op] ??= same;
for (const op of BINARY.split(' ')) RULES[op] ??= elementwise();
for (const op of COMPARE.split(' ')) RULES[op] ??= elementwise('bool');
