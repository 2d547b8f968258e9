// The Parameters view's request handlers without VS Code: the extension (register.ts) and the
// ui test host register these same functions, so the webview under test talks to the real code.
// Every params field is validated here; weight ids are GraphPayload.weights indices.
import type { Model } from '../../core/ir/graph.js';
import type { Quantization, Tensor } from '../../core/ir/tensor.js';
import { computeModelStats, defaultWorkerPath, type StatsProgress } from '../../core/stats/stats-model.js';
import { StatsWorkerPool } from '../../core/stats/stats-pool.js';
import { computeTensorStats, tensorMeta } from '../../core/stats/stats-tensor.js';
import { quantizationFromGraph } from '../../core/stats/stats-quantization.js';
import { statsToCsv, statsToJson, tensorToNpy } from '../../core/stats/stats-export.js';
import type { ModelStats, TensorStats } from '../../core/stats/stats-types.js';
import { weightById, weightCount, weightList } from '../../core/weight-index.js';
import { RpcError } from '../../protocol.js';
import { int, oneOf, optionalInt, record } from '../../protocol-validate.js';
import { decodeRange, rowMinMax } from '../../core/stats/stats-decode.js';
import {
  MAX_CHANNELS, MAX_VALUES_PAGE, SPARK_BINS, STATS_EXPORT_KINDS, STATS_PROGRESS_TOPIC, TABLE_COLUMNS,
  type ChannelsResult, type ModelStatsResult, type StatsExportResult, type TableColumn, type TensorStatsResult, type ValuesResult,
} from './protocol.js';

/** What a handler gets besides its params (a subset of RequestContext, so tests can provide it). */
export interface StatsRequestContext {
  model: Model;
  signal: AbortSignal;
  notify?(topic: string, data: unknown): void;
}

export type StatsHandler = (params: unknown, ctx: StatsRequestContext) => Promise<unknown>;

/** A model-wide pass in progress, for a progress UI that can cancel it. */
export interface StatsPass {
  fileName: string;
  onProgress(cb: (p: StatsProgress) => void): void;
  /** Settles when the pass ends (either way). */
  readonly done: Promise<void>;
  cancel(): void;
}

export interface StatsHandlerDeps {
  /** Folder of the on-disk cache (keyed by file size + mtime); none: no disk cache. */
  cacheDir?: string;
  workerPath?: string;
  workers?: number;
  /** Default histogram bins (the modelLens.stats.histogramBins setting). */
  bins?(): number;
  /** Called when a model pass starts (the host shows a cancellable progress notification). */
  passStarted?(pass: StatsPass): void;
  /** Asks where to save and writes the file; resolves with the path, or null when the user cancelled. */
  save?(fileName: string, data: string | Uint8Array, modelPath: string): Promise<string | null>;
}

const MAX_BINS = 4096;
/** Tensors at least this big get their statistics in a worker thread, off the extension host's loop. */
const OFF_THREAD_BYTES = 4 << 20;

/** Idle time after which the single-tensor worker thread is stopped. */
const WORKER_IDLE_MS = 30_000;

/** A one-thread pool kept warm between single-tensor requests (starting a worker costs more than a small tensor). */
function warmPool(workerPath: string) {
  let pool: StatsWorkerPool | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let busy = 0;
  return async <T>(fn: (p: StatsWorkerPool) => Promise<T>): Promise<T> => {
    clearTimeout(timer);
    pool ??= new StatsWorkerPool(workerPath, 1);
    const p = pool;
    busy++;
    try {
      return await fn(p);
    } finally {
      if (--busy === 0) {
        timer = setTimeout(() => { if (pool === p && busy === 0) { pool = null; void p.close(); } }, WORKER_IDLE_MS);
        (timer as { unref?: () => void }).unref?.();
      }
    }
  };
}

interface ModelEntry {
  quant?: Promise<Map<Tensor, Quantization>>;
  passes: Map<number, { promise: Promise<ModelStats>; listeners: Set<(p: StatsProgress) => void> }>;
  results: Map<number, ModelStats>;
  tensors: Map<string, Promise<TensorStats>>;
}

/** The handlers by method: params.model, params.tensor, params.values, params.channels, params.export. */
export function createParamsHandlers(deps: StatsHandlerDeps = {}): Record<string, StatsHandler> {
  const entries = new WeakMap<Model, ModelEntry>();
  const workerPath = deps.workers === 0 ? undefined : deps.workerPath ?? defaultWorkerPath();
  const withWorker = workerPath ? warmPool(workerPath) : null;
  /** One tensor's statistics: big ones in the warm worker thread, off the extension host's loop. */
  const tensorStats = async (tensor: Tensor, file: string, bins: number, q: Quantization | undefined): Promise<TensorStats> => {
    if (!withWorker || tensor.byteLength < OFF_THREAD_BYTES) return computeTensorStats(tensor, { bins, quantization: q, file });
    const ranges = tensor.data.fileRanges();
    const bytes = ranges ? null : await tensor.data.read();
    return withWorker(async (pool) => (await pool.run(tensorMeta(tensor, file, q), { ranges, bytes }, { bins }, () => undefined)).stats);
  };
  const entry = (m: Model): ModelEntry => {
    let e = entries.get(m);
    if (!e) entries.set(m, (e = { passes: new Map(), results: new Map(), tensors: new Map() }));
    return e;
  };
  const quant = (m: Model) => (entry(m).quant ??= quantizationFromGraph(m));
  const binsOf = (p: Record<string, unknown>) => optionalInt(p, 'bins', 2, MAX_BINS) ?? Math.min(MAX_BINS, Math.max(2, deps.bins?.() ?? 64));
  const weightOf = (m: Model, p: Record<string, unknown>): { id: number; tensor: Tensor } => {
    const n = weightCount(m);
    if (n === 0) throw new RpcError('the model has no weights', 'bad-request');
    const id = int(p, 'weightId', 0, n - 1);
    return { id, tensor: weightById(m, id)! };
  };

  const modelStats = (ctx: StatsRequestContext, bins: number, onProgress?: (p: StatsProgress) => void): Promise<ModelStats> => {
    const e = entry(ctx.model);
    const running = e.passes.get(bins);
    if (running) {
      if (onProgress) {
        running.listeners.add(onProgress);
        void running.promise.finally(() => running.listeners.delete(onProgress)).catch(() => undefined);
      }
      return running.promise;
    }
    const ctl = new AbortController();
    const listeners = new Set<(p: StatsProgress) => void>(onProgress ? [onProgress] : []);
    const onAbort = () => ctl.abort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const promise = computeModelStats(ctx.model, {
      bins, cacheDir: deps.cacheDir, workerPath: deps.workerPath, workers: deps.workers, signal: ctl.signal,
      onProgress: (p) => { for (const l of listeners) l(p); },
    }).then((s) => { e.results.set(bins, s); return s; }).finally(() => {
      ctx.signal.removeEventListener('abort', onAbort);
      e.passes.delete(bins);
    });
    e.passes.set(bins, { promise, listeners });
    const fileName = ctx.model.path.split(/[\\/]/).pop() ?? ctx.model.path;
    deps.passStarted?.({ fileName, onProgress: (cb) => listeners.add(cb), done: promise.then(() => undefined, () => undefined), cancel: () => ctl.abort() });
    return promise;
  };
  const lastStats = (m: Model, bins?: number): ModelStats | undefined => {
    const r = entry(m).results;
    return bins !== undefined ? r.get(bins) : r.values().next().value;
  };

  return {
    'params.model': async (params, ctx) => {
      const p = record(params);
      const bins = binsOf(p);
      let last = 0;
      const progress = (q: StatsProgress) => {
        const now = Date.now();
        if (now - last < 100 && q.tensorsDone < q.tensorsTotal) return;
        last = now;
        ctx.notify?.(STATS_PROGRESS_TOPIC, { ...q });
      };
      return tableOf(ctx.model, lastStats(ctx.model, bins) ?? await modelStats(ctx, bins, progress));
    },
    'params.tensor': async (params, ctx): Promise<TensorStatsResult> => {
      const p = record(params);
      const { id, tensor } = weightOf(ctx.model, p);
      const bins = binsOf(p);
      const whole = lastStats(ctx.model, bins);
      if (whole) {
        const row = rowsOf(ctx.model, whole).byWeight.get(id);
        if (row !== undefined) return { weightId: id, stats: whole.tensors[row] };
      }
      const e = entry(ctx.model);
      const key = `${id}:${bins}`;
      let job = e.tensors.get(key);
      if (!job) {
        const q = (await quant(ctx.model)).get(tensor);
        job = tensorStats(tensor, ctx.model.path, bins, q);
        e.tensors.set(key, job);
        job.catch(() => e.tensors.delete(key));
        // A few recent tensors stay cached; the table's own figures come from the model pass.
        if (e.tensors.size > 16) e.tensors.delete(e.tensors.keys().next().value!);
      }
      return { weightId: id, stats: await job };
    },
    'params.values': async (params, ctx): Promise<ValuesResult> => {
      const p = record(params);
      const { id, tensor } = weightOf(ctx.model, p);
      const offset = int(p, 'offset', 0, Math.max(0, tensor.elementCount - 1));
      const count = Math.min(int(p, 'count', 1, MAX_VALUES_PAGE), tensor.elementCount - offset);
      const values = await decodeRange(tensor, offset, count, ctx.model.path);
      const q = tensor.quantization ?? (await quant(ctx.model)).get(tensor);
      return { weightId: id, offset, count, values: values.buffer as ArrayBuffer, dequantized: q ? dequantize(values, offset, tensor.shape, q).buffer as ArrayBuffer : null };
    },
    'params.channels': async (params, ctx): Promise<ChannelsResult> => {
      const p = record(params);
      const { id, tensor } = weightOf(ctx.model, p);
      if (tensor.shape.length < 2) throw new RpcError(`'${tensor.name}' has fewer than 2 dimensions: no output channels`, 'bad-request');
      const rows = tensor.shape[0];
      if (rows > MAX_CHANNELS) throw new RpcError(`'${tensor.name}' has ${rows} rows; at most ${MAX_CHANNELS} are charted`, 'bad-request');
      const { min, max, rowSize } = await rowMinMax(tensor, ctx.model.path, (await quant(ctx.model)).get(tensor), ctx.signal);
      return { weightId: id, rows, rowSize, min: min.buffer as ArrayBuffer, max: max.buffer as ArrayBuffer };
    },
    'params.export': async (params, ctx): Promise<StatsExportResult> => {
      const p = record(params);
      const kind = oneOf(p, 'kind', STATS_EXPORT_KINDS);
      const save = p.save === undefined ? false : p.save === true ? true : p.save === false ? false : (() => { throw new RpcError("invalid request: 'save' must be true or false", 'bad-request'); })();
      let fileName: string;
      let data: string | Uint8Array;
      const base = (ctx.model.path.split(/[\\/]/).pop() ?? 'model').replace(/\.[^.]*$/, '') || 'model';
      if (kind === 'npy') {
        const { tensor } = weightOf(ctx.model, p);
        data = await tensorToNpy(tensor, { quantization: (await quant(ctx.model)).get(tensor), file: ctx.model.path });
        fileName = `${safeName(tensor.name)}.npy`;
      } else {
        const stats = lastStats(ctx.model) ?? await modelStats(ctx, binsOf({}));
        data = kind === 'csv' ? statsToCsv(stats) : JSON.stringify(statsToJson(stats, { detail: true }), null, 2) + '\n';
        fileName = `${base}-stats.${kind}`;
      }
      if (save) {
        if (!deps.save) throw new RpcError('saving files is not available here', 'unsupported');
        const where = await deps.save(fileName, data, ctx.model.path);
        return where ? { saved: true, path: where } : { saved: false, cancelled: true };
      }
      return { saved: false, fileName, data: typeof data === 'string' ? data : exact(data) };
    },
  };

  // Per-stats lookup of rows by weight id (stats rows are identified by name; the ids by Tensor).
  function rowsOf(m: Model, stats: ModelStats): { byWeight: Map<number, number>; weightOfRow: Int32Array } {
    const cached = rowMaps.get(stats);
    if (cached) return cached;
    const ids = new Map<string, number[]>();
    weightList(m).forEach((t, i) => { const l = ids.get(t.name); if (l) l.push(i); else ids.set(t.name, [i]); });
    const byWeight = new Map<number, number>();
    const weightOfRow = new Int32Array(stats.tensors.length).fill(-1);
    stats.tensors.forEach((t, row) => {
      const id = ids.get(t.name)?.shift();
      if (id !== undefined) { byWeight.set(id, row); weightOfRow[row] = id; }
    });
    const out = { byWeight, weightOfRow };
    rowMaps.set(stats, out);
    return out;
  }
}

const rowMaps = new WeakMap<ModelStats, { byWeight: Map<number, number>; weightOfRow: Int32Array }>();

function exact(u8: Uint8Array): ArrayBuffer {
  return u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength ? u8.buffer as ArrayBuffer : u8.slice().buffer;
}

/** A tensor name as a file name: path separators and reserved characters become '_'. */
export function safeName(name: string): string {
  return (name.replace(/[\\/:*?"<>|\x00-\x1f]/g, '_').replace(/^\.+/, '_').slice(0, 120)) || 'tensor';
}

function dequantize(values: Float64Array, offset: number, shape: number[], q: Quantization): Float64Array {
  const out = new Float64Array(values.length);
  const perSlice = q.scale.length > 1 && q.axis !== undefined;
  const axis = q.axis ?? 0;
  const inner = perSlice ? shape.slice(axis + 1).reduce((a, b) => a * b, 1) : 1;
  const dim = perSlice ? shape[axis] : 1;
  for (let i = 0; i < values.length; i++) {
    const s = perSlice ? Math.floor((offset + i) / inner) % dim : 0;
    out[i] = (q.scale[s] ?? q.scale[0]) * (values[i] - (q.zeroPoint[s] ?? q.zeroPoint[0] ?? 0));
  }
  return out;
}

/** The table the webview shows: numeric columns packed into ArrayBuffers, sparklines as bytes. */
function tableOf(m: Model, stats: ModelStats): ModelStatsResult {
  const weights = weightList(m);
  const ids = new Map<string, number[]>();
  weights.forEach((t, i) => { const l = ids.get(t.name); if (l) l.push(i); else ids.set(t.name, [i]); });
  const firstId = (name: string) => ids.get(name)?.[0] ?? -1;
  const rows = stats.tensors.length;
  const used = new Map<string, number>();
  const weightIds = new Int32Array(rows);
  stats.tensors.forEach((t, r) => {
    const k = used.get(t.name) ?? 0;
    used.set(t.name, k + 1);
    weightIds[r] = ids.get(t.name)?.[k] ?? -1;
  });
  const columns = new Float64Array(TABLE_COLUMNS.length * rows);
  const value = (t: TensorStats, c: TableColumn): number => {
    switch (c) {
      case 'maxAbsZ': return t.outliers?.maxAbsZ ?? NaN;
      case 'deadRows': return t.rows?.deadRows ?? NaN;
      case 'rangeRatio': return t.rows?.rangeRatio ?? NaN;
      default: return t[c];
    }
  };
  TABLE_COLUMNS.forEach((c, ci) => { for (let r = 0; r < rows; r++) columns[ci * rows + r] = value(stats.tensors[r], c); });
  const sparklines = new Uint8Array(rows * SPARK_BINS);
  stats.tensors.forEach((t, r) => sparkline(t.histogram.counts, sparklines.subarray(r * SPARK_BINS, (r + 1) * SPARK_BINS)));
  return {
    weightIds: weightIds.buffer, columns: columns.buffer, rows, sparklines: sparklines.buffer,
    model: stats.model, totals: stats.totals, byDtype: stats.byDtype, byScope: stats.byScope, byOpType: stats.byOpType,
    largest: stats.largest.map((l) => ({ ...l, weightId: firstId(l.name) })),
    flags: stats.flags.map((f) => ({ ...f, weightId: firstId(f.tensor) })),
    skipped: stats.skipped.map((s) => ({ ...s, weightId: firstId(s.name) })),
    options: stats.options, elapsedMs: stats.elapsedMs, fromCache: !!stats.fromCache,
  };
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
