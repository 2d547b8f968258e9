// Concrete shapes of every value of the main graph under a user's dims map ({batch: 1, seq: 128}),
// the input the cost engine needs. Symbolic dims are substituted, operator rules compute output
// shapes, and small integer tensors (Shape → Gather → Concat → Reshape chains) are folded so that
// reshapes stay concrete. Where no rule applies, the shape the file (or shape inference) declared
// on the value is used, with the same dims substituted.
import type { Graph, Model, Node, Value } from '../ir/graph.js';
import type { Dim } from '../ir/shape.js';
import { isIntegerType } from '../ir/dtype.js';
import type { Tensor } from '../ir/tensor.js';
import { attrFloat, attrFloats, attrInt, attrInts } from './values/attributes.js';
import type { KnownValue, ShapeRule } from './values/known-value.js';
import { ONNX_SHAPE_RULES } from './onnx-shape-rules.js';
import { KNOWN_VALUE_LIMIT, prod } from './values/small-tensor.js';
import { isDecodable, readTensorNumbers } from './values/tensor-values.js';
import { TFJS_SHAPE_RULES } from './tfjs-shape-rules.js';
import { controlFlowOutputs, seedBodyInputs } from '../cost/control-flow.js';

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

const TFJS_RULES: Record<string, ShapeRule> = { ...ONNX_SHAPE_RULES, ...TFJS_SHAPE_RULES };
function ruleTable(model: Model): Record<string, ShapeRule> {
  return model.format === 'onnx' ? ONNX_SHAPE_RULES : TFJS_RULES;
}

async function tensorKnown(t: Tensor): Promise<KnownValue> {
  const dtype = t.logicalType ?? t.dtype;
  // Integer tensors carry shapes, axes and indices; float ones matter only as Resize scales and the
  // like (a handful of elements). Reading every small bias would cost a file read each.
  const small = t.elementCount <= KNOWN_VALUE_LIMIT && (isIntegerType(t.dtype) || t.elementCount <= 8) && isDecodable(t.dtype);
  let values: number[] | undefined;
  if (small) {
    try { values = Array.from(await readTensorNumbers(t)); } catch { values = undefined; }
  }
  return { shape: [...t.shape], dtype, values };
}

async function constantNodeValue(node: Node): Promise<KnownValue | undefined> {
  for (const a of node.attributes) {
    if (a.type === 'tensor') return tensorKnown(a.value);
    if (a.name === 'value_int') return { shape: [], dtype: 'int64', values: [attrInt(node, 'value_int', 0)] };
    if (a.name === 'value_ints') { const v = attrInts(node, 'value_ints') ?? []; return { shape: [v.length], dtype: 'int64', values: v }; }
    if (a.name === 'value_float') return { shape: [], dtype: 'float32', values: [attrFloat(node, 'value_float', 0)] };
    if (a.name === 'value_floats') { const v = attrFloats(node, 'value_floats') ?? []; return { shape: [v.length], dtype: 'float32', values: v }; }
  }
  return undefined;
}

async function constantOfShapeFill(node: Node, out: KnownValue): Promise<KnownValue> {
  if (!out.shape || prod(out.shape) > KNOWN_VALUE_LIMIT) return out;
  const a = node.attributes.find((x) => x.name === 'value');
  let fill = 0;
  if (a?.type === 'tensor' && isDecodable(a.value.dtype)) fill = (await readTensorNumbers(a.value))[0] ?? 0;
  return { ...out, values: new Array(prod(out.shape)).fill(fill) };
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

  const resolveDim = (d: Dim): number | null => {
    if (typeof d === 'number') return d >= 0 ? d : null;
    if (typeof d === 'string') return dims[d] ?? assumedDims[d] ?? null;
    return null;
  };
  const declared = (v: Value): KnownValue | undefined => {
    const shape = v.type?.shape;
    if (!shape) return v.type?.dtype ? { shape: null, dtype: v.type.dtype } : undefined;
    const resolved = shape.map(resolveDim);
    return { shape: resolved.every((d) => d !== null) ? (resolved as number[]) : null, dtype: v.type?.dtype };
  };

  // Weight reads are independent: run them a batch at a time (a file open each, thousands in big graphs).
  const weightValues = [...graph.values.values()].filter((v) => v.tensor);
  for (let i = 0; i < weightValues.length; i += 64) {
    const batchValues = weightValues.slice(i, i + 64);
    const read = await Promise.all(batchValues.map((v) => tensorKnown(v.tensor!)));
    batchValues.forEach((v, j) => { known.set(v, read[j]); constant.add(v); });
  }
  for (const v of graph.inputs) {
    if (v.tensor) continue;
    const shape = v.type?.shape;
    if (!shape) { known.set(v, { shape: null, dtype: v.type?.dtype }); continue; }
    const concrete = shape.map((d, j) => {
      if (typeof d === 'number' && d > 0) return d;
      if (typeof d === 'string' && dims[d] !== undefined) return dims[d];
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

  const rules = ruleTable(model);
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
        try { outs = rule?.(node, ins); } catch { outs = undefined; }
        if (node.opType === 'ConstantOfShape' && outs?.[0]) outs[0] = await constantOfShapeFill(node, outs[0]);
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
      for (const v of sub.values.values()) if (v.tensor && !known.has(v)) { known.set(v, await tensorKnown(v.tensor)); constant.add(v); }
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
