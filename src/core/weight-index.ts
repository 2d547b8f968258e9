/**
 * The model's weights in GraphPayload order, so a weight id the webview sends (an index into
 * GraphPayload.weights) names the same Tensor on the host. Walks the graphs exactly as
 * buildGraphPayload (graph-payload.ts) assigns ids: graphs breadth-first (main, functions, then
 * subgraphs in node order); per graph its inputs, outputs, then each node's inputs, outputs and
 * tensor attributes, then the graph's remaining weights. First encounter of a Tensor wins.
 */
import type { Graph, Model } from './ir/graph.js';
import type { Tensor } from './ir/tensor.js';

/** Every weight of the model in GraphPayload.weights order (weight id = index). */
export function weightList(model: Model): Tensor[] {
  const out: Tensor[] = [];
  const seen = new Set<Tensor>();
  const add = (t: Tensor | undefined | null) => {
    if (t && !seen.has(t)) { seen.add(t); out.push(t); }
  };
  const queue: Graph[] = [model.graph, ...model.functions.map((f) => f.graph)];
  for (let qi = 0; qi < queue.length; qi++) {
    for (const n of queue[qi].nodes) {
      for (const a of n.attributes) {
        if (a.type === 'graph') queue.push(a.value);
        else if (a.type === 'graphs') queue.push(...a.value);
      }
    }
  }
  for (const graph of queue) {
    for (const v of graph.inputs) add(v.tensor);
    for (const v of graph.outputs) add(v.tensor);
    for (const n of graph.nodes) {
      for (const v of n.inputs) add(v?.tensor);
      for (const v of n.outputs) add(v.tensor);
      for (const a of n.attributes) if (a.type === 'tensor') add(a.value);
    }
    for (const t of graph.weights) add(t);
  }
  return out;
}

/** A cached id → Tensor lookup per model (models are immutable once read). */
const cache = new WeakMap<Model, Tensor[]>();

/** The tensor with GraphPayload weight id `id`, or undefined when out of range. */
export function weightById(model: Model, id: number): Tensor | undefined {
  let list = cache.get(model);
  if (!list) cache.set(model, (list = weightList(model)));
  return list[id];
}

/** How many weights the payload lists (the upper bound of a valid weight id, exclusive). */
export function weightCount(model: Model): number {
  let list = cache.get(model);
  if (!list) cache.set(model, (list = weightList(model)));
  return list.length;
}
