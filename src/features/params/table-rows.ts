// The Parameters table as the webview receives it: each row's numbers packed column-major into one
// Float64Array and its sparkline into bytes, for the whole model (the pass's result) and for the
// partial batches streamed while the pass runs.
import type { Model } from '../../core/ir/graph.js';
import type { Tensor } from '../../core/ir/tensor.js';
import { flagsFor } from '../../core/stats/stats-summary.js';
import type { ModelStats, TensorStats } from '../../core/stats/stats-types.js';
import { weightList } from '../../core/weight-index.js';
import { SPARK_BINS, TABLE_COLUMNS, type ModelStatsResult, type StatsRowsEvent, type TableColumn } from './protocol.js';

function columnValue(t: TensorStats, c: TableColumn): number {
  switch (c) {
    case 'maxAbsZ': return t.outliers?.maxAbsZ ?? NaN;
    case 'deadRows': return t.rows?.deadRows ?? NaN;
    case 'rangeRatio': return t.rows?.rangeRatio ?? NaN;
    default: return t[c];
  }
}

/** Rows of the given stats under the given weight ids: columns, sparklines. */
export function packRows(weightIds: Int32Array, tensors: readonly TensorStats[]): Pick<ModelStatsResult, 'weightIds' | 'columns' | 'rows' | 'sparklines'> {
  const rows = tensors.length;
  const columns = new Float64Array(TABLE_COLUMNS.length * rows);
  TABLE_COLUMNS.forEach((c, ci) => { for (let r = 0; r < rows; r++) columns[ci * rows + r] = columnValue(tensors[r], c); });
  const sparklines = new Uint8Array(rows * SPARK_BINS);
  tensors.forEach((t, r) => sparkline(t.histogram.counts, sparklines.subarray(r * SPARK_BINS, (r + 1) * SPARK_BINS)));
  return { weightIds: weightIds.buffer as ArrayBuffer, columns: columns.buffer, rows, sparklines: sparklines.buffer };
}

/** The table the webview shows: numeric columns packed into ArrayBuffers, sparklines as bytes. */
export function tableOf(m: Model, stats: ModelStats): ModelStatsResult {
  const weights = weightList(m);
  const ids = new Map<string, number[]>();
  weights.forEach((t, i) => { const l = ids.get(t.name); if (l) l.push(i); else ids.set(t.name, [i]); });
  const firstId = (name: string) => ids.get(name)?.[0] ?? -1;
  const used = new Map<string, number>();
  const weightIds = new Int32Array(stats.tensors.length);
  stats.tensors.forEach((t, r) => {
    const k = used.get(t.name) ?? 0;
    used.set(t.name, k + 1);
    weightIds[r] = ids.get(t.name)?.[k] ?? -1;
  });
  return {
    ...packRows(weightIds, stats.tensors),
    model: stats.model, totals: stats.totals, byDtype: stats.byDtype, byScope: stats.byScope, byOpType: stats.byOpType,
    largest: stats.largest.map((l) => ({ ...l, weightId: firstId(l.name) })),
    flags: stats.flags.map((f) => ({ ...f, weightId: firstId(f.tensor) })),
    skipped: stats.skipped.map((s) => ({ ...s, weightId: firstId(s.name) })),
    options: stats.options, elapsedMs: stats.elapsedMs, fromCache: !!stats.fromCache,
  };
}

/** Streams rows while a pass runs: collects each finished tensor and sends them in batches. */
export class RowStream {
  private readonly ids: Map<Tensor, number>;
  private pending: { id: number; stats: TensorStats }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private first = true;

  constructor(model: Model, private readonly opts: { outlierSigma: number; spreadRatio: number }, private readonly send: (rows: StatsRowsEvent) => void, private readonly everyMs = 100) {
    this.ids = new Map(weightList(model).map((t, i) => [t, i]));
  }

  add(tensor: Tensor, stats: TensorStats): void {
    const id = this.ids.get(tensor);
    if (id === undefined) return;
    this.pending.push({ id, stats });
    // The first row goes at once (the table shows the pass has started filling); then one batch per tick.
    if (this.first) { this.first = false; this.flush(); return; }
    this.timer ??= setTimeout(() => this.flush(), this.everyMs);
  }

  /** Sends what is pending now (called once more before the pass's result). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    const packed = packRows(Int32Array.from(batch, (b) => b.id), batch.map((b) => b.stats));
    const flags = batch.flatMap((b) => flagsFor(b.stats, this.opts).map((f) => ({ ...f, weightId: b.id })));
    this.send({ ...packed, flags });
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}

/** Re-bins histogram counts into `out.length` bins and scales them to 0..255 (non-empty bins ≥ 1). */
export function sparkline(counts: number[], out: Uint8Array): void {
  const n = counts.length, k = out.length;
  if (!n) return;
  // One bin (a constant tensor): a single spike in the middle, not a full block.
  if (n === 1) { out[k >> 1] = counts[0] > 0 ? 255 : 0; return; }
  const sums = new Float64Array(k);
  if (n >= k) for (let i = 0; i < n; i++) sums[Math.min(k - 1, Math.floor((i * k) / n))] += counts[i];
  else for (let j = 0; j < k; j++) sums[j] = counts[Math.min(n - 1, Math.floor((j * n) / k))];
  let max = 0;
  for (const s of sums) max = Math.max(max, s);
  if (max > 0) for (let j = 0; j < k; j++) out[j] = sums[j] > 0 ? Math.max(1, Math.round((255 * sums[j]) / max)) : 0;
}
