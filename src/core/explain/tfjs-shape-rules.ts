// Output shapes of TensorFlow ops (TF.js graph models, NHWC by default) and Keras layers (TF.js
// layers models, batch first, channels last) under concrete input shapes.
import type { Node } from '../ir/graph.js';
import { attrInt, attrInts, attrString, attrStrings } from './values/attributes.js';
import { resolvePads, windowOutput } from './by-hand/conv-geometry.js';
import type { KnownValue, ShapeRule } from './values/known-value.js';
import { matmulShape } from './onnx-shape-rules.js';
import { KNOWN_VALUE_LIMIT, broadcastShapes, concat, gather, prod, sliceByIndices, type KnownTensor } from './values/small-tensor.js';

type In = readonly (KnownValue | undefined)[];
const known = (v: KnownValue | undefined): v is KnownValue & { shape: number[] } => !!v && v.shape !== null;
const same = (v: KnownValue | undefined): KnownValue[] | undefined => (known(v) ? [{ shape: [...v.shape], dtype: v.dtype }] : undefined);
const norm = (a: number, r: number) => (a < 0 ? a + r : a);
const tensorOf = (v: KnownValue | undefined): KnownTensor | undefined =>
  known(v) && v.values && v.values.length === prod(v.shape) ? { shape: v.shape, values: v.values } : undefined;
const sized = (shape: number[], values: number[] | undefined, dtype: KnownValue['dtype']): KnownValue =>
  values && values.length <= KNOWN_VALUE_LIMIT && values.length === prod(shape) ? { shape, dtype, values } : { shape, dtype };

/** Spatial geometry of a TF conv/pool: NHWC unless data_format says NCHW. */
export function tfWindow(node: Node, x: readonly number[], kernel: readonly number[]): { channelsFirst: boolean; spatial: number[]; strides: number[]; dilations: number[]; padsBegin: number[]; padsEnd: number[]; output: number[] } {
  const channelsFirst = /^NC/.test(attrString(node, 'data_format', 'NHWC')) || attrString(node, 'data_format', '') === 'channels_first';
  const spatial = channelsFirst ? x.slice(2) : x.slice(1, -1);
  const n = spatial.length;
  const pick = (v: number[] | undefined, def: number) => {
    if (!v || !v.length) return new Array(n).fill(def);
    if (v.length === n + 2) return channelsFirst ? v.slice(2) : v.slice(1, -1);
    if (v.length === 1) return new Array(n).fill(v[0]);
    return v.slice(0, n);
  };
  const strides = pick(attrInts(node, ['strides']), 1);
  const dilations = pick(attrInts(node, ['dilations', 'dilation_rate']), 1);
  const mode = attrString(node, 'padding', 'VALID').toUpperCase();
  const explicit = attrInts(node, 'explicit_paddings');
  const ex = explicit && explicit.length === 2 * (n + 2)
    ? (() => { const sp = channelsFirst ? explicit.slice(4) : explicit.slice(2, -2); return [...sp.filter((_, i) => i % 2 === 0), ...sp.filter((_, i) => i % 2 === 1)]; })()
    : undefined;
  const pads = resolvePads(mode === 'EXPLICIT' ? 'NOTSET' : mode, spatial, kernel, strides, dilations, ex);
  const output = spatial.map((s, i) => windowOutput(s, kernel[i], strides[i], dilations[i], pads.begin[i], pads.end[i]));
  return { channelsFirst, spatial, strides, dilations, padsBegin: pads.begin, padsEnd: pads.end, output };
}

function withSpatial(x: readonly number[], channelsFirst: boolean, spatial: number[], channels: number): number[] {
  return channelsFirst ? [x[0], channels, ...spatial] : [x[0], ...spatial, channels];
}

function tfConv(node: Node, ins: In) {
  const x = ins[0], f = ins[1];
  if (!known(x) || !known(f)) return undefined;
  const kernel = f.shape.slice(0, -2);
  const g = tfWindow(node, x.shape, kernel);
  const depthwise = /Depthwise/.test(node.opType);
  const cout = depthwise ? f.shape[f.shape.length - 2] * f.shape[f.shape.length - 1] : f.shape[f.shape.length - 1];
  return [{ shape: withSpatial(x.shape, g.channelsFirst, g.output, cout), dtype: x.dtype }];
}

function tfPool(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const cf = /^NC/.test(attrString(node, 'data_format', 'NHWC'));
  const ks = attrInts(node, ['ksize', 'pool_size']) ?? [1];
  const n = x.shape.length - 2;
  const kernel = ks.length === n + 2 ? (cf ? ks.slice(2) : ks.slice(1, -1)) : ks.length === 1 ? new Array(n).fill(ks[0]) : ks;
  const g = tfWindow(node, x.shape, kernel);
  return [{ shape: withSpatial(x.shape, g.channelsFirst, g.output, cf ? x.shape[1] : x.shape[x.shape.length - 1]), dtype: x.dtype }];
}

function tfMatMul(node: Node, ins: In) {
  const a = ins[0], b = ins[1];
  if (!known(a) || !known(b)) return undefined;
  const ta = attrInt(node, ['transpose_a', 'adj_x'], 0), tb = attrInt(node, ['transpose_b', 'adj_y'], 0);
  const swap = (s: number[], t: number) => (t && s.length >= 2 ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
  const shape = matmulShape(swap(a.shape, ta), swap(b.shape, tb));
  return shape ? [{ shape, dtype: a.dtype }] : undefined;
}

function broadcast(_node: Node, ins: In) {
  const p = ins.filter((v) => v !== undefined);
  if (!p.length || !p.every(known)) return undefined;
  const shape = broadcastShapes(p.map((v) => v.shape));
  return shape ? [{ shape, dtype: p[p.length - 1].dtype }] : undefined;
}

function tfReduce(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const axes = (ins[1]?.values ?? attrInts(node, ['axis', 'axes']) ?? x.shape.map((_, i) => i)).map((a) => norm(a, x.shape.length));
  const keep = attrInt(node, ['keep_dims', 'keepdims'], 0) === 1;
  return [{ shape: keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i)), dtype: x.dtype }];
}

function tfReshape(_node: Node, ins: In) {
  const x = ins[0], s = ins[1];
  if (!known(x) || !s?.values) return undefined;
  const out = [...s.values];
  const m = out.indexOf(-1);
  if (m >= 0) out[m] = prod(x.shape) / prod(out.filter((_, i) => i !== m));
  return [sized(out, x.values, x.dtype)];
}

function tfConcat(node: Node, ins: In) {
  const v2 = node.opType !== 'Concat';
  const axisV = (v2 ? ins[ins.length - 1] : ins[0])?.values?.[0] ?? attrInt(node, 'axis', -1);
  const parts = v2 ? ins.slice(0, -1) : ins.slice(1);
  if (!parts.length || !parts.every(known)) return undefined;
  const ps = parts as (KnownValue & { shape: number[] })[];
  const axis = norm(axisV, ps[0].shape.length);
  const ts = ps.map(tensorOf);
  if (ts.every((t) => t)) { const r = concat(ts as KnownTensor[], axis); return [sized(r.shape, r.values, ps[0].dtype)]; }
  const shape = [...ps[0].shape];
  shape[axis] = ps.reduce((a, p) => a + p.shape[axis], 0);
  return [{ shape, dtype: ps[0].dtype }];
}

function tfPack(node: Node, ins: In) {
  const p = ins.filter(known) as (KnownValue & { shape: number[] })[];
  if (p.length !== ins.length || !p.length) return undefined;
  const axis = norm(attrInt(node, 'axis', 0), p[0].shape.length + 1);
  const expanded = p.map((v) => ({ shape: [...v.shape.slice(0, axis), 1, ...v.shape.slice(axis)], values: v.values }));
  if (expanded.every((e) => e.values)) { const r = concat(expanded as KnownTensor[], axis); return [sized(r.shape, r.values, p[0].dtype)]; }
  const shape = [...p[0].shape.slice(0, axis), p.length, ...p[0].shape.slice(axis)];
  return [{ shape, dtype: p[0].dtype }];
}

function tfStridedSlice(node: Node, ins: In) {
  const x = ins[0];
  const [b, e, s] = [ins[1]?.values, ins[2]?.values, ins[3]?.values];
  if (!known(x) || !b || !e) return undefined;
  if (attrInt(node, 'ellipsis_mask', 0) || attrInt(node, 'new_axis_mask', 0)) return undefined;
  const bm = attrInt(node, 'begin_mask', 0), em = attrInt(node, 'end_mask', 0), sm = attrInt(node, 'shrink_axis_mask', 0);
  const per: number[][] = x.shape.map((d) => Array.from({ length: d }, (_, i) => i));
  for (let i = 0; i < b.length; i++) {
    const d = x.shape[i], step = s?.[i] ?? 1;
    if (sm & (1 << i)) { per[i] = [norm(b[i], d)]; continue; }
    let lo = bm & (1 << i) ? (step > 0 ? 0 : d - 1) : norm(b[i], d);
    let hi = em & (1 << i) ? (step > 0 ? d : -1) : norm(e[i], d);
    lo = Math.max(step > 0 ? 0 : -1, Math.min(lo, step > 0 ? d : d - 1));
    hi = Math.max(step > 0 ? 0 : -1, Math.min(hi, step > 0 ? d : d - 1));
    const idx: number[] = [];
    for (let k = lo; step > 0 ? k < hi : k > hi; k += step) idx.push(k);
    per[i] = idx;
  }
  const keep = x.shape.map((_, i) => !(sm & (1 << i)));
  const t = tensorOf(x);
  const sliced = t ? sliceByIndices(t, per) : undefined;
  const shape = per.map((l) => l.length).filter((_, i) => keep[i]);
  return [sized(shape, sliced?.values, x.dtype)];
}

function tfGather(node: Node, ins: In) {
  const x = ins[0], idx = ins[1];
  if (!known(x) || !known(idx)) return undefined;
  const axis = norm(ins[2]?.values?.[0] ?? attrInt(node, 'axis', 0), x.shape.length);
  const t = tensorOf(x), it = tensorOf(idx);
  if (t && it) { const r = gather(t, it, axis); return [sized(r.shape, r.values, x.dtype)]; }
  return [{ shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)], dtype: x.dtype }];
}

function tfPad(_node: Node, ins: In) {
  const x = ins[0], p = ins[1]?.values;
  if (!known(x) || !p) return undefined;
  return [{ shape: x.shape.map((d, i) => d + (p[2 * i] ?? 0) + (p[2 * i + 1] ?? 0)), dtype: x.dtype }];
}

function tfSqueeze(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const axes = (attrInts(node, ['squeeze_dims', 'axis']) ?? []).map((a) => norm(a, x.shape.length));
  return [sized(x.shape.filter((d, i) => (axes.length ? !axes.includes(i) : d !== 1)), x.values, x.dtype)];
}

function tfExpandDims(_node: Node, ins: In) {
  const x = ins[0], a = ins[1]?.values?.[0];
  if (!known(x) || a === undefined) return undefined;
  const ax = norm(a, x.shape.length + 1);
  return [sized([...x.shape.slice(0, ax), 1, ...x.shape.slice(ax)], x.values, x.dtype)];
}

function tfTranspose(_node: Node, ins: In) {
  const x = ins[0], p = ins[1]?.values;
  if (!known(x) || !p) return undefined;
  return [{ shape: p.map((i) => x.shape[i]), dtype: x.dtype }];
}

function tfShape(_node: Node, ins: In) {
  const x = ins[0];
  return known(x) ? [{ shape: [x.shape.length], dtype: 'int32' as const, values: [...x.shape] }] : undefined;
}

function tfResize(_node: Node, ins: In) {
  const x = ins[0], s = ins[1]?.values;
  if (!known(x) || !s) return undefined;
  return [{ shape: [x.shape[0], s[0], s[1], x.shape[3]], dtype: x.dtype }];
}

function kerasDense(node: Node, ins: In) {
  const x = ins[0];
  const kernel = ins.slice(1).find((v) => known(v) && v.shape.length === 2);
  const units = attrInt(node, 'units', known(kernel) ? kernel.shape[1] : -1);
  if (!known(x) || units < 0) return undefined;
  return [{ shape: [...x.shape.slice(0, -1), units], dtype: x.dtype }];
}

function kerasConv(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const n = x.shape.length - 2;
  const kernelW = ins.slice(1).find((v) => known(v) && v.shape.length === n + 2);
  const ks = attrInts(node, 'kernel_size') ?? (known(kernelW) ? kernelW.shape.slice(0, n) : undefined);
  if (!ks) return undefined;
  const kernel = ks.length === 1 ? new Array(n).fill(ks[0]) : ks;
  const g = tfWindow(node, x.shape, kernel);
  const cin = g.channelsFirst ? x.shape[1] : x.shape[x.shape.length - 1];
  const depthwise = node.opType === 'DepthwiseConv2D';
  const cout = depthwise ? cin * attrInt(node, 'depth_multiplier', 1) : attrInt(node, 'filters', known(kernelW) ? kernelW.shape[n + 1] : -1);
  if (cout < 0) return undefined;
  return [{ shape: withSpatial(x.shape, g.channelsFirst, g.output, cout), dtype: x.dtype }];
}

function kerasGlobalPool(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const cf = attrString(node, 'data_format', 'channels_last') === 'channels_first';
  const keep = attrInt(node, 'keepdims', 0) === 1;
  const c = cf ? x.shape[1] : x.shape[x.shape.length - 1];
  if (keep) return [{ shape: x.shape.map((d, i) => (i === 0 || d === c && (cf ? i === 1 : i === x.shape.length - 1) ? d : 1)), dtype: x.dtype }];
  return [{ shape: [x.shape[0], c], dtype: x.dtype }];
}

const UNARY = ['Relu', 'Relu6', 'Elu', 'Selu', 'Sigmoid', 'Tanh', 'Softplus', 'Exp', 'Log', 'Sqrt', 'Rsqrt', 'Square', 'Neg', 'Abs',
  'LeakyRelu', 'Identity', 'Softmax', 'LogSoftmax', 'Floor', 'Ceil', 'Round', 'Sign', 'Reciprocal', 'Erf', 'Sin', 'Cos',
  'FusedBatchNorm', 'FusedBatchNormV2', 'FusedBatchNormV3', 'LRN', 'ClipByValue', 'BiasAdd', 'Cast', 'Swish', 'Gelu', 'IdentityN',
  // Keras layers that keep the shape.
  'Activation', 'ReLU', 'Dropout', 'SpatialDropout2D', 'GaussianNoise', 'BatchNormalization', 'LayerNormalization', 'ELU', 'PReLU',
  'Softmax', 'ThresholdedReLU', 'Rescaling', 'Normalization'];
const BROADCAST = ['AddV2', 'AddN', 'Sub', 'RealDiv', 'FloorDiv', 'Maximum', 'Minimum', 'SquaredDifference', 'GreaterEqual',
  'LessEqual', 'LogicalAnd', 'LogicalOr', 'Select', 'SelectV2', 'Prelu', 'Multiply', 'Subtract', 'Average', 'Minimum'];

/** Shape rules for TF ops and Keras layer types (ONNX rules cover the names both share, e.g. Add, Mul). */
export const TFJS_SHAPE_RULES: Record<string, ShapeRule> = {
  ...Object.fromEntries(UNARY.map((op) => [op, (_n: Node, i: In) => same(i[0])])),
  ...Object.fromEntries(BROADCAST.map((op) => [op, broadcast])),
  Conv2D: (n, i) => (n.inputs.length > 1 && i[1]?.shape?.length === 4 && !n.attributes.some((a) => a.name === 'filters') ? tfConv(n, i) : kerasConv(n, i)),
  FusedConv2D: tfConv, _FusedConv2D: tfConv, DepthwiseConv2dNative: tfConv, FusedDepthwiseConv2dNative: tfConv, Conv1D: kerasConv,
  DepthwiseConv2D: kerasConv, SeparableConv2D: kerasConv,
  MaxPool: tfPool, AvgPool: tfPool, MaxPooling2D: tfPool, AveragePooling2D: tfPool, MaxPooling1D: tfPool, AveragePooling1D: tfPool,
  GlobalAveragePooling2D: kerasGlobalPool, GlobalMaxPooling2D: kerasGlobalPool, GlobalAveragePooling1D: kerasGlobalPool,
  BatchMatMul: tfMatMul, BatchMatMulV2: tfMatMul, _FusedMatMul: tfMatMul, MatMul: (n, i) => tfMatMul(n, i),
  Mean: tfReduce, Sum: tfReduce, Max: (n, i) => (i.length === 2 && i[1]?.values ? tfReduce(n, i) : broadcast(n, i)),
  Min: (n, i) => (i.length === 2 && i[1]?.values ? tfReduce(n, i) : broadcast(n, i)), Prod: tfReduce, Any: tfReduce, All: tfReduce,
  ArgMax: (n, i) => { const r = tfReduce(n, i); return r ? [{ ...r[0], dtype: 'int32' }] : undefined; },
  Reshape: (n, i) => (i[1]?.values ? tfReshape(n, i) : kerasReshape(n, i)), ConcatV2: tfConcat, Concat: tfConcat,
  Concatenate: (n, i) => tfConcat(n, [...i, { shape: [], values: [attrInt(n, 'axis', -1)] }]),
  Pack: tfPack, StridedSlice: tfStridedSlice, GatherV2: tfGather, Pad: (n, i) => (i[1]?.values ? tfPad(n, i) : undefined),
  PadV2: tfPad, MirrorPad: tfPad, Squeeze: tfSqueeze, ExpandDims: tfExpandDims, Transpose: tfTranspose, Shape: tfShape,
  ResizeBilinear: tfResize, ResizeNearestNeighbor: tfResize, Dense: kerasDense,
  Flatten: (_n, i) => (known(i[0]) ? [{ shape: [i[0].shape[0], prod(i[0].shape.slice(1))], dtype: i[0].dtype }] : undefined),
  ZeroPadding2D: (n, i) => {
    const x = i[0];
    if (!known(x)) return undefined;
    const p = attrInts(n, 'padding') ?? jsonInts(attrString(n, 'padding', '')) ?? [0];
    const [t, b, l, r] = p.length >= 4 ? p : p.length === 2 ? [p[0], p[0], p[1], p[1]] : [p[0], p[0], p[0], p[0]];
    return [{ shape: [x.shape[0], x.shape[1] + t + b, x.shape[2] + l + r, x.shape[3]], dtype: x.dtype }];
  },
  UpSampling2D: (n, i) => {
    const x = i[0];
    if (!known(x)) return undefined;
    const s = attrInts(n, 'size') ?? [2, 2];
    return [{ shape: [x.shape[0], x.shape[1] * s[0], x.shape[2] * (s[1] ?? s[0]), x.shape[3]], dtype: x.dtype }];
  },
  InputLayer: (_n, i) => same(i[0]),
  Embedding: (n, i) => (known(i[0]) ? [{ shape: [...i[0].shape, attrInt(n, 'output_dim', known(i[1]) ? i[1].shape[1] : 1)], dtype: 'float32' }] : undefined),
  GRU: kerasRecurrent, LSTM: kerasRecurrent, SimpleRNN: kerasRecurrent,
};

/** Keras recurrent layers: [batch, time, features] → [batch, units] or [batch, time, units]. */
function kerasRecurrent(node: Node, ins: In) {
  const x = ins[0];
  const units = attrInt(node, 'units', -1);
  // ONNX LSTM/GRU/RNN nodes carry hidden_size instead: their rule lives with the ONNX rules.
  if (!known(x) || units < 0 || x.shape.length !== 3) return undefined;
  const seq = attrInt(node, 'return_sequences', 0) === 1;
  return [{ shape: seq ? [x.shape[0], x.shape[1], units] : [x.shape[0], units], dtype: x.dtype }];
}

/** `[[0,1],[0,1]]` (Keras writes some tuples as JSON text) → [0, 1, 0, 1]. */
function jsonInts(text: string): number[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const flat = (JSON.parse(text) as unknown[]).flat(2);
    return flat.every((v) => typeof v === 'number') ? (flat as number[]) : undefined;
  } catch { return undefined; }
}

function kerasReshape(node: Node, ins: In) {
  const x = ins[0];
  const target = attrInts(node, 'target_shape');
  if (!known(x) || !target) return undefined;
  const out = [x.shape[0], ...target];
  const m = out.indexOf(-1);
  if (m > 0) out[m] = prod(x.shape) / prod(out.filter((_, i) => i !== m));
  return [{ shape: out, dtype: x.dtype }];
}

/** The `fused_ops` list of a TF fused node (`BiasAdd`, `Relu`…), empty when none. */
export function fusedOps(node: Node): string[] {
  return attrStrings(node, 'fused_ops') ?? [];
}
