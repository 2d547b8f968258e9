// One output element by hand for TensorFlow ops and Keras layers, in their own layouts: NHWC
// activations ([n, h, w, c], NCHW when data_format says so), HWIO conv filters ([kh, kw, in, out]),
// depthwise filters [kh, kw, in, multiplier] (output channel c·multiplier + q), [in, out] Dense
// kernels, TF's SAME/VALID/EXPLICIT padding, AvgPool's mean over the in-bounds window only, and the
// bias and activation that _FusedConv2D / _FusedMatMul / Keras layers apply after the sum. The
// numbers equal what TF.js's CPU backend computes (test/unit/explain-hand-tf.test.ts).
import type { Node } from '../../ir/graph.js';
import { isChannelsFirst } from '../../shapes/tfjs-rules.js';
import { prod } from '../../shapes/small-tensor.js';
import { resolvePads, windowOutput } from '../../shapes/window.js';
import { attrFloat, attrInt, attrInts, attrString, attrStrings } from '../values/attributes.js';
import type { ArrayValue, HandComputation, HandTerm } from './hand-compute.js';

const CONV = new Set(['Conv2D', 'FusedConv2D', '_FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative', 'DepthwiseConv2D']);
const POOL = new Set(['MaxPool', 'AvgPool', 'MaxPooling2D', 'AveragePooling2D']);
const DENSE = new Set(['_FusedMatMul', 'Dense']);

/** True when `node` is a TF op or Keras layer computed here (TF's MaxPool has `ksize`; ONNX's has `kernel_shape`). */
export function isTfHandOp(node: Node): boolean {
  if (node.opType === 'MaxPool') return attrInts(node, 'ksize') !== undefined;
  if (node.opType === 'MatMul') return node.attributes.some((a) => a.name === 'transpose_a' || a.name === 'transpose_b');
  return CONV.has(node.opType) || POOL.has(node.opType) || DENSE.has(node.opType);
}

type Fail = (detail: string) => never;

const rowStrides = (shape: readonly number[]) => {
  const s = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
};
const flat = (idx: readonly number[], shape: readonly number[]) => { const st = rowStrides(shape); return idx.reduce((a, v, i) => a + v * st[i], 0); };
const unravel = (i: number, shape: readonly number[]) => { const st = rowStrides(shape); return shape.map((_, d) => Math.floor(i / st[d]) % shape[d]); };

function outputAt(fail: Fail, shape: number[], at: number | number[]): number[] {
  const idx = typeof at === 'number' ? (Number.isInteger(at) && at >= 0 && at < prod(shape) ? unravel(at, shape) : fail(`output element ${at} is outside the output's ${prod(shape)} elements`)) : at;
  if (idx.length !== shape.length || idx.some((v, d) => !Number.isInteger(v) || v < 0 || v >= shape[d])) fail(`output index [${idx.join(', ')}] is outside the output shape [${shape.join(', ')}]`);
  return idx;
}

/** Per-spatial-axis values of a TF attribute written for all 4 axes ([1, s, s, 1]) or for the spatial ones (Keras). */
function spatialAttr(node: Node, names: string[], n: number, fallback: number[] | undefined): number[] {
  const v = attrInts(node, names);
  if (!v || !v.length) return fallback ?? new Array(n).fill(1);
  if (v.length === n + 2) return isChannelsFirst(node) ? v.slice(2) : v.slice(1, -1);
  if (v.length === 1) return new Array(n).fill(v[0]);
  return v.slice(0, n);
}

/** Kernel, strides, dilations and pads of a TF window over spatial sizes `sp`. */
function geometry(node: Node, sp: number[], kernel: number[], stridesDefault?: number[]) {
  const n = sp.length;
  const strides = spatialAttr(node, ['strides'], n, stridesDefault);
  const dilations = spatialAttr(node, ['dilations', 'dilation_rate'], n, undefined);
  const mode = attrString(node, 'padding', 'VALID').toUpperCase();
  let explicit: number[] | undefined;
  const ex = attrInts(node, 'explicit_paddings');
  if (mode === 'EXPLICIT' && ex && ex.length === 2 * (n + 2)) {
    const pairs = isChannelsFirst(node) ? ex.slice(4) : ex.slice(2, -2);
    explicit = [...pairs.filter((_, i) => i % 2 === 0), ...pairs.filter((_, i) => i % 2 === 1)];
  }
  const pads = resolvePads(mode === 'EXPLICIT' ? 'NOTSET' : mode, sp, kernel, strides, dilations, explicit);
  const output = sp.map((s, i) => windowOutput(s, kernel[i], strides[i], dilations[i], pads.begin[i], pads.end[i]));
  return { kernel, strides, dilations, padsBegin: pads.begin, output };
}

/** Splits an activation tensor's shape into batch, spatial and channel, as data_format says. */
const layout = (node: Node, shape: number[]) => (isChannelsFirst(node)
  ? { sp: shape.slice(2), ch: shape[1], at: (n: number, pos: number[], c: number) => [n, c, ...pos], split: (i: number[]) => ({ n: i[0], o: i.slice(2), c: i[1] }) }
  : { sp: shape.slice(1, -1), ch: shape[shape.length - 1], at: (n: number, pos: number[], c: number) => [n, ...pos, c], split: (i: number[]) => ({ n: i[0], o: i.slice(1, -1), c: i[i.length - 1] }) });

/** The activation applied after the bias: a fused op's second step, or a Keras layer's `activation`. */
function activationOf(node: Node): string {
  const fused = attrStrings(node, 'fused_ops');
  if (fused) return (fused.find((f) => f !== 'BiasAdd') ?? 'linear').toLowerCase();
  return attrString(node, 'activation', 'linear').toLowerCase();
}

function activate(fail: Fail, node: Node, name: string, v: number, preluAlpha: number | undefined): number {
  switch (name) {
    case 'linear': return v;
    case 'relu': return Math.max(0, v);
    case 'relu6': return Math.min(6, Math.max(0, v));
    case 'elu': return v >= 0 ? v : Math.exp(v) - 1;
    case 'selu': return v >= 0 ? 1.0507009873554805 * v : 1.0507009873554805 * 1.6732632423543772 * (Math.exp(v) - 1);
    case 'sigmoid': return 1 / (1 + Math.exp(-v));
    case 'tanh': return Math.tanh(v);
    case 'leakyrelu': { const a = attrFloat(node, ['leakyrelu_alpha', 'alpha'], 0.2); return v >= 0 ? v : a * v; }
    case 'prelu': return v >= 0 ? v : (preluAlpha ?? fail('PReLU needs its alpha input')) * v;
  }
  return fail(`the activation '${name}' after the sum is not computed by hand`);
}

function finish(fail: Fail, node: Node, base: Omit<HandComputation, 'result' | 'activation'>, channel: number, alphaIn: ArrayValue | undefined): HandComputation {
  const act = activationOf(node);
  const alpha = alphaIn ? alphaIn.data[alphaIn.data.length === 1 ? 0 : channel] : undefined;
  const pre = (base.sum) + (base.bias ?? 0);
  const result = activate(fail, node, act, pre, alpha);
  return { ...base, ...(act !== 'linear' ? { activation: act } : {}), result };
}

function conv(fail: Fail, node: Node, x: ArrayValue, f: ArrayValue, b: ArrayValue | undefined, alpha: ArrayValue | undefined, at: number | number[]): HandComputation {
  if (x.shape.length !== f.shape.length) fail(`input [${x.shape}] and filter [${f.shape}] differ in rank`);
  const L = layout(node, x.shape);
  const kernel = f.shape.slice(0, -2);
  const depthwise = /Depthwise/i.test(node.opType);
  const fin = f.shape[f.shape.length - 2], fout = f.shape[f.shape.length - 1];
  const g = geometry(node, L.sp, kernel);
  const cout = depthwise ? fin * fout : fout;
  const outputShape = isChannelsFirst(node) ? [x.shape[0], cout, ...g.output] : [x.shape[0], ...g.output, cout];
  const idx = outputAt(fail, outputShape, at);
  const { n, o, c: m } = L.split(idx);
  // Depthwise: one input channel per output (m = c·multiplier + q). Grouped Conv2D: the filter's in-dim is in/groups.
  const groupIn = depthwise ? 1 : fin;
  const c0 = depthwise ? Math.floor(m / fout) : Math.floor(m / (fout / (L.ch / fin))) * fin;
  const windowShape = [...kernel, groupIn];
  const terms: HandTerm[] = [];
  let sum = 0;
  for (let k = 0; k < prod(windowShape); k++) {
    const w = unravel(k, windowShape);
    const ks = w.slice(0, -1), c = w[w.length - 1];
    const pos = ks.map((kk, a) => o[a] * g.strides[a] + kk * g.dilations[a] - g.padsBegin[a]);
    const inside = pos.every((p, a) => p >= 0 && p < L.sp[a]);
    const inputIndex = L.at(n, pos, c0 + c);
    const weightIndex = depthwise ? [...ks, c0, m % fout] : [...ks, c, m];
    const input = inside ? x.data[flat(inputIndex, x.shape)] : 0;
    const weight = f.data[flat(weightIndex, f.shape)];
    sum += input * weight;
    terms.push({ inputIndex, input, weightIndex, weight, product: input * weight, ...(inside ? {} : { padding: true }) });
  }
  return finish(fail, node, { opType: node.opType, outputShape, outputIndex: idx, windowShape, terms, reduce: 'sum', sum, bias: b ? b.data[m] : undefined }, m, alpha);
}

function pool(fail: Fail, node: Node, x: ArrayValue, at: number | number[]): HandComputation {
  const L = layout(node, x.shape);
  const n = L.sp.length;
  const kernel = spatialAttr(node, ['ksize', 'pool_size'], n, undefined);
  // Keras pools stride by the pool size unless told otherwise.
  const g = geometry(node, L.sp, kernel, /Pooling/.test(node.opType) ? kernel : undefined);
  const outputShape = isChannelsFirst(node) ? [x.shape[0], L.ch, ...g.output] : [x.shape[0], ...g.output, L.ch];
  const idx = outputAt(fail, outputShape, at);
  const { n: b, o, c } = L.split(idx);
  const isMax = /Max/.test(node.opType);
  const terms: HandTerm[] = [];
  let acc = isMax ? -Infinity : 0, counted = 0;
  for (let k = 0; k < prod(kernel); k++) {
    const ks = unravel(k, kernel);
    const pos = ks.map((kk, a) => o[a] * g.strides[a] + kk * g.dilations[a] - g.padsBegin[a]);
    // TF pools over the in-bounds part of the window: padding is neither a max candidate nor counted in the mean.
    if (!pos.every((p, a) => p >= 0 && p < L.sp[a])) continue;
    const inputIndex = L.at(b, pos, c);
    const input = x.data[flat(inputIndex, x.shape)];
    acc = isMax ? Math.max(acc, input) : acc + input;
    counted++;
    terms.push({ inputIndex, input, product: input });
  }
  const base = { opType: node.opType, outputShape, outputIndex: idx, windowShape: [...kernel], terms };
  if (isMax) return { ...base, reduce: 'max', sum: acc, result: acc };
  return { ...base, reduce: 'mean', sum: acc, divisor: counted, result: acc / counted };
}

function dense(fail: Fail, node: Node, a: ArrayValue, bm: ArrayValue, bias: ArrayValue | undefined, alpha: ArrayValue | undefined, at: number | number[]): HandComputation {
  const ta = attrInt(node, 'transpose_a', 0) === 1, tb = attrInt(node, 'transpose_b', 0) === 1;
  if (bm.shape.length !== 2) fail(`the kernel [${bm.shape}] is not a matrix`);
  // Keras Dense applies to the last axis of any rank; MatMul is 2-D.
  const lead = ta ? [a.shape[1]] : a.shape.slice(0, -1);
  const K = ta ? a.shape[0] : a.shape[a.shape.length - 1], N = tb ? bm.shape[0] : bm.shape[1];
  if ((tb ? bm.shape[1] : bm.shape[0]) !== K) fail(`shapes [${a.shape}] and [${bm.shape}] do not multiply`);
  const outputShape = [...lead, N];
  const idx = outputAt(fail, outputShape, at);
  const j = idx[idx.length - 1], row = idx.slice(0, -1);
  const terms: HandTerm[] = [];
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const inputIndex = ta ? [k, row[0]] : [...row, k];
    const weightIndex = tb ? [j, k] : [k, j];
    const input = a.data[flat(inputIndex, a.shape)], weight = bm.data[flat(weightIndex, bm.shape)];
    sum += input * weight;
    terms.push({ inputIndex, input, weightIndex, weight, product: input * weight });
  }
  return finish(fail, node, { opType: node.opType, outputShape, outputIndex: idx, windowShape: [K], terms, reduce: 'sum', sum, bias: bias ? bias.data[bias.data.length === 1 ? 0 : j] : undefined }, j, alpha);
}

/** Computes output element `at` of a TF op / Keras layer (isTfHandOp) from its inputs' values, in input order. */
export function handComputeTf(node: Node, ins: readonly (ArrayValue | undefined)[], at: number | number[]): HandComputation {
  const fail: Fail = (detail) => { throw new RangeError(`${node.opType} node '${node.name || node.opType}': ${detail}`); };
  const need = (i: number, what: string) => ins[i] ?? fail(`the ${what} (input ${i}) has no values: run the model first`);
  // Fused ops carry [x, filter, bias?, prelu alpha?]: num_args counts the extra ones.
  const fusedArgs = attrStrings(node, 'fused_ops')?.length ? ins.slice(2) : [];
  const bias = fusedArgs.length ? (attrStrings(node, 'fused_ops')!.includes('BiasAdd') ? fusedArgs[0] : undefined) : ins[2];
  const alpha = activationOf(node) === 'prelu' ? fusedArgs[fusedArgs.length - 1] : undefined;
  if (attrStrings(node, 'fused_ops')?.some((f) => /BatchNorm/i.test(f))) fail('a batch norm fused into the conv is not computed by hand');
  if (CONV.has(node.opType)) return conv(fail, node, need(0, 'input'), need(1, 'filter'), bias, alpha, at);
  if (POOL.has(node.opType) || node.opType === 'MaxPool') return pool(fail, node, need(0, 'input'), at);
  return dense(fail, node, need(0, 'input'), need(1, 'kernel'), node.opType === 'MatMul' ? undefined : bias, alpha, at);
}
