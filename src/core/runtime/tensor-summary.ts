// Stats, histograms and exact byte payloads of runtime tensors, for the Run panel.
import { exactArrayBuffer } from '../io/exact-buffer.js';
import { valueStats } from './output-stats.js';
import { toNumberArray, type RuntimeTensor } from './tensor-value.js';

/** Most bytes of one output sent to the webview (the rest is counted, not sent). */
export const MAX_SENT_BYTES = 32 * 2 ** 20;
export const HISTOGRAM_BINS = 48;

export interface Histogram { edges: number[]; counts: number[] }

export interface TensorStatsSummary {
  min: number | null; max: number | null; mean: number | null; std: number | null;
  absMax: number | null; nan: number; inf: number;
}

/** One output: its values as bytes of `dtype` (float16 as raw bits, int64 as BigInt64 bytes). */
export interface OutputPayload {
  name: string;
  dtype: string;
  shape: number[];
  /** Exactly the first `sent` elements (all of them unless the output is huge). */
  data: ArrayBuffer | string[];
  sent: number;
  elements: number;
  stats: TensorStatsSummary;
  histogram: Histogram | null;
}


/** Min/max/mean/std/abs-max and NaN/Inf counts of a tensor (null fields for strings or no finite value). */
export function summarize(t: RuntimeTensor): TensorStatsSummary {
  const s = valueStats(t);
  const absMax = s.min === null || s.max === null ? null : Math.max(Math.abs(s.min), Math.abs(s.max));
  return { ...s, absMax };
}

/** An equal-width histogram of the finite values (null for strings or no finite value). */
export function histogramOf(t: RuntimeTensor, bins = HISTOGRAM_BINS, stats = summarize(t)): Histogram | null {
  if (t.dtype === 'string' || stats.min === null || stats.max === null) return null;
  // A constant tensor gets one bin centred on its value.
  const flat = stats.min === stats.max;
  const lo = flat ? stats.min - 0.5 : stats.min, hi = flat ? stats.max + 0.5 : stats.max;
  const n = flat ? 1 : bins;
  const width = (hi - lo) / n || 1;
  const counts = new Array<number>(n).fill(0);
  const v = toNumberArray(t);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!Number.isFinite(x)) continue;
    counts[Math.min(n - 1, Math.floor((x - lo) / width))]++;
  }
  const edges = Array.from({ length: n + 1 }, (_, i) => (i === n ? hi : lo + i * width));
  return { edges, counts };
}

/** The output as sent to the webview: exact bytes (at most MAX_SENT_BYTES), stats and histogram. */
export function outputPayload(t: RuntimeTensor): OutputPayload {
  const stats = summarize(t);
  const elements = t.data.length;
  if (Array.isArray(t.data)) {
    const sent = Math.min(elements, 100_000);
    return { name: t.name, dtype: t.dtype, shape: t.shape, data: t.data.slice(0, sent), sent, elements, stats, histogram: null };
  }
  const per = t.data.BYTES_PER_ELEMENT;
  const sent = Math.min(elements, Math.floor(MAX_SENT_BYTES / per));
  const view = new Uint8Array(t.data.buffer, t.data.byteOffset, sent * per);
  return { name: t.name, dtype: t.dtype, shape: t.shape, data: exactArrayBuffer(view), sent, elements, stats, histogram: histogramOf(t, HISTOGRAM_BINS, stats) };
}
