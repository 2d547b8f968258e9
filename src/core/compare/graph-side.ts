// One side of a comparison as the aligner walks it: the main graph's nodes with stable names, a
// topological order, and the few questions asked of a value (is it a constant? what does an
// inserted Q/DQ, Cast or Identity stand in front of?).
import type { Model, Node, Value } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import { constantTensorOf } from '../stats/stats-quantization.js';

/** Ops that pass a value through (re-typed or re-quantized) and are inserted or removed by converters. */
export const PASSTHROUGH_OPS = new Set(['QuantizeLinear', 'DequantizeLinear', 'Cast', 'CastLike', 'Identity']);

export interface GraphSide {
  model: Model;
  /** Main-graph nodes in file order (the graph view's ids). */
  nodes: Node[];
  /** Node → its name in the report: the node name, or `<op>#<index>` when unnamed or repeated. */
  names: Map<Node, string>;
  /** Nodes in a topological order (file order where the file already is one). */
  order: Node[];
  /** Position of each node in `order`. */
  rank: Map<Node, number>;
}

/** Names, order and ranks of the model's main graph. */
export function graphSide(model: Model): GraphSide {
  const nodes = model.graph.nodes;
  const names = new Map<Node, string>();
  const used = new Set<string>();
  nodes.forEach((n, i) => {
    let name = n.name || `${n.opType}#${i}`;
    if (used.has(name)) name = `${name}#${i}`;
    used.add(name);
    names.set(n, name);
  });
  const order = topologicalOrder(nodes);
  const rank = new Map<Node, number>();
  order.forEach((n, i) => rank.set(n, i));
  return { model, nodes, names, order, rank };
}

/** Kahn's order over producer → consumer edges of the main graph; nodes left in a cycle go last in file order. */
export function topologicalOrder(nodes: readonly Node[]): Node[] {
  const inGraph = new Set(nodes);
  const pending = new Map<Node, number>();
  for (const n of nodes) {
    let deps = 0;
    for (const v of n.inputs) if (v?.producer && inGraph.has(v.producer)) deps++;
    pending.set(n, deps);
  }
  const out: Node[] = [];
  const ready = nodes.filter((n) => pending.get(n) === 0);
  // A stack popped from the end would reverse file order; walk a growing queue instead.
  for (let i = 0; i < ready.length; i++) {
    const n = ready[i];
    out.push(n);
    for (const v of n.outputs) {
      for (const c of v.consumers) {
        if (!inGraph.has(c)) continue;
        // A node reading the same value twice has counted it twice.
        const left = pending.get(c)! - c.inputs.filter((x) => x === v).length;
        pending.set(c, left);
        if (left === 0) ready.push(c);
      }
    }
  }
  if (out.length < nodes.length) {
    const seen = new Set(out);
    for (const n of nodes) if (!seen.has(n)) out.push(n);
  }
  return out;
}

/** True when the value is a weight or a Constant's output, seen through inserted Q/DQ/Cast nodes. */
export function isConstant(v: Value | null | undefined): boolean {
  return constantSource(v) !== undefined;
}

/**
 * The weight behind a value: the value's own tensor, a Constant's, or the one an inserted
 * DequantizeLinear / Cast / Identity reads. `via` is the DequantizeLinear when there is one.
 */
export function constantSource(v: Value | null | undefined): { tensor: Tensor; via?: Node } | undefined {
  let via: Node | undefined;
  for (let depth = 0; v && depth < 4; depth++) {
    const t = constantTensorOf(v);
    if (t) return { tensor: t, via };
    const p = v.producer;
    if (!p || !PASSTHROUGH_OPS.has(p.opType)) return undefined;
    if (p.opType === 'DequantizeLinear') via = p;
    v = p.inputs[0];
  }
  return undefined;
}

/** The value and what it passes through backwards: [v, input of its Q/DQ/Cast producer, …]. */
export function chainBack(v: Value): Value[] {
  const out = [v];
  for (let depth = 0; depth < 4; depth++) {
    const p = v.producer;
    if (!p || !PASSTHROUGH_OPS.has(p.opType) || !p.inputs[0]) break;
    v = p.inputs[0];
    out.push(v);
  }
  return out;
}

/** The consumers of a value, looking through Q/DQ/Cast nodes in front of them (those nodes too). */
export function consumersThrough(v: Value): Node[] {
  const out: Node[] = [];
  const stack: [Value, number][] = [[v, 0]];
  while (stack.length) {
    const [x, depth] = stack.pop()!;
    for (const c of x.consumers) {
      out.push(c);
      if (PASSTHROUGH_OPS.has(c.opType) && depth < 4 && c.outputs[0]) stack.push([c.outputs[0], depth + 1]);
    }
  }
  return out;
}

/** The op type in a form two formats can share: `Conv2D` and `Conv` both give `conv`. */
export function opKey(op: string): string {
  const k = op.toLowerCase().replace(/^_?fused/, '').replace(/[123]d$/, '');
  return OP_ALIASES[k] ?? k;
}

const OP_ALIASES: Record<string, string> = { biasadd: 'add', addv2: 'add', dense: 'gemm', depthwiseconv2dnative: 'conv', depthwiseconv: 'conv', maxpool: 'maxpool', avgpool: 'averagepool', batchmatmul: 'matmul', batchmatmulv2: 'matmul', realdiv: 'div', const: 'constant' };
