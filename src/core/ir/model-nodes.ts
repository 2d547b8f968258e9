// Node ids as the webview knows them (GraphPayload.nodes order) → IR nodes, and which main-graph
// nodes lie downstream of a weight (the ones a what-if edit of it can move).
import type { Graph, Model, Node } from './graph.js';
import type { Tensor } from './tensor.js';

const cache = new WeakMap<Model, Node[]>();

/**
 * Every node in GraphPayload order: graphs breadth-first (main, functions, then subgraphs in the
 * order their owners appear), exactly as buildGraphPayload numbers them.
 */
export function nodeList(model: Model): Node[] {
  const hit = cache.get(model);
  if (hit) return hit;
  const out: Node[] = [];
  const queue: Graph[] = [model.graph, ...model.functions.map((f) => f.graph)];
  for (let qi = 0; qi < queue.length; qi++) {
    for (const n of queue[qi].nodes) {
      out.push(n);
      for (const a of n.attributes) {
        if (a.type === 'graph') queue.push(a.value);
        else if (a.type === 'graphs') queue.push(...a.value);
      }
    }
  }
  cache.set(model, out);
  return out;
}

/** Ids of the main-graph nodes that read `tensor`, directly or through other nodes' outputs. */
export function downstreamOf(model: Model, tensor: Tensor): number[] {
  const nodes = model.graph.nodes;
  const reached = new Set<Node>();
  const stack = nodes.filter((n) => n.inputs.some((v) => v?.tensor === tensor));
  while (stack.length) {
    const n = stack.pop()!;
    if (reached.has(n)) continue;
    reached.add(n);
    for (const v of n.outputs) for (const c of v.consumers ?? []) if (!reached.has(c)) stack.push(c);
  }
  // Main-graph nodes come first in payload order, so their payload id is their index.
  return nodes.map((n, i) => (reached.has(n) ? i : -1)).filter((i) => i >= 0);
}
