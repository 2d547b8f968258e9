// Which family an operator belongs to: the node's colour. Names cover ONNX and TF.js spellings.
export type OpCategory = 'conv' | 'linear' | 'activation' | 'norm' | 'pool' | 'shape' | 'math' | 'control' | 'constant' | 'io' | 'group' | 'other';

const TABLE: Record<string, OpCategory> = {};
const put = (cat: OpCategory, ops: string) => { for (const op of ops.split(/\s+/).filter(Boolean)) TABLE[op] = cat; };
put('conv', 'Conv ConvTranspose ConvInteger QLinearConv Conv1D Conv2D Conv3D Conv2DBackpropInput DepthwiseConv2dNative DepthwiseConv2D FusedConv2D FusedDepthwiseConv2dNative SeparableConv2D NhwcConv');
put('linear', 'MatMul Gemm MatMulInteger QLinearMatMul BatchMatMul BatchMatMulV2 Dense Einsum FusedMatMul _FusedMatMul Attention MultiHeadAttention Embedding');
put('activation', 'Relu Relu6 LeakyRelu PRelu Elu Selu Celu Gelu FastGelu BiasGelu Sigmoid HardSigmoid Tanh Softmax LogSoftmax Softplus Softsign Mish HardSwish Swish Silu QuickGelu ThresholdedRelu Clip Activation');
put('norm', 'BatchNormalization LayerNormalization InstanceNormalization GroupNormalization LRN LpNormalization MeanVarianceNormalization SimplifiedLayerNormalization SkipLayerNormalization SkipSimplifiedLayerNormalization RMSNormalization FusedBatchNorm FusedBatchNormV3 Dropout');
put('pool', 'MaxPool AveragePool GlobalAveragePool GlobalMaxPool LpPool GlobalLpPool MaxRoiPool RoiAlign AvgPool MaxPoolWithArgmax MaxPool2D AveragePooling2D MaxPooling2D GlobalAveragePooling2D Resize Upsample ResizeBilinear ResizeNearestNeighbor');
put('shape', 'Reshape Transpose Flatten Squeeze Unsqueeze Concat ConcatV2 Split SplitV Slice StridedSlice Gather GatherElements GatherND GatherV2 ScatterND ScatterElements Shape Size Expand Tile Pad PadV2 MirrorPad Identity Cast DepthToSpace SpaceToDepth Pack Unpack ExpandDims OneHot Range ConstantOfShape Where NonZero TopK ArgMax ArgMin DynamicQuantizeLinear QuantizeLinear DequantizeLinear Trilu');
put('math', 'Add Sub Mul Div Pow Sqrt Rsqrt Exp Log Neg Abs Reciprocal Floor Ceil Round Sign Min Max Sum Mean Erf Sin Cos Equal Less Greater LessOrEqual GreaterOrEqual And Or Not Xor Mod BiasAdd AddV2 RealDiv SquaredDifference Maximum Minimum ReduceMean ReduceSum ReduceMax ReduceMin ReduceProd ReduceL2 ReduceL1 ReduceLogSumExp ReduceSumSquare Mean CumSum Prod Square AddN IsNaN IsInf');
put('control', 'If Loop Scan While StatelessWhile StatelessIf PartitionedCall StatefulPartitionedCall Enter Exit Merge Switch NextIteration LoopCond TensorListReserve');
put('constant', 'Constant Const Placeholder');

/** The family of an op type ('other' when unknown). */
export function opCategory(opType: string): OpCategory {
  return TABLE[opType] ?? 'other';
}
