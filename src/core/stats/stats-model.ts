/**
 * Statistics of every weight of a model, computed in worker threads (or in this thread when no
 * worker script is at hand), merged into model-wide figures, and cached on disk.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { ModelError } from '../ir/errors.js';
import type { Model } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import { collectWeights } from '../ir/walk.js';
import { BATCH_TENSOR_BYTES, batchesOf, statsOfBatch, type BatchItem } from './stats-batch.js';
import { readStatsCache, statsCacheKey, writeStatsCache } from './stats-cache.js';
import { KEY_BUCKETS } from './stats-kernel.js';
import { histogramFromKeys, logHistogramFromKeys, percentilesFromKeys, sparseKeys } from './stats-keys.js';
import { errorFromReply, StatsWorkerPool, type WorkerError, type WorkerStatsOptions } from './stats-pool.js';
import { quantizationFromGraph } from './stats-quantization.js';
import { mergeCodeParts, splitSpans } from './stats-split.js';
import { DEFAULT_OUTLIER_SIGMA, DEFAULT_SPREAD_RATIO, flagsFor, summarizeWeights } from './stats-summary.js';
import { statsOfData, statsUnsupportedReason, tensorMeta } from './stats-tensor.js';
import type { ModelStats, SkippedTensor, TensorStats, ValueStats } from './stats-types.js';
import { unpackStats, type WireBatch } from './stats-wire.js';
import type { SparseKeys } from './stats-keys.js';

/** Bumped when the figures change (2: the code path counts int/float16 codes; moments summed per code), so older cached results are not reused. */
export const MODEL_STATS_VERSION = 2;

export interface StatsProgress {
  bytesDone: number;
  bytesTotal: number;
  tensorsDone: number;
  tensorsTotal: number;
}

export interface ModelStatsOptions {
  bins?: number;
  outlierSigma?: number;
  /** Threshold of the channel-range-spread flag (default 16). */
  spreadRatio?: number;
  kernel?: 'auto' | 'wasm' | 'js';
  chunkBytes?: number;
  signal?: AbortSignal;
  onProgress?: (p: StatsProgress) => void;
  /** Each tensor's statistics as soon as they are computed (in completion order), for views that stream. */
  onTensor?: (tensor: Tensor, stats: TensorStats) => void;
  /** Worker threads (default: available cores, at most 4). 0 computes in this thread. */
  workers?: number;
  /** Path of stats-worker.js (default: next to the running bundle). Missing → computed in this thread. */
  workerPath?: string;
  /** Tensors on the code path of at least this many bytes are split across the workers (default 32 MiB). */
  splitBytes?: number;
  /** Folder for the JSON cache (keyed by the model files' size and mtime and these options). */
  cacheDir?: string;
}

/** stats-worker.js next to the running CJS bundle, when there is one. */
export function defaultWorkerPath(): string | undefined {
  const dir = typeof __dirname === 'string' ? __dirname : undefined;
  const p = dir ? path.join(dir, 'stats-worker.js') : undefined;
  return p && existsSync(p) ? p : undefined;
}

interface Merge {
  count: number; finite: number; min: number; max: number; zeros: number; nan: number; posInf: number; negInf: number;
  keys: Float64Array;
}

/** Model-wide figures from the float tensors' results (moments merged in tensor order: Chan et al.). */
function modelValueStats(parts: { stats: ValueStats; m2: number }[], merge: Merge, bins: number): ValueStats {
  let n = 0, mean = 0, m2 = 0;
  for (const { stats: s, m2: sm2 } of parts) {
    if (!s.finite) continue;
    const nb = s.finite;
    const delta = s.mean - mean;
    const nn = n + nb;
    mean += (delta * nb) / nn;
    m2 += sm2 + (delta * delta * n * nb) / nn;
    n = nn;
  }
  const has = n > 0;
  return {
    count: merge.count, finite: merge.finite,
    min: has ? merge.min : NaN, max: has ? merge.max : NaN,
    mean: has ? mean : NaN, std: has ? Math.sqrt(m2 / n) : NaN,
    absMax: has ? Math.max(Math.abs(merge.min), Math.abs(merge.max)) : NaN,
    zeros: merge.zeros, sparsity: merge.count ? merge.zeros / merge.count : 0,
    nan: merge.nan, posInf: merge.posInf, negInf: merge.negInf, inf: merge.posInf + merge.negInf,
    percentiles: has ? percentilesFromKeys(merge.keys, merge.finite, merge.min, merge.max) : null,
    histogram: has ? histogramFromKeys(merge.keys, merge.min, merge.max, bins) : { edges: [], counts: [] },
    logHistogram: has ? logHistogramFromKeys(sparseKeys(merge.keys), merge.zeros) : { edges: [], counts: [] },
    outliers: null,
  };
}

function cancelled(model: Model): ModelError {
  return new ModelError('cancelled', 'statistics cancelled', { file: model.path });
}

/** Statistics of every weight of the model plus model-wide summaries and flags. */
export async function computeModelStats(model: Model, options: ModelStatsOptions = {}): Promise<ModelStats> {
  const started = Date.now();
  const bins = options.bins ?? 256;
  const outlierSigma = options.outlierSigma ?? DEFAULT_OUTLIER_SIGMA;
  const spreadRatio = options.spreadRatio ?? DEFAULT_SPREAD_RATIO;
  const { signal } = options;
  if (signal?.aborted) throw cancelled(model);
  const cacheKey = options.cacheDir ? await statsCacheKey(model, { bins, outlierSigma, spreadRatio, version: MODEL_STATS_VERSION }) : null;
  if (options.cacheDir && cacheKey) {
    const hit = await readStatsCache(options.cacheDir, cacheKey);
    if (hit) return { ...hit, fromCache: true };
  }

  const weights = collectWeights(model);
  const graphQuant = await quantizationFromGraph(model);
  const skipped: SkippedTensor[] = [];
  const todo: { index: number; tensor: Tensor }[] = [];
  weights.forEach((t, index) => {
    const why = statsUnsupportedReason(t.dtype);
    if (why) skipped.push({ name: t.name, dtype: t.dtype, reason: why });
    else todo.push({ index, tensor: t });
  });

  const bytesTotal = todo.reduce((a, w) => a + 2 * w.tensor.byteLength, 0);
  const progress: StatsProgress = { bytesDone: 0, bytesTotal, tensorsDone: 0, tensorsTotal: todo.length };
  const partial = new Map<number, number>();
  let partialSum = 0;
  const report = () => options.onProgress?.({ ...progress, bytesDone: progress.bytesDone + partialSum });
  const onPart = (index: number) => (done: number) => {
    partialSum += done - (partial.get(index) ?? 0);
    partial.set(index, done);
    report();
  };

  const merge: Merge = { count: 0, finite: 0, min: Infinity, max: -Infinity, zeros: 0, nan: 0, posInf: 0, negInf: 0, keys: new Float64Array(KEY_BUCKETS) };
  const results = new Map<number, { stats: TensorStats; m2: number; float: boolean }>();
  const mergeKeys = (keys: SparseKeys) => {
    for (let i = 0; i < keys.index.length; i++) merge.keys[keys.index[i]] += keys.count[i];
  };
  const accept = (index: number, tensor: Tensor, r: { stats: TensorStats; m2: number; keys?: SparseKeys | null; float?: boolean }) => {
    const float = r.float ?? !!r.keys;
    if (float) {
      const s = r.stats;
      merge.count += s.count; merge.finite += s.finite; merge.zeros += s.zeros;
      merge.nan += s.nan; merge.posInf += s.posInf; merge.negInf += s.negInf;
      if (s.finite) { merge.min = Math.min(merge.min, s.min); merge.max = Math.max(merge.max, s.max); }
      if (r.keys) mergeKeys(r.keys);
    }
    results.set(index, { stats: r.stats, m2: r.m2, float });
    options.onTensor?.(tensor, r.stats);
    partialSum -= partial.get(index) ?? 0;
    partial.delete(index);
    progress.bytesDone += 2 * tensor.byteLength;
    progress.tensorsDone++;
    report();
  };
  const fail = (tensor: Tensor, e: unknown) => {
    if (e instanceof ModelError && e.code === 'cancelled') throw e;
    skipped.push({ name: tensor.name, dtype: tensor.dtype, reason: (e as Error)?.message ?? String(e) });
    progress.tensorsDone++;
  };

  const workerOpts: WorkerStatsOptions = { bins, outlierSigma, kernel: options.kernel, chunkBytes: options.chunkBytes };
  const workerPath = options.workerPath ?? defaultWorkerPath();
  const workerCount = options.workers ?? Math.min(4, availableParallelism());
  // Large tensors one by one, largest first, then the small ones in batches in file order (one
  // message and, for neighbours in a file, one read per batch), so that the last to finish are small.
  const large = todo.filter((w) => w.tensor.byteLength > BATCH_TENSOR_BYTES);
  large.sort((a, b) => b.tensor.byteLength - a.tensor.byteLength || a.index - b.index);
  type Small = { index: number; tensor: Tensor; item: BatchItem };
  const small: Small[] = todo.filter((w) => w.tensor.byteLength <= BATCH_TENSOR_BYTES).map(({ index, tensor }) => (
    { index, tensor, item: { meta: tensorMeta(tensor, model.path, graphQuant.get(tensor)), ranges: tensor.data.fileRanges(), bytes: null } }));
  const where = (s: Small) => s.item.ranges?.[0];
  small.sort((a, b) => {
    const ra = where(a), rb = where(b);
    if (!ra || !rb) return (ra ? 0 : 1) - (rb ? 0 : 1) || a.index - b.index;
    return ra.path < rb.path ? -1 : ra.path > rb.path ? 1 : ra.offset - rb.offset || a.index - b.index;
  });
  const batches = batchesOf(small, (s) => s.tensor.byteLength);
  // Reads the bytes of the tensors that have no file ranges; one that cannot be read is skipped
  // with its own error and leaves the batch, so the rest of the pass goes on.
  const withBytes = async (batch: Small[]): Promise<Small[]> => {
    const readable: Small[] = [];
    for (const s of batch) {
      try {
        if (!s.item.ranges) s.item.bytes = await s.tensor.data.read();
        readable.push(s);
      } catch (e) {
        fail(s.tensor, e);
      }
    }
    return readable;
  };

  if (workerPath && workerCount > 0 && todo.length) {
    const split = new Map<Tensor, [number, number][]>();
    for (const { tensor } of large) {
      const spans = tensor.data.fileRanges() ? splitSpans(tensorMeta(tensor, model.path, graphQuant.get(tensor)), workerCount, options.splitBytes) : null;
      if (spans) split.set(tensor, spans);
    }
    const jobs = large.length + batches.length + [...split.values()].reduce((a, s) => a + s.length - 1, 0);
    const pool = new StatsWorkerPool(workerPath, Math.min(workerCount, jobs));
    const onAbort = () => void pool.close(cancelled(model));
    signal?.addEventListener('abort', onAbort);
    try {
      const runBatch = async (batch: Small[]) => {
        try {
          batch = await withBytes(batch);
          if (!batch.length) return;
          const wire: WireBatch = await pool.runBatch(batch.map((s) => s.item), workerOpts);
          if (wire.keys) mergeKeys(wire.keys);
          batch.forEach((s, i) => {
            const it = wire.items[i];
            if ('error' in it) fail(s.tensor, errorFromReply(it.error as WorkerError));
            else accept(s.index, s.tensor, { stats: unpackStats(it.stats, wire.numbers), m2: it.m2, float: it.float });
          });
        } catch (e) {
          if (signal?.aborted) throw cancelled(model);
          for (const s of batch) fail(s.tensor, e);
        }
      };
      await Promise.all([...large.map(async ({ index, tensor }) => {
        const meta = tensorMeta(tensor, model.path, graphQuant.get(tensor));
        const ranges = tensor.data.fileRanges();
        // A huge tensor on the code path is shared by the workers (its parts are queued at once, first, as it is among the largest).
        const spans = split.get(tensor);
        try {
          if (spans) {
            const parts = await Promise.all(spans.map(([from, to]) => pool.runPart({ meta, ranges: ranges!, from, to }, workerOpts)));
            accept(index, tensor, mergeCodeParts(meta, parts.map((p) => p.state), parts[0].kernel, workerOpts));
            return;
          }
          const bytes = ranges ? null : await tensor.data.read();
          const r = await pool.run(meta, { ranges, bytes }, workerOpts, onPart(index));
          accept(index, tensor, r);
        } catch (e) {
          if (signal?.aborted) throw cancelled(model);
          fail(tensor, e);
        }
      }), ...batches.map(runBatch)]);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await pool.close();
    }
  } else {
    for (const batch of batches) {
      if (signal?.aborted) throw cancelled(model);
      const readable = await withBytes(batch);
      statsOfBatch(readable.map((s) => s.item), workerOpts, (r, i) => {
        if (r instanceof Error) fail(readable[i].tensor, r);
        else accept(readable[i].index, readable[i].tensor, r);
      });
      await new Promise((r) => setImmediate(r)); // let an abort or progress through
    }
    // Two tensors in flight: one's bytes are read (off this thread) while the other's are counted.
    const queue = large.slice();
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { index, tensor } = next;
        if (signal?.aborted) throw cancelled(model);
        const meta = tensorMeta(tensor, model.path, graphQuant.get(tensor));
        try {
          accept(index, tensor, await statsOfData(meta, tensor.data, { ...workerOpts, signal, onProgress: onPart(index) }));
        } catch (e) {
          if (signal?.aborted) throw cancelled(model);
          fail(tensor, e);
        }
      }
    };
    await Promise.all([lane(), lane()]);
  }
  if (signal?.aborted) throw cancelled(model);

  const ordered = [...results.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  const tensors = ordered.map((r) => r.stats);
  const stats: ModelStats = {
    version: MODEL_STATS_VERSION,
    path: model.path,
    tensors,
    model: modelValueStats(ordered.filter((r) => r.float), merge, bins),
    ...summarizeWeights(model, weights),
    flags: tensors.flatMap((s) => flagsFor(s, { outlierSigma, spreadRatio })),
    skipped,
    options: { bins, outlierSigma, spreadRatio },
    elapsedMs: Date.now() - started,
  };
  if (options.cacheDir && cacheKey) await writeStatsCache(options.cacheDir, cacheKey, stats);
  return stats;
}
