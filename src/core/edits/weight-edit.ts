// What-if on weights: new bytes for a tensor (or one channel/row of it) zeroed, scaled, with
// seeded Gaussian noise, with the k% smallest magnitudes pruned, or quantized to int8 and back.
// Bytes keep the tensor's stored dtype and length, so they can be spliced into a copy of the file.
import type { Tensor } from '../ir/tensor.js';
import { Prng } from '../runtime/prng.js';
import { quantizeInt8, type Int8QuantizeOptions, type Int8Quantized } from './quantize.js';
import { decodeNumbers, encodeNumbers, isDecodable } from '../explain/values/tensor-values.js';

export type WeightEdit =
  | { kind: 'zero' }
  | { kind: 'scale'; factor: number }
  /** Gaussian noise of standard deviation `std` (absolute), or `std`·(the tensor's std) when `relative`. */
  | { kind: 'noise'; std: number; seed: number; relative?: boolean }
  /** Sets the `percent`% elements of smallest |value| to zero. */
  | { kind: 'prune'; percent: number }
  | ({ kind: 'quantize-int8' } & Int8QuantizeOptions);

/** Restricts an edit to one slice: index `index` along `axis` (default 0: a Conv output channel, a row). */
export interface EditSlice {
  axis?: number;
  index: number;
}

export interface WeightEditResult {
  /** The new stored bytes: same dtype and byte length as the tensor. */
  bytes: Uint8Array;
  /** Values after the edit (as stored: float32 rounding included). */
  values: Float64Array;
  /** Elements the edit covered and how many changed value. */
  covered: number;
  changed: number;
  maxAbsChange: number;
  /** For prune: the magnitude at or below which values were zeroed. */
  pruneThreshold?: number;
  /** For int8: scales, zero points, the scale/2 error bounds and the largest error seen. */
  quantization?: Omit<Int8Quantized, 'values' | 'codes'>;
}

/** Flat element indices of a slice (all elements when no slice). */
export function sliceIndices(shape: readonly number[], slice?: EditSlice): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  if (!slice) return Array.from({ length: n }, (_, i) => i);
  const axis = ((slice.axis ?? 0) + shape.length) % Math.max(1, shape.length);
  const dim = shape[axis] ?? 1;
  if (slice.index < 0 || slice.index >= dim || !Number.isInteger(slice.index)) throw new RangeError(`slice index ${slice.index} is outside 0…${dim - 1} along axis ${axis}`);
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const outer = n / (dim * inner);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) out.push((o * dim + slice.index) * inner + k);
  return out;
}

/** Applies an edit to plain values (a copy is returned). */
export function applyWeightEdit(values: ArrayLike<number>, shape: readonly number[], edit: WeightEdit, slice?: EditSlice): Omit<WeightEditResult, 'bytes'> {
  const out = Float64Array.from(values as ArrayLike<number>);
  const idx = sliceIndices(shape, slice);
  let pruneThreshold: number | undefined;
  let quantization: WeightEditResult['quantization'];
  switch (edit.kind) {
    case 'zero': for (const i of idx) out[i] = 0; break;
    case 'scale': for (const i of idx) out[i] *= edit.factor; break;
    case 'noise': {
      let std = edit.std;
      if (edit.relative) {
        let s = 0, s2 = 0;
        for (const i of idx) { s += out[i]; s2 += out[i] * out[i]; }
        const mean = s / idx.length;
        std *= Math.sqrt(Math.max(0, s2 / idx.length - mean * mean));
      }
      const rng = new Prng(edit.seed);
      for (const i of idx) out[i] += std * rng.normal();
      break;
    }
    case 'prune': {
      const k = Math.floor((Math.max(0, Math.min(100, edit.percent)) / 100) * idx.length);
      const order = [...idx].sort((a, b) => Math.abs(out[a]) - Math.abs(out[b]) || a - b);
      pruneThreshold = k > 0 ? Math.abs(out[order[k - 1]]) : 0;
      for (let j = 0; j < k; j++) out[order[j]] = 0;
      break;
    }
    case 'quantize-int8': {
      const sub = idx.map((i) => out[i]);
      // A slice is one channel: its per-channel axis collapses, so quantize it as one tensor.
      const subShape = slice ? [sub.length] : [...shape];
      const q = quantizeInt8(sub, subShape, slice ? { ...edit, granularity: 'per-tensor' } : edit);
      idx.forEach((i, j) => { out[i] = q.values[j]; });
      const { values: _v, codes: _c, ...rest } = q;
      quantization = rest;
      break;
    }
  }
  let changed = 0, maxAbsChange = 0;
  for (const i of idx) {
    const d = Math.abs(out[i] - values[i]);
    if (out[i] !== values[i] && !(Number.isNaN(out[i]) && Number.isNaN(values[i]))) changed++;
    if (d > maxAbsChange) maxAbsChange = d;
  }
  return { values: out, covered: idx.length, changed, maxAbsChange, ...(pruneThreshold !== undefined ? { pruneThreshold } : {}), ...(quantization ? { quantization } : {}) };
}

/** Edits a weight tensor; returns its new stored bytes (same dtype and length) and what changed. */
export async function editWeight(tensor: Tensor, edit: WeightEdit, slice?: EditSlice): Promise<WeightEditResult> {
  if (!isDecodable(tensor.dtype) || /int|bool/.test(tensor.dtype) && !tensor.quantization) {
    throw new RangeError(`tensor '${tensor.name}' holds ${tensor.dtype} values: only float weights can be edited`);
  }
  const stored = decodeNumbers(tensor.dtype, await tensor.data.read());
  const q = tensor.quantization;
  const perChannel = q && q.scale.length > 1 && q.axis !== undefined;
  if (q && perChannel) throw new RangeError(`tensor '${tensor.name}' is quantized per channel in the file; editing it is not supported`);
  const scale = q?.scale[0] ?? 1, zp = q?.zeroPoint[0] ?? 0;
  const real = q ? stored.map((v) => scale * (v - zp)) : stored;
  const r = applyWeightEdit(real, tensor.shape, edit, slice);
  // Store as the file does: quantized storage re-encodes with the file's own scale (lossy by design).
  const storedNew = q ? r.values.map((v) => Math.round(v / scale + zp)) : r.values;
  const bytes = encodeNumbers(tensor.dtype, storedNew);
  const back = decodeNumbers(tensor.dtype, bytes);
  const values = q ? back.map((v) => scale * (v - zp)) : back;
  return { ...r, bytes, values };
}
