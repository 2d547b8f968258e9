// The compare engine: two models in, a DiffReport out (structure, weights and, with a run, the
// numbers). The CLI's `model-lens diff` and the compare view both call this.
import { openModel } from '../formats/index.js';
import type { Model } from '../ir/graph.js';
import { alignModels } from './align.js';
import { buildReport } from './report.js';
import { compareWeights, pairWeights } from './weights.js';
import { compareRuns, type RunCompareOptions } from './activations.js';
import type { DiffReport } from './types.js';
import { quantizationOf, tensorNumbers } from './tensor-values.js';
import { histogram } from './tensor-metrics.js';
import { collectWeights } from '../ir/walk.js';

export type * from './types.js';
export { alignModels } from './align.js';
export { compareArrays, type ArrayMetrics } from './tensor-metrics.js';
export { reportLines, shortNumber } from './summary-words.js';
export { compareRuns, type RunCompareOptions } from './activations.js';
export { nodeStatuses } from './node-status.js';

export interface CompareOptions {
  /** Also run both models on the same inputs and compare their values (ONNX Runtime for ONNX, TF.js's CPU backend for TF.js). */
  run?: RunCompareOptions;
  signal?: AbortSignal;
}

/** Below this share of matched nodes between formats, the comparison is structure only. */
const CROSS_FORMAT_SHARE = 0.5;

/** Compares B (the candidate) against A (the reference): alignment, weights and, with `run`, activations. */
export async function compareModels(a: Model, b: Model, options: CompareOptions = {}): Promise<DiffReport> {
  const al = alignModels(a, b);
  const family = (m: Model) => (m.format === 'onnx' ? 'onnx' : 'tfjs');
  let structureOnly: string | undefined;
  if (family(a) !== family(b)) {
    // Placeholder and Const nodes are how TF.js writes inputs and weights; they are not counted.
    const computing = (m: Model) => m.graph.nodes.filter((n) => !['Placeholder', 'Const', 'Constant'].includes(n.opType)).length;
    const most = Math.max(1, computing(a), computing(b));
    if (al.aToB.size / most < CROSS_FORMAT_SHARE) structureOnly = `${a.format} and ${b.format} name and connect their nodes differently (${al.aToB.size} of ${most} nodes matched): weights and values are not compared`;
  }
  const weights = structureOnly ? [] : await compareWeights(pairWeights(al, a, b), a, b, options.signal);
  const report = buildReport({ a, b, al, weights, structureOnly });
  if (options.run && !structureOnly) await compareRuns(report, al, options.run);
  return report;
}

/** Opens both files and compares them; a side that does not open is reported in `a.error` / `b.error`. */
export async function compareFiles(pathA: string, pathB: string, options: CompareOptions = {}): Promise<DiffReport> {
  const open = async (p: string) => { try { return { model: await openModel(p) }; } catch (e) { return { error: (e as Error).message.split('\n')[0] }; } };
  const [ra, rb] = await Promise.all([open(pathA), open(pathB)]);
  let failure: string | undefined;
  if (ra.model && rb.model) {
    try {
      return await compareModels(ra.model, rb.model, options);
    } catch (e) {
      failure = `comparison failed: ${(e as Error).message.split('\n')[0]}`; // a bug, but the report still says what opened
    } finally {
      await ra.model.close(); await rb.model.close();
    }
  }
  await ra.model?.close();
  await rb.model?.close();
  const side = (p: string, r: typeof ra) => ({ path: p, format: r.model?.format ?? 'unknown', nodes: r.model?.graph.nodes.length ?? 0, ...(r.error ? { error: r.error } : {}) });
  return {
    a: side(pathA, ra), b: side(pathB, rb), matched: 0, added: [], removed: [], matches: [], changedAttributes: [], changedWeights: [],
    weightSummary: { compared: 0, changed: 0, dtypeChanges: {}, maxRel: 0, beyondRounding: [], words: failure ? 'not compared' : 'not compared: a model did not open' },
    message: failure ?? `not compared: ${[ra.error && `A does not open (${ra.error})`, rb.error && `B does not open (${rb.error})`].filter(Boolean).join('; ')}`,
  };
}

/** Histograms of a matched weight's values on both sides over one shared range (B dequantized like the comparison). */
export async function weightHistograms(a: Model, b: Model, name: string, bins = 64, nameB = name): Promise<{ min: number; max: number; a: number[]; b: number[] } | null> {
  const ta = collectWeights(a).find((t) => t.name === name), tb = collectWeights(b).find((t) => t.name === nameB);
  if (!ta || !tb) return null;
  const va = await tensorNumbers(ta, (await quantizationOf(a))(ta)), vb = await tensorNumbers(tb, (await quantizationOf(b))(tb));
  if (!va || !vb) return null;
  let min = Infinity, max = -Infinity;
  for (const v of [va, vb]) for (let i = 0; i < v.length; i++) { const x = v[i]; if (!Number.isFinite(x)) continue; if (x < min) min = x; if (x > max) max = x; }
  if (min > max) { min = 0; max = 0; }
  return { min, max, a: histogram(va, min, max, bins), b: histogram(vb, min, max, bins) };
}
