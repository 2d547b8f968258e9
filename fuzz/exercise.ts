// One input through everything the editor does with a model: detect + read (openModel), the
// limits and structural checks, the IR walks (weights, summary, graph payload), every tensor's
// bytes (bounded) and the statistics engine. Shared by the fuzz worker and the bad-corpus tests,
// so the corpus pins exactly what the fuzzer exercises.
import * as path from 'node:path';
import { computeModelStats } from '../src/core/stats/stats-model.js';
import { computeTensorStats, statsUnsupportedReason } from '../src/core/stats/stats-tensor.js';
import { openModel } from '../src/core/formats/index.js';
import { buildGraphPayload } from '../src/core/graph-payload.js';
import { ModelError } from '../src/core/ir/errors.js';
import type { Model } from '../src/core/ir/graph.js';
import { collectWeights, countNodes } from '../src/core/ir/walk.js';
import { applyModelChecks } from '../src/core/limits.js';
import { summarizeModel } from '../src/core/model-summary.js';

/** How much of a model the exercise touches; the defaults keep one input well under a second. */
export interface ExerciseBounds {
  /** Tensors read per model. */
  maxTensors: number;
  /** Bytes read per tensor (a longer tensor is read in part: its first bytes and its last). */
  maxTensorBytes: number;
  /** Tensors whose statistics are computed one by one (each at most maxTensorBytes long). */
  maxStatsTensors: number;
  /** Whole-model statistics run when all weights together are at most this long. */
  maxModelStatsBytes: number;
}

export const DEFAULT_BOUNDS: ExerciseBounds = { maxTensors: 64, maxTensorBytes: 1 << 20, maxStatsTensors: 16, maxModelStatsBytes: 8 << 20 };

/** A failure that is not a ModelError: a bug, whatever the input. */
export interface Escape {
  stage: string;
  name: string;
  message: string;
  stack?: string;
}

/** What happened to one input. Messages have the corpus folder replaced by `<dir>`. */
export type Outcome =
  | { outcome: 'error'; code: string; message: string; escapes: Escape[] }
  | {
    outcome: 'open';
    format: string;
    nodes: number;
    weights: number;
    warnings: string[];
    /** Typed errors met while reading tensors or computing their statistics, by stage and tensor. */
    tensorErrors: string[];
    escapes: Escape[];
  };

function escapeOf(stage: string, e: unknown): Escape {
  const err = e instanceof Error ? e : new Error(String(e));
  return { stage, name: err.name, message: err.message, stack: err.stack };
}

/** Replaces every occurrence of `dir` in a message by `<dir>` and makes separators `/`. */
export function normalizeMessage(message: string, dir: string): string {
  const variants = [dir, dir.split(path.sep).join('/')];
  let out = message;
  for (const v of variants) out = out.split(v).join('<dir>');
  return out.replace(/<dir>[^\s'"]*/g, (m) => m.split('\\').join('/'));
}

/**
 * Opens `file` and walks everything the editor would. Never throws: ModelErrors become the outcome,
 * anything else is recorded in `escapes` (the fuzzer's crash property).
 */
export async function exerciseModel(file: string, dir: string, bounds: ExerciseBounds = DEFAULT_BOUNDS, signal?: AbortSignal): Promise<Outcome> {
  const escapes: Escape[] = [];
  let model: Model;
  try {
    model = await openModel(file, { signal });
    applyModelChecks(model);
  } catch (e) {
    if (e instanceof ModelError) return { outcome: 'error', code: e.code, message: normalizeMessage(e.message, dir), escapes };
    escapes.push(escapeOf('open', e));
    return { outcome: 'error', code: 'escape', message: normalizeMessage(String((e as Error)?.message ?? e), dir), escapes };
  }
  const tensorErrors: string[] = [];
  const guard = async <T>(stage: string, f: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof ModelError) tensorErrors.push(`${stage}: ${e.code}: ${normalizeMessage(e.message, dir)}`);
      else escapes.push(escapeOf(stage, e));
      return undefined;
    }
  };
  const weights = (await guard('collectWeights', () => collectWeights(model))) ?? [];
  await guard('summarizeModel', () => JSON.stringify(summarizeModel(model)));
  await guard('buildGraphPayload', () => JSON.stringify(buildGraphPayload(model)));
  const nodes = (await guard('countNodes', () => countNodes(model).total)) ?? 0;
  let statsRun = 0;
  let total = 0;
  for (const t of weights.slice(0, bounds.maxTensors)) {
    total += t.byteLength;
    const n = t.byteLength;
    if (t.dtype === 'string' && t.data.strings) {
      if (n <= bounds.maxTensorBytes && t.elementCount <= 65536) await guard(`strings '${t.name}'`, () => t.data.strings!());
      continue;
    }
    if (n <= bounds.maxTensorBytes) {
      const bytes = await guard(`read '${t.name}'`, () => t.data.read());
      if (bytes && bytes.length !== t.data.byteLength) escapes.push({ stage: `read '${t.name}'`, name: 'LengthMismatch', message: `read ${bytes.length} bytes of ${t.data.byteLength}` });
      if (bytes && statsRun < bounds.maxStatsTensors && !statsUnsupportedReason(t.dtype)) {
        statsRun++;
        await guard(`stats '${t.name}'`, () => computeTensorStats(t, { file: model.path, kernel: 'js', signal }));
      }
    } else {
      const half = bounds.maxTensorBytes >> 1;
      await guard(`read head '${t.name}'`, () => t.data.read(0, half));
      await guard(`read tail '${t.name}'`, () => t.data.read(Math.max(0, n - half), half));
    }
  }
  if (weights.length <= bounds.maxTensors && total <= bounds.maxModelStatsBytes) {
    const stats = await guard('computeModelStats', () => computeModelStats(model, { workers: 0, workerPath: '', kernel: 'js', signal }));
    for (const s of stats?.skipped ?? []) if (!statsUnsupportedReason(s.dtype as never)) tensorErrors.push(`computeModelStats skipped '${s.name}': ${normalizeMessage(s.reason, dir)}`);
  }
  await guard('close', () => model.close());
  return {
    outcome: 'open', format: model.format, nodes, weights: weights.length,
    warnings: (model.warnings ?? []).map((w) => normalizeMessage(w, dir)), tensorErrors, escapes,
  };
}
