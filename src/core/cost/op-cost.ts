// Arithmetic of one operator application from concrete shapes. Counting convention (also shown to
// users, see COST_CONVENTION in cost.ts):
// - MAC = one multiply-add of a dot product. Only dot-product operators have MACs: Conv,
//   ConvTranspose, MatMul, Gemm, Einsum, attention (Q·Kᵀ and weights·V, plus fused projections),
//   LSTM/GRU/RNN gates, and their TF/Keras counterparts (Conv2D, DepthwiseConv2dNative, Dense…).
// - FLOPs = 2 per MAC, plus 1 per output element for a bias add, and 1 per output element for each
//   elementwise operator (Add, Mul, Relu, Exp, Erf, Tanh, Sigmoid, Gelu… — transcendentals count
//   as one, as in fvcore and thop). Softmax = 3 per element (exp, sum, divide); BatchNorm = 2
//   (scale and shift, folded at inference); LayerNorm/GroupNorm/InstanceNorm = 5 (mean, subtract,
//   square, accumulate, normalize) + 1 per affine parameter; RMSNorm = 3 + 1; pooling = 1 per
//   window element; reductions = 1 per input element.
// - Data movement (Reshape, Transpose, Gather, Concat, Slice, Pad, Cast…) = 0 FLOPs; its cost is
//   the bytes it reads and writes, reported separately.
import type { Node } from '../ir/graph.js';
import { attrFloat, attrInt, attrInts, attrString, attrStrings } from '../explain/values/attributes.js';
import type { KnownValue } from '../shapes/index.js';
import { prod } from '../shapes/small-tensor.js';

/** How a node's count was obtained. */
export type CostBasis = 'dot-product' | 'elementwise' | 'normalization' | 'reduction' | 'data-movement' | 'control-flow' | 'unknown-shape' | 'unsupported';

export interface OpCost {
  macs: number;
  flops: number;
  basis: CostBasis;
  /** One line on what was counted, e.g. `50176 outputs × 147 MACs` or why nothing was. */
  detail: string;
}

type Shaped = KnownValue & { shape: number[] };
const ok = (v: KnownValue | undefined): v is Shaped => !!v && v.shape !== null;
const n = (v: KnownValue | undefined) => (ok(v) ? prod(v.shape) : 0);

const ELEMENTWISE_1 = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Relu', 'LeakyRelu', 'PRelu', 'Abs', 'Neg', 'Sqrt',
  'Reciprocal', 'Exp', 'Log', 'Erf', 'Tanh', 'Sigmoid', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh',
  'Atanh', 'Clip', 'Floor', 'Ceil', 'Round', 'Sign', 'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Where', 'And', 'Or',
  'Xor', 'Not', 'Mod', 'BitShift', 'Elu', 'Selu', 'Celu', 'Softplus', 'Softsign', 'HardSigmoid', 'HardSwish', 'Mish', 'ThresholdedRelu',
  'Gelu', 'FastGelu', 'QuickGelu', 'Swish', 'Relu6', 'Rsqrt', 'Square', 'BiasAdd', 'AddV2', 'RealDiv', 'FloorDiv', 'Maximum', 'Minimum',
  'SquaredDifference', 'Prelu', 'ClipByValue', 'IsNaN', 'IsInf', 'Shrink', 'CumSum', 'Trilu', 'DequantizeLinear', 'QuantizeLinear',
  'Select', 'SelectV2', 'GreaterEqual', 'LessEqual', 'LogicalAnd', 'LogicalOr', 'LogicalNot', 'ReLU', 'ELU', 'PReLU', 'ThresholdedReLU',
  'Rescaling', 'BiasGelu', 'Activation', 'Multiply', 'Subtract', 'Maximum', 'Minimum', 'Normalization', 'QLinearAdd', 'QLinearMul',
  'QLinearSigmoid', 'QLinearLeakyRelu', 'RotaryEmbedding', 'ImageScaler', 'BiasSplitGelu', 'DynamicQuantizeLinear']);
const NARY = new Set(['Sum', 'Mean', 'AddN', 'Average']);
const DATA_MOVEMENT = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Transpose', 'Concat', 'Split', 'Slice', 'Gather',
  'GatherElements', 'GatherND', 'ScatterND', 'ScatterElements', 'Scatter', 'Expand', 'Tile', 'Pad', 'Identity', 'Dropout', 'Cast',
  'CastLike', 'Shape', 'Size', 'Constant', 'ConstantOfShape', 'DepthToSpace', 'SpaceToDepth', 'Range', 'OneHot', 'NonZero', 'Compress',
  'ReverseSequence', 'EyeLike', 'Const', 'Placeholder', 'ConcatV2', 'Pack', 'Unpack', 'StridedSlice', 'GatherV2', 'ExpandDims',
  'PadV2', 'MirrorPad', 'Fill', 'ZerosLike', 'OnesLike', 'IdentityN', 'NoOp', 'StopGradient', 'InputLayer', 'ZeroPadding2D',
  'Concatenate', 'Permute', 'SpatialDropout2D', 'GaussianNoise', 'Cropping2D', 'RepeatVector', 'SplitV', 'Bitcast', 'Optional',
  'Embedding', 'UpSampling2D', 'ResizeNearestNeighbor', 'RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike',
  'ConstantFill', 'Multinomial', 'Bernoulli', 'QLinearConcat', 'SequenceAt', 'SequenceLength', 'ConcatFromSequence', 'SequenceConstruct',
  'SequenceInsert', 'SplitToSequence', 'Unique']);
const REDUCE = new Set(['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceLogSum', 'ArgMax', 'ArgMin',
  'Mean', 'Sum', 'Max', 'Min', 'Prod', 'Any', 'All', 'TopK']);
const REDUCE_2 = new Set(['ReduceL2', 'ReduceSumSquare', 'ReduceLogSumExp']);

const UNKNOWN_SHAPE: OpCost = { macs: 0, flops: 0, basis: 'unknown-shape', detail: 'shapes unknown for these input dims' };
/** Dot-product ops: with a shape missing their count is unknown, not unsupported. */
const DOT_OPS = new Set(['Conv', 'ConvInteger', 'QLinearConv', 'ConvTranspose', 'MatMul', 'MatMulInteger', 'FusedMatMul', 'QLinearMatMul',
  'Gemm', 'Einsum', 'Attention', 'MultiHeadAttention', 'GroupQueryAttention', 'LSTM', 'GRU', 'RNN', 'MatMulIntegerToFloat',
  'MatMulNBits', 'MatMulBnb4', 'Conv2D', 'FusedConv2D', '_FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative',
  'BatchMatMul', 'BatchMatMulV2', '_FusedMatMul', 'Dense', 'Conv1D', 'DepthwiseConv2D', 'SeparableConv2D']);
const dot = (macs: number, extra: number, detail: string): OpCost => ({ macs, flops: 2 * macs + extra, basis: 'dot-product', detail });
const elem = (flops: number, detail: string, basis: CostBasis = 'elementwise'): OpCost => ({ macs: 0, flops, basis, detail });

/** Activation applied inside a layer (Keras `activation`, TF `fused_ops`): 1 FLOP per output, softmax 3, linear 0. */
function activationFlops(name: string, outputs: number): number {
  const a = name.toLowerCase();
  if (!a || a === 'linear' || a === 'none' || a === 'biasadd') return 0;
  return a === 'softmax' ? 3 * outputs : outputs;
}

function convCost(node: Node, x: Shaped, w: Shaped, y: Shaped, hasBias: boolean): OpCost {
  const perOut = prod(w.shape.slice(1));
  const out = prod(y.shape);
  return dot(out * perOut, hasBias ? out : 0, `${out} outputs × ${perOut} MACs (${w.shape[1]} in-channels/group × kernel ${w.shape.slice(2).join('×')})`);
}

function gemmCost(node: Node, a: Shaped, y: Shaped, c: KnownValue | undefined): OpCost {
  const K = attrInt(node, 'transA', 0) ? a.shape[0] : a.shape[1];
  const out = prod(y.shape);
  const extra = (ok(c) ? out : 0) + (attrFloat(node, 'alpha', 1) !== 1 ? out : 0) + (ok(c) && attrFloat(node, 'beta', 1) !== 1 ? out : 0);
  return dot(out * K, extra, `${y.shape.join('×')} outputs × K=${K}`);
}

function matmulCost(a: Shaped, y: Shaped, transA = false): OpCost {
  const K = a.shape.length === 1 ? a.shape[0] : transA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
  const out = prod(y.shape);
  return dot(out * K, 0, `${out} outputs × K=${K}`);
}

function einsumCost(node: Node, ins: readonly (KnownValue | undefined)[]): OpCost | undefined {
  const eq = attrString(node, 'equation', '').replace(/\s/g, '');
  const terms = eq.split('->')[0].split(',');
  if (terms.length !== ins.length || !ins.every(ok) || terms.some((t, i) => t.includes('.') || t.length !== (ins[i] as Shaped).shape.length)) return undefined;
  const size = new Map<string, number>();
  terms.forEach((t, i) => [...t].forEach((c, j) => size.set(c, Math.max(size.get(c) ?? 1, (ins[i] as Shaped).shape[j]))));
  const all = prod([...size.values()]);
  if (terms.length === 1) return elem(n(ins[0]), `sum over ${eq}`, 'reduction');
  return dot(all * (terms.length - 1), 0, `every index of ${eq} (${all} products)`);
}

function attentionCost(node: Node, ins: readonly (KnownValue | undefined)[], y: Shaped): OpCost | undefined {
  const heads = attrInt(node, ['num_heads', 'q_num_heads'], 1);
  if (node.domain === 'com.microsoft' && node.opType === 'Attention') {
    const x = ins[0], w = ins[1];
    if (!ok(x) || !ok(w)) return undefined;
    const [B, S, Din] = x.shape;
    const sizes = attrInts(node, 'qkv_hidden_sizes') ?? [w.shape[1] / 3, w.shape[1] / 3, w.shape[1] / 3];
    const past = ins[4];
    const L = S + (ok(past) && past.shape.length === 5 ? past.shape[3] : 0);
    const proj = B * S * Din * w.shape[1];
    const scores = B * S * L * sizes[0];
    const ctx = B * S * L * sizes[2];
    const extra = (ok(ins[2]) ? B * S * w.shape[1] : 0) + 4 * B * heads * S * L;
    return dot(proj + scores + ctx, extra, `QKV projection ${proj} + Q·Kᵀ ${scores} + weights·V ${ctx} MACs; softmax and scale 4 FLOPs per score`);
  }
  const q = ins[0], k = ins[1], v = ins[2];
  if (!ok(q)) return undefined;
  let B: number, S: number, L: number, dq: number, dv: number, h = heads;
  if (q.shape.length === 4) {
    [B, h, S, dq] = q.shape;
    L = ok(k) ? k.shape[k.shape.length - 2] : S;
    dv = ok(v) ? v.shape[v.shape.length - 1] : dq;
    dq *= h; dv *= h;
  } else {
    [B, S, dq] = q.shape;
    L = ok(k) && k.shape.length === 3 ? k.shape[1] : ok(k) && k.shape.length === 4 ? k.shape[2] : S;
    const kvHeads = attrInt(node, ['kv_num_heads'], h);
    dv = ok(v) && v.shape.length === 3 ? (v.shape[2] / kvHeads) * h : dq;
    const pastKey = node.opType === 'GroupQueryAttention' ? ins[3] : node.opType === 'MultiHeadAttention' ? ins[6] : undefined;
    if (ok(pastKey) && pastKey.shape.length === 4) L += pastKey.shape[2];
  }
  const scores = B * S * L * dq, ctx = B * S * L * dv;
  return dot(scores + ctx, 4 * B * h * S * L, `Q·Kᵀ ${scores} + weights·V ${ctx} MACs (${h} heads, ${S}×${L} scores); softmax and scale 4 FLOPs per score`);
}

function recurrentCost(node: Node, x: Shaped, w: Shaped): OpCost {
  const gates = node.opType === 'LSTM' ? 4 : node.opType === 'GRU' ? 3 : 1;
  const H = attrInt(node, 'hidden_size', w.shape[1] / gates);
  const dirs = w.shape[0], I = w.shape[2];
  const [seq, batch] = attrInt(node, 'layout', 0) ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]];
  const steps = dirs * seq * batch;
  const gateMath = node.opType === 'LSTM' ? 9 : node.opType === 'GRU' ? 10 : 1;
  return dot(steps * gates * H * (I + H), steps * H * (2 * gates + gateMath), `${dirs}×${seq}×${batch} steps × ${gates} gates × ${H}×(${I}+${H}) MACs`);
}

const hasUnits = (node: Node) => node.attributes.some((a) => a.name === 'units');

/** Keras LSTM/GRU/SimpleRNN over [batch, time, features]. */
function kerasRecurrentCost(node: Node, x: Shaped): OpCost {
  const gates = node.opType === 'LSTM' ? 4 : node.opType === 'GRU' ? 3 : 1;
  const H = attrInt(node, 'units', 1);
  const [batch, seq, I] = x.shape.length === 3 ? x.shape : [x.shape[0], 1, x.shape[x.shape.length - 1]];
  const steps = batch * seq;
  const gateMath = node.opType === 'LSTM' ? 9 : node.opType === 'GRU' ? 10 : 1;
  return dot(steps * gates * H * (I + H), steps * H * (2 * gates + gateMath), `${seq}×${batch} steps × ${gates} gates × ${H}×(${I}+${H}) MACs`);
}

function tfConvCost(node: Node, f: Shaped, y: Shaped): OpCost {
  const out = prod(y.shape);
  const depthwise = /Depthwise/.test(node.opType);
  const perOut = depthwise ? prod(f.shape.slice(0, -2)) : prod(f.shape.slice(0, -1));
  const extra = fusedOps(node).reduce((a, op) => a + (/BatchNorm/.test(op) ? 2 * out : activationFlops(op === 'BiasAdd' ? 'bias' : op, out)), 0);
  return dot(out * perOut, extra, `${out} outputs × ${perOut} MACs${fusedOps(node).length ? ` + fused ${fusedOps(node).join(', ')}` : ''}`);
}

function kerasLayerCost(node: Node, x: Shaped, y: Shaped, ins: readonly (KnownValue | undefined)[]): OpCost | undefined {
  const out = prod(y.shape);
  const act = activationFlops(attrString(node, 'activation', 'linear'), out);
  const weights = ins.slice(1).filter(ok);
  const hasBias = attrInt(node, 'use_bias', weights.length > 1 ? 1 : 0) === 1;
  const extra = act + (hasBias ? out : 0);
  const cf = attrString(node, 'data_format', 'channels_last') === 'channels_first';
  const cin = cf ? x.shape[1] : x.shape[x.shape.length - 1];
  const cout = cf ? y.shape[1] : y.shape[y.shape.length - 1];
  const nsp = x.shape.length - 2;
  const ks = attrInts(node, 'kernel_size') ?? weights[0]?.shape.slice(0, nsp) ?? [1];
  const k = ks.length === 1 ? ks[0] ** Math.max(1, nsp) : prod(ks);
  switch (node.opType) {
    case 'Dense': return dot(out * x.shape[x.shape.length - 1], extra, `${out} outputs × ${x.shape[x.shape.length - 1]} inputs`);
    case 'Conv1D': case 'Conv2D': case 'Conv3D': {
      const groups = attrInt(node, 'groups', 1);
      return dot(out * k * (cin / groups), extra, `${out} outputs × kernel ${k} × ${cin / groups} in-channels`);
    }
    case 'DepthwiseConv2D': return dot(out * k, extra, `${out} outputs × kernel ${k}`);
    case 'SeparableConv2D': {
      const mult = attrInt(node, 'depth_multiplier', 1);
      const spatial = out / cout;
      return dot(spatial * cin * mult * k + out * cin * mult, extra, `depthwise ${spatial * cin * mult}×${k} + pointwise ${out}×${cin * mult}`);
    }
  }
  return undefined;
}

/** MACs and FLOPs of one node given its inputs' and outputs' concrete shapes. */
export function operatorCost(node: Node, ins: readonly (KnownValue | undefined)[], outs: readonly (KnownValue | undefined)[]): OpCost {
  const op = node.opType;
  const y = outs[0];
  if (DATA_MOVEMENT.has(op)) return elem(0, op === 'Embedding' ? 'table lookup, no arithmetic' : 'moves data, no arithmetic', 'data-movement');
  if (!ok(y)) return UNKNOWN_SHAPE;
  const out = prod(y.shape);
  const x = ins[0];

  switch (op) {
    case 'Conv': case 'ConvInteger':
      if (ok(x) && ok(ins[1])) return convCost(node, x, ins[1], y, ok(ins[2]));
      break;
    case 'QLinearConv':
      if (ok(ins[0]) && ok(ins[3])) return convCost(node, ins[0], ins[3], y, ok(ins[8]));
      break;
    case 'ConvTranspose':
      if (ok(x) && ok(ins[1])) {
        const perIn = prod(ins[1].shape.slice(1));
        return dot(prod(x.shape) * perIn, ok(ins[2]) ? out : 0, `${prod(x.shape)} inputs × ${perIn} MACs scattered`);
      }
      break;
    case 'MatMul': case 'MatMulInteger': case 'FusedMatMul': case 'MatMulIntegerToFloat':
      if (ok(x)) return matmulCost(x, y, attrInt(node, ['transpose_a', 'transA'], 0) === 1);
      break;
    case 'QLinearMatMul':
      if (ok(x)) return matmulCost(x, y);
      break;
    case 'MatMulNBits': case 'MatMulBnb4': {
      const K = attrInt(node, 'K', ok(x) ? x.shape[x.shape.length - 1] : 0);
      return dot(out * K, 0, `${out} outputs × K=${K} (weights packed to ${attrInt(node, 'bits', 4)} bits)`);
    }
    case 'Gemm':
      if (ok(x)) return gemmCost(node, x, y, ins[2]);
      break;
    case 'Einsum': { const c = einsumCost(node, ins); if (c) return c; break; }
    case 'Attention': case 'MultiHeadAttention': case 'GroupQueryAttention': { const c = attentionCost(node, ins, y); if (c) return c; break; }
    case 'LSTM': case 'GRU': case 'RNN': case 'SimpleRNN':
      if (ok(x) && hasUnits(node)) return kerasRecurrentCost(node, x);
      if (ok(x) && ok(ins[1])) return recurrentCost(node, x, ins[1]);
      break;
    case 'Conv2D': case 'FusedConv2D': case '_FusedConv2D': case 'DepthwiseConv2dNative': case 'FusedDepthwiseConv2dNative': case 'Conv1D':
    case 'DepthwiseConv2D': case 'SeparableConv2D': case 'Dense': case 'Conv3D':
      if (ok(x)) {
        const keras = kerasLayerCost(node, x, y, ins);
        const isTfOp = !node.attributes.some((a) => a.name === 'filters' || a.name === 'units' || a.name === 'kernel_size') && ok(ins[1]) && op !== 'Dense';
        if (isTfOp) return tfConvCost(node, ins[1] as Shaped, y);
        if (keras) return keras;
      }
      break;
    case 'BatchMatMul': case 'BatchMatMulV2': case '_FusedMatMul':
      if (ok(x)) {
        const c = matmulCost(x, y, attrInt(node, ['transpose_a', 'adj_x'], 0) === 1);
        const extra = fusedOps(node).reduce((a, f) => a + activationFlops(f === 'BiasAdd' ? 'bias' : f, out), 0);
        return { ...c, flops: c.flops + extra };
      }
      break;
  }

  if (DOT_OPS.has(op)) return UNKNOWN_SHAPE;
  if (ELEMENTWISE_1.has(op)) {
    if (op === 'Activation') return elem(activationFlops(attrString(node, 'activation', 'linear'), out), `${out} elements`);
    const per = op === 'BiasGelu' || op === 'SquaredDifference' ? 2 : 1;
    return elem(per * out, `${out} elements × ${per}`);
  }
  if (NARY.has(op)) {
    const k = node.inputs.filter((v) => v).length;
    const per = Math.max(1, k - 1) + (op === 'Mean' || op === 'Average' ? 1 : 0);
    return elem(per * out, `${out} elements × ${per}`);
  }
  switch (op) {
    case 'Softmax': case 'LogSoftmax': return elem(3 * out, `${out} elements × 3 (exp, sum, divide)`);
    case 'Hardmax': return elem(out, `${out} elements`);
    case 'BatchNormalization': case 'FusedBatchNorm': case 'FusedBatchNormV2': case 'FusedBatchNormV3':
      return elem(2 * out, `${out} elements × 2 (scale, shift)`, 'normalization');
    case 'LayerNormalization': case 'GroupNormalization': case 'InstanceNormalization': case 'MeanVarianceNormalization': {
      const affine = (ok(ins[1]) ? 1 : 0) + (ok(ins[2]) ? 1 : 0);
      return elem((5 + affine) * out, `${out} elements × ${5 + affine}`, 'normalization');
    }
    case 'SimplifiedLayerNormalization': case 'RMSNormalization': {
      const per = 3 + (ok(ins[1]) ? 1 : 0);
      return elem(per * out, `${out} elements × ${per}`, 'normalization');
    }
    case 'SkipLayerNormalization': case 'SkipSimplifiedLayerNormalization': {
      const base = op === 'SkipLayerNormalization' ? 7 : 4;
      const per = base + 1 + (ok(ins[4]) ? 1 : 0);
      return elem(per * out, `${out} elements × ${per} (skip add + norm)`, 'normalization');
    }
    case 'GridSample': {
      const mode = attrString(node, ['mode'], 'linear');
      const taps = mode === 'nearest' ? 0 : mode === 'cubic' || mode === 'bicubic' ? 16 : 4;
      return elem(2 * taps * out, `${out} outputs × ${taps} taps × 2`);
    }
    case 'GroupNorm': return elem(7 * out, `${out} elements × 7`, 'normalization');
    case 'LpNormalization': return elem(3 * out, `${out} elements × 3 (power, sum, divide)`, 'normalization');
    case 'SoftmaxCrossEntropyLoss': case 'NegativeLogLikelihoodLoss': return elem(4 * n(x), `${n(x)} scores × 4 (softmax, log, pick, average)`, 'reduction');
    case 'QLinearAveragePool': case 'QLinearGlobalAveragePool': return elem(n(x), `${n(x)} input elements`, 'reduction');
    case 'LRN': { const size = attrInt(node, 'size', 5); return elem((size + 3) * out, `${out} elements × ${size + 3}`, 'normalization'); }
    case 'MaxPool': case 'AveragePool': case 'LpPool': case 'AvgPool': case 'MaxPooling2D': case 'AveragePooling2D': case 'MaxPooling1D': case 'AveragePooling1D': {
      const ks = attrInts(node, ['kernel_shape', 'ksize', 'pool_size']) ?? [1];
      const nsp = y.shape.length - 2;
      const k = ks.length === nsp + 2 ? prod(ks) : ks.length === 1 ? ks[0] ** nsp : prod(ks);
      return elem(out * k, `${out} outputs × window ${k}`, 'reduction');
    }
    case 'GlobalAveragePool': case 'GlobalMaxPool': case 'GlobalLpPool': case 'GlobalAveragePooling2D': case 'GlobalMaxPooling2D': case 'GlobalAveragePooling1D':
      return elem(n(x), `${n(x)} input elements`, 'reduction');
    case 'Resize': case 'Upsample': case 'ResizeBilinear': {
      const mode = attrString(node, 'mode', op === 'ResizeBilinear' ? 'linear' : 'nearest');
      if (mode === 'nearest') return elem(0, 'nearest-neighbour copy', 'data-movement');
      const axes = ok(x) ? x.shape.filter((d, i) => d !== y.shape[i]).length : 2;
      return elem(3 * axes * out, `${out} outputs × 3 per interpolated axis (${axes})`);
    }
  }
  if (REDUCE.has(op)) return elem(n(x), `${n(x)} input elements`, 'reduction');
  if (REDUCE_2.has(op)) return elem(2 * n(x), `${n(x)} input elements × 2`, 'reduction');
  return { macs: 0, flops: 0, basis: 'unsupported', detail: `no cost rule for ${node.domain ? node.domain + '.' : ''}${op}` };
}

/** The `fused_ops` list of a TF fused node (`BiasAdd`, `Relu`…), empty when none. */
function fusedOps(node: Node): string[] {
  return attrStrings(node, 'fused_ops') ?? [];
}
