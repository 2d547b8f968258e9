import type { DataType } from '../../ir/dtype.js';
import { ModelError } from '../../ir/errors.js';
import type { Attribute, Graph, Node, Value, ValueType } from '../../ir/graph.js';
import type { Tensor } from '../../ir/tensor.js';
import { kerasShape, tfElementType } from './dtypes.js';
import { addInput, newGraph, typeValue, valueOf } from './graph-build.js';
import { isObject, type Json, type JsonObject } from './json.js';

const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

/** The Keras model config (`{class_name, config}`) of a layers-model topology, with or without `model_config`. */
export function kerasModelConfig(topo: JsonObject): JsonObject {
  return isObject(topo.model_config) ? topo.model_config : topo;
}

/** One reference to a Keras tensor: output `tensor` of call `node` of layer `layer`. */
interface TensorRef {
  layer: string;
  node: number;
  tensor: number;
  type?: ValueType;
}

interface LayerEntry {
  name: string;
  className: string;
  config: JsonObject;
  /** Inbound tensors per call of the layer. */
  calls: TensorRef[][];
  field: string;
}

/** Value name of a layer's output: `layer`, `layer:t` for output t, `layer@n` for its call n > 0. */
export function layerOutputName(layer: string, node: number, tensor: number): string {
  return `${layer}${node ? `@${node}` : ''}${tensor ? `:${tensor}` : ''}`;
}

/**
 * Builds the graph of a Keras model config: one node per layer (opType = class_name), attributes
 * from the layer config, edges from `inbound_nodes` (Keras 2 lists or Keras 3 `args` with
 * `keras_history`), Sequential layers chained in order. Nested models become subgraphs. Weights
 * become inputs of the layer whose name is the longest prefix of the weight name.
 */
export function buildLayersGraph(model: JsonObject, file: string, weights: Tensor[]): Graph {
  const owners = new Map<string, { node: Node; graph: Graph; depth: number }[]>();
  const graph = buildModelGraph(model, file, 'modelTopology', undefined, owners, 0);
  attachWeights(weights, owners);
  return graph;
}

function buildModelGraph(model: JsonObject, file: string, field: string, parent: Graph | undefined,
  owners: Map<string, { node: Node; graph: Graph; depth: number }[]>, depth: number): Graph {
  const className = String(model.class_name ?? 'Model');
  const cfg = model.config;
  const sequential = className === 'Sequential';
  const layerList = Array.isArray(cfg) ? cfg : isObject(cfg) ? cfg.layers : undefined;
  const lField = Array.isArray(cfg) ? `${field}.config` : `${field}.config.layers`;
  if (!Array.isArray(layerList)) throw new ModelError('malformed', 'the model config has no `layers` array', { file, field: lField });
  const name = isObject(cfg) && typeof cfg.name === 'string' ? cfg.name : className;
  const graph = newGraph(name, parent);
  const entries = layerList.map((l, i) => parseLayer(l, i, file, `${lField}[${i}]`));

  // How many calls and outputs each layer has, from every reference to it.
  const outputsOf = new Map<string, number[]>();
  const refer = (r: TensorRef) => {
    const list = outputsOf.get(r.layer) ?? [];
    list[r.node] = Math.max(list[r.node] ?? 0, r.tensor + 1);
    outputsOf.set(r.layer, list);
  };
  const inputRefs = isObject(cfg) ? layerRefs(cfg.input_layers) : [];
  const outputRefs = isObject(cfg) ? layerRefs(cfg.output_layers) : [];
  for (const e of entries) e.calls.forEach((c) => c.forEach(refer));
  inputRefs.forEach(refer);
  outputRefs.forEach(refer);

  for (const e of entries) {
    const counts = outputsOf.get(e.name) ?? [];
    const calls = Math.max(e.calls.length, counts.length, 1);
    const outputs: Value[] = [];
    for (let n = 0; n < calls; n++) {
      for (let t = 0; t < Math.max(counts[n] ?? 0, 1); t++) outputs.push(valueOf(graph, layerOutputName(e.name, n, t)));
    }
    const node: Node = { name: e.name, opType: e.className, domain: '', inputs: [], outputs, attributes: [], subgraphs: [] };
    for (const v of outputs) v.producer = node;
    const nested = MODEL_CLASSES.has(e.className) && (Array.isArray(e.config) || Array.isArray((e.config as JsonObject).layers));
    if (nested) {
      const sub = buildModelGraph({ class_name: e.className, config: e.config }, file, `${e.field}`, graph, owners, depth + 1);
      sub.owner = node;
      node.subgraphs.push(sub);
      node.attributes.push({ name: 'model', type: 'graph', value: sub });
    } else {
      node.attributes = configAttributes(e.config);
    }
    graph.nodes.push(node);
    const list = owners.get(e.name) ?? [];
    list.push({ node, graph, depth });
    owners.set(e.name, list);
  }

  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const node = graph.nodes[i];
    for (const call of e.calls) {
      for (const r of call) {
        const v = valueOf(graph, layerOutputName(r.layer, r.node, r.tensor));
        typeValue(v, r.type);
        addInput(node, v);
      }
    }
    if (e.className === 'InputLayer') typeValue(node.outputs[0], inputType(e.config));
  }

  if (sequential) {
    chainSequential(graph, entries);
  } else {
    graph.inputs = inputRefs.map((r) => valueOf(graph, layerOutputName(r.layer, r.node, r.tensor)));
    graph.outputs = outputRefs.map((r) => valueOf(graph, layerOutputName(r.layer, r.node, r.tensor)));
  }
  return graph;
}

/** Sequential models list no edges: layer i reads layer i−1; the first reads the model input. */
function chainSequential(graph: Graph, entries: LayerEntry[]): void {
  if (!graph.nodes.length) return;
  const first = graph.nodes[0];
  if (entries[0].className === 'InputLayer') {
    graph.inputs = [first.outputs[0]];
  } else {
    // Keras names a Sequential model's implicit input `<first layer>_input`.
    const input = valueOf(graph, `${first.name}_input`);
    typeValue(input, inputType(entries[0].config));
    first.inputs.unshift(input);
    input.consumers.push(first);
    graph.inputs = [input];
  }
  for (let i = 1; i < graph.nodes.length; i++) {
    if (entries[i].calls.length) continue; // an explicit edge list wins
    const prev = graph.nodes[i - 1].outputs[0];
    graph.nodes[i].inputs.unshift(prev);
    prev.consumers.push(graph.nodes[i]);
  }
  graph.outputs = [graph.nodes[graph.nodes.length - 1].outputs[0]];
}

function inputType(config: JsonObject): ValueType | undefined {
  const shape = config.batch_input_shape ?? config.batch_shape;
  let s = kerasShape(shape);
  if (!s && Array.isArray(config.input_shape)) s = [null, ...kerasShape(config.input_shape)!];
  if (!s) return undefined;
  return { dtype: typeof config.dtype === 'string' ? tfElementType(config.dtype) : undefined, shape: s };
}

function parseLayer(l: unknown, index: number, file: string, field: string): LayerEntry {
  if (!isObject(l) || typeof l.class_name !== 'string') {
    throw new ModelError('malformed', 'a layer needs a `class_name`', { file, field });
  }
  const config: JsonObject = isObject(l.config) ? l.config : Array.isArray(l.config) ? { layers: l.config } : {};
  const name = typeof l.name === 'string' ? l.name : typeof config.name === 'string' ? config.name : `${l.class_name}_${index}`;
  // A nested Sequential saved in the old form keeps its layer list as `config`.
  const cfg = Array.isArray(l.config) ? ({ layers: l.config } as JsonObject) : config;
  return { name, className: l.class_name, config: cfg, calls: parseInbound(l.inbound_nodes, file, `${field}.inbound_nodes`), field };
}

/** Keras 2: `[[['name', node, tensor, {kwargs}], ...], ...]`; Keras 3: `[{args: [...], kwargs: {...}}]`. */
function parseInbound(inbound: unknown, file: string, field: string): TensorRef[][] {
  if (inbound === undefined || inbound === null) return [];
  if (!Array.isArray(inbound)) throw new ModelError('malformed', '`inbound_nodes` must be an array', { file, field });
  return inbound.map((call, i) => {
    if (Array.isArray(call)) {
      return call.map((ref, j) => {
        if (!Array.isArray(ref) || typeof ref[0] !== 'string') {
          throw new ModelError('malformed', 'an inbound tensor must be [layer, node, tensor, kwargs]', { file, field: `${field}[${i}][${j}]` });
        }
        return { layer: ref[0], node: Number(ref[1] ?? 0), tensor: Number(ref[2] ?? 0) };
      });
    }
    if (isObject(call)) return kerasHistoryRefs(call);
    throw new ModelError('malformed', 'an inbound node must be a list or an {args, kwargs} object', { file, field: `${field}[${i}]` });
  });
}

/** Every `__keras_tensor__` in a Keras 3 call, in order (args first, then kwargs), walked without recursion. */
function kerasHistoryRefs(call: JsonObject): TensorRef[] {
  const out: TensorRef[] = [];
  const stack: Json[] = [call.kwargs ?? null, call.args ?? null];
  while (stack.length) {
    const v = stack.pop()!;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (isObject(v)) {
      const hist = isObject(v.config) ? v.config.keras_history : undefined;
      if (v.class_name === '__keras_tensor__' && Array.isArray(hist) && typeof hist[0] === 'string') {
        const c = v.config as JsonObject;
        const dtype = typeof c.dtype === 'string' ? tfElementType(c.dtype) : undefined;
        out.push({ layer: hist[0], node: Number(hist[1] ?? 0), tensor: Number(hist[2] ?? 0), type: Array.isArray(c.shape) ? { dtype, shape: kerasShape(c.shape) } : undefined });
      } else {
        const vals = Object.values(v);
        for (let i = vals.length - 1; i >= 0; i--) stack.push(vals[i]);
      }
    }
  }
  return out;
}

/** `input_layers` / `output_layers`: `[[name, node, tensor], ...]` or, for one tensor, `[name, node, tensor]`. */
function layerRefs(v: unknown): TensorRef[] {
  if (!Array.isArray(v)) return [];
  const list = typeof v[0] === 'string' ? [v] : v;
  return list.filter((r): r is Json[] => Array.isArray(r) && typeof r[0] === 'string')
    .map((r) => ({ layer: r[0] as string, node: Number(r[1] ?? 0), tensor: Number(r[2] ?? 0) }));
}

const SHAPE_KEYS = new Set(['batch_input_shape', 'batch_shape', 'input_shape', 'target_shape', 'build_input_shape']);

/** Layer config entries as attributes: scalars and flat arrays typed, nested configs as JSON text. */
function configAttributes(config: JsonObject): Attribute[] {
  const out: Attribute[] = [];
  for (const [name, v] of Object.entries(config)) {
    if (name === 'name' || v === null || v === undefined) continue;
    if (SHAPE_KEYS.has(name) && Array.isArray(v) && v.every((d) => d === null || typeof d === 'number')) {
      out.push({ name, type: 'shape', value: kerasShape(v) });
    } else if (name === 'dtype' && typeof v === 'string') {
      out.push({ name, type: 'dtype', value: (tfElementType(v) ?? v) as DataType | string });
    } else if (typeof v === 'number') {
      out.push(Number.isInteger(v) ? { name, type: 'int', value: v } : { name, type: 'float', value: v });
    } else if (typeof v === 'boolean') {
      out.push({ name, type: 'bool', value: v });
    } else if (typeof v === 'string') {
      out.push({ name, type: 'string', value: v });
    } else if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'number')) {
      const nums = v as number[];
      out.push(nums.every(Number.isInteger) ? { name, type: 'ints', value: nums } : { name, type: 'floats', value: nums });
    } else if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string')) {
      out.push({ name, type: 'strings', value: v as string[] });
    } else if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'boolean')) {
      out.push({ name, type: 'bools', value: v as boolean[] });
    } else {
      out.push({ name, type: 'string', value: JSON.stringify(v) });
    }
  }
  return out;
}

/**
 * Attaches each weight to the layer named by a prefix of its name (`dense_1/kernel` → `dense_1`),
 * preferring the most deeply nested layer, then the longest prefix. Unmatched weights stay only
 * in the graph's weight list.
 */
function attachWeights(weights: Tensor[], owners: Map<string, { node: Node; graph: Graph; depth: number }[]>): void {
  for (const w of weights) {
    const seg = w.name.split('/');
    let best: { node: Node; graph: Graph; depth: number; len: number } | null = null;
    for (let start = 0; start < seg.length - 1; start++) {
      for (let end = seg.length - 1; end > start; end--) {
        const cands = owners.get(seg.slice(start, end).join('/'));
        if (!cands) continue;
        for (const c of cands) {
          const len = end - start;
          if (!best || c.depth > best.depth || (c.depth === best.depth && len > best.len)) best = { ...c, len };
        }
        break;
      }
    }
    if (!best) continue;
    const v = valueOf(best.graph, w.name);
    v.tensor = w;
    typeValue(v, { dtype: w.logicalType ?? w.dtype, shape: [...w.shape] });
    addInput(best.node, v);
  }
}
