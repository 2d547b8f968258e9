import type { Graph, Node, Value, ValueType } from '../../ir/graph.js';

/** An empty graph, optionally nested in a parent graph. */
export function newGraph(name: string, parent?: Graph): Graph {
  const g: Graph = { name, nodes: [], inputs: [], outputs: [], values: new Map(), weights: [] };
  if (parent) g.parent = parent;
  return g;
}

/** The graph's value of that name, created (without type or producer) when first asked for. */
export function valueOf(graph: Graph, name: string): Value {
  let v = graph.values.get(name);
  if (!v) {
    v = { name, consumers: [] };
    graph.values.set(name, v);
  }
  return v;
}

/** Sets a value's type unless the file already gave it one. */
export function typeValue(v: Value, type: ValueType | undefined): void {
  if (type && !v.type) v.type = type;
}

/**
 * Appends an input to a node, listing the node once among the value's consumers. Inputs are added
 * node by node, so a repeat can only be the last consumer: no scan of long consumer lists.
 */
export function addInput(node: Node, v: Value): void {
  node.inputs.push(v);
  if (v.consumers[v.consumers.length - 1] !== node) v.consumers.push(node);
}
