// Shape inference for values whose type the file does not store: common ops only (see
// shape-inference-rules.ts), with small integer constants folded along the way (Shape → Gather →
// Concat → Reshape is how exporters spell a dynamic reshape). Results are marked `inferred`.
import type { Graph, Model, Node, Value } from '../ir/graph.js';
import type { Dim } from '../ir/shape.js';
import type { Tensor } from '../ir/tensor.js';
import { allGraphs } from '../ir/walk.js';
import { attr, attrInt, broadcast, RULES, type TypeOf } from './shape-inference-rules.js';

/** Constants longer than this are not read (shapes and axes are short). */
const MAX_CONST = 64;

/** Decodes a small int64/int32 tensor; null for other types or sizes. */
async function readSmall(t: Tensor): Promise<number[] | null> {
  // Shapes, axes, pads and repeats are integers; float weights are never read (each read is file I/O).
  if (t.elementCount > MAX_CONST || (t.dtype !== 'int64' && t.dtype !== 'int32')) return null;
  const bytes = await t.data.read();
  const buf = bytes.slice().buffer;
  if (t.dtype === 'int64') return Array.from(new BigInt64Array(buf, 0, t.elementCount), (x) => Number(x));
  return Array.from(new Int32Array(buf, 0, t.elementCount));
}

function tensorOfConstantNode(n: Node): Tensor | null {
  if (n.opType !== 'Constant') return null;
  for (const a of n.attributes) if (a.type === 'tensor') return a.value;
  return null;
}

/**
 * Fills `Value.type` (marked `inferred`) for values whose type or shape the file leaves out.
 * Reads only small integer tensors (Reshape's shape, axes…). Returns how many values it filled.
 */
export async function inferShapes(model: Model): Promise<{ inferred: number }> {
  const consts = new Map<Value, Dim[]>();
  const tensorOf = (v: Value): Tensor | null => v.tensor ?? (v.producer ? tensorOfConstantNode(v.producer) : null);
  // Read every small constant first (async), then infer synchronously.
  const graphs = allGraphs(model);
  const reads: Promise<void>[] = [];
  for (const g of graphs) {
    for (const v of g.values.values()) {
      const t = tensorOf(v);
      if (t) reads.push(readSmall(t).then((x) => { if (x) consts.set(v, x); }, () => {}));
    }
    for (const n of g.nodes) for (const v of n.outputs) {
      const t = tensorOf(v);
      if (t && !consts.has(v)) reads.push(readSmall(t).then((x) => { if (x) consts.set(v, x); }, () => {}));
    }
  }
  await Promise.all(reads);
  const opset = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 13;

  const typeOf = (v: Value | null | undefined): TypeOf | undefined => {
    if (!v) return undefined;
    if (v.type && v.type.shape !== null) return { dtype: v.type.dtype, shape: [...v.type.shape] };
    const t = tensorOf(v);
    if (t) return { dtype: t.logicalType ?? t.dtype, shape: [...t.shape] };
    return v.type ? { dtype: v.type.dtype, shape: null } : undefined;
  };
  let inferred = 0;
  const processGraph = (g: Graph) => {
    for (const n of topological(g)) {
      fold(n, consts, typeOf);
      const rule = RULES[n.opType];
      if (!rule || (n.domain && n.domain !== 'ai.onnx')) continue;
      let outs: (TypeOf | undefined)[] | null = null;
      try {
        outs = rule({ node: n, type: (i) => typeOf(n.inputs[i]), constant: (i) => (n.inputs[i] ? consts.get(n.inputs[i]!) ?? null : null), opset });
      } catch {
        outs = null; // a malformed node gets no inferred type, never an exception
      }
      if (!outs) continue;
      n.outputs.forEach((v, i) => {
        const t = outs![i];
        if (!t || (v.type && v.type.shape !== null) || v.tensor) return;
        if (t.shape === null && !t.dtype) return;
        v.type = { ...(v.type ?? {}), dtype: v.type?.dtype ?? t.dtype, shape: t.shape };
        v.inferred = true;
        inferred++;
      });
    }
  };
  for (const g of graphs) processGraph(g);
  return { inferred };
}

/** Nodes in an order where producers (within this graph) come first; file order otherwise. */
function topological(g: Graph): Node[] {
  const inGraph = new Set(g.nodes);
  const state = new Map<Node, number>();
  const out: Node[] = [];
  for (const root of g.nodes) {
    if (state.has(root)) continue;
    const stack: [Node, number][] = [[root, 0]];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [n, i] = top;
      if (i < n.inputs.length) {
        top[1]++;
        const p = n.inputs[i]?.producer;
        if (p && inGraph.has(p) && !state.has(p)) { state.set(p, 1); stack.push([p, 0]); }
        continue;
      }
      stack.pop();
      out.push(n);
    }
  }
  return out;
}

/** Evaluates small integer shape arithmetic so later Reshapes see their target shapes. */
function fold(n: Node, consts: Map<Value, Dim[]>, typeOf: (v: Value | null | undefined) => TypeOf | undefined): void {
  const out = n.outputs[0];
  if (!out || consts.has(out)) return;
  const c = (i: number) => (n.inputs[i] ? consts.get(n.inputs[i]!) : undefined);
  const set = (v: Dim[] | null | undefined) => { if (v && v.length <= MAX_CONST) consts.set(out, v); };
  const ints = (xs: Dim[]) => xs.every((x) => typeof x === 'number');
  switch (n.opType) {
    case 'Shape': {
      const s = typeOf(n.inputs[0])?.shape;
      if (!s) return;
      const start = attrInt(n, 'start', 0), end = attr(n, 'end') ? attrInt(n, 'end', s.length) : s.length;
      set(s.slice(start < 0 ? start + s.length : start, end < 0 ? end + s.length : end));
      return;
    }
    case 'Gather': case 'GatherV2': {
      const data = c(0), idx = c(1);
      if (!data || !idx || !ints(idx)) return;
      set((idx as number[]).map((i) => data[i < 0 ? i + data.length : i] ?? null));
      return;
    }
    case 'Concat': case 'ConcatV2': {
      const count = n.opType === 'ConcatV2' ? n.inputs.length - 1 : n.inputs.length;
      const parts = Array.from({ length: count }, (_, i) => c(i));
      if (parts.every(Boolean)) set(parts.flatMap((p) => p!));
      return;
    }
    case 'Unsqueeze': case 'Squeeze': case 'Identity': case 'Cast': case 'ExpandDims': case 'Reshape':
      set(c(0));
      return;
    case 'Slice': {
      const data = c(0), s = c(1), e = c(2);
      if (!data || !s || !e || !ints(s) || !ints(e)) return;
      const len = data.length;
      const at = (x: number) => Math.max(0, Math.min(len, x < 0 ? x + len : x));
      set(data.slice(at(s[0] as number), at(e[0] as number)));
      return;
    }
    case 'Add': case 'Sub': case 'Mul': case 'Div': {
      const a = c(0), b = c(1);
      if (!a || !b || !ints(a) || !ints(b)) return;
      const shape = broadcast([[a.length], [b.length]]);
      if (!shape || typeof shape[0] !== 'number') return;
      const f = { Add: (x: number, y: number) => x + y, Sub: (x: number, y: number) => x - y, Mul: (x: number, y: number) => x * y, Div: (x: number, y: number) => Math.trunc(x / y) }[n.opType]!;
      set(Array.from({ length: shape[0] as number }, (_, i) => f(a[a.length === 1 ? 0 : i] as number, b[b.length === 1 ? 0 : i] as number)));
      return;
    }
    case 'ConstantOfShape': {
      const s = c(0);
      const v = attr(n, 'value');
      if (s && ints(s) && (s as number[]).reduce((x, y) => x * y, 1) <= MAX_CONST && !(v && v.type === 'tensor' && v.value.dtype !== 'int64')) {
        set(Array((s as number[]).reduce((x, y) => x * y, 1)).fill(0));
      }
      return;
    }
    case 'Range': {
      const [s, l, d] = [c(0), c(1), c(2)];
      if (!s || !l || !d || !ints([...s, ...l, ...d])) return;
      const len = Math.max(0, Math.ceil(((l[0] as number) - (s[0] as number)) / (d[0] as number)));
      if (len <= MAX_CONST) set(Array.from({ length: len }, (_, i) => (s[0] as number) + i * (d[0] as number)));
      return;
    }
    default:
  }
}
