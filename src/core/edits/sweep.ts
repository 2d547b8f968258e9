// Sweep: one input element runs over a range while the rest of the input stays fixed; the model
// runs batched over the range (one row per step) and each output is plotted against it.
import type { RuntimeTensor } from '../runtime/tensor-value.js';
import { allocateArray, fromNumbers, toNumberArray } from '../runtime/tensor-value.js';

export interface SweepInputs {
  /** The swept values, `steps` of them from `from` to `to` inclusive. */
  xs: number[];
  /** One tensor with a leading dim of `steps` when batched, else one tensor per step. */
  tensors: RuntimeTensor[];
  batched: boolean;
}

/** `steps` evenly spaced values from `from` to `to` (both included). */
export function sweepValues(from: number, to: number, steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`a sweep needs at least 1 step, got ${steps}`);
  if (steps === 1) return [from];
  return Array.from({ length: steps }, (_, i) => from + ((to - from) * i) / (steps - 1));
}

/**
 * Inputs for a sweep of flat element `elementIndex` of `baseInput`. When the base has a leading
 * dim of 1 (one example) and `batched` is not false, the steps become the rows of one batch;
 * otherwise (a scalar input, a fixed batch) one input per step is built.
 */
export function buildSweepInputs(baseInput: RuntimeTensor, elementIndex: number, from: number, to: number, steps: number, options: { batched?: boolean } = {}): SweepInputs {
  const base = toNumberArray(baseInput);
  if (elementIndex < 0 || elementIndex >= base.length || !Number.isInteger(elementIndex)) {
    throw new RangeError(`element ${elementIndex} is outside input '${baseInput.name}' (${base.length} elements)`);
  }
  if (baseInput.dtype === 'string') throw new RangeError(`input '${baseInput.name}' holds strings and cannot be swept`);
  const xs = sweepValues(from, to, steps);
  const batched = options.batched !== false && baseInput.shape.length > 0 && baseInput.shape[0] === 1;
  if (batched) {
    const n = base.length;
    const all = new Float64Array(n * steps);
    xs.forEach((x, r) => { all.set(base, r * n); all[r * n + elementIndex] = x; });
    const data = baseInput.dtype === 'float64' ? Float64Array.from(all) : fromNumbers(baseInput.dtype, all);
    return { xs, batched, tensors: [{ name: baseInput.name, dtype: baseInput.dtype, shape: [steps, ...baseInput.shape.slice(1)], data }] };
  }
  const tensors = xs.map((x) => {
    const v = Float64Array.from(base);
    v[elementIndex] = x;
    const data = v.length ? fromNumbers(baseInput.dtype, v) : allocateArray(baseInput.dtype, 0);
    return { name: baseInput.name, dtype: baseInput.dtype, shape: [...baseInput.shape], data };
  });
  return { xs, batched, tensors };
}

/**
 * The curve of output element `elementIndex` (flat index within one example's output) across a
 * sweep: from one batched output (rows = steps) or from one output per step.
 */
export function sweepSeries(outputs: RuntimeTensor | readonly RuntimeTensor[], steps: number, elementIndex: number): number[] {
  if (Array.isArray(outputs)) return (outputs as readonly RuntimeTensor[]).map((t) => toNumberArray(t)[elementIndex]);
  const v = toNumberArray(outputs as RuntimeTensor);
  const per = v.length / steps;
  if (!Number.isInteger(per) || elementIndex < 0 || elementIndex >= per) throw new RangeError(`output element ${elementIndex} is outside one row of ${per} elements`);
  return Array.from({ length: steps }, (_, r) => v[r * per + elementIndex]);
}
