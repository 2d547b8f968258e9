// Shape rules of ONNX's layer operators: convolution, pooling, matrix products, normalization,
// attention and recurrent cells, their quantized/contrib variants, and losses. Batch and sequence
// dims may be symbolic; a symbolic spatial dim survives only SAME padding with stride 1.
import type { Node } from '../ir/graph.js';
import { attrInt, attrInts, attrString } from '../explain/values/attributes.js';
import { allNumbers, broadcastDims, divDim, mulDim, type Dim } from './dims.js';
import { known, normAxis, same, type In } from './fact.js';
import { convTransposeOutput, onnxWindowGeometry, spatialOutput } from './window.js';

const samePadding = (node: Node) => attrString(node, 'auto_pad', 'NOTSET').toUpperCase().startsWith('SAME');
const strides = (node: Node, n: number) => attrInts(node, 'strides') ?? new Array(n).fill(1);

/** Conv: [N, M, spatial out] from the weight [M, C/group, k…] and the window geometry. */
export function conv(node: Node, ins: In) {
  const x = ins[0], w = ins[1];
  if (!known(x) || !known(w) || x.shape.length < 3) return undefined;
  const kernel = w.shape.slice(2);
  if (!allNumbers(kernel) && !attrInts(node, 'kernel_shape')) return undefined;
  const sp = x.shape.slice(2);
  const out = spatialOutput(sp, strides(node, sp.length), samePadding(node), (s) => onnxWindowGeometry(node, s, kernel.map((k) => (typeof k === 'number' ? k : 1))).output);
  return [{ shape: [x.shape[0], w.shape[0], ...out], dtype: x.dtype }];
}

/** ConvTranspose: [N, M·group, spatial out]; output_shape wins when given. */
export function convTranspose(node: Node, ins: In) {
  const x = ins[0], w = ins[1];
  if (!known(x) || !known(w) || x.shape.length < 3) return undefined;
  const kernel = attrInts(node, 'kernel_shape') ?? w.shape.slice(2);
  if (!allNumbers(kernel)) return undefined;
  const group = attrInt(node, 'group', 1);
  const sp = x.shape.slice(2);
  const out = spatialOutput(sp, [], false, (s) => convTransposeOutput(node, s, kernel));
  return [{ shape: [x.shape[0], mulDim(w.shape[1], group), ...out], dtype: x.dtype }];
}

/** Max/Average/Lp pooling: Y and (MaxPool) Indices, same window rule as Conv. */
export function pool(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x) || x.shape.length < 3) return undefined;
  const sp = x.shape.slice(2);
  const out = spatialOutput(sp, strides(node, sp.length), samePadding(node), (s) => onnxWindowGeometry(node, s).output);
  const shape = [x.shape[0], x.shape[1], ...out];
  return [{ shape, dtype: x.dtype }, { shape: [...shape], dtype: 'int64' as const }];
}

/** Global pooling: every spatial dim becomes 1. */
export function globalPool(_node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  return [{ shape: [x.shape[0], x.shape[1], ...x.shape.slice(2).map(() => 1)], dtype: x.dtype }];
}

/** numpy.matmul shape rule. */
export function matmulShape<D extends Dim>(a: readonly D[], b: readonly D[]): D[] | null {
  if (!a.length || !b.length) return null;
  const A = a.length === 1 ? [1, a[0]] : [...a];
  const B = b.length === 1 ? [b[0], 1] : [...b];
  const batch = broadcastDims([A.slice(0, -2), B.slice(0, -2)]);
  if (!batch) return null;
  const out = [...batch];
  if (a.length > 1) out.push(A[A.length - 2]);
  if (b.length > 1) out.push(B[B.length - 1]);
  return out as D[];
}

/** MatMul and its integer/contrib forms. */
export function matmul(_node: Node, ins: In) {
  const a = ins[0], b = ins[1];
  if (!known(a) || !known(b)) return undefined;
  const shape = matmulShape(a.shape, b.shape);
  return [shape ? { shape, dtype: a.dtype } : undefined];
}

/** Gemm: [M, N] after transA/transB. */
export function gemm(node: Node, ins: In) {
  const a = ins[0], b = ins[1];
  if (!known(a) || !known(b)) return undefined;
  const M = attrInt(node, 'transA', 0) ? a.shape[1] : a.shape[0];
  const N = attrInt(node, 'transB', 0) ? b.shape[0] : b.shape[1];
  return [{ shape: [M ?? null, N ?? null], dtype: a.dtype }];
}

/** Einsum: output letters sized from the input terms (no ellipsis). */
export function einsum(node: Node, ins: In) {
  const eq = attrString(node, 'equation', '').replace(/\s/g, '');
  const [lhs, rhs] = eq.split('->');
  const terms = lhs.split(',');
  if (rhs === undefined || terms.length !== ins.length || terms.some((t) => t.includes('.')) || !ins.every(known)) return undefined;
  if (terms.some((t, i) => t.length !== ins[i]!.shape!.length)) return undefined;
  const size = new Map<string, Dim>();
  const larger = (a: Dim | undefined, b: Dim): Dim => {
    if (typeof b === 'number' && (a === undefined || typeof a === 'number')) return Math.max(a ?? 1, b);
    return a === undefined || a === 1 ? b : b === 1 || typeof a === 'number' ? a : b;
  };
  terms.forEach((t, i) => [...t].forEach((c, j) => size.set(c, larger(size.get(c), ins[i]!.shape![j]))));
  return [{ shape: [...rhs].map((c) => size.get(c) ?? 1), dtype: ins[0]!.dtype }];
}

/** LayerNorm family: Y like X, Mean/InvStdDev reduced from `axis` on. */
export function normalization(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const axis = normAxis(attrInt(node, 'axis', -1), x.shape.length);
  const stat = x.shape.map((d, i) => (i < axis ? d : 1));
  return [same(x), { shape: stat, dtype: 'float32' as const }, { shape: [...stat], dtype: 'float32' as const }];
}

/** ONNX LSTM/GRU/RNN: Y, Y_h (and Y_c) for both layouts. */
export function recurrent(node: Node, ins: In) {
  const x = ins[0], w = ins[1];
  if (!known(x) || !known(w)) return undefined;
  const gates = node.opType === 'LSTM' ? 4 : node.opType === 'GRU' ? 3 : 1;
  const hidden: Dim = node.attributes.some((a) => a.name === 'hidden_size') ? attrInt(node, 'hidden_size', 0) : divDim(w.shape[1], gates);
  const dirs = w.shape[0];
  const layout = attrInt(node, 'layout', 0);
  const [seq, batch] = layout ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]];
  const y = layout ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden];
  const h = layout ? [batch, dirs, hidden] : [dirs, batch, hidden];
  return [{ shape: y, dtype: x.dtype }, { shape: h, dtype: x.dtype }, { shape: [...h], dtype: x.dtype }];
}

/** com.microsoft Attention: [B, S, v_hidden]. */
export function msAttention(node: Node, ins: In) {
  const x = ins[0], w = ins[1];
  if (!known(x)) return undefined;
  const sizes = attrInts(node, 'qkv_hidden_sizes');
  const v = sizes?.[2] ?? (known(w) ? divDim(w.shape[w.shape.length - 1], 3) : x.shape[2]);
  return [{ shape: [x.shape[0], x.shape[1], v], dtype: x.dtype }];
}

/** MultiHeadAttention / ONNX Attention: the queries' shape with the values' last dim. */
export function multiHeadAttention(_node: Node, ins: In) {
  const q = ins[0], v = ins[2];
  if (!known(q)) return undefined;
  const shape = [...q.shape];
  if (known(v) && v.shape.length === q.shape.length) shape[shape.length - 1] = v.shape[v.shape.length - 1];
  return [{ shape, dtype: q.dtype }];
}

/** com.microsoft MatMulNBits / MatMulBnb4: A [..., K] times a packed [N, K] weight → [..., N]. */
export function nbitsMatmul(node: Node, ins: In) {
  const a = ins[0];
  const N = attrInt(node, 'N', -1);
  if (!known(a) || N < 0) return undefined;
  return [{ shape: [...a.shape.slice(0, -1), N], dtype: a.dtype }];
}

/** Loss ops: a scalar with reduction mean/sum, else one value per example. */
export function lossRule(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const reduction = attrString(node, 'reduction', 'mean');
  const perExample = [x.shape[0], ...x.shape.slice(2)];
  return [{ shape: reduction === 'none' ? perExample : [], dtype: x.dtype }, same(x)];
}
