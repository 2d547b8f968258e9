import type { DataType } from '../ir/dtype.js';
import type { RuntimeTensor } from './tensor-value.js';
import { toNumberArray } from './tensor-value.js';

/** Summary of a runtime tensor's values (finite values only for min/max/mean/std). */
export interface ValueStats {
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  nan: number;
  inf: number;
}

/** Min, max, mean, population std, and NaN/Inf counts of a tensor's values (strings: all null). */
export function valueStats(t: RuntimeTensor): ValueStats {
  if (t.dtype === 'string') return { min: null, max: null, mean: null, std: null, nan: 0, inf: 0 };
  const v = toNumberArray(t);
  let min = Infinity, max = -Infinity, n = 0, mean = 0, m2 = 0, nan = 0, inf = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (Number.isNaN(x)) { nan++; continue; }
    if (!Number.isFinite(x)) { inf++; continue; }
    if (x < min) min = x;
    if (x > max) max = x;
    n++;
    const d = x - mean; // Welford: stable for large tensors
    mean += d / n;
    m2 += d * (x - mean);
  }
  if (!n) return { min: null, max: null, mean: null, std: null, nan, inf };
  return { min, max, mean, std: Math.sqrt(m2 / n), nan, inf };
}

/** A value's stats with its name, dtype and shape: what the reduced overview returns instead of the tensor. */
export interface ValueSummary extends ValueStats {
  name: string;
  dtype: DataType;
  shape: number[];
  /** 'graph': reduced inside the graph (capture-reduce.ts); absent: from the whole tensor. */
  from?: 'graph';
}

/** The summary of a whole tensor (the exact path the reduced overview is checked against). */
export function summaryOf(t: RuntimeTensor): ValueSummary {
  return { name: t.name, dtype: t.dtype, shape: t.shape, ...valueStats(t) };
}
