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
import { DEFAULT_OUTLIER_SIGMA, DEFAULT_SPREAD_RATIO } from '../../core/stats/stats-summary.js';
import { weightById, weightCount, weightList } from '../../core/weight-index.js';
import { RpcError } from '../../protocol.js';
import { int, oneOf, optionalInt, record } from '../../protocol-validate.js';
import { decodeRange, rowMinMax } from '../../core/stats/stats-decode.js';
import {
  MAX_CHANNELS, MAX_VALUES_PAGE, STATS_EXPORT_KINDS, STATS_PROGRESS_TOPIC, STATS_ROWS_TOPIC,
  type ChannelsResult, type StatsExportResult, type TensorStatsResult, type ValuesResult,
} from './protocol.js';
import { RowStream, tableOf } from './table-rows.js';

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

/** Who follows a running pass: its progress and, for a view that streams, each finished tensor. */
interface PassListener { progress?(p: StatsProgress): void; tensor?(t: Tensor, s: TensorStats): void }

interface ModelEntry {
  quant?: Promise<Map<Tensor, Quantization>>;
  passes: Map<number, { promise: Promise<ModelStats>; listeners: Set<PassListener> }>;
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

  const modelStats = (ctx: StatsRequestContext, bins: number, listener?: PassListener): Promise<ModelStats> => {
    const e = entry(ctx.model);
    const running = e.passes.get(bins);
    if (running) {
      if (listener) {
        running.listeners.add(listener);
        void running.promise.finally(() => running.listeners.delete(listener)).catch(() => undefined);
      }
      return running.promise;
    }
    const ctl = new AbortController();
    const listeners = new Set<PassListener>(listener ? [listener] : []);
    const onAbort = () => ctl.abort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const promise = computeModelStats(ctx.model, {
      bins, cacheDir: deps.cacheDir, workerPath: deps.workerPath, workers: deps.workers, signal: ctl.signal,
      onProgress: (p) => { for (const l of listeners) l.progress?.(p); },
      onTensor: (t, s) => { for (const l of listeners) l.tensor?.(t, s); },
    }).then((s) => { e.results.set(bins, s); return s; }).finally(() => {
      ctx.signal.removeEventListener('abort', onAbort);
      e.passes.delete(bins);
    });
    e.passes.set(bins, { promise, listeners });
    const fileName = ctx.model.path.split(/[\\/]/).pop() ?? ctx.model.path;
    deps.passStarted?.({ fileName, onProgress: (cb) => listeners.add({ progress: cb }), done: promise.then(() => undefined, () => undefined), cancel: () => ctl.abort() });
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
      const done = lastStats(ctx.model, bins);
      if (done || !ctx.notify) return tableOf(ctx.model, done ?? await modelStats(ctx, bins, { progress }));
      // Rows stream to the table as tensors finish; the last batch goes just before the result.
      const rows = new RowStream(ctx.model, { outlierSigma: DEFAULT_OUTLIER_SIGMA, spreadRatio: DEFAULT_SPREAD_RATIO }, (r) => ctx.notify?.(STATS_ROWS_TOPIC, r));
      try {
        const stats = await modelStats(ctx, bins, { progress, tensor: (t, s) => rows.add(t, s) });
        rows.flush();
        return tableOf(ctx.model, stats);
      } catch (e) {
        rows.stop();
        throw e;
      }
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
