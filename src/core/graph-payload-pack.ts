// The graph payload as one byte buffer: what crosses from the parse worker to the extension host and
// on to the webview. A JSON text of a 10k-node graph is 5.8 MB of repeated keys that every hop must
// stringify or parse; here every string is written once (a table of distinct strings, UTF-8), every
// id and count is an Int32 and every size a Float64, read back in the order they were written.
// Numbers survive as they are (NaN and Infinity in attributes too, which JSON turned into null).
import type { AttributeInfo, GraphInfo, GraphPayload, NodeInfo, ValueInfo, WeightInfo } from './model-view-types.js';

const MAGIC = 0x4d4c4731; // "MLG1"
const HEADER_WORDS = 6;
/** The header's bytes, a multiple of 8 so that the Float64 section is aligned. */
const HEAD_BYTES = Math.ceil((HEADER_WORDS * 4) / 8) * 8;
/** Items (nodes, values, weights) and strings decoded between two steps of unpackSteps. */
const STEP_ITEMS = 8192;
const STEP_STRINGS = 32768;

type Scalar = number | string | boolean;
type Dim = number | string | null;

class Writer {
  ints = new Int32Array(1 << 12);
  nInts = 0;
  nums = new Float64Array(1 << 8);
  nNums = 0;
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];

  int(x: number): void {
    if (this.nInts === this.ints.length) { const b = new Int32Array(this.ints.length * 2); b.set(this.ints); this.ints = b; }
    this.ints[this.nInts++] = x;
  }
  num(x: number): void {
    if (this.nNums === this.nums.length) { const b = new Float64Array(this.nums.length * 2); b.set(this.nums); this.nums = b; }
    this.nums[this.nNums++] = x;
  }
  str(s: string): void {
    if (typeof s !== 'string') s = String(s ?? ''); // a reader's gap never breaks the table
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.ids.set(s, id);
      this.strings.push(s);
    }
    this.int(id);
  }
  /** A string or null/undefined (written as -1). */
  optStr(s: string | null | undefined): void {
    if (s === null || s === undefined) this.int(-1); else this.str(s);
  }
  ints32(list: readonly number[]): void {
    this.int(list.length);
    for (const x of list) this.int(x);
  }
  nums64(list: readonly number[]): void {
    this.int(list.length);
    for (const x of list) this.num(x);
  }
  scalar(x: Scalar | null): void {
    if (x === null || x === undefined) this.int(0);
    else if (typeof x === 'number') { this.int(1); this.num(x); }
    else if (typeof x === 'string') { this.int(2); this.str(x); }
    else this.int(x ? 4 : 3);
  }
  dim(d: Dim): void {
    if (d === null || d === undefined) this.int(0);
    else if (typeof d === 'number') { this.int(1); this.num(d); }
    else { this.int(2); this.str(d); }
  }

  finish(): Uint8Array {
    // String ends are in UTF-16 units of the joined text. A lone surrogate, which UTF-8 cannot carry,
    // is encoded as U+FFFD, one unit too, so the ends stay right.
    const text = this.strings.join('');
    const utf8 = new TextEncoder().encode(text);
    const nStrings = this.strings.length;
    const numBytes = this.nNums * 8;
    const intBytes = (this.nInts + nStrings) * 4;
    const out = new Uint8Array(HEAD_BYTES + numBytes + intBytes + utf8.length);
    const words = new Uint32Array(out.buffer, 0, HEADER_WORDS);
    words.set([MAGIC, this.nNums, this.nInts, nStrings, utf8.length, 0]);
    new Float64Array(out.buffer, HEAD_BYTES, this.nNums).set(this.nums.subarray(0, this.nNums));
    new Int32Array(out.buffer, HEAD_BYTES + numBytes, this.nInts).set(this.ints.subarray(0, this.nInts));
    const ends = new Uint32Array(out.buffer, HEAD_BYTES + numBytes + this.nInts * 4, nStrings);
    let at = 0;
    for (let i = 0; i < nStrings; i++) { at += this.strings[i].length; ends[i] = at; }
    out.set(utf8, HEAD_BYTES + numBytes + intBytes);
    return out;
  }
}

class Reader {
  private i = 0;
  private n = 0;
  private readonly ints: Int32Array;
  private readonly nums: Float64Array;
  private readonly strings: string[];
  private readonly ends: Uint32Array;
  private readonly text: string;

  constructor(bytes: Uint8Array) {
    // Typed views need aligned offsets; a buffer received at an odd offset is copied once.
    const b = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
    if (b.byteLength < HEAD_BYTES) throw new Error('the packed graph is truncated');
    const [magic, nNums, nInts, nStrings, utf8Bytes] = new Uint32Array(b.buffer, b.byteOffset, HEADER_WORDS);
    if (magic !== MAGIC) throw new Error('not a packed graph');
    const numBytes = nNums * 8;
    const intBytes = (nInts + nStrings) * 4;
    if (b.byteLength !== HEAD_BYTES + numBytes + intBytes + utf8Bytes) throw new Error('the packed graph is truncated');
    this.nums = new Float64Array(b.buffer, b.byteOffset + HEAD_BYTES, nNums);
    this.ints = new Int32Array(b.buffer, b.byteOffset + HEAD_BYTES + numBytes, nInts);
    this.ends = new Uint32Array(b.buffer, b.byteOffset + HEAD_BYTES + numBytes + nInts * 4, nStrings);
    this.text = new TextDecoder().decode(b.subarray(HEAD_BYTES + numBytes + intBytes));
    this.strings = new Array<string>(nStrings);
  }

  /** Cuts the string table out of the text, a slice of it per step. */
  *cutStrings(): Generator<void, void, void> {
    const { ends, text, strings } = this;
    let from = 0;
    for (let k = 0; k < strings.length; k++) {
      strings[k] = text.slice(from, ends[k]);
      from = ends[k];
      if (k % STEP_STRINGS === STEP_STRINGS - 1) yield;
    }
  }

  int(): number {
    if (this.i >= this.ints.length) throw new Error('the packed graph is truncated');
    return this.ints[this.i++];
  }
  num(): number {
    if (this.n >= this.nums.length) throw new Error('the packed graph is truncated');
    return this.nums[this.n++];
  }
  str(): string {
    const s = this.strings[this.int()];
    if (s === undefined) throw new Error('the packed graph names a string it does not hold');
    return s;
  }
  optStr(): string | null {
    const id = this.int();
    return id === -1 ? null : (this.strings[id] ?? this.fail());
  }
  ints32(): number[] {
    const len = this.int();
    const out = new Array<number>(len);
    for (let k = 0; k < len; k++) out[k] = this.int();
    return out;
  }
  nums64(): number[] {
    const len = this.int();
    const out = new Array<number>(len);
    for (let k = 0; k < len; k++) out[k] = this.num();
    return out;
  }
  scalar(): Scalar | null {
    switch (this.int()) {
      case 0: return null;
      case 1: return this.num();
      case 2: return this.str();
      case 3: return false;
      case 4: return true;
      default: return this.fail();
    }
  }
  dim(): Dim {
    switch (this.int()) {
      case 0: return null;
      case 1: return this.num();
      case 2: return this.str();
      default: return this.fail();
    }
  }
  fail(): never {
    throw new Error('the packed graph is malformed');
  }
}

// Optional fields are written as a presence flag (0/1) before the value, so they come back absent.
function writeAttribute(w: Writer, a: AttributeInfo): void {
  w.str(a.name);
  w.str(a.type);
  if (Array.isArray(a.value)) { w.int(1); w.int(a.value.length); for (const x of a.value) w.scalar(x); } else { w.int(0); w.scalar(a.value); }
  const flags = (a.truncatedAt !== undefined ? 1 : 0) | (a.length !== undefined ? 2 : 0) | (a.weight !== undefined ? 4 : 0) | (a.graphs !== undefined ? 8 : 0);
  w.int(flags);
  if (a.truncatedAt !== undefined) w.int(a.truncatedAt);
  if (a.length !== undefined) w.int(a.length);
  if (a.weight !== undefined) w.int(a.weight);
  if (a.graphs !== undefined) w.ints32(a.graphs);
}

function readAttribute(r: Reader): AttributeInfo {
  const name = r.str();
  const type = r.str();
  let value: AttributeInfo['value'];
  if (r.int() === 1) {
    const len = r.int();
    const list = new Array<Scalar>(len);
    for (let k = 0; k < len; k++) list[k] = r.scalar() ?? r.fail();
    value = list;
  } else value = r.scalar();
  const a: AttributeInfo = { name, type, value };
  const flags = r.int();
  if (flags & 1) a.truncatedAt = r.int();
  if (flags & 2) a.length = r.int();
  if (flags & 4) a.weight = r.int();
  if (flags & 8) a.graphs = r.ints32();
  return a;
}

/** Packs a payload (ids must be the indices, as buildGraphPayload gives them). */
export function packGraphPayload(p: GraphPayload): Uint8Array {
  const w = new Writer();
  w.int(p.graphs.length);
  for (const g of p.graphs) {
    w.str(g.name); w.str(g.kind); w.int(g.ownerNode); w.str(g.label);
    w.ints32(g.nodes); w.ints32(g.inputs); w.ints32(g.outputs);
  }
  w.int(p.nodes.length);
  for (const n of p.nodes) {
    w.int(n.graph); w.str(n.name); w.str(n.opType); w.str(n.domain);
    w.ints32(n.inputs); w.ints32(n.outputs); w.ints32(n.subgraphs);
    w.int(n.attributes.length);
    for (const a of n.attributes) writeAttribute(w, a);
    w.optStr(n.docString);
  }
  w.int(p.values.length);
  for (const v of p.values) {
    w.str(v.name); w.int(v.graph); w.optStr(v.dtype);
    if (v.shape === null) w.int(-1); else { w.int(v.shape.length); for (const d of v.shape) w.dim(d); }
    w.int(v.inferred ? 1 : 0); w.int(v.producer); w.ints32(v.consumers); w.int(v.weight);
  }
  w.int(p.weights.length);
  for (const t of p.weights) {
    w.str(t.name); w.str(t.dtype); w.optStr(t.logicalType); w.nums64(t.shape);
    w.num(t.elementCount); w.num(t.byteLength); w.str(t.role); w.str(t.location);
    const q = t.quantization;
    if (!q) { w.int(0); continue; }
    w.int(q.axis === undefined ? 1 : 2);
    w.nums64(q.scale); w.nums64(q.zeroPoint); w.str(q.origin);
    if (q.axis !== undefined) w.int(q.axis);
  }
  return w.finish();
}

/** Reads a packed payload back; throws a plain Error when the bytes are not one. */
export function unpackGraphPayload(bytes: Uint8Array): GraphPayload {
  const steps = unpackSteps(bytes);
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
  }
}

/**
 * unpackGraphPayload in turns: `pause` between steps of a few thousand items, so that decoding a
 * 200k-node graph on a page's thread is no single long task.
 */
export async function unpackGraphPayloadInTurns(bytes: Uint8Array, pause: () => Promise<void>): Promise<GraphPayload> {
  const steps = unpackSteps(bytes);
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
    await pause();
  }
}

function* unpackSteps(bytes: Uint8Array): Generator<void, GraphPayload, void> {
  const r = new Reader(bytes);
  yield* r.cutStrings();
  const graphs: GraphInfo[] = new Array(r.int());
  for (let id = 0; id < graphs.length; id++) {
    const name = r.str(); const kind = r.str() as GraphInfo['kind']; const ownerNode = r.int(); const label = r.str();
    graphs[id] = { id, name, kind, ownerNode, label, nodes: r.ints32(), inputs: r.ints32(), outputs: r.ints32() };
  }
  const nodes: NodeInfo[] = new Array(r.int());
  for (let id = 0; id < nodes.length; id++) {
    const graph = r.int(); const name = r.str(); const opType = r.str(); const domain = r.str();
    const inputs = r.ints32(); const outputs = r.ints32(); const subgraphs = r.ints32();
    const attributes = new Array<AttributeInfo>(r.int());
    for (let k = 0; k < attributes.length; k++) attributes[k] = readAttribute(r);
    const n: NodeInfo = { id, graph, name, opType, domain, inputs, outputs, attributes, subgraphs };
    const doc = r.optStr();
    if (doc !== null) n.docString = doc;
    nodes[id] = n;
    if (id % STEP_ITEMS === STEP_ITEMS - 1) yield;
  }
  const values: ValueInfo[] = new Array(r.int());
  for (let id = 0; id < values.length; id++) {
    const name = r.str(); const graph = r.int(); const dtype = r.optStr();
    const rank = r.int();
    let shape: Dim[] | null = null;
    if (rank >= 0) { shape = new Array<Dim>(rank); for (let k = 0; k < rank; k++) shape[k] = r.dim(); }
    values[id] = { id, name, graph, dtype, shape, inferred: r.int() === 1, producer: r.int(), consumers: r.ints32(), weight: r.int() };
    if (id % STEP_ITEMS === STEP_ITEMS - 1) yield;
  }
  const weights: WeightInfo[] = new Array(r.int());
  for (let id = 0; id < weights.length; id++) {
    const name = r.str(); const dtype = r.str(); const logicalType = r.optStr(); const shape = r.nums64();
    const elementCount = r.num(); const byteLength = r.num(); const role = r.str(); const location = r.str();
    const qKind = r.int();
    let quantization: WeightInfo['quantization'] = null;
    if (qKind !== 0) {
      const scale = r.nums64(); const zeroPoint = r.nums64(); const origin = r.str();
      quantization = qKind === 2 ? { scale, zeroPoint, axis: r.int(), origin } : { scale, zeroPoint, origin };
    }
    weights[id] = { id, name, dtype, logicalType, shape, elementCount, byteLength, role, location, quantization };
    if (id % STEP_ITEMS === STEP_ITEMS - 1) yield;
  }
  return { graphs, nodes, values, weights };
}
