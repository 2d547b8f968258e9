// Output shapes (and, for small integer tensors, output values) of ONNX operators under concrete
// input shapes. Rules follow the operator specs at onnx.ai; a missing rule leaves the output to
// the shape the file (or shape inference) declares. Layer operators live in onnx-layer-rules.ts.
import type { Node } from '../ir/graph.js';
import { attrInt, attrInts, attrString } from './values/attributes.js';
import { conv, convTranspose, einsum, gemm, globalPool, lossRule, matmul, msAttention, multiHeadAttention, nbitsMatmul, normalization, pool, recurrent } from './onnx-layer-rules.js';
import { toDataType, type KnownValue, type ShapeRule } from './values/known-value.js';
import { KNOWN_VALUE_LIMIT, broadcastApply, broadcastShapes, concat, gather, prod, sliceByIndices, sliceRange, transpose, type KnownTensor } from './values/small-tensor.js';

type In = readonly (KnownValue | undefined)[];

const known = (v: KnownValue | undefined): v is KnownValue & { shape: number[] } => !!v && v.shape !== null;
const tensorOf = (v: KnownValue | undefined): KnownTensor | undefined =>
  known(v) && v.values && v.values.length === prod(v.shape) ? { shape: v.shape, values: v.values } : undefined;
const same = (v: KnownValue | undefined, dtype = v?.dtype): KnownValue | undefined => (known(v) ? { shape: [...v.shape], dtype } : undefined);
const withValues = (shape: number[], values: number[] | undefined, dtype: KnownValue['dtype']): KnownValue =>
  values && values.length <= KNOWN_VALUE_LIMIT && values.length === prod(shape) ? { shape, dtype, values } : { shape, dtype };
const normAxis = (a: number, rank: number) => (a < 0 ? a + rank : a);

/** Integer-valued input `i` (axes, pads, sizes…), or the attribute of the same meaning in older opsets. */
function intsFrom(node: Node, ins: In, i: number, attr: string): number[] | undefined {
  const v = ins[i];
  if (v?.values) return v.values;
  if (v && !v.values) return undefined;
  return attrInts(node, attr);
}

const unary = (node: Node, ins: In) => [same(ins[0])];

const UNARY_VALUE: Record<string, (x: number) => number> = {
  Neg: (x) => -x, Abs: Math.abs, Floor: Math.floor, Ceil: Math.ceil, Sqrt: Math.sqrt, Reciprocal: (x) => 1 / x,
  Not: (x) => (x ? 0 : 1), Identity: (x) => x, Relu: (x) => Math.max(0, x), Sign: Math.sign, Round: Math.round,
};

function unaryWithValues(node: Node, ins: In): (KnownValue | undefined)[] {
  const t = tensorOf(ins[0]);
  const f = UNARY_VALUE[node.opType];
  if (t && f) return [withValues([...t.shape], t.values.map(f), ins[0]!.dtype)];
  return [same(ins[0])];
}

const BINARY_VALUE: Record<string, (a: number, b: number) => number> = {
  Add: (a, b) => a + b, Sub: (a, b) => a - b, Mul: (a, b) => a * b, Div: (a, b) => a / b, Pow: (a, b) => a ** b,
  Max: Math.max, Min: Math.min, Sum: (a, b) => a + b, Mod: (a, b) => a % b,
  Equal: (a, b) => +(a === b), Less: (a, b) => +(a < b), Greater: (a, b) => +(a > b),
  LessOrEqual: (a, b) => +(a <= b), GreaterOrEqual: (a, b) => +(a >= b), And: (a, b) => +(a && b), Or: (a, b) => +(a || b),
};
const BOOL_OUT = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Not', 'IsNaN', 'IsInf']);

function broadcastOp(node: Node, ins: In): (KnownValue | undefined)[] | undefined {
  const present = ins.filter((v) => v !== undefined);
  if (!present.length || !present.every(known)) return undefined;
  const dtype = BOOL_OUT.has(node.opType) ? 'bool' : node.opType === 'Where' ? present[1]?.dtype : present[0].dtype;
  const tensors = present.map(tensorOf);
  if (tensors.every((t) => t)) {
    const ts = tensors as KnownTensor[];
    let r: KnownTensor | null = null;
    if (node.opType === 'Where') r = broadcastApply(ts, (c, a, b) => (c ? a : b));
    else if (BINARY_VALUE[node.opType]) {
      const f = BINARY_VALUE[node.opType];
      const isInt = dtype !== undefined && /int/.test(dtype);
      const g = node.opType === 'Div' && isInt ? (a: number, b: number) => Math.trunc(a / b) : f;
      r = ts.slice(1).reduce<KnownTensor | null>((acc, t) => (acc ? broadcastApply([acc, t], g) : null), ts[0]);
    }
    if (r) return [withValues(r.shape, r.values, dtype)];
  }
  const shape = broadcastShapes(present.map((v) => v.shape));
  return [shape ? { shape, dtype } : undefined];
}

function reshape(node: Node, ins: In) {
  const x = ins[0];
  const target = node.opType === 'Reshape' ? intsFrom(node, ins, 1, 'shape') : undefined;
  if (!known(x) || !target) return undefined;
  const allowZero = attrInt(node, 'allowzero', 0) === 1;
  const out = target.map((d, i) => (d === 0 && !allowZero ? x.shape[i] : d));
  const n = prod(x.shape);
  const minus = out.indexOf(-1);
  if (minus >= 0) {
    const rest = prod(out.filter((_, i) => i !== minus));
    out[minus] = rest === 0 ? 0 : n / rest;
  }
  return [withValues(out, x.values, x.dtype)];
}

function flatten(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const axis = normAxis(attrInt(node, 'axis', 1), x.shape.length);
  return [withValues([prod(x.shape.slice(0, axis)), prod(x.shape.slice(axis))], x.values, x.dtype)];
}

function squeeze(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const axes = intsFrom(node, ins, 1, 'axes')?.map((a) => normAxis(a, x.shape.length));
  if (ins[1] && !axes) return undefined;
  const shape = x.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
  return [withValues(shape, x.values, x.dtype)];
}

function unsqueeze(node: Node, ins: In) {
  const x = ins[0];
  const axesRaw = intsFrom(node, ins, 1, 'axes');
  if (!known(x) || !axesRaw) return undefined;
  const rank = x.shape.length + axesRaw.length;
  const axes = axesRaw.map((a) => normAxis(a, rank));
  const shape: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : x.shape[j++]);
  return [withValues(shape, x.values, x.dtype)];
}

function transposeRule(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const perm = attrInts(node, 'perm') ?? x.shape.map((_, i) => x.shape.length - 1 - i);
  const t = tensorOf(x);
  if (t) { const r = transpose(t, perm); return [withValues(r.shape, r.values, x.dtype)]; }
  return [{ shape: perm.map((p) => x.shape[p]), dtype: x.dtype }];
}

function concatRule(node: Node, ins: In) {
  const parts = ins.filter((v) => v !== undefined);
  if (!parts.length || !parts.every(known)) return undefined;
  const rank = parts[0].shape.length;
  const axis = normAxis(attrInt(node, 'axis', 0), rank);
  const tensors = parts.map(tensorOf);
  if (tensors.every((t) => t)) {
    const r = concat(tensors as KnownTensor[], axis);
    return [withValues(r.shape, r.values, parts[0].dtype)];
  }
  const shape = [...parts[0].shape];
  shape[axis] = parts.reduce((a, p) => a + p.shape[axis], 0);
  return [{ shape, dtype: parts[0].dtype }];
}

function split(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const axis = normAxis(attrInt(node, 'axis', 0), x.shape.length);
  const n = node.outputs.length;
  let sizes = intsFrom(node, ins, 1, 'split');
  if (!sizes || !sizes.length) {
    const each = Math.ceil(x.shape[axis] / n);
    sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(each, x.shape[axis] - i * each)));
  }
  return sizes.map((s) => { const shape = [...x.shape]; shape[axis] = s; return { shape, dtype: x.dtype }; });
}

function slice(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const starts = intsFrom(node, ins, 1, 'starts');
  const ends = intsFrom(node, ins, 2, 'ends');
  if (!starts || !ends) return undefined;
  const rank = x.shape.length;
  const axes = (intsFrom(node, ins, 3, 'axes') ?? starts.map((_, i) => i)).map((a) => normAxis(a, rank));
  const steps = ins[4]?.values ?? starts.map(() => 1);
  const perAxis = x.shape.map((d) => Array.from({ length: d }, (_, i) => i));
  axes.forEach((a, i) => { perAxis[a] = sliceRange(x.shape[a], starts[i], ends[i], steps[i] ?? 1); });
  const t = tensorOf(x);
  if (t) { const r = sliceByIndices(t, perAxis); return [withValues(r.shape, r.values, x.dtype)]; }
  return [{ shape: perAxis.map((l) => l.length), dtype: x.dtype }];
}

function gatherRule(node: Node, ins: In) {
  const x = ins[0], idx = ins[1];
  if (!known(x) || !known(idx)) return undefined;
  const axis = normAxis(attrInt(node, 'axis', 0), x.shape.length);
  const t = tensorOf(x), it = tensorOf(idx);
  if (t && it) { const r = gather(t, it, axis); return [withValues(r.shape, r.values, x.dtype)]; }
  return [{ shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)], dtype: x.dtype }];
}

function shapeOp(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const r = x.shape.length;
  const start = normAxis(attrInt(node, 'start', 0), r);
  const endAttr = attrInt(node, 'end', r);
  const end = Math.min(r, endAttr < 0 ? endAttr + r : endAttr);
  const values = x.shape.slice(Math.max(0, start), end);
  return [{ shape: [values.length], dtype: 'int64' as const, values }];
}

function reduce(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const rank = x.shape.length;
  const fromInput = ins[1] !== undefined;
  let axes = fromInput ? ins[1]?.values : attrInts(node, 'axes');
  if (fromInput && !axes) return undefined;
  if (!axes || !axes.length) axes = attrInt(node, 'noop_with_empty_axes', 0) ? [] : x.shape.map((_, i) => i);
  const ax = axes.map((a) => normAxis(a, rank));
  const keep = attrInt(node, 'keepdims', 1) === 1;
  const shape = keep ? x.shape.map((d, i) => (ax.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !ax.includes(i));
  return [{ shape, dtype: x.dtype }];
}

function argReduce(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const axis = normAxis(attrInt(node, 'axis', 0), x.shape.length);
  const keep = attrInt(node, 'keepdims', 1) === 1;
  return [{ shape: keep ? x.shape.map((d, i) => (i === axis ? 1 : d)) : x.shape.filter((_, i) => i !== axis), dtype: 'int64' as const }];
}

function pad(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const pads = intsFrom(node, ins, 1, 'pads') ?? (node.opType === 'Pad' ? attrInts(node, 'paddings') : undefined);
  if (!pads) return undefined;
  const rank = x.shape.length;
  const axes = (ins[3]?.values ?? x.shape.map((_, i) => i)).map((a) => normAxis(a, rank));
  const shape = [...x.shape];
  axes.forEach((a, i) => { shape[a] += pads[i] + pads[i + axes.length]; });
  return [{ shape, dtype: x.dtype }];
}

function resize(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const sizes = node.opType === 'Resize' ? ins[3]?.values : undefined;
  if (sizes?.length) return [{ shape: [...sizes], dtype: x.dtype }];
  const scales = (node.opType === 'Resize' ? ins[2]?.values : ins[1]?.values) ?? (attrInts(node, 'scales'));
  if (!scales?.length) return undefined;
  return [{ shape: x.shape.map((d, i) => Math.floor(d * (scales[i] ?? 1))), dtype: x.dtype }];
}

function expand(_node: Node, ins: In) {
  const x = ins[0], s = ins[1];
  if (!known(x) || !s?.values) return undefined;
  const shape = broadcastShapes([x.shape, s.values]);
  if (!shape) return undefined;
  const t = tensorOf(x);
  if (t) { const r = broadcastApply([t, { shape, values: new Array(prod(shape)).fill(0) }], (a) => a); if (r) return [withValues(r.shape, r.values, x.dtype)]; }
  return [{ shape, dtype: x.dtype }];
}

function tile(_node: Node, ins: In) {
  const x = ins[0], r = ins[1];
  if (!known(x) || !r?.values) return undefined;
  return [{ shape: x.shape.map((d, i) => d * (r.values![i] ?? 1)), dtype: x.dtype }];
}

function constantOfShape(node: Node, ins: In) {
  const s = ins[0];
  if (!s?.values) return undefined;
  const shape = [...s.values];
  const a = node.attributes.find((x) => x.name === 'value');
  const dtype = a?.type === 'tensor' ? a.value.dtype : 'float32';
  // The fill value is read by the driver (it may need the tensor's bytes); 0 is the spec default.
  return [{ shape, dtype }];
}

function range(_node: Node, ins: In) {
  const [s, l, d] = ins.map((v) => v?.values?.[0]);
  if (s === undefined || l === undefined || d === undefined || d === 0) return undefined;
  const n = Math.max(0, Math.ceil((l - s) / d));
  const values = n <= KNOWN_VALUE_LIMIT ? Array.from({ length: n }, (_, i) => s + i * d) : undefined;
  return [withValues([n], values, ins[0]?.dtype)];
}

function topK(node: Node, ins: In) {
  const x = ins[0];
  const k = ins[1]?.values?.[0] ?? attrInt(node, 'k', -1);
  if (!known(x) || k < 0) return undefined;
  const axis = normAxis(attrInt(node, 'axis', -1), x.shape.length);
  const shape = x.shape.map((d, i) => (i === axis ? k : d));
  return [{ shape, dtype: x.dtype }, { shape: [...shape], dtype: 'int64' as const }];
}

function depthToSpace(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x) || x.shape.length !== 4) return undefined;
  const b = attrInt(node, 'blocksize', 1);
  const [n, c, h, w] = x.shape;
  return [{ shape: node.opType === 'DepthToSpace' ? [n, c / (b * b), h * b, w * b] : [n, c * b * b, h / b, w / b], dtype: x.dtype }];
}

function cast(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const a = node.attributes.find((t) => t.name === 'to');
  const dtype = a?.type === 'int' ? toDataType(a.value) : a?.type === 'dtype' || a?.type === 'string' ? toDataType(a.value) : x.dtype;
  const values = x.values && dtype && /int/.test(dtype) ? x.values.map(Math.trunc) : x.values;
  return [withValues([...x.shape], values, dtype)];
}

const UNARY_OPS = ['Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Exp', 'Log', 'Erf', 'Gelu', 'FastGelu', 'QuickGelu', 'Elu', 'Selu', 'Celu',
  'Softplus', 'Softsign', 'HardSigmoid', 'HardSwish', 'Mish', 'ThresholdedRelu', 'Abs', 'Neg', 'Reciprocal', 'Sqrt', 'Floor', 'Ceil',
  'Round', 'Sign', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh', 'Not', 'IsNaN', 'IsInf',
  'Clip', 'Identity', 'Softmax', 'LogSoftmax', 'Hardmax', 'LRN', 'CastLike', 'BatchNormalization', 'InstanceNormalization',
  'GroupNormalization', 'MeanVarianceNormalization', 'CumSum', 'Trilu', 'Shrink', 'DequantizeLinear', 'QuantizeLinear', 'Dropout',
  'SkipLayerNormalization', 'SkipSimplifiedLayerNormalization', 'BiasDropout', 'ReverseSequence', 'Swish'];
const BROADCAST_OPS = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Equal', 'Less', 'Greater', 'LessOrEqual',
  'GreaterOrEqual', 'And', 'Or', 'Xor', 'BitShift', 'Mod', 'PRelu', 'Where', 'BiasGelu', 'BiasAdd', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor'];
const REDUCE_OPS = ['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum',
  'ReduceLogSumExp', 'ReduceSumSquare'];

/** Shape rules of the default ONNX domain and com.microsoft contrib ops, by op type. */
export const ONNX_SHAPE_RULES: Record<string, ShapeRule> = {
  ...Object.fromEntries(UNARY_OPS.map((op) => [op, op in UNARY_VALUE ? unaryWithValues : unary])),
  ...Object.fromEntries(['Neg', 'Abs', 'Floor', 'Ceil', 'Sqrt', 'Reciprocal', 'Not', 'Identity', 'Relu', 'Sign', 'Round'].map((op) => [op, unaryWithValues])),
  ...Object.fromEntries(BROADCAST_OPS.map((op) => [op, broadcastOp])),
  ...Object.fromEntries(REDUCE_OPS.map((op) => [op, reduce])),
  LayerNormalization: normalization, SimplifiedLayerNormalization: normalization, RMSNormalization: normalization,
  Conv: conv, ConvInteger: conv, QLinearConv: (n, i) => conv(n, [i[0], i[3]]),
  ConvTranspose: convTranspose,
  MaxPool: pool, AveragePool: pool, LpPool: pool, GlobalAveragePool: globalPool, GlobalMaxPool: globalPool, GlobalLpPool: globalPool,
  MatMul: matmul, MatMulInteger: matmul, FusedMatMul: matmul, Gemm: gemm,
  Reshape: reshape, Flatten: flatten, Squeeze: squeeze, Unsqueeze: unsqueeze, Transpose: transposeRule,
  Concat: concatRule, Split: split, Slice: slice, Gather: gatherRule, GatherElements: (_n, i) => [same(i[1], i[0]?.dtype)],
  Shape: shapeOp, Size: (_n, i) => (known(i[0]) ? [{ shape: [], dtype: 'int64', values: [prod(i[0].shape)] }] : undefined),
  ArgMax: argReduce, ArgMin: argReduce, Pad: pad, Resize: resize, Upsample: resize, Expand: expand, Tile: tile,
  ConstantOfShape: constantOfShape, Range: range, TopK: topK, DepthToSpace: depthToSpace, SpaceToDepth: depthToSpace,
  Einsum: einsum, LSTM: recurrent, GRU: recurrent, RNN: recurrent, Cast: cast,
  Attention: (n, i) => (n.domain === 'com.microsoft' ? msAttention(n, i) : multiHeadAttention(n, i)),
  Dropout: (_n, i) => [same(i[0]), same(i[0], 'bool')],
  MultiHeadAttention: multiHeadAttention, GroupQueryAttention: (_n, i) => [same(i[0])],
  // Quantized and contrib variants: the same shapes as their float forms.
  MatMulIntegerToFloat: matmul, QLinearMatMul: (n, i) => matmul(n, [i[0], i[3]]),
  QLinearAdd: (n, i) => broadcastOp(n, [i[0], i[3]]), QLinearMul: (n, i) => broadcastOp(n, [i[0], i[3]]),
  QLinearSigmoid: unary, QLinearLeakyRelu: unary, QLinearAveragePool: pool, QLinearGlobalAveragePool: globalPool,
  DynamicQuantizeLinear: (_n, i) => [same(i[0], 'uint8'), { shape: [], dtype: 'float32' }, { shape: [], dtype: 'uint8' }],
  MatMulNBits: nbitsMatmul, MatMulBnb4: nbitsMatmul, GroupNorm: unary, RotaryEmbedding: unary, BiasSplitGelu: (_n, i) => {
    const x = i[0];
    return known(x) ? [{ shape: [...x.shape.slice(0, -1), x.shape[x.shape.length - 1] / 2], dtype: x.dtype }] : undefined;
  },
  GridSample: (_n, i) => (known(i[0]) && known(i[1]) ? [{ shape: [i[0].shape[0], i[0].shape[1], ...i[1].shape.slice(1, -1)], dtype: i[0].dtype }] : undefined),
  LpNormalization: unary, ImageScaler: unary, SoftmaxCrossEntropyLoss: lossRule, NegativeLogLikelihoodLoss: lossRule,
};


export { matmulShape } from './onnx-layer-rules.js';
