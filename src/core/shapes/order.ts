// The order the engine visits a graph's nodes in: producers before consumers.
import type { Graph, Node } from '../ir/graph.js';

/** Orders nodes so that every producer comes before its consumers (file order where already so). */
export function topologicalOrder(graph: Graph): Node[] {
  const inGraph = new Set(graph.nodes);
  const pending = new Map<Node, number>();
  const dependents = new Map<Node, Node[]>();
  for (const n of graph.nodes) {
    const producers = new Set<Node>();
    for (const v of n.inputs) if (v?.producer && inGraph.has(v.producer) && v.producer !== n) producers.add(v.producer);
    pending.set(n, producers.size);
    for (const p of producers) (dependents.get(p) ?? dependents.set(p, []).get(p)!).push(n);
  }
  const order: Node[] = [];
  const ready = graph.nodes.filter((n) => pending.get(n) === 0);
  const queued = new Set(ready);
  // Keep file order among ready nodes: a stack would reverse branches and shuffle memory estimates.
  for (let i = 0; i < ready.length; i++) {
    const n = ready[i];
    order.push(n);
    for (const d of dependents.get(n) ?? []) {
      const left = pending.get(d)! - 1;
      pending.set(d, left);
      if (left === 0 && !queued.has(d)) { queued.add(d); ready.push(d); }
    }
  }
  // A cycle (invalid graph) leaves nodes behind; append them in file order rather than drop them.
  for (const n of graph.nodes) if (!queued.has(n)) order.push(n);
  return order;
}
