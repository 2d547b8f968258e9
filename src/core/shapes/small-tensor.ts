// Arithmetic on the small tensors whose values are known before running a model — shape vectors
// (Shape → Gather → Concat → Reshape), constant indices, axes — so that shapes computed from them
// stay concrete under a user's dims map.

/** A known tensor: row-major values (numbers, or symbolic dims for shape vectors) and its shape. */
export interface KnownTensor<T = number> {
  shape: number[];
  values: T[];
}

/** Largest tensor whose values are tracked (shape arithmetic never comes close). */
export const KNOWN_VALUE_LIMIT = 4096;

/** Product of dims (1 for a scalar). */
export function prod(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** Numpy-style broadcast of shapes, or null when they do not broadcast. */
export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = new Array(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i];
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else return null;
    }
  }
  return out;
}

function strides(shape: readonly number[]): number[] {
  const st = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) st[i] = st[i + 1] * shape[i + 1];
  return st;
}

/** Elementwise `f` over broadcast operands. */
export function broadcastApply<T>(args: readonly KnownTensor<T>[], f: (...xs: T[]) => T): KnownTensor<T> | null {
  const shape = broadcastShapes(args.map((a) => a.shape));
  if (!shape) return null;
  const n = prod(shape);
  if (n > KNOWN_VALUE_LIMIT) return null;
  const outStrides = strides(shape);
  const argStrides = args.map((a) => {
    const st = strides(a.shape);
    return shape.map((_, i) => {
      const j = i - (shape.length - a.shape.length);
      return j < 0 || a.shape[j] === 1 ? 0 : st[j];
    });
  });
  const values = new Array<T>(n);
  const xs = new Array<T>(args.length);
  for (let k = 0; k < n; k++) {
    for (let a = 0; a < args.length; a++) {
      let off = 0;
      let rem = k;
      for (let d = 0; d < shape.length; d++) {
        const idx = Math.floor(rem / outStrides[d]);
        rem -= idx * outStrides[d];
        off += idx * argStrides[a][d];
      }
      xs[a] = args[a].values[off];
    }
    values[k] = f(...xs);
  }
  return { shape, values };
}

/** ONNX Gather along `axis`. */
export function gather<T>(data: KnownTensor<T>, indices: KnownTensor, axis: number): KnownTensor<T> {
  const r = data.shape.length;
  const ax = axis < 0 ? axis + r : axis;
  const outer = prod(data.shape.slice(0, ax));
  const inner = prod(data.shape.slice(ax + 1));
  const dim = data.shape[ax];
  const values: T[] = [];
  for (let o = 0; o < outer; o++) {
    for (const raw of indices.values) {
      const i = raw < 0 ? raw + dim : raw;
      for (let k = 0; k < inner; k++) values.push(data.values[(o * dim + i) * inner + k]);
    }
  }
  return { shape: [...data.shape.slice(0, ax), ...indices.shape, ...data.shape.slice(ax + 1)], values };
}

/** Concatenation along `axis` (all parts of equal rank). */
export function concat<T>(parts: readonly KnownTensor<T>[], axis: number): KnownTensor<T> {
  const r = parts[0].shape.length;
  const ax = axis < 0 ? axis + r : axis;
  const outer = prod(parts[0].shape.slice(0, ax));
  const values: T[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const chunk = prod(p.shape.slice(ax));
      for (let k = 0; k < chunk; k++) values.push(p.values[o * chunk + k]);
    }
  }
  const shape = [...parts[0].shape];
  shape[ax] = parts.reduce((a, p) => a + p.shape[ax], 0);
  return { shape, values };
}

/** Clamped [start, end) with step along one axis of size `dim`, as ONNX Slice defines it. */
export function sliceRange(dim: number, start: number, end: number, step: number): number[] {
  const idx: number[] = [];
  if (step === 0) return idx;
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.max(0, Math.min(s, dim));
    e = Math.max(0, Math.min(e, dim));
    for (let i = s; i < e; i += step) idx.push(i);
  } else {
    s = Math.max(-1, Math.min(s, dim - 1));
    e = Math.max(-1, Math.min(e, dim - 1));
    for (let i = s; i > e; i += step) idx.push(i);
  }
  return idx;
}

/** Slices a tensor given per-axis index lists (every axis listed). */
export function sliceByIndices<T>(t: KnownTensor<T>, perAxis: readonly number[][]): KnownTensor<T> {
  const shape = perAxis.map((l) => l.length);
  const st = strides(t.shape);
  const values: T[] = [];
  const n = prod(shape);
  const outSt = strides(shape);
  for (let k = 0; k < n; k++) {
    let off = 0, rem = k;
    for (let d = 0; d < shape.length; d++) {
      const i = Math.floor(rem / outSt[d]);
      rem -= i * outSt[d];
      off += perAxis[d][i] * st[d];
    }
    values.push(t.values[off]);
  }
  return { shape, values };
}

/** Permutes axes (`perm` defaults to reversing them). */
export function transpose<T>(t: KnownTensor<T>, perm?: readonly number[]): KnownTensor<T> {
  const p = perm && perm.length === t.shape.length ? perm : t.shape.map((_, i) => t.shape.length - 1 - i);
  return permute(t, p);
}

function permute<T>(t: KnownTensor<T>, p: readonly number[]): KnownTensor<T> {
  const shape = p.map((a) => t.shape[a]);
  const inSt = strides(t.shape);
  const outSt = strides(shape);
  const n = prod(shape);
  const values = new Array<T>(n);
  for (let k = 0; k < n; k++) {
    let off = 0, rem = k;
    for (let d = 0; d < shape.length; d++) {
      const i = Math.floor(rem / outSt[d]);
      rem -= i * outSt[d];
      off += i * inSt[p[d]];
    }
    values[k] = t.values[off];
  }
  return { shape, values };
}
