import type { Graph, Model, Node } from './graph.js';
import type { Tensor } from './tensor.js';

/** Visits every node of a graph and of all its subgraphs, depth-first, without recursion. */
export function forEachNode(graph: Graph, visit: (node: Node, graph: Graph) => void): void {
  const stack: Graph[] = [graph];
  while (stack.length) {
    const g = stack.pop()!;
    for (const node of g.nodes) {
      visit(node, g);
      for (let i = node.subgraphs.length - 1; i >= 0; i--) stack.push(node.subgraphs[i]);
    }
  }
}

/** Every graph of the model: the main graph, subgraphs, and model-local function bodies. */
export function allGraphs(model: Model): Graph[] {
  const out: Graph[] = [];
  const stack: Graph[] = [model.graph, ...model.functions.map((f) => f.graph)];
  while (stack.length) {
    const g = stack.pop()!;
    out.push(g);
    for (const n of g.nodes) for (const s of n.subgraphs) stack.push(s);
  }
  return out;
}

/** Counts nodes in the main graph and its subgraphs (function bodies excluded). */
export function countNodes(model: Model): { total: number; topLevel: number } {
  let total = 0;
  forEachNode(model.graph, () => total++);
  return { total, topLevel: model.graph.nodes.length };
}

/**
 * Every weight of the model: graph weights of all graphs plus the tensors held by Constant nodes'
 * attributes (some exporters keep all weights there). Each tensor once.
 */
export function collectWeights(model: Model): Tensor[] {
  const seen = new Set<Tensor>();
  const out: Tensor[] = [];
  const add = (t: Tensor) => { if (!seen.has(t)) { seen.add(t); out.push(t); } };
  for (const g of allGraphs(model)) {
    for (const t of g.weights) add(t);
    for (const n of g.nodes) {
      if (n.opType !== 'Constant') continue;
      for (const a of n.attributes) {
        if (a.type === 'tensor') add(a.value);
      }
    }
  }
  return out;
}
