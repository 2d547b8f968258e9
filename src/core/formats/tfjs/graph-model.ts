import type { Attribute, Graph, ModelFunction, Node, Value, ValueType } from '../../ir/graph.js';
import { ModelError } from '../../ir/errors.js';
import type { Tensor } from '../../ir/tensor.js';
import { tfElementType, tfShape } from './dtypes.js';
import { addInput, newGraph, typeValue, valueOf } from './graph-build.js';
import { isObject, type JsonObject } from './json.js';
import { tfAttributeValue } from './tf-attr.js';

/**
 * Highest output index a reference (`node:k`) may name. Outputs are laid out 0..k from references,
 * so a hostile `x:99999999` would otherwise make a hundred million values (found by the fuzzer).
 */
export const MAX_OUTPUT_INDEX = 65535;

/** Most nodes accepted in one node list (the same count the ONNX reader stops at). */
export const MAX_GRAPH_NODES = 2_000_000;

/** Name of the attribute that lists a node's control dependencies (`^name` inputs in GraphDef). */
export const CONTROL_INPUTS_ATTRIBUTE = 'control_inputs';

/** What a GraphDef tensor reference (`node`, `node:1`, `node:out_arg:0`, `^node`) points at. */
interface TensorRef {
  node: string;
  /** The IR value name: `node` for output 0, `node:k` for output k, the full text for function-style refs. */
  value: string;
  /** Output index where the reference gives one as `node:k`; -1 for function-style refs. */
  index: number;
  control: boolean;
}

export function parseTensorRef(ref: string): TensorRef {
  if (ref.startsWith('^')) return { node: ref.slice(1), value: ref.slice(1), index: 0, control: true };
  const parts = ref.split(':');
  if (parts.length === 1) return { node: ref, value: ref, index: 0, control: false };
  if (parts.length === 2 && /^\d+$/.test(parts[1])) {
    const index = Number(parts[1]);
    return { node: parts[0], value: index === 0 ? parts[0] : ref, index, control: false };
  }
  return { node: parts[0], value: ref, index: -1, control: false };
}

interface Signature {
  inputs: { key: string; ref: string; type: ValueType }[];
  outputs: { key: string; ref: string; type: ValueType }[];
}

/** The `signature` of a graph model (top level or under `userDefinedMetadata`), or null. */
export function readSignature(json: JsonObject): Signature | null {
  const sig = isObject(json.signature) ? json.signature
    : isObject(json.userDefinedMetadata) && isObject(json.userDefinedMetadata.signature) ? json.userDefinedMetadata.signature : null;
  if (!sig) return null;
  const entries = (m: unknown) => (isObject(m) ? Object.entries(m) : []).map(([key, t]) => {
    const o = isObject(t) ? t : {};
    return { key, ref: typeof o.name === 'string' ? o.name : key, type: { dtype: tfElementType(o.dtype), shape: tfShape(o.tensorShape) } };
  });
  return { inputs: entries(sig.inputs), outputs: entries(sig.outputs) };
}

/**
 * Builds an IR graph from GraphDef nodes (TF.js JSON form). Values are named after what consumers
 * write: `node` for output 0, `node:k` for output k. Control dependencies (`^node`) are not data
 * edges: they are kept on the consumer as a `control_inputs` strings attribute. Const nodes take
 * their tensor from the weights manifest by node name.
 */
export function buildGraphDefGraph(opts: {
  name: string;
  nodes: unknown;
  field: string;
  file: string;
  weights: Map<string, Tensor>;
  parent?: Graph;
  /** Extra references that keep values alive and name graph outputs (function `ret`, signature outputs). */
  outputRefs?: string[];
}): Graph {
  const { file, field, weights } = opts;
  const graph = newGraph(opts.name, opts.parent);
  if (opts.nodes === undefined) return graph;
  if (!Array.isArray(opts.nodes)) throw new ModelError('malformed', 'the node list must be an array', { file, field });
  if (opts.nodes.length > MAX_GRAPH_NODES) throw new ModelError('limit', `the graph has ${opts.nodes.length} nodes; the limit is ${MAX_GRAPH_NODES}`, { file, field });
  const defs: { name: string; op: string; inputs: TensorRef[]; def: JsonObject; field: string }[] = [];
  for (let i = 0; i < opts.nodes.length; i++) {
    const d = opts.nodes[i];
    const f = `${field}[${i}]`;
    if (!isObject(d) || typeof d.name !== 'string' || typeof d.op !== 'string') {
      throw new ModelError('malformed', 'a node needs a string `name` and `op`', { file, field: f });
    }
    const inputs = d.input ?? [];
    if (!Array.isArray(inputs) || !inputs.every((x) => typeof x === 'string')) {
      throw new ModelError('malformed', '`input` must be an array of tensor names', { file, field: `${f}.input` });
    }
    const refs = (inputs as string[]).map(parseTensorRef);
    refs.forEach((r, j) => checkOutputIndex(r, file, `${f}.input[${j}]`));
    defs.push({ name: d.name, op: d.op, inputs: refs, def: d, field: f });
  }

  // Outputs are only known from references: gather every referenced output of every node.
  const referenced = new Map<string, Map<string, number>>();
  const refer = (r: TensorRef) => {
    if (r.control) return;
    let m = referenced.get(r.node);
    if (!m) referenced.set(r.node, (m = new Map()));
    if (!m.has(r.value)) m.set(r.value, r.index);
  };
  for (const d of defs) d.inputs.forEach(refer);
  (opts.outputRefs ?? []).forEach((text, j) => {
    const r = parseTensorRef(text);
    checkOutputIndex(r, file, `${field} output reference ${j}`);
    refer(r);
  });

  const nodeByName = new Map<string, Node>();
  const controlConsumed = new Set<string>();
  for (const d of defs) {
    const node: Node = { name: d.name, opType: d.op, domain: '', inputs: [], outputs: nodeOutputs(graph, d.name, d.op, referenced.get(d.name)), attributes: [], subgraphs: [] };
    if (typeof d.def.device === 'string' && d.def.device) node.device = d.def.device;
    for (const v of node.outputs) v.producer = node;
    node.attributes = nodeAttributes(d.def, d.name);
    const control = d.inputs.filter((r) => r.control).map((r) => r.node);
    if (control.length) {
      node.attributes.push({ name: CONTROL_INPUTS_ATTRIBUTE, type: 'strings', value: control });
      control.forEach((c) => controlConsumed.add(c));
    }
    typeOutputs(node, weights.get(d.name));
    graph.nodes.push(node);
    nodeByName.set(d.name, node);
  }
  for (let i = 0; i < defs.length; i++) {
    const node = graph.nodes[i];
    for (const r of defs[i].inputs) if (!r.control) addInput(node, valueOf(graph, r.value));
  }
  // Nodes that nothing consumes (by data or control edge) are what a signature-less graph returns.
  graph.outputs = graph.nodes
    .filter((n) => !controlConsumed.has(n.name) && n.outputs.every((v) => v.consumers.length === 0) && n.outputs.length > 0)
    .map((n) => n.outputs[0]);
  return graph;
}

function checkOutputIndex(r: TensorRef, file: string, field: string): void {
  if (r.index > MAX_OUTPUT_INDEX) {
    throw new ModelError('limit', `'${r.value}' names output ${r.index} of node '${r.node}'; at most ${MAX_OUTPUT_INDEX + 1} outputs per node are accepted`, { file, field });
  }
}

function nodeOutputs(graph: Graph, name: string, op: string, refs: Map<string, number> | undefined): Value[] {
  if (!refs || refs.size === 0) return op === 'NoOp' ? [] : [valueOf(graph, name)];
  const entries = [...refs.entries()];
  if (entries.every(([, i]) => i >= 0)) {
    // Positional outputs: make 0..max so that outputs[k] is output k.
    let max = 0;
    for (const [, i] of entries) if (i > max) max = i; // no spread: a node may have many references
    return Array.from({ length: max + 1 }, (_, k) => valueOf(graph, k === 0 ? name : `${name}:${k}`));
  }
  return entries.map(([v]) => valueOf(graph, v));
}

function nodeAttributes(def: JsonObject, name: string): Attribute[] {
  const out: Attribute[] = [];
  if (!isObject(def.attr)) return out;
  for (const [key, raw] of Object.entries(def.attr)) {
    const v = tfAttributeValue(raw, `${name}.${key}`);
    if (v) out.push({ name: key, ...v } as Attribute);
  }
  return out;
}

/** Types from what the file states: Const tensors, Placeholder dtype/shape, `_output_shapes`. */
function typeOutputs(node: Node, weight: Tensor | undefined): void {
  const attr = (k: string) => node.attributes.find((a) => a.name === k);
  if (node.opType === 'Const' && node.outputs[0]) {
    const value = node.attributes.find((a) => a.name === 'value');
    if (weight) {
      node.outputs[0].tensor = weight;
      typeValue(node.outputs[0], { dtype: weight.logicalType ?? weight.dtype, shape: [...weight.shape] });
      if (value) Object.assign(value, { type: 'tensor', value: weight });
      else node.attributes.push({ name: 'value', type: 'tensor', value: weight });
    } else if (value?.type === 'tensor') {
      node.outputs[0].tensor = value.value;
      typeValue(node.outputs[0], { dtype: value.value.dtype, shape: [...value.value.shape] });
    } else if (value?.type === 'type') {
      typeValue(node.outputs[0], value.value);
    }
  }
  if (node.opType === 'Placeholder' && node.outputs[0]) {
    const dt = attr('dtype');
    const sh = attr('shape');
    typeValue(node.outputs[0], {
      dtype: dt?.type === 'dtype' ? tfElementType(dt.value) : undefined,
      shape: sh?.type === 'shape' ? sh.value : null,
    });
  }
  const shapes = attr('_output_shapes');
  if (shapes?.type === 'shapes' && shapes.value.length === node.outputs.length) {
    node.outputs.forEach((v, k) => typeValue(v, { shape: shapes.value[k] }));
  }
}

/** `modelTopology.library.function[]` as model functions; their Const nodes also read the manifest. */
export function buildFunctions(library: unknown, file: string, weights: Map<string, Tensor>): ModelFunction[] {
  if (!isObject(library) || !Array.isArray(library.function)) return [];
  return library.function.map((f, i): ModelFunction => {
    const field = `modelTopology.library.function[${i}]`;
    if (!isObject(f) || !isObject(f.signature) || typeof f.signature.name !== 'string') {
      throw new ModelError('malformed', 'a function needs `signature.name`', { file, field });
    }
    const sig = f.signature;
    const ret = isObject(f.ret) ? f.ret : {};
    const outArgs = Array.isArray(sig.outputArg) ? sig.outputArg.filter(isObject) : [];
    const outRefs = outArgs.map((a) => ret[String(a.name)]).filter((r): r is string => typeof r === 'string');
    const graph = buildGraphDefGraph({ name: sig.name as string, nodes: f.nodeDef ?? [], field: `${field}.nodeDef`, file, weights, outputRefs: outRefs });
    const inArgs = Array.isArray(sig.inputArg) ? sig.inputArg.filter(isObject) : [];
    graph.inputs = inArgs.map((a) => {
      const v = valueOf(graph, String(a.name));
      typeValue(v, { dtype: tfElementType(a.type), shape: null });
      return v;
    });
    graph.outputs = outRefs.map((r) => valueOf(graph, parseTensorRef(r).value));
    return { name: sig.name as string, domain: '', graph, attributeNames: isObject(f.attr) ? Object.keys(f.attr) : [], opsets: [] };
  });
}
