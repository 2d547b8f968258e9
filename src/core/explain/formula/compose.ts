// The model as one formula: node formulas composed along the graph, e.g.
// `y = softmax(W₃·relu(W₂·relu(W₁·x + b₁) + b₂) + b₃)`. Which graphs qualify: the main graph
// without control flow (If/Loop/Scan), at most `maxNodes` computing nodes (default 40; nodes that
// only compute from weights are folded into the weights). Branches fold: a value read by several
// nodes, or an expression nested deeper than `maxDepth` (default 8) function applications and products or longer than `maxLength`
// characters, is named h₁, h₂… on a line of its own, and the last line gives the output.
import type { Model, Node, Value } from '../../ir/graph.js';
import type { Tensor } from '../../ir/tensor.js';
import { attrInt, attrString, attrStrings } from '../values/attributes.js';
import { isComputedFromWeights } from './formula.js';
import { describeTensor, formatNumber, formatValues, weightOf } from './formula-tensors.js';
import { subscript } from './formula-text.js';
import { topologicalOrder } from '../../shapes/order.js';

export interface ComposeOptions {
  maxNodes?: number;
  maxDepth?: number;
  maxLength?: number;
  /** Tensors with at most this many elements are written by value (default 1: only scalars inline). */
  inlineLimit?: number;
}

/** A weight symbol of the composed formula and what it stands for. */
export interface LegendEntry {
  symbol: string;
  name: string;
  shape: number[];
  values?: number[];
}

export interface ComposedFormula {
  qualifies: boolean;
  /** Why the model is not shown as one formula. */
  reason?: string;
  /** Every line: intermediate names first (h₁ = …), output lines last (y = …). */
  lines: string[];
  text: string;
  legend: LegendEntry[];
}

type Prec = 0 | 1 | 2; // 0 sum, 1 product, 2 atom
interface Expr { text: string; prec: Prec; depth: number }

const atom = (text: string, depth = 0): Expr => ({ text, prec: 2, depth });
const wrap = (e: Expr, min: Prec) => (e.prec < min ? `(${e.text})` : e.text);
const call = (f: string, args: Expr[]): Expr => atom(`${f}(${args.map((a) => a.text).join(', ')})`, 1 + Math.max(0, ...args.map((a) => a.depth)));
const sum = (a: Expr, op: '+' | '−', b: Expr): Expr => {
  const neg = op === '+' && b.text.startsWith('−') && b.prec === 2;
  // A sum adds no nesting a reader has to follow; calls and products do.
  return { text: `${a.text} ${neg ? '−' : op} ${wrap(neg ? atom(b.text.slice(1)) : b, op === '−' ? 1 : 0)}`, prec: 0, depth: Math.max(a.depth, b.depth) };
};
const product = (a: Expr, b: Expr, op = '·'): Expr => ({ text: `${wrap(a, 1)}${op}${wrap(b, 2)}`, prec: 1, depth: Math.max(a.depth, b.depth) + 1 });

const FUNCTIONS: Record<string, string> = {
  Relu: 'relu', Sigmoid: 'σ', Tanh: 'tanh', Softmax: 'softmax', LogSoftmax: 'log_softmax', Gelu: 'gelu', Exp: 'exp', Log: 'ln',
  LeakyRelu: 'leaky_relu', Elu: 'elu', Selu: 'selu', Softplus: 'softplus', Erf: 'erf', Sqrt: '√', HardSigmoid: 'hard_σ',
  HardSwish: 'hard_swish', MaxPool: 'maxpool', AveragePool: 'avgpool', GlobalAveragePool: 'mean_hw', GlobalMaxPool: 'max_hw',
  Flatten: 'flatten', Reshape: 'reshape', Transpose: 'transpose', BatchNormalization: 'batchnorm', LayerNormalization: 'layernorm',
  InstanceNormalization: 'instancenorm', Relu6: 'relu6', AvgPool: 'avgpool', Abs: 'abs', Neg: '−', Clip: 'clip',
};
const PASS_THROUGH = new Set(['Identity', 'Dropout', 'Cast', 'Squeeze', 'Unsqueeze', 'ExpandDims', 'IdentityN', 'StopGradient']);

/** Composes the main graph into one formula (or says why not). */
export async function composeModelFormula(model: Model, options: ComposeOptions = {}): Promise<ComposedFormula> {
  const maxNodes = options.maxNodes ?? 40, maxDepth = options.maxDepth ?? 8, maxLength = options.maxLength ?? 160;
  const inlineLimit = options.inlineLimit ?? 1;
  const g = model.graph;
  const no = (reason: string): ComposedFormula => ({ qualifies: false, reason, lines: [], text: '', legend: [] });
  if (g.nodes.some((n) => n.subgraphs.length)) return no('the graph has control flow (If/Loop/Scan)');
  const computing = g.nodes.filter((n) => !n.outputs.every(isComputedFromWeights));
  if (computing.length > maxNodes) return no(`${computing.length} computing nodes (the limit for one formula is ${maxNodes})`);
  const inputs = g.inputs.filter((v) => !weightOf(v));
  if (!inputs.length) return no('the graph has no inputs');

  const exprs = new Map<Value, Expr>();
  inputs.forEach((v, i) => exprs.set(v, atom(inputs.length === 1 ? 'x' : `x${subscript(i + 1)}`)));
  const legend: LegendEntry[] = [];
  const counters = new Map<string, number>();
  const weightExprs = new Map<Tensor | Value, Expr>();
  const weight = async (v: Value, letter: string): Promise<Expr> => {
    const key = weightOf(v) ?? v;
    const seen = weightExprs.get(key);
    if (seen) return seen;
    const t = weightOf(v);
    let e: Expr;
    if (t && t.elementCount <= inlineLimit) {
      const d = await describeTensor(letter, t, inlineLimit);
      e = atom(d.values ? (d.values.length === 1 ? formatNumber(d.values[0]) : formatValues(d.values, d.shape)) : letter);
    } else {
      const k = (counters.get(letter) ?? 0) + 1;
      counters.set(letter, k);
      e = atom(`${letter}${subscript(k)}`);
      const shape = t ? [...t.shape] : (v.type?.shape ?? []).map((d) => (typeof d === 'number' ? d : -1));
      legend.push({ symbol: e.text, name: t?.name ?? v.name, shape });
    }
    weightExprs.set(key, e);
    return e;
  };
  const operand = async (v: Value | null, letter: string): Promise<Expr | undefined> => {
    if (!v) return undefined;
    if (exprs.has(v)) return exprs.get(v);
    if (isComputedFromWeights(v)) return weight(v, letter);
    return atom(v.name);
  };

  const lines: string[] = [];
  let named = 0;
  const outputs = new Set(g.outputs);
  try {
    await composeNodes();
  } catch (e) {
    return no(`the graph could not be composed (${e instanceof Error ? e.message : String(e)})`);
  }
  return { qualifies: true, lines, text: lines.join('\n'), legend };

  async function composeNodes(): Promise<void> {
  for (const node of topologicalOrder(g)) {
    // Weights are folded into symbols; Placeholder / InputLayer nodes only name an input.
    if (node.outputs.every(isComputedFromWeights) || node.outputs.every((v) => exprs.has(v))) continue;
    let e = await nodeExpr(node, operand);
    const out = node.outputs[0];
    if (!out) continue;
    const readers = out.consumers.length + (outputs.has(out) ? 1 : 0);
    if (!outputs.has(out) && (readers > 1 || e.depth > maxDepth || e.text.length > maxLength)) {
      named++;
      const h = `h${subscript(named)}`;
      lines.push(`${h} = ${e.text}`);
      e = atom(h);
    }
    exprs.set(out, e);
  }
  g.outputs.forEach((v, i) => {
    const e = exprs.get(v) ?? atom(v.name);
    lines.push(`${g.outputs.length === 1 ? 'y' : `y${subscript(i + 1)}`} = ${e.text}`);
  });
  }
}

/** Applies a layer's own activation (Keras `activation`, TF `fused_ops`). */
function withActivation(node: Node, e: Expr): Expr {
  const fused = (attrStrings(node, 'fused_ops') ?? []).find((f) => f !== 'BiasAdd');
  const act = fused ?? attrString(node, 'activation', 'linear');
  return act === 'linear' ? e : call(FUNCTIONS[act] ?? act.toLowerCase(), [e]);
}

async function nodeExpr(node: Node, operand: (v: Value | null, letter: string) => Promise<Expr | undefined>): Promise<Expr> {
  const op = node.opType;
  const x = (await operand(node.inputs[0], 'W')) ?? atom('?');
  const second = async (letter: string) => (await operand(node.inputs[1], letter)) ?? atom('?');
  switch (op) {
    case 'Gemm': case 'MatMul': case 'Dense': case '_FusedMatMul': {
      const w = await second('W');
      const tb = attrInt(node, ['transB', 'transpose_b'], 0) === 1;
      const scalar = /^−?[\d.]+(e[−\d]+)?$/.test(w.text);
      let e = scalar ? product(w, x) : tb ? product(w, x) : product(x, w);
      const bias = op !== 'MatMul' && node.inputs[2] ? await operand(node.inputs[2], 'b') : undefined;
      if (bias) e = sum(e, '+', bias);
      return withActivation(node, e);
    }
    case 'Conv': case 'Conv1D': case 'Conv2D': case 'FusedConv2D': case '_FusedConv2D': case 'DepthwiseConv2dNative':
    case 'FusedDepthwiseConv2dNative': case 'DepthwiseConv2D': {
      const w = await second('W');
      let e = product(w, x, ' ⋆ ');
      const bias = node.inputs[2] ? await operand(node.inputs[2], 'b') : undefined;
      if (bias) e = sum(e, '+', bias);
      return withActivation(node, e);
    }
    case 'Add': case 'AddV2': case 'BiasAdd': case 'Sum': return sum(x, '+', await second('b'));
    case 'Sub': return sum(x, '−', await second('b'));
    case 'Mul': {
      const s = await second('s');
      return /^−?[\d.]/.test(s.text) ? product(s, x) : product(x, s);
    }
    case 'Div': case 'RealDiv': return product(x, await second('s'), ' / ');
    case 'Concat': case 'ConcatV2': {
      const args: Expr[] = [];
      for (const v of node.inputs) { const a = await operand(v, 'c'); if (a && !(op === 'ConcatV2' && v === node.inputs[node.inputs.length - 1])) args.push(a); }
      return atom(`[${args.map((a) => a.text).join('; ')}]`, 1 + Math.max(0, ...args.map((a) => a.depth)));
    }
  }
  if (PASS_THROUGH.has(op)) return x;
  return call(FUNCTIONS[op] ?? op.toLowerCase(), [x]);
}
