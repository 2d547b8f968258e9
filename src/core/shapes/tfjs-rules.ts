// Shape rules of TensorFlow ops (TF.js graph models, NHWC by default). Names both formats share
// (Add, Mul, Relu…) come from the ONNX rules; Keras layers live in keras-rules.ts.
import type { Node } from '../ir/graph.js';
import { attrInt, attrInts, attrString } from '../explain/values/attributes.js';
import { addDim, allNumbers, broadcastDims, type Dim } from './dims.js';
import { known, normAxis, numbers, same, tensorOf, withValues, type In, type ShapeRule, type Shaped } from './fact.js';
import { reduceShape } from './onnx-elementwise-rules.js';
import { matmulShape } from './onnx-layer-rules.js';
import { concatFacts, gatherFacts, insertAxes, permuteFact, reshapeDims } from './onnx-tensor-rules.js';
import { sliceByIndices } from './small-tensor.js';
import { resolvePads, spatialOutput, windowOutput } from './window.js';

/** Spatial geometry of a TF conv/pool: NHWC unless data_format says NCHW. */
export function tfWindow(node: Node, x: readonly number[], kernel: readonly number[]): { channelsFirst: boolean; spatial: number[]; strides: number[]; dilations: number[]; padsBegin: number[]; padsEnd: number[]; output: number[] } {
  const channelsFirst = isChannelsFirst(node);
  const spatial = channelsFirst ? x.slice(2) : x.slice(1, -1);
  const n = spatial.length;
  const strides = pickSpatial(node, attrInts(node, ['strides']), 1, n);
  const dilations = pickSpatial(node, attrInts(node, ['dilations', 'dilation_rate']), 1, n);
  const mode = attrString(node, 'padding', 'VALID').toUpperCase();
  const explicit = attrInts(node, 'explicit_paddings');
  const ex = explicit && explicit.length === 2 * (n + 2)
    ? (() => { const sp = channelsFirst ? explicit.slice(4) : explicit.slice(2, -2); return [...sp.filter((_, i) => i % 2 === 0), ...sp.filter((_, i) => i % 2 === 1)]; })()
    : undefined;
  const pads = resolvePads(mode === 'EXPLICIT' ? 'NOTSET' : mode, spatial, kernel, strides, dilations, ex);
  const output = spatial.map((s, i) => windowOutput(s, kernel[i], strides[i], dilations[i], pads.begin[i], pads.end[i]));
  return { channelsFirst, spatial, strides, dilations, padsBegin: pads.begin, padsEnd: pads.end, output };
}

export const isChannelsFirst = (node: Node) => /^NC/.test(attrString(node, 'data_format', 'NHWC')) || attrString(node, 'data_format', '') === 'channels_first';

function pickSpatial(node: Node, v: number[] | undefined, def: number, n: number): number[] {
  if (!v || !v.length) return new Array(n).fill(def);
  if (v.length === n + 2) return isChannelsFirst(node) ? v.slice(2) : v.slice(1, -1);
  if (v.length === 1) return new Array(n).fill(v[0]);
  return v.slice(0, n);
}

/** Output spatial dims of a TF window over `x` (dims may be symbolic). */
export function tfSpatialOutput(node: Node, x: readonly Dim[], kernel: readonly number[]): Dim[] {
  const cf = isChannelsFirst(node);
  const spatial = cf ? x.slice(2) : x.slice(1, -1);
  const strides = pickSpatial(node, attrInts(node, ['strides']), 1, spatial.length);
  const same = attrString(node, 'padding', 'VALID').toUpperCase() === 'SAME';
  const placeholder = (d: Dim) => (typeof d === 'number' ? d : 1);
  return spatialOutput(spatial, strides, same, () => tfWindow(node, x.map(placeholder), kernel).output);
}

/** `x` with its spatial dims replaced and `channels` in the channel position. */
export function withSpatial(node: Node, x: readonly Dim[], spatial: Dim[], channels: Dim): Dim[] {
  return isChannelsFirst(node) ? [x[0], channels, ...spatial] : [x[0], ...spatial, channels];
}

export function tfConv(node: Node, ins: In) {
  const x = ins[0], f = ins[1];
  if (!known(x) || !known(f) || !allNumbers(f.shape)) return undefined;
  const kernel = f.shape.slice(0, -2);
  const depthwise = /Depthwise/.test(node.opType);
  const cout = depthwise ? f.shape[f.shape.length - 2] * f.shape[f.shape.length - 1] : f.shape[f.shape.length - 1];
  return [{ shape: withSpatial(node, x.shape, tfSpatialOutput(node, x.shape, kernel), cout), dtype: x.dtype }];
}

export function tfPool(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const cf = /^NC/.test(attrString(node, 'data_format', 'NHWC'));
  const ks = attrInts(node, ['ksize', 'pool_size']) ?? [1];
  const n = x.shape.length - 2;
  const kernel = ks.length === n + 2 ? (cf ? ks.slice(2) : ks.slice(1, -1)) : ks.length === 1 ? new Array(n).fill(ks[0]) : ks;
  const channels = cf ? x.shape[1] : x.shape[x.shape.length - 1];
  return [{ shape: withSpatial(node, x.shape, tfSpatialOutput(node, x.shape, kernel), channels), dtype: x.dtype }];
}

function tfMatMul(node: Node, ins: In) {
  const a = ins[0], b = ins[1];
  if (!known(a) || !known(b)) return undefined;
  const ta = attrInt(node, ['transpose_a', 'adj_x'], 0), tb = attrInt(node, ['transpose_b', 'adj_y'], 0);
  const swap = (s: Dim[], t: number) => (t && s.length >= 2 ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
  const shape = matmulShape(swap(a.shape, ta), swap(b.shape, tb));
  return shape ? [{ shape, dtype: a.dtype }] : undefined;
}

export function tfBroadcast(_node: Node, ins: In) {
  const p = ins.filter((v) => v !== undefined);
  if (!p.length || !p.every(known)) return undefined;
  const shape = broadcastDims(p.map((v) => v.shape));
  return shape ? [{ shape, dtype: p[p.length - 1].dtype }] : undefined;
}

function tfReduce(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const axes = numbers(ins[1]?.values) ?? attrInts(node, ['axis', 'axes']) ?? x.shape.map((_, i) => i);
  return [{ shape: reduceShape(x.shape, axes, attrInt(node, ['keep_dims', 'keepdims'], 0) === 1), dtype: x.dtype }];
}

export function tfReshape(_node: Node, ins: In) {
  const x = ins[0], s = ins[1];
  if (!known(x) || !s?.values) return undefined;
  // TF has no 0-copies-the-input-dim rule: a 0 in the target is a size.
  return [withValues(reshapeDims(x.shape, s.values, true), x.values, x.dtype)];
}

export function tfConcat(node: Node, ins: In) {
  const v2 = node.opType !== 'Concat';
  const axisV = (v2 ? ins[ins.length - 1] : ins[0])?.values?.[0];
  const axis = typeof axisV === 'number' ? axisV : attrInt(node, 'axis', -1);
  const parts = v2 ? ins.slice(0, -1) : ins.slice(1);
  if (!parts.length || !parts.every(known)) return undefined;
  return [concatFacts(parts as Shaped[], axis)];
}

function tfPack(node: Node, ins: In) {
  const p = ins.filter(known);
  if (p.length !== ins.length || !p.length) return undefined;
  const axis = normAxis(attrInt(node, 'axis', 0), p[0].shape.length + 1);
  return [concatFacts(p.map((v) => insertAxes(v, [axis]) as Shaped), axis)];
}

function tfStridedSlice(node: Node, ins: In) {
  const x = ins[0];
  const [b, e, s] = [numbers(ins[1]?.values), numbers(ins[2]?.values), numbers(ins[3]?.values)];
  if (!known(x) || !allNumbers(x.shape) || !b || !e) return undefined;
  if (attrInt(node, 'ellipsis_mask', 0) || attrInt(node, 'new_axis_mask', 0)) return undefined;
  const dims = x.shape;
  const bm = attrInt(node, 'begin_mask', 0), em = attrInt(node, 'end_mask', 0), sm = attrInt(node, 'shrink_axis_mask', 0);
  const per: number[][] = dims.map((d) => Array.from({ length: d }, (_, i) => i));
  for (let i = 0; i < b.length; i++) {
    const d = dims[i], step = s?.[i] ?? 1;
    if (sm & (1 << i)) { per[i] = [normAxis(b[i], d)]; continue; }
    let lo = bm & (1 << i) ? (step > 0 ? 0 : d - 1) : normAxis(b[i], d);
    let hi = em & (1 << i) ? (step > 0 ? d : -1) : normAxis(e[i], d);
    lo = Math.max(step > 0 ? 0 : -1, Math.min(lo, step > 0 ? d : d - 1));
    hi = Math.max(step > 0 ? 0 : -1, Math.min(hi, step > 0 ? d : d - 1));
    const idx: number[] = [];
    for (let k = lo; step > 0 ? k < hi : k > hi; k += step) idx.push(k);
    per[i] = idx;
  }
  const t = tensorOf(x);
  const sliced = t ? sliceByIndices(t, per) : undefined;
  const shape = per.map((l) => l.length).filter((_, i) => !(sm & (1 << i)));
  return [withValues(shape, sliced?.values, x.dtype)];
}

function tfGather(node: Node, ins: In) {
  const x = ins[0], idx = ins[1];
  if (!known(x) || !known(idx)) return undefined;
  const a = ins[2]?.values?.[0];
  return [gatherFacts(x, idx, typeof a === 'number' ? a : attrInt(node, 'axis', 0))];
}

function tfPad(_node: Node, ins: In) {
  const x = ins[0], p = numbers(ins[1]?.values);
  if (!known(x) || !p) return undefined;
  return [{ shape: x.shape.map((d, i) => addDim(d, (p[2 * i] ?? 0) + (p[2 * i + 1] ?? 0))), dtype: x.dtype }];
}

function tfSqueeze(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const axes = (attrInts(node, ['squeeze_dims', 'axis']) ?? []).map((a) => normAxis(a, x.shape.length));
  if (!axes.length && !allNumbers(x.shape)) return undefined;
  return [withValues(x.shape.filter((d, i) => (axes.length ? !axes.includes(i) : d !== 1)), x.values, x.dtype)];
}

function tfExpandDims(_node: Node, ins: In) {
  const x = ins[0], a = ins[1]?.values?.[0];
  if (!known(x) || typeof a !== 'number') return undefined;
  return [insertAxes(x, [normAxis(a, x.shape.length + 1)])];
}

function tfTranspose(_node: Node, ins: In) {
  const x = ins[0], p = numbers(ins[1]?.values);
  if (!known(x) || !p) return undefined;
  return [permuteFact(x, p)];
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

const UNARY = ['Relu', 'Relu6', 'Elu', 'Selu', 'Sigmoid', 'Tanh', 'Softplus', 'Exp', 'Log', 'Sqrt', 'Rsqrt', 'Square', 'Neg', 'Abs',
  'LeakyRelu', 'Identity', 'Softmax', 'LogSoftmax', 'Floor', 'Ceil', 'Round', 'Sign', 'Reciprocal', 'Erf', 'Sin', 'Cos',
  'FusedBatchNorm', 'FusedBatchNormV2', 'FusedBatchNormV3', 'LRN', 'ClipByValue', 'BiasAdd', 'Cast', 'Swish', 'Gelu', 'IdentityN'];
const BROADCAST = ['AddV2', 'AddN', 'Sub', 'RealDiv', 'FloorDiv', 'Maximum', 'Minimum', 'SquaredDifference', 'GreaterEqual',
  'LessEqual', 'LogicalAnd', 'LogicalOr', 'Select', 'SelectV2', 'Prelu'];

const reduceOrBroadcast: ShapeRule = (n, i) => (i.length === 2 && i[1]?.values ? tfReduce(n, i) : tfBroadcast(n, i));

/** Shape rules for TF ops (ONNX rules cover the names both share, e.g. Add, Mul). */
export const TF_OP_RULES: Record<string, ShapeRule> = {
  ...Object.fromEntries(UNARY.map((op) => [op, (_n: Node, i: In) => [same(i[0])]])),
  ...Object.fromEntries(BROADCAST.map((op) => [op, tfBroadcast])),
  Conv2D: tfConv, FusedConv2D: tfConv, _FusedConv2D: tfConv, DepthwiseConv2dNative: tfConv, FusedDepthwiseConv2dNative: tfConv,
  MaxPool: tfPool, AvgPool: tfPool,
  BatchMatMul: tfMatMul, BatchMatMulV2: tfMatMul, _FusedMatMul: tfMatMul, MatMul: tfMatMul,
  Mean: tfReduce, Sum: tfReduce, Max: reduceOrBroadcast, Min: reduceOrBroadcast, Prod: tfReduce, Any: tfReduce, All: tfReduce,
  ArgMax: (n, i) => { const r = tfReduce(n, i); return r ? [{ ...r[0], dtype: 'int32' }] : undefined; },
  Reshape: tfReshape, ConcatV2: tfConcat, Concat: tfConcat,
  Pack: tfPack, StridedSlice: tfStridedSlice, GatherV2: tfGather, Pad: (n, i) => (i[1]?.values ? tfPad(n, i) : undefined),
  PadV2: tfPad, MirrorPad: tfPad, Squeeze: tfSqueeze, ExpandDims: tfExpandDims, Transpose: tfTranspose, Shape: tfShape,
  ResizeBilinear: tfResize, ResizeNearestNeighbor: tfResize,
};
