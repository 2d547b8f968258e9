// Stats, histograms and exact byte payloads of runtime tensors, for the Run panel.
import { exactArrayBuffer } from '../../protocol.js';
import { valueStats } from '../runtime/output-stats.js';
import { toNumberArray, type RuntimeTensor } from '../runtime/tensor-value.js';
import { HISTOGRAM_BINS, MAX_SENT_BYTES, type Histogram, type OutputPayload, type TensorStatsSummary } from './run-protocol.js';

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
