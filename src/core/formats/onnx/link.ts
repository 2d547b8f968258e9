// Turns the names collected while parsing into linked Values: producers, consumers, graph inputs
// and outputs, types from value_info, and initializers attached as Value.tensor.
import type { Graph, Value, ValueType } from '../../ir/graph.js';
import type { Tensor } from '../../ir/tensor.js';
import type { GraphBuild } from './graph-proto.js';

function valueOf(values: Map<string, Value>, name: string): Value {
  let v = values.get(name);
  if (!v) {
    v = { name, consumers: [] };
    values.set(name, v);
  }
  return v;
}

function typeOfTensor(t: Tensor): ValueType {
  // Shares the tensor's shape array: both describe the same stored tensor.
  return { dtype: t.dtype, shape: t.shape };
}

/** Finds `name` in the enclosing scopes of a subgraph (outer-scope references). */
function outer(graph: Graph, name: string): Value | undefined {
  for (let g = graph.parent; g; g = g.parent) {
    const v = g.values.get(name);
    if (v) return v;
  }
  return undefined;
}

/**
 * Links one graph. Parents must be linked first, so that a subgraph's references to outer values
 * find the parent's Value objects (they are not copied into the subgraph's own map).
 */
export function linkGraph(b: GraphBuild): void {
  const g = b.graph;
  const values = g.values;
  for (const rec of b.inputs) {
    const v = valueOf(values, rec.name);
    if (rec.type) v.type = rec.type;
    g.inputs.push(v);
  }
  for (const t of b.initializers) {
    const v = valueOf(values, t.name);
    v.tensor = t;
    v.type ??= typeOfTensor(t);
    g.weights.push(t);
  }
  const nodes = g.nodes;
  // Exact-size arrays: pushing into [] reserves room for 17 elements, and a big graph has many.
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    const s = i ? b.outEnd[i - 1] : 0, e = b.outEnd[i];
    const outs: Value[] = new Array(e - s);
    for (let k = s; k < e; k++) {
      const name = b.outNames[k];
      let v: Value;
      if (name === '') v = { name: '', consumers: [] };
      else v = valueOf(values, name);
      v.producer = node;
      outs[k - s] = v;
    }
    node.outputs = outs;
  }
  for (const rec of b.valueInfo) {
    if (!rec.type) continue;
    (values.get(rec.name) ?? outer(g, rec.name) ?? valueOf(values, rec.name)).type = rec.type;
  }
  for (const rec of b.outputs) {
    const v = values.get(rec.name) ?? outer(g, rec.name) ?? valueOf(values, rec.name);
    if (rec.type) v.type = rec.type;
    g.outputs.push(v);
  }
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    const s = i ? b.inEnd[i - 1] : 0, e = b.inEnd[i];
    const ins: (Value | null)[] = new Array(e - s);
    for (let k = s; k < e; k++) {
      const name = b.inNames[k];
      if (name === '') {
        ins[k - s] = null;
        continue;
      }
      let v = values.get(name);
      if (!v) v = (g.parent && outer(g, name)) || valueOf(values, name);
      if (v.consumers.length === 0) v.consumers = [node];
      else v.consumers.push(node);
      ins[k - s] = v;
    }
    node.inputs = ins;
  }
}
