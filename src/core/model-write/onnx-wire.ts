// The ONNX protobuf wire, read and spliced in place: the only code in the extension that writes
// ONNX bytes. New GraphProto fields (outputs, nodes, initializers) are appended to the end of the
// graph message and only the length prefix of ModelProto.graph (field 7) is rewritten, so
// everything else — weights included — is copied byte for byte.
import { ModelError } from '../ir/errors.js';

interface Field {
  field: number;
  wire: number;
  /** Offset of the tag. */
  start: number;
  /** Offset of the length prefix (wire type 2 only). */
  lengthAt: number;
  /** Payload range (for wire type 2: the bytes after the length prefix). */
  valueStart: number;
  valueEnd: number;
}

function readVarint(b: Uint8Array, pos: number, end: number, file: string): [number, number] {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new ModelError('truncated', 'the protobuf data ends inside a varint', { file, offset: pos });
    const byte = b[pos++];
    value += (byte & 0x7f) * mul;
    if (!(byte & 0x80)) return [value, pos];
    mul *= 128;
  }
  throw new ModelError('malformed', 'a varint is longer than 10 bytes', { file, offset: pos });
}

/** Iterates the fields of one protobuf message in [start, end). */
function* fields(b: Uint8Array, start: number, end: number, file: string): Generator<Field> {
  let pos = start;
  while (pos < end) {
    const tagAt = pos;
    const [tag, p1] = readVarint(b, pos, end, file);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    pos = p1;
    let valueStart = pos, valueEnd: number, lengthAt = -1;
    switch (wire) {
      case 0: valueEnd = readVarint(b, pos, end, file)[1]; break;
      case 1: valueEnd = pos + 8; break;
      case 5: valueEnd = pos + 4; break;
      case 2: {
        lengthAt = pos;
        const [len, p2] = readVarint(b, pos, end, file);
        valueStart = p2;
        valueEnd = p2 + len;
        break;
      }
      default: throw new ModelError('malformed', `unsupported protobuf wire type ${wire} (field ${field})`, { file, offset: tagAt });
    }
    if (valueEnd > end) throw new ModelError('truncated', `field ${field} runs past the end of its message`, { file, offset: tagAt });
    yield { field, wire, start: tagAt, lengthAt, valueStart, valueEnd };
    pos = valueEnd;
  }
}

const utf8 = new TextDecoder();

function graphField(model: Uint8Array, file: string): Field {
  let graph: Field | undefined;
  for (const f of fields(model, 0, model.length, file)) if (f.field === 7 && f.wire === 2) graph = f;
  if (!graph) throw new ModelError('malformed', 'the model has no graph (ModelProto.graph missing)', { file, field: 'ModelProto.graph' });
  return graph;
}

/** Names of the main graph's node outputs (file order) and of its declared outputs. */
export function readGraphValueNames(model: Uint8Array, file = '<model>'): { nodeOutputs: string[]; graphOutputs: string[] } {
  const g = graphField(model, file);
  const nodeOutputs: string[] = [];
  const graphOutputs: string[] = [];
  for (const f of fields(model, g.valueStart, g.valueEnd, file)) {
    if (f.field === 1 && f.wire === 2) {
      for (const nf of fields(model, f.valueStart, f.valueEnd, file)) {
        if (nf.field === 2 && nf.wire === 2 && nf.valueEnd > nf.valueStart) nodeOutputs.push(utf8.decode(model.subarray(nf.valueStart, nf.valueEnd)));
      }
    } else if (f.field === 12 && f.wire === 2) {
      for (const vf of fields(model, f.valueStart, f.valueEnd, file)) {
        if (vf.field === 1 && vf.wire === 2) graphOutputs.push(utf8.decode(model.subarray(vf.valueStart, vf.valueEnd)));
      }
    }
  }
  return { nodeOutputs, graphOutputs };
}

/** A main-graph node as the wire gives it: name, op type, inputs and outputs (empty names kept). */
export interface WireNode {
  name: string;
  op: string;
  inputs: string[];
  outputs: string[];
}

/** The main graph's nodes in file order (NodeProto fields input 1, output 2, name 3, op_type 4). */
export function readGraphNodes(model: Uint8Array, file = '<model>'): WireNode[] {
  const g = graphField(model, file);
  const nodes: WireNode[] = [];
  for (const f of fields(model, g.valueStart, g.valueEnd, file)) {
    if (f.field !== 1 || f.wire !== 2) continue;
    const n: WireNode = { name: '', op: '', inputs: [], outputs: [] };
    for (const nf of fields(model, f.valueStart, f.valueEnd, file)) {
      if (nf.wire !== 2) continue;
      const text = () => utf8.decode(model.subarray(nf.valueStart, nf.valueEnd));
      if (nf.field === 1) n.inputs.push(text());
      else if (nf.field === 2) n.outputs.push(text());
      else if (nf.field === 3) n.name = text();
      else if (nf.field === 4) n.op = text();
    }
    nodes.push(n);
  }
  return nodes;
}

/**
 * The main graph's one-element float32 initializers (TensorProto: dims 1, data_type 2, float_data 4,
 * name 8, raw_data 9) by name: the scalar operands an elementwise op may take.
 */
export function readScalarInitializers(model: Uint8Array, file = '<model>'): Map<string, number> {
  const g = graphField(model, file);
  const out = new Map<string, number>();
  const view = new DataView(model.buffer, model.byteOffset, model.byteLength);
  for (const f of fields(model, g.valueStart, g.valueEnd, file)) {
    if (f.field !== 5 || f.wire !== 2) continue;
    let name = '', dtype = 0, size = 1, value: number | null = null;
    for (const t of fields(model, f.valueStart, f.valueEnd, file)) {
      if (t.field === 1 && t.wire === 0) size *= readVarint(model, t.valueStart, t.valueEnd, file)[0];
      else if (t.field === 1 && t.wire === 2) for (let p = t.valueStart; p < t.valueEnd;) { const [d, next] = readVarint(model, p, t.valueEnd, file); size *= d; p = next; }
      else if (t.field === 2 && t.wire === 0) dtype = readVarint(model, t.valueStart, t.valueEnd, file)[0];
      else if (t.field === 8 && t.wire === 2) name = utf8.decode(model.subarray(t.valueStart, t.valueEnd));
      else if ((t.field === 9 || t.field === 4) && t.wire === 2 && t.valueEnd - t.valueStart === 4) value = view.getFloat32(t.valueStart, true);
      else if (t.field === 4 && t.wire === 5) value = view.getFloat32(t.valueStart, true);
    }
    if (dtype === 1 && size === 1 && value !== null && name) out.set(name, value);
  }
  return out;
}

/** Protobuf varint bytes of a non-negative integer. */
export function varintBytes(v: number): number[] {
  const out: number[] = [];
  while (v >= 128) { out.push((v % 128) | 0x80); v = Math.floor(v / 128); }
  out.push(v);
  return out;
}

/** The default-domain opset the model imports (ModelProto.opset_import), or null when absent. */
export function readDefaultOpset(model: Uint8Array, file = '<model>'): number | null {
  let version: number | null = null;
  for (const f of fields(model, 0, model.length, file)) {
    if (f.field !== 8 || f.wire !== 2) continue;
    let domain = '', v = 0;
    for (const o of fields(model, f.valueStart, f.valueEnd, file)) {
      if (o.field === 1 && o.wire === 2) domain = utf8.decode(model.subarray(o.valueStart, o.valueEnd));
      if (o.field === 2 && o.wire === 0) v = readVarint(model, o.valueStart, o.valueEnd, file)[0];
    }
    if (domain === '' || domain === 'ai.onnx') version = v;
  }
  return version;
}

/**
 * Appends already-encoded GraphProto fields (nodes, initializers, outputs) to the main graph,
 * rewriting only the length prefix of ModelProto.graph.
 */
export function appendToGraph(model: Uint8Array, extra: Uint8Array | number[], file = '<model>'): Uint8Array {
  if (!extra.length) return model;
  const g = graphField(model, file);
  return withGraphBody(model, g, [model.subarray(g.valueStart, g.valueEnd), extra instanceof Uint8Array ? extra : Uint8Array.from(extra)]);
}

/** The model with ModelProto.graph's payload replaced by `parts`, one after another (its length prefix rewritten). */
function withGraphBody(model: Uint8Array, g: Field, parts: readonly Uint8Array[]): Uint8Array {
  const length = parts.reduce((a, p) => a + p.length, 0);
  const prefix = varintBytes(length);
  const out = new Uint8Array(g.lengthAt + prefix.length + length + model.length - g.valueEnd);
  out.set(model.subarray(0, g.lengthAt));
  let o = g.lengthAt;
  out.set(prefix, o); o += prefix.length;
  for (const p of parts) { out.set(p, o); o += p.length; }
  out.set(model.subarray(g.valueEnd), o);
  return out;
}

/**
 * Removes the main graph's inputs (GraphProto.input, field 11) whose name `drop` accepts, rewriting
 * only the graph message's length; every other field is copied byte for byte.
 */
export function dropGraphInputs(model: Uint8Array, drop: (name: string) => boolean, file = '<model>'): Uint8Array {
  const g = graphField(model, file);
  const kept: Uint8Array[] = [];
  for (const f of fields(model, g.valueStart, g.valueEnd, file)) {
    if (f.field === 11 && f.wire === 2) {
      const name = [...fields(model, f.valueStart, f.valueEnd, file)].find((v) => v.field === 1 && v.wire === 2);
      if (name && drop(utf8.decode(model.subarray(name.valueStart, name.valueEnd)))) continue;
    }
    kept.push(model.subarray(f.start, f.valueEnd));
  }
  return withGraphBody(model, g, kept);
}

const enc = new TextEncoder();

/** A length-delimited protobuf field holding the UTF-8 bytes of `s`. */
export function stringField(field: number, s: string): number[] {
  const b = enc.encode(s);
  return [(field << 3) | 2, ...varintBytes(b.length), ...b];
}

/** A length-delimited protobuf field holding an already-encoded message. */
export function messageField(field: number, body: readonly number[]): number[] {
  return [(field << 3) | 2, ...varintBytes(body.length), ...body];
}

/** NodeProto.attribute (field 5): an AttributeProto of type INT. */
export function intAttribute(name: string, v: number): number[] {
  return messageField(5, [...stringField(1, name), 3 << 3, ...varintBytes(v), ...varintBytes(20 << 3), 2]); // i, type = INT
}

/** NodeProto.attribute (field 5): an AttributeProto of type INTS (non-negative values). */
export function intsAttribute(name: string, vs: readonly number[]): number[] {
  return messageField(5, [...stringField(1, name), ...vs.flatMap((v) => [8 << 3, ...varintBytes(v)]), ...varintBytes(20 << 3), 7]); // ints, type = INTS
}

/**
 * GraphProto.node (field 1): a Constant node whose output is the 1-D int64 tensor `vs`. Unlike an
 * initializer it needs no matching graph input in models of IR version < 4.
 */
export function int64Constant(output: string, vs: readonly number[]): number[] {
  return tensorConstant(output, [vs.length], 7, new Uint8Array(new BigInt64Array(vs.map(BigInt)).buffer)); // INT64
}

/** GraphProto.node (field 1): a Constant node whose output is the float32 tensor `vs` of shape `dims`. */
export function float32Constant(output: string, dims: readonly number[], vs: readonly number[]): number[] {
  return tensorConstant(output, dims, 1, new Uint8Array(Float32Array.from(vs).buffer)); // FLOAT
}

function tensorConstant(output: string, dims: readonly number[], dataType: number, raw: Uint8Array): number[] {
  const tensor = [...dims.flatMap((d) => [8, ...varintBytes(d)]), 16, dataType, ...messageField(9, [...raw])]; // dims, data_type, raw_data
  return encodeNode('Constant', output, [], [output], messageField(5, [...stringField(1, 'value'), ...messageField(5, tensor), ...varintBytes(20 << 3), 4])); // t, type = TENSOR
}

/** GraphProto.node (field 1): a NodeProto of the default domain. */
export function encodeNode(op: string, name: string, inputs: readonly string[], outputs: readonly string[], attrs: readonly number[] = []): number[] {
  const body: number[] = [];
  for (const i of inputs) body.push(...stringField(1, i));
  for (const o of outputs) body.push(...stringField(2, o));
  body.push(...stringField(3, name), ...stringField(4, op), ...attrs);
  return messageField(1, body);
}

/** Encodes GraphProto.output entries (field 12: ValueInfoProto with only a name, field 1). */
export function encodeGraphOutputs(names: Iterable<string>): number[] {
  const out: number[] = [];
  for (const name of names) out.push(...messageField(12, stringField(1, name)));
  return out;
}
