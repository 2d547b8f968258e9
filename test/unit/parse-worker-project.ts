// What the parse-worker tests compare of two opened models: every fact of the IR the editor's
// features read (graph structure by name, types, weights' metadata and where their bytes are), and
// every tensor's bytes, strings or read error.
import { createHash } from 'node:crypto';
import { isModelError } from '../../src/core/ir/errors.js';
import type { Attribute, Graph, Model, Node, Value } from '../../src/core/ir/graph.js';
import type { Tensor } from '../../src/core/ir/tensor.js';
import { allGraphs } from '../../src/core/ir/walk.js';

/** Every tensor the model holds, once, in a fixed order: graph weights, values', attributes'. */
export function modelTensors(model: Model): Tensor[] {
  const seen = new Set<Tensor>();
  const add = (t: Tensor | undefined) => { if (t) seen.add(t); };
  for (const g of allGraphs(model)) {
    for (const t of g.weights) add(t);
    for (const v of g.values.values()) add(v.tensor);
    for (const n of g.nodes) {
      for (const a of n.attributes) {
        if (a.type === 'tensor') add(a.value);
        else if (a.type === 'tensors') for (const t of a.value) add(t);
      }
    }
  }
  return [...seen];
}

export const modelTensorsForTest = modelTensors;

const nodeRef = (n: Node | undefined) => (n ? `${n.opType}:${n.name}` : null);

function tensorMeta(t: Tensor): Record<string, unknown> {
  const { data, ...meta } = t;
  return { ...meta, byteLength: data.byteLength, dataByteLength: data.byteLength, ranges: data.fileRanges(), hasStrings: typeof data.strings === 'function' };
}

function attribute(a: Attribute): unknown {
  switch (a.type) {
    case 'tensor': return { ...a, value: tensorMeta(a.value) };
    case 'tensors': return { ...a, value: a.value.map(tensorMeta) };
    case 'graph': return { ...a, value: a.value.name };
    case 'graphs': return { ...a, value: a.value.map((g) => g.name) };
    default: return a;
  }
}

function value(v: Value): unknown {
  return { name: v.name, type: v.type ?? null, inferred: !!v.inferred, producer: nodeRef(v.producer), consumers: v.consumers.map(nodeRef), tensor: v.tensor ? tensorMeta(v.tensor) : null };
}

function graph(g: Graph): unknown {
  return {
    name: g.name, docString: g.docString ?? null, parent: g.parent?.name ?? null, owner: nodeRef(g.owner),
    inputs: g.inputs.map((v) => v.name), outputs: g.outputs.map((v) => v.name), weights: g.weights.map(tensorMeta),
    values: [...g.values].map(([k, v]) => [k, value(v)]),
    nodes: g.nodes.map((n) => ({
      name: n.name, opType: n.opType, domain: n.domain, docString: n.docString ?? null, device: n.device ?? null,
      inputs: n.inputs.map((v) => v?.name ?? null), outputs: n.outputs.map((v) => v.name),
      attributes: n.attributes.map(attribute), subgraphs: n.subgraphs.map((s) => s.name),
    })),
  };
}

/** The model's facts as plain data, for deepEqual. */
export function projectModel(m: Model): unknown {
  const { graph: _g, functions, close: _c, ...rest } = m;
  return {
    ...rest,
    functions: functions.map((f) => ({ ...f, graph: graph(f.graph) })),
    graphs: allGraphs(m).map(graph),
    nodeCount: allGraphs(m).reduce((s, g) => s + g.nodes.length, 0),
    valueCount: allGraphs(m).reduce((s, g) => s + g.values.size, 0),
    weightCount: allGraphs(m).reduce((s, g) => s + g.weights.length, 0),
  };
}

/** Every tensor read on this thread: size and hash of the bytes, the strings, or the error's words. */
export async function readAllTensors(m: Model): Promise<{ name: string; bytes: number; sha?: string; strings?: string[]; error?: string }[]> {
  const out: { name: string; bytes: number; sha?: string; strings?: string[]; error?: string }[] = [];
  for (const t of modelTensors(m)) {
    try {
      const b = await t.data.read();
      const row: (typeof out)[number] = { name: t.name, bytes: b.length, sha: createHash('sha256').update(b).digest('hex') };
      if (t.data.strings) row.strings = await t.data.strings();
      out.push(row);
    } catch (e) {
      out.push({ name: t.name, bytes: 0, error: `${isModelError(e) ? e.code : 'other'}: ${(e as Error).message}` });
    }
  }
  return out;
}
