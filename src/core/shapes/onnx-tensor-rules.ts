// ONNX operators that move, cut or join tensors without computing on their elements: reshapes,
// transposes, concat/split/slice/gather, padding, tiling, shape arithmetic. Dims may be symbolic;
// small value tensors (shape vectors) are carried along so that dynamic reshapes stay known.
import type { Node } from '../ir/graph.js';
import { attrInt, attrInts } from '../explain/values/attributes.js';
import { addDim, allNumbers, broadcastDims, divDim, mulDim, prodDims, sumDims, type Dim } from './dims.js';
import { dimsFrom, intsFrom, known, normAxis, numbers, tensorOf, toDataType, withValues, type In, type ShapeFact, type Shaped } from './fact.js';
import { KNOWN_VALUE_LIMIT, broadcastApply, concat, gather, prod, sliceByIndices, sliceRange, transpose, type KnownTensor } from './small-tensor.js';

/**
 * A Reshape target applied to `x`: 0 copies the input dim (unless allowzero), -1 is what is left.
 * With symbolic dims the -1 is found by cancelling the dims both sides share.
 */
export function reshapeDims(x: readonly Dim[] | null, target: readonly Dim[], allowZero = false): Dim[] {
  const out = target.map((d, i) => (d === 0 && !allowZero ? x?.[i] ?? null : d));
  const minus = out.indexOf(-1);
  if (minus < 0) return out;
  const others = out.filter((_, i) => i !== minus);
  out[minus] = null;
  if (!x) return out;
  if (allNumbers(x) && allNumbers(others)) {
    const rest = prod(others);
    out[minus] = rest === 0 ? 0 : prod(x) / rest;
    return out;
  }
  const left = [...x];
  for (const d of others) { const k = left.indexOf(d); if (k >= 0) left.splice(k, 1); }
  const cancelled = others.every((d) => d === 1 || x.includes(d));
  if (cancelled && left.length === 1) out[minus] = left[0];
  else if (cancelled && allNumbers(left)) out[minus] = prod(left);
  return out;
}

export function reshape(node: Node, ins: In) {
  const x = ins[0];
  const target = dimsFrom(node, ins, 1, 'shape');
  if (!target) return undefined;
  const out = reshapeDims(known(x) ? x.shape : null, target, attrInt(node, 'allowzero', 0) === 1);
  return [withValues(out, x?.values, x?.dtype)];
}

export function flatten(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const axis = normAxis(attrInt(node, 'axis', 1), x.shape.length);
  return [withValues([prodDims(x.shape.slice(0, axis)), prodDims(x.shape.slice(axis))], x.values, x.dtype)];
}

export function squeeze(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const axes = intsFrom(node, ins, 1, 'axes')?.map((a) => normAxis(a, x.shape.length));
  if (ins[1] && !axes) return undefined;
  // Without axes every size-1 dim goes: a symbolic dim might be 1, so the result is unknown.
  if (!axes && !allNumbers(x.shape)) return undefined;
  const shape = x.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
  return [withValues(shape, x.values, x.dtype)];
}

/** `x` with size-1 axes inserted at `axes` (positions in the result). */
export function insertAxes(x: Shaped, axesRaw: readonly number[]): ShapeFact {
  const rank = x.shape.length + axesRaw.length;
  const axes = axesRaw.map((a) => normAxis(a, rank));
  const shape: Dim[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : x.shape[j++]);
  return withValues(shape, x.values, x.dtype);
}

export function unsqueeze(node: Node, ins: In) {
  const x = ins[0];
  const axes = intsFrom(node, ins, 1, 'axes');
  return known(x) && axes ? [insertAxes(x, axes)] : undefined;
}

/** `x` with its axes permuted (values too, when known). */
export function permuteFact(x: Shaped, perm: readonly number[]): ShapeFact {
  const t = tensorOf(x);
  if (t) { const r = transpose(t, perm); return withValues(r.shape, r.values, x.dtype); }
  return { shape: perm.map((p) => x.shape[p] ?? null), dtype: x.dtype };
}

export function transposeRule(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  return [permuteFact(x, attrInts(node, 'perm') ?? x.shape.map((_, i) => x.shape.length - 1 - i))];
}

/** Concatenation of facts along `axis` (values too, when every part's are known). */
export function concatFacts(parts: readonly Shaped[], axisRaw: number): ShapeFact {
  const axis = normAxis(axisRaw, parts[0].shape.length);
  const tensors = parts.map(tensorOf);
  if (tensors.every((t) => t)) {
    const r = concat(tensors as KnownTensor<Dim>[], axis);
    return withValues(r.shape, r.values, parts[0].dtype);
  }
  const shape = [...parts[0].shape];
  shape[axis] = sumDims(parts.map((p) => p.shape[axis]));
  return { shape, dtype: parts[0].dtype };
}

export function concatRule(node: Node, ins: In) {
  const parts = ins.filter((v) => v !== undefined);
  if (!parts.length || !parts.every(known)) return undefined;
  return [concatFacts(parts, attrInt(node, 'axis', 0))];
}

export function split(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const axis = normAxis(attrInt(node, 'axis', 0), x.shape.length);
  const n = node.outputs.length;
  const d = x.shape[axis];
  let sizes: Dim[] | undefined = intsFrom(node, ins, 1, 'split');
  if (!sizes || !sizes.length) {
    if (typeof d === 'number') {
      const each = Math.ceil(d / n);
      sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(each, d - i * each)));
    } else sizes = new Array(n).fill(n === 1 ? d : null);
  }
  return sizes.map((s) => { const shape = [...x.shape]; shape[axis] = s; return { shape, dtype: x.dtype }; });
}

/** Slice length along an axis of symbolic size: the whole axis for [0, end of axis) step 1. */
const symbolicSlice = (d: Dim, start: number, end: number, step: number): Dim => (start === 0 && step === 1 && end >= 2 ** 31 - 1 ? d : null);

export function slice(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const starts = intsFrom(node, ins, 1, 'starts');
  const ends = intsFrom(node, ins, 2, 'ends');
  if (!starts || !ends) return [{ shape: x.shape.map(() => null), dtype: x.dtype }];
  const rank = x.shape.length;
  const axes = (intsFrom(node, ins, 3, 'axes') ?? starts.map((_, i) => i)).map((a) => normAxis(a, rank));
  const steps = numbers(ins[4]?.values) ?? starts.map(() => 1);
  const t = tensorOf(x);
  if (allNumbers(x.shape)) {
    const dims = x.shape;
    const perAxis = dims.map((d) => Array.from({ length: d }, (_, i) => i));
    axes.forEach((a, i) => { perAxis[a] = sliceRange(dims[a], starts[i], ends[i], steps[i] ?? 1); });
    if (t) { const r = sliceByIndices(t, perAxis); return [withValues(r.shape, r.values, x.dtype)]; }
    return [{ shape: perAxis.map((l) => l.length), dtype: x.dtype }];
  }
  const shape = [...x.shape];
  axes.forEach((a, i) => {
    const d = shape[a];
    shape[a] = typeof d === 'number' ? sliceRange(d, starts[i], ends[i], steps[i] ?? 1).length : symbolicSlice(d, starts[i], ends[i], steps[i] ?? 1);
  });
  return [{ shape, dtype: x.dtype }];
}

/** Gather of `idx` along `axis` of `x` (values too, when both are known). */
export function gatherFacts(x: Shaped, idx: Shaped, axisRaw: number): ShapeFact {
  const axis = normAxis(axisRaw, x.shape.length);
  const t = tensorOf(x), it = tensorOf(idx);
  const indices = it && numbers(it.values);
  if (t && it && indices) { const r = gather(t, { shape: it.shape, values: indices }, axis); return withValues(r.shape, r.values, x.dtype); }
  return { shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)], dtype: x.dtype };
}

export function gatherRule(node: Node, ins: In) {
  const x = ins[0], idx = ins[1];
  return known(x) && known(idx) ? [gatherFacts(x, idx, attrInt(node, 'axis', 0))] : undefined;
}

export function shapeOp(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const r = x.shape.length;
  const start = normAxis(attrInt(node, 'start', 0), r);
  const endAttr = attrInt(node, 'end', r);
  const end = Math.min(r, endAttr < 0 ? endAttr + r : endAttr);
  const values = x.shape.slice(Math.max(0, start), end);
  return [{ shape: [values.length], dtype: 'int64' as const, values }];
}

export function pad(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const pads = intsFrom(node, ins, 1, 'pads') ?? (node.opType === 'Pad' ? attrInts(node, 'paddings') : undefined);
  if (!pads) return undefined;
  const rank = x.shape.length;
  const axes = (numbers(ins[3]?.values) ?? x.shape.map((_, i) => i)).map((a) => normAxis(a, rank));
  const shape = [...x.shape];
  axes.forEach((a, i) => { shape[a] = addDim(shape[a], pads[i] + pads[i + axes.length]); });
  return [{ shape, dtype: x.dtype }];
}

export function resize(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const sizes = node.opType === 'Resize' ? ins[3]?.values : undefined;
  if (sizes?.length) return [{ shape: [...sizes], dtype: x.dtype }];
  const scales = numbers(node.opType === 'Resize' ? ins[2]?.values : ins[1]?.values) ?? attrInts(node, 'scales');
  if (!scales?.length) return undefined;
  const scaled = (d: Dim, s: number): Dim => (typeof d === 'number' ? Math.floor(d * s) : s === 1 ? d : null);
  return [{ shape: x.shape.map((d, i) => scaled(d, scales[i] ?? 1)), dtype: x.dtype }];
}

export function expand(_node: Node, ins: In) {
  const x = ins[0], s = ins[1];
  if (!known(x) || !s?.values) return undefined;
  const shape = broadcastDims([x.shape, s.values]);
  if (!shape) return undefined;
  const t = tensorOf(x);
  if (t && allNumbers(shape)) {
    const r = broadcastApply<Dim>([t, { shape, values: new Array(prod(shape)).fill(0) }], (a) => a);
    if (r) return [withValues(r.shape, r.values, x.dtype)];
  }
  return [{ shape, dtype: x.dtype }];
}

export function tile(_node: Node, ins: In) {
  const x = ins[0], r = numbers(ins[1]?.values);
  if (!known(x) || !r) return undefined;
  return [{ shape: x.shape.map((d, i) => mulDim(d, r[i] ?? 1)), dtype: x.dtype }];
}

export function constantOfShape(node: Node, ins: In) {
  const s = ins[0];
  if (!s?.values) return undefined;
  const a = node.attributes.find((x) => x.name === 'value');
  // The fill value is read by the driver (it may need the tensor's bytes); 0 is the spec default.
  return [{ shape: [...s.values], dtype: a?.type === 'tensor' ? a.value.dtype : 'float32' as const }];
}

export function range(_node: Node, ins: In) {
  const [s, l, d] = ins.map((v) => v?.values?.[0]);
  if (typeof s !== 'number' || typeof l !== 'number' || typeof d !== 'number' || d === 0) return undefined;
  const n = Math.max(0, Math.ceil((l - s) / d));
  const values = n <= KNOWN_VALUE_LIMIT ? Array.from({ length: n }, (_, i) => s + i * d) : undefined;
  return [withValues([n], values, ins[0]?.dtype)];
}

export function depthToSpace(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x) || x.shape.length !== 4) return undefined;
  const b = attrInt(node, 'blocksize', 1);
  const [n, c, h, w] = x.shape;
  const shape = node.opType === 'DepthToSpace' ? [n, divDim(c, b * b), mulDim(h, b), mulDim(w, b)] : [n, mulDim(c, b * b), divDim(h, b), divDim(w, b)];
  return [{ shape, dtype: x.dtype }];
}

export function cast(node: Node, ins: In) {
  const x = ins[0];
  if (!known(x)) return undefined;
  const a = node.attributes.find((t) => t.name === 'to') ?? node.attributes.find((t) => t.name === 'DstT');
  const dtype = a?.type === 'int' ? toDataType(a.value) : a?.type === 'dtype' || a?.type === 'string' ? toDataType(a.value) : x.dtype;
  const values = x.values && dtype && /int/.test(dtype) ? x.values.map((v) => (typeof v === 'number' ? Math.trunc(v) : v)) : x.values;
  return [withValues([...x.shape], values, dtype)];
}
