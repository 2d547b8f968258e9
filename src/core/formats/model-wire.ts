// An opened Model as structured-cloneable data, for the parse worker to hand to the host. The IR is
// a web of references (producer/consumers, parent/owner, subgraphs in attributes) that
// postMessage's recursive clone would follow one link per stack frame — a 20k-node chain overflows
// the stack — so it travels as flat tables with integer ids, and is relinked on arrival. Each
// tensor's TensorData travels as its recipe (file ranges, or the few bytes a reader held in memory,
// moved not copied) and is rebuilt as the same class: weights stay in their files.
import { wireBuffers, type TensorDataWire } from '../io/tensor-data-wire.js';
import type { Attribute, Graph, Model, ModelFunction, Node, Value } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import { allGraphs } from '../ir/walk.js';
import { dataFromWire, describeData } from './tensor-data-from-wire.js';

type Id = number;

/** An attribute with its tensors and graphs as ids. */
type AttributeWire = Omit<Attribute, 'value'> & { value?: unknown; tensor?: Id; tensors?: Id[]; graph?: Id; graphs?: Id[] };
type NodeWire = Omit<Node, 'inputs' | 'outputs' | 'attributes' | 'subgraphs'> & { inputs: Id[]; outputs: Id[]; attributes: AttributeWire[]; subgraphs: Id[] };
// Optional links are left out rather than written as -1: the host must not `delete` them (an
// object that loses a property turns slow for every later access).
type ValueWire = Omit<Value, 'producer' | 'consumers' | 'tensor'> & { producer?: Id; consumers: Id[]; tensor?: Id };
type GraphWire = Omit<Graph, 'nodes' | 'inputs' | 'outputs' | 'values' | 'weights' | 'parent' | 'owner'> & {
  nodes: Id[]; inputs: Id[]; outputs: Id[]; values: [string, Id][]; weights: Id[]; parent?: Id; owner?: Id;
};
type TensorWire = Omit<Tensor, 'data'> & { data: TensorDataWire };

/** A Model as flat tables; what postMessage carries from the parse worker. */
export interface ModelWire {
  model: Omit<Model, 'graph' | 'functions' | 'close'>;
  main: Id;
  functions: (Omit<ModelFunction, 'graph'> & { graph: Id })[];
  graphs: GraphWire[];
  nodes: NodeWire[];
  values: ValueWire[];
  tensors: TensorWire[];
}

/** Assigns ids in first-seen order. */
class Ids<T> {
  readonly list: T[] = [];
  private readonly ids = new Map<T, Id>();
  id(x: T | null | undefined): Id {
    if (x === null || x === undefined) return -1;
    let id = this.ids.get(x);
    if (id === undefined) { id = this.list.length; this.ids.set(x, id); this.list.push(x); }
    return id;
  }
}

/** Turns a model into what postMessage can carry, with the ArrayBuffers to transfer (the sender's copies go). */
export async function modelToWire(model: Model): Promise<{ wire: ModelWire; transfer: ArrayBuffer[] }> {
  const graphs = new Ids<Graph>(), nodes = new Ids<Node>(), values = new Ids<Value>(), tensors = new Ids<Tensor>();
  const main = graphs.id(model.graph);
  const functions = model.functions.map((f) => ({ ...f, graph: graphs.id(f.graph) }));
  for (const g of allGraphs(model)) graphs.id(g);
  const graphWires: GraphWire[] = [], nodeWires: NodeWire[] = [], valueWires: ValueWire[] = [];
  // Ids grow while the tables are written (a node names its values, a value its consumers, an
  // attribute its graph): go round until every table has caught up with its ids.
  for (let gi = 0, ni = 0, vi = 0; gi < graphs.list.length || ni < nodes.list.length || vi < values.list.length;) {
    for (; gi < graphs.list.length; gi++) {
      const { parent, owner, ...g } = graphs.list[gi];
      const gw: GraphWire = {
        ...g, nodes: g.nodes.map((n) => nodes.id(n)), inputs: g.inputs.map((v) => values.id(v)), outputs: g.outputs.map((v) => values.id(v)),
        values: [...g.values].map(([k, v]) => [k, values.id(v)]), weights: g.weights.map((t) => tensors.id(t)),
      };
      if (parent) gw.parent = graphs.id(parent);
      if (owner) gw.owner = nodes.id(owner);
      graphWires.push(gw);
    }
    for (; ni < nodes.list.length; ni++) {
      const n = nodes.list[ni];
      nodeWires.push({
        ...n, inputs: n.inputs.map((v) => values.id(v)), outputs: n.outputs.map((v) => values.id(v)),
        attributes: n.attributes.map((a) => attributeWire(a, tensors, graphs)), subgraphs: n.subgraphs.map((sg) => graphs.id(sg)),
      });
    }
    for (; vi < values.list.length; vi++) {
      const { producer, tensor, ...v } = values.list[vi];
      const vw: ValueWire = { ...v, consumers: v.consumers.map((n) => nodes.id(n)) };
      if (producer) vw.producer = nodes.id(producer);
      if (tensor) vw.tensor = tensors.id(tensor);
      valueWires.push(vw);
    }
  }
  const buffers = new Set<ArrayBuffer>();
  const tensorWires: TensorWire[] = [];
  for (const t of tensors.list) {
    const data = await describeData(t.data);
    wireBuffers(data, buffers);
    tensorWires.push({ ...t, data });
  }
  const { graph: _g, functions: _f, close: _c, ...rest } = model;
  return {
    wire: { model: rest, main, functions, graphs: graphWires, nodes: nodeWires, values: valueWires, tensors: tensorWires },
    transfer: [...buffers],
  };
}

function attributeWire(a: Attribute, tensors: Ids<Tensor>, graphs: Ids<Graph>): AttributeWire {
  switch (a.type) {
    case 'tensor': return { ...a, value: undefined, tensor: tensors.id(a.value) };
    case 'tensors': return { ...a, value: undefined, tensors: a.value.map((t) => tensors.id(t)) };
    case 'graph': return { ...a, value: undefined, graph: graphs.id(a.value) };
    case 'graphs': return { ...a, value: undefined, graphs: a.value.map((g) => graphs.id(g)) };
    default: return a;
  }
}

/** Records relinked between two pauses of modelFromWire. */
const RELINK_SLICE = 1000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Rebuilds the model the worker described; its TensorData read the files on this thread, lazily.
 * The wire objects become the IR objects, each getting its links back in place (no second copy),
 * a slice at a time with `pause()` in between, so that the receiving thread is never held long.
 */
export async function modelFromWire(w: ModelWire, pause: () => Promise<void> = nextTurn): Promise<Model> {
  const tensors = w.tensors as unknown as Tensor[];
  const nodes = w.nodes as unknown as Node[];
  const values = w.values as unknown as Value[];
  const graphs = w.graphs as unknown as Graph[];
  let done = 0;
  const step = async () => { if (++done % RELINK_SLICE === 0) await pause(); };
  for (const t of w.tensors) {
    (t as unknown as Tensor).data = dataFromWire(t.data);
    await step();
  }
  for (const v of w.values) {
    const out = v as unknown as Value;
    if (v.producer !== undefined) out.producer = nodes[v.producer];
    if (v.tensor !== undefined) out.tensor = tensors[v.tensor];
    out.consumers = v.consumers.map((id) => nodes[id]);
    await step();
  }
  for (const n of w.nodes) {
    const out = n as unknown as Node;
    out.inputs = n.inputs.map((id) => (id < 0 ? null : values[id]));
    out.outputs = n.outputs.map((id) => values[id]);
    out.subgraphs = n.subgraphs.map((id) => graphs[id]);
    out.attributes = n.attributes.map((a) => attributeFromWire(a, tensors, graphs));
    await step();
  }
  for (const g of w.graphs) {
    const out = g as unknown as Graph;
    out.nodes = g.nodes.map((id) => nodes[id]);
    out.inputs = g.inputs.map((id) => values[id]);
    out.outputs = g.outputs.map((id) => values[id]);
    const table = new Map<string, Value>();
    for (const [k, id] of g.values) table.set(k, values[id]);
    out.values = table;
    out.weights = g.weights.map((id) => tensors[id]);
    if (g.parent !== undefined) out.parent = graphs[g.parent];
    if (g.owner !== undefined) out.owner = nodes[g.owner];
    await step();
  }
  return {
    ...w.model,
    graph: graphs[w.main],
    functions: w.functions.map((f) => ({ ...f, graph: graphs[f.graph] })),
    // The readers' close() has nothing to release once parsing ended (each read opens its file).
    close: async () => undefined,
  };
}

function attributeFromWire(a: AttributeWire, tensors: Tensor[], graphs: Graph[]): Attribute {
  const { tensor, tensors: ts, graph, graphs: gs, ...rest } = a;
  if (a.type !== 'tensor' && a.type !== 'tensors' && a.type !== 'graph' && a.type !== 'graphs') return a as Attribute;
  if (tensor !== undefined) return { ...rest, value: tensors[tensor] } as Attribute;
  if (ts !== undefined) return { ...rest, value: ts.map((id) => tensors[id]) } as Attribute;
  if (graph !== undefined) return { ...rest, value: graphs[graph] } as Attribute;
  if (gs !== undefined) return { ...rest, value: gs.map((id) => graphs[id]) } as Attribute;
  return a as Attribute;
}
