// Shape rules of Keras layers (TF.js layers models: batch first, channels last), and the table a
// TF.js model uses: ONNX rules for the names both share, TF op rules, then these layers.
import type { Node } from '../ir/graph.js';
import { attrInt, attrInts, attrString } from '../explain/values/attributes.js';
import { addDim, allNumbers, mulDim, prodDims, type Dim } from './dims.js';
import { known, same, type In, type ShapeRule } from './fact.js';
import { ONNX_RULES } from './onnx-rules.js';
import { reshapeDims } from './onnx-tensor-rules.js';
import { TF_OP_RULES, tfBroadcast, tfConcat, tfConv, tfPool, tfReshape, tfSpatialOutput, withSpatial, isChannelsFirst } from './tfjs-rules.js';

function kerasDense(node: Node, ins: In) {
  const x = ins[0];
  const kernel = ins.slice(1).find((v) => known(v) && v.shape.length === 2);
  const fromKernel = known(kernel) && typeof kernel.shape[1] === 'number' ? kernel.shape[1] : -1;
  const units = attrInt(node, 'units', fromKernel);
  if (!known(x) || units < 0) return undefined;
  return [{ shape: [...x.shape.slice(0, -1), units], dtype: x.dtype }];
}

function kerasConv(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const n = x.shape.length - 2;
  const kernelW = ins.slice(1).find((v) => known(v) && v.shape.length === n + 2 && allNumbers(v.shape));
  const wShape = known(kernelW) && allNumbers(kernelW.shape) ? kernelW.shape : undefined;
  const ks = attrInts(node, 'kernel_size') ?? wShape?.slice(0, n);
  if (!ks) return undefined;
  const kernel = ks.length === 1 ? new Array(n).fill(ks[0]) : ks;
  const cin = isChannelsFirst(node) ? x.shape[1] : x.shape[x.shape.length - 1];
  const depthwise = node.opType === 'DepthwiseConv2D';
  const cout: Dim = depthwise ? mulDim(cin, attrInt(node, 'depth_multiplier', 1)) : attrInt(node, 'filters', wShape ? wShape[n + 1] : -1);
  if (cout === -1) return undefined;
  return [{ shape: withSpatial(node, x.shape, tfSpatialOutput(node, x.shape, kernel), cout), dtype: x.dtype }];
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
  const out = reshapeDims(x.shape, [x.shape[0], ...target], true);
  return [{ shape: out, dtype: x.dtype }];
}

function zeroPadding2D(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const p = attrInts(node, 'padding') ?? jsonInts(attrString(node, 'padding', '')) ?? [0];
  const [t, b, l, r] = p.length >= 4 ? p : p.length === 2 ? [p[0], p[0], p[1], p[1]] : [p[0], p[0], p[0], p[0]];
  return [{ shape: [x.shape[0], addDim(x.shape[1], t + b), addDim(x.shape[2], l + r), x.shape[3]], dtype: x.dtype }];
}

function upSampling2D(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const s = attrInts(node, 'size') ?? [2, 2];
  return [{ shape: [x.shape[0], mulDim(x.shape[1], s[0]), mulDim(x.shape[2], s[1] ?? s[0]), x.shape[3]], dtype: x.dtype }];
}

function embedding(node: Node, ins: In) {
  const x = ins[0], w = ins[1];
  if (!known(x)) return undefined;
  const fromWeight = known(w) && typeof w.shape[1] === 'number' ? w.shape[1] : 1;
  return [{ shape: [...x.shape, attrInt(node, 'output_dim', fromWeight)], dtype: 'float32' as const }];
}

const KERAS_SAME_SHAPE = ['Activation', 'ReLU', 'Dropout', 'SpatialDropout2D', 'GaussianNoise', 'BatchNormalization', 'LayerNormalization',
  'ELU', 'PReLU', 'Softmax', 'ThresholdedReLU', 'Rescaling', 'Normalization', 'InputLayer'];
const KERAS_MERGE = ['Multiply', 'Subtract', 'Average', 'Minimum'];

/** Keras layer types (some share a name with a TF op: the rule tells them apart by their inputs). */
const KERAS_RULES: Record<string, ShapeRule> = {
  ...Object.fromEntries(KERAS_SAME_SHAPE.map((op) => [op, (_n: Node, i: In) => [same(i[0])]])),
  ...Object.fromEntries(KERAS_MERGE.map((op) => [op, tfBroadcast])),
  Conv2D: (n, i) => (n.inputs.length > 1 && i[1]?.shape?.length === 4 && !n.attributes.some((a) => a.name === 'filters') ? tfConv(n, i) : kerasConv(n, i)),
  Conv1D: kerasConv, DepthwiseConv2D: kerasConv, SeparableConv2D: kerasConv,
  MaxPooling2D: tfPool, AveragePooling2D: tfPool, MaxPooling1D: tfPool, AveragePooling1D: tfPool,
  GlobalAveragePooling2D: kerasGlobalPool, GlobalMaxPooling2D: kerasGlobalPool, GlobalAveragePooling1D: kerasGlobalPool,
  Reshape: (n, i) => (i[1]?.values ? tfReshape(n, i) : kerasReshape(n, i)),
  Concatenate: (n, i) => tfConcat(n, [...i, { shape: [], values: [attrInt(n, 'axis', -1)] }]),
  Dense: kerasDense, Flatten: (_n, i) => (known(i[0]) ? [{ shape: [i[0].shape[0], prodDims(i[0].shape.slice(1))], dtype: i[0].dtype }] : undefined),
  ZeroPadding2D: zeroPadding2D, UpSampling2D: upSampling2D, Embedding: embedding,
  GRU: kerasRecurrent, LSTM: kerasRecurrent, SimpleRNN: kerasRecurrent,
};

/** Every rule a TF.js model's nodes may need, by op or layer type. */
export const TFJS_RULES: Record<string, ShapeRule> = { ...ONNX_RULES, ...TF_OP_RULES, ...KERAS_RULES };
