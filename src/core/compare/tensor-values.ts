// A weight's values as numbers, dequantized when the tensor carries quantization or the graph
// dequantizes it (an int8 weight feeding DequantizeLinear with constant scale / zero point,
// per-tensor or per-channel along `axis`).
import type { Model } from '../ir/graph.js';
import type { Quantization, Tensor } from '../ir/tensor.js';
import { elementDecoder } from '../stats/decode.js';
import { quantizationFromGraph } from '../stats/stats-quantization.js';

/** Decoded values: float32 where every value fits one, float64 otherwise. */
export type TensorNumbers = Float32Array | Float64Array;

/** Quantization a tensor is read with: its own, or the graph's. */
export type QuantizationLookup = (t: Tensor) => Quantization | undefined;

const graphQuant = new WeakMap<Model, Promise<Map<Tensor, Quantization>>>();

/** The quantization of each weight of `model` (the tensor's own first, then what its DequantizeLinear says). */
export async function quantizationOf(model: Model): Promise<QuantizationLookup> {
  let p = graphQuant.get(model);
  if (!p) { p = quantizationFromGraph(model); graphQuant.set(model, p); }
  const map = await p;
  return (t) => t.quantization ?? map.get(t);
}

/** The tensor's values as numbers (dequantized with `q`), or null when its dtype has none (strings…). */
export async function tensorNumbers(t: Tensor, q?: Quantization): Promise<TensorNumbers | null> {
  const dec = elementDecoder(t.dtype);
  if (!dec) return null;
  const bytes = await t.data.read();
  const out = dec.target === 'f32' ? new Float32Array(t.elementCount) : new Float64Array(t.elementCount);
  dec.decode(bytes, 0, t.elementCount, out);
  if (q) dequantizeInPlace(out, t.shape, q);
  return out;
}

/** real = scale · (q − zeroPoint), per tensor or per slice along `axis`. */
export function dequantizeInPlace(v: TensorNumbers, shape: readonly number[], q: Quantization): void {
  if (q.scale.length <= 1 || q.axis === undefined) {
    const s = q.scale[0] ?? 1, z = q.zeroPoint[0] ?? 0;
    for (let i = 0; i < v.length; i++) v[i] = s * (v[i] - z);
    return;
  }
  const inner = shape.slice(q.axis + 1).reduce((a, b) => a * b, 1);
  const dim = shape[q.axis];
  for (let start = 0, block = 0; start < v.length; start += inner, block++) {
    const c = block % dim;
    const s = q.scale[c], z = q.zeroPoint[c] ?? q.zeroPoint[0] ?? 0;
    const end = Math.min(v.length, start + inner);
    for (let i = start; i < end; i++) v[i] = s * (v[i] - z);
  }
}

/** Half the largest quantization step: the rounding a quantized weight may show against its float source. */
export function quantizationStep(q: Quantization | undefined): number {
  if (!q) return 0;
  let m = 0;
  for (const s of q.scale) if (Math.abs(s) > m) m = Math.abs(s);
  return m / 2;
}
