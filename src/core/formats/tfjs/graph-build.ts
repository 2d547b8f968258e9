import type { Attribute, Graph, Node, Value, ValueType } from '../../ir/graph.js';

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

/** Appends a node and wires producer/consumer links of its values. */
export function addNode(graph: Graph, node: Omit<Node, 'subgraphs'> & { subgraphs?: Node['subgraphs'] }): Node {
  const n: Node = { ...node, subgraphs: node.subgraphs ?? [] };
  for (const v of n.inputs) if (v && !v.consumers.includes(n)) v.consumers.push(n);
  for (const v of n.outputs) v.producer = n;
  graph.nodes.push(n);
  return n;
}

/** Links an input to a node after the node was added. */
export function addInput(node: Node, v: Value): void {
  node.inputs.push(v);
  if (!v.consumers.includes(node)) v.consumers.push(node);
}

/** Attribute list helper: drops entries whose value could not be converted. */
export function compactAttributes(list: (Attribute | null)[]): Attribute[] {
  return list.filter((a): a is Attribute => a !== null);
}
