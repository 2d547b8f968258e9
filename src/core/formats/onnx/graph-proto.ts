// GraphProto, NodeProto, AttributeProto, ValueInfoProto and TypeProto → IR structures. Names are
// collected here and linked into Values afterwards (link.ts), once every scope is complete.
import type { DataType } from '../../ir/dtype.js';
import type { Attribute, AttributeValue, Graph, Node, ValueType } from '../../ir/graph.js';
import type { Dim, Shape } from '../../ir/shape.js';
import type { Tensor } from '../../ir/tensor.js';
import { MemoryData } from '../../io/tensor-data.js';
import { AttrType, Msg, Wire, dtypeFromOnnx } from './schema.js';
import { float32Bytes, int64Bytes } from './tensor-bytes.js';
import { MemoryStrings } from './tensor-data.js';
import { parseSparseTensor, parseTensor, type TensorContext } from './tensor-proto.js';

export interface ValueInfoRecord {
  name: string;
  type?: ValueType;
}

/** A graph being read: the IR graph plus the names its nodes use, linked later. */
export interface GraphBuild {
  graph: Graph;
  /** Input names of all nodes, flat; node i's are [inEnd[i-1], inEnd[i]). */
  inNames: string[];
  inEnd: number[];
  outNames: string[];
  outEnd: number[];
  inputs: ValueInfoRecord[];
  outputs: ValueInfoRecord[];
  valueInfo: ValueInfoRecord[];
  /** Dense and sparse initializers, in file order. */
  initializers: Tensor[];
  sparseCount: number;
  parent: GraphBuild | null;
}

/** Parsing state shared by every graph of one file. */
export interface ParseContext extends TensorContext {
  /** Every graph in creation order, so parents come before their subgraphs. */
  builds: GraphBuild[];
  signal?: AbortSignal;
  nodeCount: number;
}

export function newGraphBuild(ctx: ParseContext, parent: GraphBuild | null, owner?: Node): GraphBuild {
  const graph: Graph = { name: '', nodes: [], inputs: [], outputs: [], values: new Map(), weights: [] };
  if (parent) graph.parent = parent.graph;
  if (owner) graph.owner = owner;
  const b: GraphBuild = { graph, inNames: [], inEnd: [], outNames: [], outEnd: [], inputs: [], outputs: [], valueInfo: [], initializers: [], sparseCount: 0, parent };
  ctx.builds.push(b);
  return b;
}

/** Parses GraphProto fields up to `end` into `b`. */
export function parseGraph(ctx: ParseContext, b: GraphBuild, end: number): void {
  const r = ctx.r;
  while (r.pos < end) {
    const wire = r.key();
    if (r.field === 1) graphNode(ctx, b, wire);
    else graphField(ctx, b, wire);
  }
}

/**
 * The main graph: like parseGraph, but gives the event loop a turn about every 50 ms so that a
 * big model neither freezes its thread nor ignores `signal` (subgraphs are small and parse whole).
 */
export async function parseGraphYielding(ctx: ParseContext, b: GraphBuild, end: number): Promise<void> {
  const r = ctx.r;
  let last = performance.now();
  let k = 0;
  while (r.pos < end) {
    const wire = r.key();
    if (r.field === 1) graphNode(ctx, b, wire);
    else graphField(ctx, b, wire);
    if ((++k & 255) === 0 && performance.now() - last > 50) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (ctx.signal?.aborted) throw r.error('cancelled', 'reading was cancelled');
      last = performance.now();
    }
  }
}

function graphNode(ctx: ParseContext, b: GraphBuild, wire: number): void {
  const r = ctx.r;
  const e = r.enter(wire, Msg.Node, b.graph.nodes.length);
  parseNode(ctx, b, e);
  r.leave(e);
  if ((++ctx.nodeCount & 4095) === 0 && ctx.signal?.aborted) throw r.error('cancelled', 'reading was cancelled');
}

/** One GraphProto field other than `node`. */
function graphField(ctx: ParseContext, b: GraphBuild, wire: number): void {
  const r = ctx.r;
  const g = b.graph;
  switch (r.field) {
    case 2: r.expect(wire, Wire.Len); g.name = r.string(); break;
    case 5: {
      const i = b.initializers.length;
      const e = r.enter(wire, Msg.Tensor, i - b.sparseCount);
      b.initializers.push(parseTensor(ctx, e, 'initializer', `initializer ${i - b.sparseCount}`));
      r.leave(e);
      break;
    }
    case 15: {
      const e = r.enter(wire, Msg.Sparse, b.sparseCount);
      b.initializers.push(parseSparseTensor(ctx, e, 'initializer', `sparse initializer ${b.sparseCount}`));
      b.sparseCount++;
      r.leave(e);
      break;
    }
    case 10: r.expect(wire, Wire.Len); g.docString = r.string(); break;
    case 11: b.inputs.push(parseValueInfo(ctx, wire, b.inputs.length)); break;
    case 12: b.outputs.push(parseValueInfo(ctx, wire, b.outputs.length)); break;
    case 13: b.valueInfo.push(parseValueInfo(ctx, wire, b.valueInfo.length)); break;
    default: r.skip(wire);
  }
}

/** Parses a NodeProto body into a new node of `b`. */
export function parseNode(ctx: ParseContext, b: GraphBuild, end: number): Node {
  const r = ctx.r;
  if (ctx.nodeCount >= r.limits.maxNodes) throw r.error('limit', `the model has more than ${r.limits.maxNodes} nodes; the limit is ${r.limits.maxNodes}`);
  const node: Node = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: [], subgraphs: [] };
  const ins = b.inNames, outs = b.outNames;
  const firstOut = outs.length;
  while (r.pos < end) {
    const wire = r.key();
    switch (r.field) {
      case 1: r.expect(wire, Wire.Len); ins.push(r.string()); break;
      case 2: r.expect(wire, Wire.Len); outs.push(r.string()); break;
      case 3: r.expect(wire, Wire.Len); node.name = r.string(); break;
      case 4: r.expect(wire, Wire.Len); node.opType = r.string(); break;
      case 7: r.expect(wire, Wire.Len); node.domain = r.string(); break;
      case 6: r.expect(wire, Wire.Len); node.docString = r.string(); break;
      case 5: {
        const e = r.enter(wire, Msg.Attribute, node.attributes.length);
        node.attributes.push(parseAttribute(ctx, b, node, e));
        r.leave(e);
        break;
      }
      default: r.skip(wire);
    }
  }
  if (node.opType === 'Constant' && (node.domain === '' || node.domain === 'ai.onnx')) constantToTensor(ctx, node, (outs.length > firstOut && outs[firstOut]) || node.name);
  else nameAttributeTensors(node);
  b.graph.nodes.push(node);
  b.inEnd.push(ins.length);
  b.outEnd.push(outs.length);
  return node;
}

/** Constant's value attributes become one tensor attribute with role 'constant' (they are weights). */
function constantToTensor(ctx: ParseContext, node: Node, name: string): void {
  const attrs = node.attributes;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    let t: Tensor | null = null;
    const mem = (dtype: DataType, shape: number[], bytes: Uint8Array): Tensor => ({
      name, dtype, shape, elementCount: shape.length ? shape[0] : 1, byteLength: bytes.length, role: 'constant',
      location: `${ctx.label} (Constant '${node.name || name}' ${a.name})`, data: new MemoryData(bytes),
    });
    if (a.type === 'tensor') { a.value.role = 'constant'; if (!a.value.name) a.value.name = name; continue; }
    if (a.name === 'value_float' && a.type === 'float') t = mem('float32', [], float32Bytes([a.value]));
    else if (a.name === 'value_floats' && a.type === 'floats') t = mem('float32', [a.value.length], float32Bytes(a.value));
    else if (a.name === 'value_int' && a.type === 'int') t = mem('int64', [], int64Bytes([a.value]));
    else if (a.name === 'value_ints' && a.type === 'ints') t = mem('int64', [a.value.length], int64Bytes(a.value));
    else if ((a.name === 'value_string' && a.type === 'string') || (a.name === 'value_strings' && a.type === 'strings')) {
      const list = a.type === 'string' ? [a.value] : a.value;
      t = { ...mem('string', a.type === 'string' ? [] : [list.length], new Uint8Array(0)), elementCount: list.length, data: new MemoryStrings(list) };
    }
    if (t) attrs[i] = { name: a.name, type: 'tensor', value: t, ...(a.docString ? { docString: a.docString } : {}) };
  }
}

/** Tensors in attributes often have no name of their own: name them after the node and attribute. */
function nameAttributeTensors(node: Node): void {
  for (const a of node.attributes) {
    if (a.type === 'tensor' && !a.value.name) a.value.name = `${node.name || node.opType}.${a.name}`;
    else if (a.type === 'tensors') a.value.forEach((t, k) => { if (!t.name) t.name = `${node.name || node.opType}.${a.name}[${k}]`; });
  }
}

/** Parses an AttributeProto body. Graph attributes are parsed as subgraphs of `b` owned by `node`. */
function parseAttribute(ctx: ParseContext, b: GraphBuild, node: Node, end: number): Attribute {
  const r = ctx.r;
  let name = '', type = 0, doc: string | undefined, ref: string | undefined;
  let f: number | undefined, i: number | undefined, s: string | undefined, t: Tensor | undefined, g: Graph | undefined, tp: ValueType | undefined;
  let floats: number[] | undefined, ints: number[] | undefined, strings: string[] | undefined;
  let tensors: Tensor[] | undefined, graphs: Graph[] | undefined, types: ValueType[] | undefined;
  while (r.pos < end) {
    const wire = r.key();
    switch (r.field) {
      case 1: r.expect(wire, Wire.Len); name = r.string(); break;
      case 20: r.expect(wire, Wire.Varint); type = r.int64(); break;
      case 13: r.expect(wire, Wire.Len); doc = r.string(); break;
      case 21: r.expect(wire, Wire.Len); ref = r.string(); break;
      case 2: r.expect(wire, Wire.Fixed32); f = r.float32(); break;
      case 3: r.expect(wire, Wire.Varint); i = r.int64(); break;
      case 4: r.expect(wire, Wire.Len); s = r.string(); break;
      case 5: { const e = r.enter(wire, Msg.Tensor, -1); t = parseTensor(ctx, e, 'attribute', ''); r.leave(e); break; }
      case 22: { const e = r.enter(wire, Msg.Sparse, -1); t = parseSparseTensor(ctx, e, 'attribute', ''); r.leave(e); break; }
      case 6: { g = parseSubgraph(ctx, b, node, wire, -1); break; }
      case 14: { tp = parseType(ctx, wire, -1); break; }
      case 7:
        floats ??= [];
        if (wire === Wire.Len) { const e = r.lengthEnd(); if ((e - r.pos) % 4) throw r.error('malformed', 'packed floats are not a multiple of 4 bytes'); while (r.pos < e) floats.push(r.float32()); }
        else { r.expect(wire, Wire.Fixed32); floats.push(r.float32()); }
        break;
      case 8:
        ints ??= [];
        if (wire === Wire.Len) { const e = r.lengthEnd(); while (r.pos < e) ints.push(r.int64()); if (r.pos !== e) throw r.error('malformed', 'packed ints run past their field'); }
        else { r.expect(wire, Wire.Varint); ints.push(r.int64()); }
        break;
      case 9: r.expect(wire, Wire.Len); (strings ??= []).push(r.string()); break;
      case 10: case 23: {
        const dense = r.field === 10;
        const e = r.enter(wire, dense ? Msg.Tensor : Msg.Sparse, (tensors ??= []).length);
        tensors.push(dense ? parseTensor(ctx, e, 'attribute', '') : parseSparseTensor(ctx, e, 'attribute', ''));
        r.leave(e);
        break;
      }
      case 11: (graphs ??= []).push(parseSubgraph(ctx, b, node, wire, graphs.length)); break;
      case 15: (types ??= []).push(parseType(ctx, wire, types.length)); break;
      default: r.skip(wire);
    }
  }
  if (!type) {
    // IR version 1 files carry no type: infer it from the field that is set.
    type = f !== undefined ? AttrType.Float : i !== undefined ? AttrType.Int : s !== undefined ? AttrType.String
      : t ? AttrType.Tensor : g ? AttrType.Graph : floats ? AttrType.Floats : ints ? AttrType.Ints
      : strings ? AttrType.Strings : tensors ? AttrType.Tensors : graphs ? AttrType.Graphs : tp ? AttrType.TypeProto : types ? AttrType.TypeProtos : 0;
  }
  let v: AttributeValue;
  if (ref !== undefined && ref !== '') v = { type: 'ref', value: ref };
  else switch (type) {
    case AttrType.Float: v = { type: 'float', value: f ?? 0 }; break;
    case AttrType.Int: v = { type: 'int', value: i ?? 0 }; break;
    case AttrType.String: v = { type: 'string', value: s ?? '' }; break;
    case AttrType.Tensor: case AttrType.SparseTensor:
      v = t ? { type: 'tensor', value: t } : { type: 'other', value: 'missing tensor' }; break;
    case AttrType.Graph: v = g ? { type: 'graph', value: g } : { type: 'other', value: 'missing graph' }; break;
    case AttrType.Floats: v = { type: 'floats', value: floats ?? [] }; break;
    case AttrType.Ints: v = { type: 'ints', value: ints ?? [] }; break;
    case AttrType.Strings: v = { type: 'strings', value: strings ?? [] }; break;
    case AttrType.Tensors: case AttrType.SparseTensors: v = { type: 'tensors', value: tensors ?? [] }; break;
    case AttrType.Graphs: v = { type: 'graphs', value: graphs ?? [] }; break;
    case AttrType.TypeProto: v = tp ? { type: 'type', value: tp } : { type: 'other', value: 'missing type' }; break;
    case AttrType.TypeProtos: v = { type: 'other', value: (types ?? []).map(describeType).join(', ') }; break;
    default: v = { type: 'other', value: `attribute type ${type}` };
  }
  const a = { name, ...v } as Attribute;
  if (doc) a.docString = doc;
  return a;
}

function parseSubgraph(ctx: ParseContext, b: GraphBuild, node: Node, wire: number, index: number): Graph {
  const r = ctx.r;
  const e = r.enter(wire, Msg.Graph, index);
  const sub = newGraphBuild(ctx, b, node);
  parseGraph(ctx, sub, e);
  r.leave(e);
  node.subgraphs.push(sub.graph);
  return sub.graph;
}

/** Parses a ValueInfoProto field (the reader is at its length prefix). */
export function parseValueInfo(ctx: ParseContext, wire: number, index: number): ValueInfoRecord {
  const r = ctx.r;
  const e = r.enter(wire, Msg.ValueInfo, index);
  const rec: ValueInfoRecord = { name: '' };
  while (r.pos < e) {
    const w = r.key();
    if (r.field === 1) { r.expect(w, Wire.Len); rec.name = r.string(); }
    else if (r.field === 2) rec.type = parseType(ctx, w, -1);
    else r.skip(w);
  }
  r.leave(e);
  return rec;
}

/** Parses a TypeProto field. Nested sequence/map/optional types are bounded by the depth limit. */
export function parseType(ctx: ParseContext, wire: number, index: number): ValueType {
  const r = ctx.r;
  const e = r.enter(wire, Msg.Type, index);
  let t: ValueType = { shape: null, kind: 'opaque', description: 'unknown type' };
  while (r.pos < e) {
    const w = r.key();
    const f = r.field;
    if (f === 1 || f === 8) {
      const e2 = r.enter(w, f === 1 ? Msg.TypeTensor : Msg.TypeSparse, -1);
      let dtype: DataType | undefined;
      let shape: Shape = null;
      while (r.pos < e2) {
        const w2 = r.key();
        if (r.field === 1) { r.expect(w2, Wire.Varint); dtype = dtypeFromOnnx(r.int64()); }
        else if (r.field === 2) shape = parseShape(ctx, w2);
        else r.skip(w2);
      }
      r.leave(e2);
      t = { shape };
      if (dtype && dtype !== 'undefined') t.dtype = dtype;
      if (f === 8) { t.kind = 'sparse'; t.description = `sparse_tensor(${dtype ?? '?'})`; }
    } else if (f === 4 || f === 9) {
      const e2 = r.enter(w, f === 4 ? Msg.TypeSeq : Msg.TypeOptional, -1);
      let elem: ValueType | undefined;
      while (r.pos < e2) {
        const w2 = r.key();
        if (r.field === 1) elem = parseType(ctx, w2, -1);
        else r.skip(w2);
      }
      r.leave(e2);
      const inner = elem ? describeType(elem) : '?';
      t = f === 4 ? { shape: null, kind: 'sequence', description: `seq(${inner})` } : { shape: null, kind: 'optional', description: `optional(${inner})` };
    } else if (f === 5) {
      const e2 = r.enter(w, Msg.TypeMap, -1);
      let key: DataType | undefined, val: ValueType | undefined;
      while (r.pos < e2) {
        const w2 = r.key();
        if (r.field === 1) { r.expect(w2, Wire.Varint); key = dtypeFromOnnx(r.int64()); }
        else if (r.field === 2) val = parseType(ctx, w2, -1);
        else r.skip(w2);
      }
      r.leave(e2);
      t = { shape: null, kind: 'map', description: `map(${key ?? '?'}, ${val ? describeType(val) : '?'})` };
    } else if (f === 7) {
      r.skip(w);
      t = { shape: null, kind: 'opaque', description: 'opaque' };
    } else r.skip(w);
  }
  r.leave(e);
  return t;
}

function parseShape(ctx: ParseContext, wire: number): Dim[] {
  const r = ctx.r;
  const e = r.enter(wire, Msg.Shape, -1);
  const dims: Dim[] = [];
  while (r.pos < e) {
    const w = r.key();
    if (r.field !== 1) { r.skip(w); continue; }
    const e2 = r.enter(w, Msg.Dim, dims.length);
    let d: Dim = null;
    while (r.pos < e2) {
      const w2 = r.key();
      if (r.field === 1) { r.expect(w2, Wire.Varint); d = r.int64(); }
      else if (r.field === 2) { r.expect(w2, Wire.Len); d = r.string(); }
      else r.skip(w2);
    }
    r.leave(e2);
    dims.push(d);
  }
  r.leave(e);
  return dims;
}

/** `tensor(float32)`, `seq(tensor(int64))`… for non-tensor type descriptions. */
export function describeType(t: ValueType): string {
  if (t.kind && t.kind !== 'tensor') return t.description ?? t.kind;
  return `tensor(${t.dtype ?? '?'})`;
}
