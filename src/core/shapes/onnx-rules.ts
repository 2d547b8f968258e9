// The rule of every ONNX operator the engine knows (default domain and com.microsoft contrib ops),
// by op type. Rules follow the operator specs at onnx.ai; a missing rule leaves the output to the
// shape the file declares.
import { known, same, type ShapeRule } from './fact.js';
import { argReduce, broadcastOp, reduce, size, topK, unary, unaryWithValues, VALUE_UNARY_OPS } from './onnx-elementwise-rules.js';
import { conv, convTranspose, einsum, gemm, globalPool, lossRule, matmul, msAttention, multiHeadAttention, nbitsMatmul, normalization, pool, recurrent } from './onnx-layer-rules.js';
import { cast, concatRule, constantOfShape, depthToSpace, expand, flatten, gatherRule, pad, range, reshape, resize, shapeOp, slice, split, squeeze, tile, transposeRule, unsqueeze } from './onnx-tensor-rules.js';
import { divDim } from './dims.js';

const UNARY_OPS = ['Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Exp', 'Log', 'Erf', 'Gelu', 'FastGelu', 'QuickGelu', 'Elu', 'Selu', 'Celu',
  'Softplus', 'Softsign', 'HardSigmoid', 'HardSwish', 'Mish', 'ThresholdedRelu', 'Abs', 'Neg', 'Reciprocal', 'Sqrt', 'Floor', 'Ceil',
  'Round', 'Sign', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh', 'Not',
  'Clip', 'Identity', 'Softmax', 'LogSoftmax', 'Hardmax', 'LRN', 'CastLike', 'BatchNormalization', 'InstanceNormalization',
  'GroupNormalization', 'MeanVarianceNormalization', 'CumSum', 'Trilu', 'Shrink',
  'SkipLayerNormalization', 'SkipSimplifiedLayerNormalization', 'BiasDropout', 'ReverseSequence', 'Swish'];
const BROADCAST_OPS = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Equal', 'Less', 'Greater', 'LessOrEqual',
  'GreaterOrEqual', 'And', 'Or', 'Xor', 'BitShift', 'Mod', 'PRelu', 'Where', 'BiasGelu', 'BiasAdd', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor'];
const REDUCE_OPS = ['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum',
  'ReduceLogSumExp', 'ReduceSumSquare'];

/** Shape rules of the default ONNX domain and com.microsoft contrib ops, by op type. */
export const ONNX_RULES: Record<string, ShapeRule> = {
  ...Object.fromEntries(UNARY_OPS.map((op) => [op, unary])),
  ...Object.fromEntries(VALUE_UNARY_OPS.map((op) => [op, unaryWithValues])),
  ...Object.fromEntries(BROADCAST_OPS.map((op) => [op, broadcastOp])),
  ...Object.fromEntries(REDUCE_OPS.map((op) => [op, reduce])),
  IsNaN: (_n, i) => [same(i[0], 'bool')], IsInf: (_n, i) => [same(i[0], 'bool')],
  QuantizeLinear: (_n, i) => [same(i[0], i[2]?.dtype ?? 'uint8')], DequantizeLinear: (_n, i) => [same(i[0], 'float32')],
  LayerNormalization: normalization, SimplifiedLayerNormalization: normalization, RMSNormalization: normalization,
  Conv: conv, ConvInteger: conv, QLinearConv: (n, i) => conv(n, [i[0], i[3]]),
  ConvTranspose: convTranspose,
  MaxPool: pool, AveragePool: pool, LpPool: pool, GlobalAveragePool: globalPool, GlobalMaxPool: globalPool, GlobalLpPool: globalPool,
  MatMul: matmul, MatMulInteger: matmul, FusedMatMul: matmul, Gemm: gemm,
  Reshape: reshape, Flatten: flatten, Squeeze: squeeze, Unsqueeze: unsqueeze, Transpose: transposeRule,
  Concat: concatRule, Split: split, Slice: slice, Gather: gatherRule, GatherElements: (_n, i) => [same(i[1], i[0]?.dtype)],
  Shape: shapeOp, Size: size,
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
    return known(x) ? [{ shape: [...x.shape.slice(0, -1), divDim(x.shape[x.shape.length - 1], 2)], dtype: x.dtype }] : undefined;
  },
  GridSample: (_n, i) => (known(i[0]) && known(i[1]) ? [{ shape: [i[0].shape[0], i[0].shape[1], ...i[1].shape.slice(1, -1)], dtype: i[0].dtype }] : undefined),
  LpNormalization: unary, ImageScaler: unary, SoftmaxCrossEntropyLoss: lossRule, NegativeLogLikelihoodLoss: lossRule,
};
