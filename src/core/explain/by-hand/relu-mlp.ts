// The analytic view of a ReLU MLP (Gemm/MatMul(+Add) layers with ReLU between them): exact
// evaluation in float64, and along a sweep line x(t) = base + t·eᵢ the exact piecewise-linear
// curve — the breakpoints where a ReLU switches and the slope/intercept of every piece. The sweep
// plotted from the runtime must lie on it.
import type { Model, Node, Value } from '../../ir/graph.js';
import { attrFloat, attrInt } from '../values/attributes.js';
import { weightOf } from '../formula/formula-tensors.js';
import { readTensorNumbers } from '../values/tensor-values.js';

/** One affine layer y = x·W + b (W as [in, out]), optionally followed by ReLU. */
export interface DenseLayer {
  inSize: number;
  outSize: number;
  /** Row-major [in, out]. */
  W: Float64Array;
  b: Float64Array;
  relu: boolean;
}

/** One linear piece of the curve: outputs = intercept + slope·t for t in [from, to]. */
export interface CurvePiece {
  from: number;
  to: number;
  slope: number[];
  intercept: number[];
}

export interface ReluMlp {
  layers: DenseLayer[];
  /** Exact outputs for one input row. */
  evaluate(x: ArrayLike<number>): Float64Array;
  /** Pieces of the curve as input element `elementIndex` of `base` runs from `from` to `to`. */
  pieces(base: ArrayLike<number>, elementIndex: number, from: number, to: number): CurvePiece[];
}

function soleConsumer(v: Value): Node | undefined {
  return v.consumers.length === 1 ? v.consumers[0] : undefined;
}

async function denseOf(node: Node): Promise<{ layer: DenseLayer; out: Value } | undefined> {
  if (node.opType === 'Gemm') {
    const t = weightOf(node.inputs[1]);
    if (!t || attrInt(node, 'transA', 0)) return undefined;
    const tb = attrInt(node, 'transB', 0) === 1;
    const alpha = attrFloat(node, 'alpha', 1), beta = attrFloat(node, 'beta', 1);
    const raw = await readTensorNumbers(t);
    const [inSize, outSize] = tb ? [t.shape[1], t.shape[0]] : [t.shape[0], t.shape[1]];
    const W = new Float64Array(inSize * outSize);
    for (let i = 0; i < inSize; i++) for (let o = 0; o < outSize; o++) W[i * outSize + o] = alpha * raw[tb ? o * inSize + i : i * outSize + o];
    const bt = weightOf(node.inputs[2]);
    const b = new Float64Array(outSize);
    if (bt) { const bv = await readTensorNumbers(bt); for (let o = 0; o < outSize; o++) b[o] = beta * bv[bv.length === 1 ? 0 : o]; }
    return { layer: { inSize, outSize, W, b, relu: false }, out: node.outputs[0] };
  }
  if (node.opType === 'MatMul') {
    const t = weightOf(node.inputs[1]);
    if (!t || t.shape.length !== 2) return undefined;
    const W = await readTensorNumbers(t);
    const [inSize, outSize] = t.shape;
    const b = new Float64Array(outSize);
    let out = node.outputs[0];
    const next = soleConsumer(out);
    if (next?.opType === 'Add') {
      const bt = weightOf(next.inputs[1]) ?? weightOf(next.inputs[0]);
      if (bt && bt.elementCount <= outSize) {
        const bv = await readTensorNumbers(bt);
        for (let o = 0; o < outSize; o++) b[o] = bv[bv.length === 1 ? 0 : o];
        out = next.outputs[0];
      }
    }
    return { layer: { inSize, outSize, W, b, relu: false }, out };
  }
  return undefined;
}

/** Reads the model as a ReLU MLP, or undefined when it is not one (single input, a chain of dense layers and ReLUs). */
export async function readReluMlp(model: Model): Promise<ReluMlp | undefined> {
  const inputs = model.graph.inputs.filter((v) => !weightOf(v));
  if (inputs.length !== 1 || model.graph.outputs.length !== 1) return undefined;
  const layers: DenseLayer[] = [];
  let v: Value = inputs[0];
  const output = model.graph.outputs[0];
  while (v !== output) {
    const node = soleConsumer(v);
    if (!node) return undefined;
    if (node.opType === 'Relu' && layers.length && !layers[layers.length - 1].relu) {
      layers[layers.length - 1].relu = true;
      v = node.outputs[0];
      continue;
    }
    const d = await denseOf(node);
    if (!d || (layers.length && layers[layers.length - 1].outSize !== d.layer.inSize)) return undefined;
    layers.push(d.layer);
    v = d.out;
  }
  if (!layers.length) return undefined;
  return makeMlp(layers);
}

/** A ReluMlp over given layers. */
export function makeMlp(layers: DenseLayer[]): ReluMlp {
  const forward = (x: ArrayLike<number>, track?: boolean[][]) => {
    let h = Float64Array.from(x as ArrayLike<number>);
    layers.forEach((l, li) => {
      const y = Float64Array.from(l.b);
      for (let i = 0; i < l.inSize; i++) { const xi = h[i]; if (xi) for (let o = 0; o < l.outSize; o++) y[o] += xi * l.W[i * l.outSize + o]; }
      if (l.relu) for (let o = 0; o < l.outSize; o++) { const on = y[o] > 0; if (track) track[li][o] = on; if (!on) y[o] = 0; }
      h = y;
    });
    return h;
  };
  const evaluate = (x: ArrayLike<number>) => forward(x);
  const pieces = (base: ArrayLike<number>, e: number, from: number, to: number): CurvePiece[] => {
    const out: CurvePiece[] = [];
    const span = Math.abs(to - from) || 1;
    const eps = span * 1e-9;
    let t = from;
    for (let guard = 0; guard < 100_000 && t < to; guard++) {
      // The ReLU pattern just after t decides this piece.
      const probe = Float64Array.from(base as ArrayLike<number>);
      probe[e] = t + eps;
      const pattern = layers.map((l) => new Array<boolean>(l.outSize).fill(true));
      forward(probe, pattern);
      // Affine forms c0 + c1·t of every unit under that pattern.
      let c0 = Float64Array.from(base as ArrayLike<number>);
      let c1 = new Float64Array(c0.length);
      c0[e] = 0; c1[e] = 1;
      let next = to;
      layers.forEach((l, li) => {
        const a0 = Float64Array.from(l.b), a1 = new Float64Array(l.outSize);
        for (let i = 0; i < l.inSize; i++) for (let o = 0; o < l.outSize; o++) { const w = l.W[i * l.outSize + o]; a0[o] += c0[i] * w; a1[o] += c1[i] * w; }
        if (l.relu) for (let o = 0; o < l.outSize; o++) {
          if (a1[o] !== 0) { const r = -a0[o] / a1[o]; if (r > t + eps && r < next) next = r; }
          if (!pattern[li][o]) { a0[o] = 0; a1[o] = 0; }
        }
        c0 = a0; c1 = a1;
      });
      out.push({ from: t, to: next, slope: Array.from(c1), intercept: Array.from(c0) });
      t = next;
    }
    return out;
  };
  return { layers, evaluate, pieces };
}

/** The curve's value at t from its pieces (output `k`). */
export function pieceValue(pieces: readonly CurvePiece[], t: number, k: number): number {
  const p = pieces.find((q) => t >= q.from && t <= q.to) ?? pieces[pieces.length - 1];
  return p.intercept[k] + p.slope[k] * t;
}
