// A BatchNormalization folded into the Conv / Gemm / MatMul before it changes that node's weight
// and bias by design. To tell a correct fold from a real change, the side that still has the
// BatchNorm is folded here (W·k per output channel, (b − mean)·k + beta, k = gamma / √(var + ε))
// and compared with the other side's folded weights.
import type { Node } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import { constantSource } from './graph-side.js';
import { tensorNumbers, type TensorNumbers } from './tensor-values.js';

/** Which part of the host a paired weight is, and the BatchNorm to fold into it. */
export interface FoldSpec {
  bn: Node;
  host: Node;
  part: 'weight' | 'bias';
}

/** The weight's values with the BatchNorm folded in, or null when the pieces are not constants of the expected sizes. */
export async function foldedValues(t: Tensor, values: TensorNumbers, fold: FoldSpec): Promise<Float64Array | null> {
  const params: Float64Array[] = [];
  for (let i = 1; i <= 4; i++) {
    const src = constantSource(fold.bn.inputs[i]);
    const v = src ? await tensorNumbers(src.tensor) : null;
    if (!v) return null;
    params.push(Float64Array.from(v));
  }
  const [gamma, beta, mean, variance] = params;
  const epsAttr = fold.bn.attributes.find((a) => a.name === 'epsilon');
  const eps = epsAttr?.type === 'float' ? epsAttr.value : 1e-5;
  const channels = gamma.length;
  const k = gamma.map((g, c) => g / Math.sqrt(variance[c] + eps));
  const out = Float64Array.from(values);
  if (fold.part === 'bias') {
    if (out.length !== channels) return null;
    for (let c = 0; c < channels; c++) out[c] = (out[c] - mean[c]) * k[c] + beta[c];
    return out;
  }
  const axis = channelAxis(fold.host, t.shape.length);
  if (axis < 0 || t.shape[axis] !== channels) return null;
  const inner = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  for (let i = 0; i < out.length; i++) out[i] *= k[Math.floor(i / inner) % channels];
  return out;
}

/** The axis of the host's weight that runs over output channels. */
function channelAxis(host: Node, rank: number): number {
  if (host.opType === 'Conv') return 0;
  if (host.opType === 'ConvTranspose') return rank > 1 ? 1 : -1;
  if (host.opType === 'MatMul') return rank - 1;
  if (host.opType === 'Gemm') {
    const t = host.attributes.find((a) => a.name === 'transB');
    return t?.type === 'int' && t.value ? 0 : 1;
  }
  return -1;
}

/** Rounding a fold in float32 leaves: a few float32 ulps of the largest value. */
export const FOLD_TOLERANCE = 8 * 2 ** -24;
