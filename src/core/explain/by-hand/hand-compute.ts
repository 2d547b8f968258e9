// One output element computed by hand from a run's input values: the window of the input it
// reads, the weights it multiplies, each product, their sum, the bias, and the result — which
// equals what the runtime produced (to float tolerance). Conv (NCHW, any spatial rank, strides,
// pads, dilations, groups, auto_pad), Gemm (transA/transB/alpha/beta), MatMul (batched,
// broadcast), MaxPool / AveragePool (incl. count_include_pad) and their Global forms; TF ops and
// Keras layers in their NHWC layouts are computed in hand-compute-tf.ts.
import type { Node } from '../../ir/graph.js';
import { attrFloat, attrInt } from '../values/attributes.js';
import { onnxWindowGeometry } from '../../shapes/window.js';
import { weightOf } from '../formula/formula-tensors.js';
import { matmulShape } from '../../shapes/onnx-layer-rules.js';
import { broadcastShapes, prod } from '../../shapes/small-tensor.js';
import { readTensorNumbers } from '../values/tensor-values.js';
import { handComputeTf, isTfHandOp } from './hand-compute-tf.js';

/** A tensor's values in row-major order with its shape. */
export interface ArrayValue {
  data: ArrayLike<number>;
  shape: number[];
}

/** One term of the sum: input element × weight = product (pooling terms have no weight). */
export interface HandTerm {
  inputIndex: number[];
  input: number;
  weightIndex?: number[];
  weight?: number;
  product: number;
  /** True when the input position lies in the zero padding. */
  padding?: boolean;
}

export interface HandComputation {
  opType: string;
  outputShape: number[];
  outputIndex: number[];
  /** Shape of the window (e.g. [in-channels/group, kh, kw]); terms run through it in row-major order. */
  windowShape: number[];
  terms: HandTerm[];
  /** How the terms combine: Σ products, max, or mean. */
  reduce: 'sum' | 'max' | 'mean';
  /** Σ products (or the max / the sum before dividing, for pooling). */
  sum: number;
  /** Gemm's α·Σ, when α ≠ 1. */
  alpha?: number;
  bias?: number;
  /** Gemm's β applied to the bias. */
  beta?: number;
  /** AveragePool divisor. */
  divisor?: number;
  /** The activation applied to sum + bias (TF fused ops, Keras layers), when not linear. */
  activation?: string;
  result: number;
}

const strides = (shape: readonly number[]) => {
  const s = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
};
const flat = (idx: readonly number[], shape: readonly number[]) => idx.reduce((a, v, i) => a + v * strides(shape)[i], 0);
/** Row-major multi-index of flat position `i`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const st = strides(shape);
  return shape.map((_, d) => Math.floor(i / st[d]) % shape[d]);
}

async function resolveInputs(node: Node, given: readonly (ArrayValue | undefined)[]): Promise<(ArrayValue | undefined)[]> {
  return Promise.all(node.inputs.map(async (v, i) => {
    if (given[i]) return given[i];
    const t = weightOf(v);
    return t ? { data: await readTensorNumbers(t), shape: [...t.shape] } : undefined;
  }));
}

/** A request the node cannot answer (bad index, missing values): a RangeError naming the node. */
function fail(node: Node, detail: string): never {
  throw new RangeError(`${node.opType} node '${node.name || node.opType}': ${detail}`);
}

function checkIndex(node: Node, outputShape: number[], outputIndex: number | number[]): number[] {
  if (typeof outputIndex === 'number' && !(Number.isInteger(outputIndex) && outputIndex >= 0 && outputIndex < prod(outputShape))) {
    fail(node, `output element ${outputIndex} is outside the output's ${prod(outputShape)} elements`);
  }
  const idx = typeof outputIndex === 'number' ? unravel(outputIndex, outputShape) : outputIndex;
  if (idx.length !== outputShape.length || idx.some((v, d) => v < 0 || v >= outputShape[d] || !Number.isInteger(v))) {
    fail(node, `output index [${idx.join(', ')}] is outside the output shape [${outputShape.join(', ')}]`);
  }
  return idx;
}

function conv(node: Node, x: ArrayValue, w: ArrayValue, b: ArrayValue | undefined, outputIndex: number | number[]): HandComputation {
  const sp = x.shape.slice(2);
  const g = onnxWindowGeometry(node, sp, w.shape.slice(2));
  const outputShape = [x.shape[0], w.shape[0], ...g.output];
  const [n, m, ...o] = checkIndex(node, outputShape, outputIndex);
  const cg = w.shape[1];
  const perGroup = w.shape[0] / g.group;
  const c0 = Math.floor(m / perGroup) * cg;
  const windowShape = [cg, ...g.kernel];
  const terms: HandTerm[] = [];
  let sum = 0;
  for (let k = 0; k < prod(windowShape); k++) {
    const [c, ...ks] = unravel(k, windowShape);
    const pos = ks.map((kk, a) => o[a] * g.strides[a] + kk * g.dilations[a] - g.padsBegin[a]);
    const inside = pos.every((p, a) => p >= 0 && p < sp[a]);
    const inputIndex = [n, c0 + c, ...pos];
    const weightIndex = [m, c, ...ks];
    const input = inside ? x.data[flat(inputIndex, x.shape)] : 0;
    const weight = w.data[flat(weightIndex, w.shape)];
    const product = input * weight;
    sum += product;
    terms.push({ inputIndex, input, weightIndex, weight, product, ...(inside ? {} : { padding: true }) });
  }
  const bias = b ? b.data[m] : undefined;
  return { opType: node.opType, outputShape, outputIndex: [n, m, ...o], windowShape, terms, reduce: 'sum', sum, bias, result: sum + (bias ?? 0) };
}

function gemm(node: Node, a: ArrayValue, bm: ArrayValue, c: ArrayValue | undefined, outputIndex: number | number[]): HandComputation {
  const ta = attrInt(node, 'transA', 0) === 1, tb = attrInt(node, 'transB', 0) === 1;
  const alpha = attrFloat(node, 'alpha', 1), beta = attrFloat(node, 'beta', 1);
  const M = ta ? a.shape[1] : a.shape[0], K = ta ? a.shape[0] : a.shape[1], N = tb ? bm.shape[0] : bm.shape[1];
  const [i, j] = checkIndex(node, [M, N], outputIndex);
  const terms: HandTerm[] = [];
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const inputIndex = ta ? [k, i] : [i, k];
    const weightIndex = tb ? [j, k] : [k, j];
    const input = a.data[flat(inputIndex, a.shape)], weight = bm.data[flat(weightIndex, bm.shape)];
    sum += input * weight;
    terms.push({ inputIndex, input, weightIndex, weight, product: input * weight });
  }
  let bias: number | undefined;
  if (c) {
    const cs = c.shape;
    const ci = cs.length === 0 ? [] : cs.length === 1 ? [cs[0] === 1 ? 0 : j] : [cs[0] === 1 ? 0 : i, cs[1] === 1 ? 0 : j];
    bias = c.data[flat(ci, cs)];
  }
  const result = alpha * sum + (bias !== undefined ? beta * bias : 0);
  return {
    opType: node.opType, outputShape: [M, N], outputIndex: [i, j], windowShape: [K], terms, reduce: 'sum', sum,
    ...(alpha !== 1 ? { alpha } : {}), bias, ...(bias !== undefined && beta !== 1 ? { beta } : {}), result,
  };
}

function matmul(node: Node, a: ArrayValue, b: ArrayValue, outputIndex: number | number[]): HandComputation {
  const outputShape = matmulShape(a.shape, b.shape) ?? fail(node, `shapes [${a.shape}] and [${b.shape}] do not multiply`);
  const idx = checkIndex(node, outputShape, outputIndex);
  const A = a.shape.length === 1 ? [1, a.shape[0]] : a.shape;
  const B = b.shape.length === 1 ? [b.shape[0], 1] : b.shape;
  const batch = broadcastShapes([A.slice(0, -2), B.slice(0, -2)])!;
  const full = [...idx.slice(0, batch.length), ...(a.shape.length === 1 ? [0] : [idx[batch.length]]), ...(b.shape.length === 1 ? [0] : [idx[idx.length - 1]])];
  const bi = full.slice(0, batch.length), i = full[batch.length], j = full[batch.length + 1];
  const pick = (shape: number[]) => bi.slice(batch.length - (shape.length - 2)).map((v, d) => (shape[d] === 1 ? 0 : v));
  const K = A[A.length - 1];
  const terms: HandTerm[] = [];
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const ai = [...pick(A), i, k], bj = [...pick(B), k, j];
    const inputIndex = a.shape.length === 1 ? [k] : ai, weightIndex = b.shape.length === 1 ? [k] : bj;
    const input = a.data[flat(inputIndex, a.shape)], weight = b.data[flat(weightIndex, b.shape)];
    sum += input * weight;
    terms.push({ inputIndex, input, weightIndex, weight, product: input * weight });
  }
  return { opType: node.opType, outputShape, outputIndex: idx, windowShape: [K], terms, reduce: 'sum', sum, result: sum };
}

function pool(node: Node, x: ArrayValue, outputIndex: number | number[]): HandComputation {
  const sp = x.shape.slice(2);
  const global = node.opType.startsWith('Global');
  const g = global
    ? { kernel: sp, strides: sp.map(() => 1), dilations: sp.map(() => 1), padsBegin: sp.map(() => 0), output: sp.map(() => 1) }
    : onnxWindowGeometry(node, sp);
  const outputShape = [x.shape[0], x.shape[1], ...g.output];
  const [n, c, ...o] = checkIndex(node, outputShape, outputIndex);
  const isMax = /Max/.test(node.opType);
  const includePad = attrInt(node, 'count_include_pad', 0) === 1;
  const terms: HandTerm[] = [];
  let acc = isMax ? -Infinity : 0, counted = 0;
  for (let k = 0; k < prod(g.kernel); k++) {
    const ks = unravel(k, g.kernel);
    const pos = ks.map((kk, a) => o[a] * g.strides[a] + kk * g.dilations[a] - g.padsBegin[a]);
    const inside = pos.every((p, a) => p >= 0 && p < sp[a]);
    // Ceil-mode windows can run past the padded input: those positions count for nothing.
    const inPadded = pos.every((p, a) => p < sp[a] + (global ? 0 : (g as { padsEnd?: number[] }).padsEnd?.[a] ?? 0));
    const inputIndex = [n, c, ...pos];
    if (!inside) {
      if (!isMax && includePad && inPadded) { counted++; terms.push({ inputIndex, input: 0, product: 0, padding: true }); }
      continue;
    }
    const input = x.data[flat(inputIndex, x.shape)];
    acc = isMax ? Math.max(acc, input) : acc + input;
    counted++;
    terms.push({ inputIndex, input, product: input });
  }
  const base = { opType: node.opType, outputShape, outputIndex: [n, c, ...o], windowShape: [...g.kernel], terms };
  if (isMax) return { ...base, reduce: 'max', sum: acc, result: acc };
  return { ...base, reduce: 'mean', sum: acc, divisor: counted, result: acc / counted };
}

/**
 * Computes output element `outputIndex` (flat or multi-index) of `node` by hand. `inputs` holds the
 * node's input values in input order; weights left undefined are read from the model.
 */
export async function handCompute(node: Node, inputs: readonly (ArrayValue | undefined)[], outputIndex: number | number[]): Promise<HandComputation> {
  const ins = await resolveInputs(node, inputs);
  if (isTfHandOp(node)) return handComputeTf(node, ins, outputIndex);
  const need = (i: number, what: string) => ins[i] ?? fail(node, `the ${what} (input ${i}) has no values: run the model first`);
  switch (node.opType) {
    case 'Conv': return conv(node, need(0, 'input'), need(1, 'weight'), ins[2], outputIndex);
    case 'Gemm': return gemm(node, need(0, 'input'), need(1, 'weight'), ins[2], outputIndex);
    case 'MatMul': return matmul(node, need(0, 'left operand'), need(1, 'right operand'), outputIndex);
    case 'MaxPool': case 'AveragePool': case 'GlobalMaxPool': case 'GlobalAveragePool': return pool(node, need(0, 'input'), outputIndex);
  }
  return fail(node, `computing ${node.opType} by hand is not supported (Conv, Gemm, MatMul and pooling are)`);
}

/** True when `handCompute` supports this node. */
export function canHandCompute(node: Node): boolean {
  return isTfHandOp(node) || ['Conv', 'Gemm', 'MatMul', 'MaxPool', 'AveragePool', 'GlobalMaxPool', 'GlobalAveragePool'].includes(node.opType);
}
