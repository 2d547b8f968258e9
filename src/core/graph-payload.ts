import type { AttributeInfo, GraphInfo, GraphPayload, NodeInfo, ValueInfo, WeightInfo } from './model-view-types.js';
import type { Attribute, Graph, Model, Node, Value } from './ir/graph.js';
import type { Tensor } from './ir/tensor.js';

/** Longest list attribute sent whole; longer ones are cut and marked (the sidebar folds them anyway). */
const MAX_LIST = 256;

/**
 * Flattens the model's graphs into integer-id tables for the webview. Iterative (no recursion), so
 * deeply nested subgraphs cannot overflow the stack.
 */
export function buildGraphPayload(model: Model): GraphPayload {
  const graphs: GraphInfo[] = [];
  const nodes: NodeInfo[] = [];
  const values: ValueInfo[] = [];
  const weights: WeightInfo[] = [];
  const weightIds = new Map<Tensor, number>();
  const valueIds = new Map<Value, number>();
  const nodeIds = new Map<Node, number>();

  const weightId = (t: Tensor): number => {
    let id = weightIds.get(t);
    if (id === undefined) {
      id = weights.length;
      weightIds.set(t, id);
      weights.push({
        id, name: t.name, dtype: t.dtype, logicalType: t.logicalType ?? null, shape: t.shape,
        elementCount: t.elementCount, byteLength: t.byteLength, role: t.role, location: t.location,
        quantization: t.quantization ? { ...t.quantization } : null,
      });
    }
    return id;
  };
  const valueId = (v: Value, graphId: number): number => {
    let id = valueIds.get(v);
    if (id === undefined) {
      id = values.length;
      valueIds.set(v, id);
      values.push({
        id, name: v.name, graph: graphId, dtype: v.type?.dtype ?? null,
        shape: v.type?.shape ? Array.from(v.type.shape, (d) => d ?? null) : null, inferred: !!v.inferred,
        producer: -1, consumers: [], weight: v.tensor ? weightId(v.tensor) : -1,
      });
    }
    return id;
  };

  // Pass 1: give every graph and node an id (breadth-first), so attributes can reference subgraphs.
  const queue: { graph: Graph; kind: GraphInfo['kind']; owner: number; label: string }[] = [
    { graph: model.graph, kind: 'main', owner: -1, label: model.graph.name },
    ...model.functions.map((f) => ({ graph: f.graph, kind: 'function' as const, owner: -1, label: f.domain ? `${f.domain}:${f.name}` : f.name })),
  ];
  const graphIds = new Map<Graph, number>();
  for (let qi = 0; qi < queue.length; qi++) {
    const { graph, kind, owner, label } = queue[qi];
    const gid = graphs.length;
    graphIds.set(graph, gid);
    graphs.push({ id: gid, name: graph.name, kind, ownerNode: owner, label, nodes: [], inputs: [], outputs: [] });
    for (const n of graph.nodes) {
      const nid = nodes.length;
      nodeIds.set(n, nid);
      graphs[gid].nodes.push(nid);
      nodes.push({ id: nid, graph: gid, name: n.name, opType: n.opType, domain: n.domain, inputs: [], outputs: [], attributes: [], subgraphs: [], ...(n.docString ? { docString: n.docString } : {}) });
      for (const a of n.attributes) {
        const held = a.type === 'graph' ? [a.value] : a.type === 'graphs' ? a.value : [];
        for (const sg of held) queue.push({ graph: sg, kind: 'subgraph', owner: nid, label: a.name });
      }
    }
  }
  // Pass 2: values, edges, attributes.
  for (const { graph } of queue) {
    const gid = graphIds.get(graph)!;
    const g = graphs[gid];
    for (const v of graph.inputs) g.inputs.push(valueId(v, gid));
    for (const v of graph.outputs) g.outputs.push(valueId(v, gid));
    for (const n of graph.nodes) {
      const info = nodes[nodeIds.get(n)!];
      for (const v of n.inputs) {
        if (!v) { info.inputs.push(-1); continue; }
        const vid = valueId(v, gid);
        info.inputs.push(vid);
        values[vid].consumers.push(info.id);
      }
      for (const v of n.outputs) {
        const vid = valueId(v, gid);
        info.outputs.push(vid);
        values[vid].producer = info.id;
      }
      info.attributes = n.attributes.map((a) => describeAttribute(a, weightId, graphIds));
      info.subgraphs = n.subgraphs.map((s) => graphIds.get(s)!).filter((x) => x !== undefined);
    }
    for (const t of graph.weights) weightId(t);
  }
  return { graphs, nodes, values, weights };
}

function cut<T>(list: T[]): { value: T[]; truncatedAt?: number; length: number } {
  return list.length > MAX_LIST ? { value: list.slice(0, MAX_LIST), truncatedAt: MAX_LIST, length: list.length } : { value: list, length: list.length };
}

function describeAttribute(a: Attribute, weightId: (t: Tensor) => number, graphIds: Map<Graph, number>): AttributeInfo {
  const base = { name: a.name, type: a.type };
  switch (a.type) {
    case 'float': case 'int': case 'bool': case 'string': case 'ref': case 'other':
      return { ...base, value: a.value };
    case 'floats': case 'ints': case 'bools': case 'strings':
      return { ...base, ...cut<number | string | boolean>(a.value) };
    case 'dtype':
      return { ...base, value: String(a.value) };
    case 'dtypes':
      return { ...base, ...cut(a.value.map(String)) };
    case 'shape':
      return { ...base, value: a.value === null ? null : a.value.map((d) => (d === null ? '?' : d)) };
    case 'shapes':
      return { ...base, value: a.value.map((s) => (s === null ? '?' : `[${s.map((d) => (d === null ? '?' : d)).join(',')}]`)) };
    case 'type':
      return { ...base, value: a.value.description ?? `${a.value.dtype ?? '?'}` };
    case 'tensor':
      return { ...base, value: `${a.value.dtype}[${a.value.shape.join(',')}]`, weight: weightId(a.value) };
    case 'tensors':
      return { ...base, value: a.value.map((t) => `${t.dtype}[${t.shape.join(',')}]`) };
    case 'graph':
      return { ...base, value: a.value.name, graphs: [graphIds.get(a.value) ?? -1] };
    case 'graphs':
      return { ...base, value: a.value.map((g) => g.name), graphs: a.value.map((g) => graphIds.get(g) ?? -1) };
  }
}
