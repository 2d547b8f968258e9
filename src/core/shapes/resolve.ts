// Concrete shapes of every value of the main graph under a user's dims map ({batch: 1, seq: 128}),
// the input the cost engine needs. The graph inputs' dims are sized from the map, the operator
// rules compute the rest, and the small integer tensors they carry (Shape → Gather → Concat →
// Reshape chains) keep reshapes concrete. Where no rule applies, the shape the file (or shape
// inference) declared on the value is used, sized from the same map.
import type { Graph, Model, Node, Value } from '../ir/graph.js';
import type { Dim } from '../ir/shape.js';
import { controlFlowOutputs, seedBodyInputs } from './control-flow.js';
import { evalDim, evalShape } from './dims.js';
import { evaluateFact, type KnownValue } from './fact.js';
import { topologicalOrder } from './order.js';
import { constantNodeValue, constantOfShapeFill, tensorFact } from './read.js';
import { rulesFor } from './rules.js';

/** Sizes for symbolic dims by name, and the batch size used for unnamed leading dims. */
export interface DimsOptions {
  dims?: Record<string, number>;
  /** Size of an input's first dim when it is symbolic and not in `dims`, or unknown (default 1). */
  batch?: number;
}

/** Shapes of the main graph's values, in the order its nodes run. */
export interface ShapeResolution {
  graph: Graph;
  /** Main-graph nodes in a topological order. */
  order: Node[];
  known: Map<Value, KnownValue>;
  /** Values that depend on no graph input: weights and what is computed only from them. */
  constant: Set<Value>;
  /** Symbolic or unknown input dims that were not in the dims map, with the size assumed. */
  assumedDims: Record<string, number>;
  /** Nodes with at least one output whose shape stayed unknown. */
  unresolved: Node[];
  /** Examples one pass processes: the first input's leading dim when the file leaves it symbolic, else 1. */
  batch: number;
  /** Node order of each If/Loop/Scan body that was propagated (their values are in `known` too). */
  subgraphOrders: Map<Graph, Node[]>;
}

/** Propagates concrete shapes through the model's main graph. */
export async function resolveShapes(model: Model, options: DimsOptions = {}): Promise<ShapeResolution> {
  const graph = model.graph;
  const dims = options.dims ?? {};
  const batch = options.batch ?? 1;
  const assumedDims: Record<string, number> = {};
  let batchSize: number | undefined;
  const known = new Map<Value, KnownValue>();
  const constant = new Set<Value>();
  const sizes = () => ({ ...assumedDims, ...dims });

  const declared = (v: Value): KnownValue | undefined => {
    const shape = v.type?.shape;
    if (!shape) return v.type?.dtype ? { shape: null, dtype: v.type.dtype } : undefined;
    const all = sizes();
    return { shape: evalShape(shape.map((d) => (typeof d === 'number' && d < 0 ? null : d)), all), dtype: v.type?.dtype };
  };

  // Weight reads are independent: run them a batch at a time (a file open each, thousands in big graphs).
  const weightValues = [...graph.values.values()].filter((v) => v.tensor);
  for (let i = 0; i < weightValues.length; i += 64) {
    const batchValues = weightValues.slice(i, i + 64);
    const read = await Promise.all(batchValues.map((v) => tensorFact(v.tensor!)));
    batchValues.forEach((v, j) => { known.set(v, read[j]); constant.add(v); });
  }
  for (const v of graph.inputs) {
    if (v.tensor) continue;
    const shape = v.type?.shape;
    if (!shape) { known.set(v, { shape: null, dtype: v.type?.dtype }); continue; }
    const concrete = shape.map((d: Dim, j) => {
      if (typeof d === 'number' && d > 0) return d;
      const given = typeof d === 'string' ? evalDim(d, sizes()) : null;
      if (given !== null) return given;
      // Unnamed unknown dims are addressed as `input[axis]` (e.g. --dim LR[1]=64).
      const key = typeof d === 'string' ? d : `${v.name}[${j}]`;
      if (dims[key] !== undefined) return dims[key];
      const size = j === 0 ? batch : 1;
      assumedDims[key] ??= size;
      return assumedDims[key];
    });
    known.set(v, { shape: concrete, dtype: v.type?.dtype ?? 'float32' });
    // Examples per pass: the size given to the first input's leading dim when the file leaves it open.
    if (batchSize === undefined && shape.length >= 2 && typeof shape[0] !== 'number') batchSize = concrete[0];
    if (batchSize === undefined && shape.length >= 2) batchSize = 1;
  }

  const rules = rulesFor(model);
  const order = topologicalOrder(graph);
  const unresolved: Node[] = [];
  const subgraphOrders = new Map<Graph, Node[]>();
  // TF.js models make their inputs with Placeholder / InputLayer nodes: those values are seeded above.
  const seededInputs = new Set(graph.inputs.filter((v) => !v.tensor && known.get(v)?.shape));

  const runNodes = async (nodes: Node[], graphOutputs: Set<Value>): Promise<void> => {
    for (const node of nodes) {
      const ins = node.inputs.map((v) => (v ? known.get(v) ?? declared(v) : undefined));
      let outs: (KnownValue | undefined)[] | undefined;
      if (node.opType === 'Constant' || node.opType === 'Const') {
        const c = await constantNodeValue(node);
        outs = c ? [c] : undefined;
      } else {
        const rule = rules[node.opType];
        let facts;
        try { facts = rule?.(node, ins); } catch { facts = undefined; }
        if (node.opType === 'ConstantOfShape' && facts?.[0]) facts[0] = await constantOfShapeFill(node, facts[0]);
        const all = sizes();
        outs = facts?.map((f) => (f ? evaluateFact(f, all) : undefined));
      }
      if (node.subgraphs.length) outs = await runControlFlow(node, ins) ?? outs;
      const isConstant = !/^Random/.test(node.opType) && !node.subgraphs.length && node.inputs.every((v) => !v || constant.has(v)) &&
        (node.inputs.some((v) => v) || node.opType === 'Constant' || node.opType === 'Const');
      let missing = false;
      node.outputs.forEach((v, i) => {
        if (seededInputs.has(v)) return;
        const r = outs?.[i];
        const d = declared(v);
        const value: KnownValue = r && r.shape ? { ...r, dtype: d?.dtype ?? r.dtype } : d ?? { shape: null };
        // An unknown optional output nobody reads (Dropout's mask) does not make the node unresolved.
        if (!value.shape && (v.consumers.length > 0 || graphOutputs.has(v))) missing = true;
        known.set(v, value);
        if (isConstant) constant.add(v);
      });
      if (missing) unresolved.push(node);
    }
  };

  /** Seeds and runs each body graph; returns the node's outputs where the bodies determine them. */
  const runControlFlow = async (node: Node, ins: (KnownValue | undefined)[]): Promise<(KnownValue | undefined)[] | undefined> => {
    for (const sub of node.subgraphs) {
      for (const v of sub.values.values()) if (v.tensor && !known.has(v)) { known.set(v, await tensorFact(v.tensor)); constant.add(v); }
      seedBodyInputs(node, sub, ins).forEach((k, i) => { if (sub.inputs[i] && k) known.set(sub.inputs[i], k); });
      const subOrder = topologicalOrder(sub);
      subgraphOrders.set(sub, subOrder);
      await runNodes(subOrder, new Set(sub.outputs));
    }
    return controlFlowOutputs(node, ins, (v) => known.get(v));
  };

  await runNodes(order, new Set(graph.outputs));
  return { graph, order, known, constant, assumedDims, unresolved, subgraphOrders, batch: batchSize ?? 1 };
}
