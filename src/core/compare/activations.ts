// The numbers of a comparison: both models run once each on the same inputs, every matched
// intermediate value returned as an extra output of that one run (the runtime's capture path),
// compared pairwise; the first value in A's topological order that differs beyond float rounding
// names the first divergence; the outputs get top-k agreement when they look like class scores.
import type { Model, Node, Value } from '../ir/graph.js';
import type { DataType } from '../ir/dtype.js';
import type { ProviderChoice, RuntimeValueInfo } from '../runtime/backend.js';
import { buildGeneratedInputs, type DimOverrides, type FillKind } from '../runtime/inputs.js';
import { RuntimeHost } from '../runtime/runtime-host.js';
import { runTfjsInNode, tfjsInputInfos } from '../runtime/tfjs-node.js';
import { castTensorData, isRuntimeDtype, toNumberArray, type RuntimeTensor } from '../runtime/tensor-value.js';
import type { Alignment } from './alignment.js';
import { compareArrays, identical, sameShape, unitRoundoff, type ArrayMetrics } from './tensor-metrics.js';
import type { ActivationDifference, DiffReport, OutputComparison } from './types.js';

export interface RunCompareOptions {
  /** Inputs of A by name; the rest are generated. */
  inputs?: RuntimeTensor[];
  /** Builds A's inputs from what A takes (the CLI's --input files and fills); wins over `inputs`. */
  buildInputs?: (infos: RuntimeValueInfo[]) => Promise<RuntimeTensor[]>;
  fill?: FillKind;
  seed?: number;
  dims?: DimOverrides;
  provider?: ProviderChoice;
  /** Kills a run after this long, ms. */
  timeoutMs?: number;
}

/** Relative error (to the value's largest magnitude) below which a float value counts as equal up to rounding. */
const ROUNDING_FLOOR = 1e-5;
const ROUNDING_ULPS = 16;

/** Runs both sides and adds `activations`, `firstDivergence` and `outputs` to the report (or `runError`). */
export async function compareRuns(report: DiffReport, al: Alignment, options: RunCompareOptions): Promise<void> {
  const pairs = capturedPairs(al);
  const runtime: { host: RuntimeHost | null } = { host: null };
  let side: 'a' | 'b' = 'a';
  // ONNX runs in the runtime process (onnxruntime-node); TF.js in this process on TF.js's CPU backend.
  const runSide = async (model: Model, inputs: (infos: RuntimeValueInfo[]) => Promise<RuntimeTensor[]>, names: string[]): Promise<SideRun> => {
    if (model.format !== 'onnx') {
      const fed = await inputs(tfjsInputInfos(model));
      // Layers models can capture top-level layers now, but compare keeps to outputs there (nested layers have no tap).
      const r = await runTfjsInNode(model, fed, model.format === 'tfjs-layers' ? [] : names);
      return { inputs: fed, outputs: r.outputs, captured: new Map(r.captured.map((t) => [t.name, t])) };
    }
    const host = (runtime.host ??= await RuntimeHost.start());
    const loaded = await host.load(model.path, { provider: options.provider ?? 'cpu' });
    const fed = await inputs(loaded.inputs);
    return { inputs: fed, ...(await runCapturing(host, fed, names, options.timeoutMs)) };
  };
  try {
    const runA = await runSide(al.a.model, async (infos) => (options.buildInputs ? options.buildInputs(infos) : buildInputs(infos, options, al.a.model.path)), pairs.map((p) => p.a.name));
    side = 'b';
    const runB = await runSide(al.b.model, async (infos) => feedB(runA.inputs, infos), pairs.map((p) => p.b.name));
    fillReport(report, al, pairs, runA, runB);
  } catch (e) {
    report.runError = { side, message: (e as Error).message.split('\n')[0] };
  } finally {
    await runtime.host?.dispose();
  }
}

interface SideRun { inputs: RuntimeTensor[]; outputs: RuntimeTensor[]; captured: Map<string, RuntimeTensor> }

interface CapturePair { a: Value; b: Value; node: Node }

/** A's node outputs with a B partner, in A's topological order (graph outputs come back anyway). */
function capturedPairs(al: Alignment): CapturePair[] {
  const out: CapturePair[] = [];
  const graphOutputs = new Set(al.a.model.graph.outputs);
  for (const n of al.a.order) {
    // Constants and TF.js's Placeholder / Const nodes hold no computed value.
    if (!al.takenA(n) || ['Constant', 'Const', 'Placeholder'].includes(n.opType)) continue;
    for (const v of n.outputs) {
      const w = al.values.get(v);
      if (!w?.producer || graphOutputs.has(v) || ['Constant', 'Const', 'Placeholder'].includes(w.producer.opType)) continue;
      if (v.type?.dtype && !isRuntimeDtype(v.type.dtype)) continue;
      out.push({ a: v, b: w, node: n });
    }
  }
  return out;
}

function buildInputs(infos: RuntimeValueInfo[], o: RunCompareOptions, file: string): RuntimeTensor[] {
  const given = new Map((o.inputs ?? []).map((t) => [t.name, t]));
  const generated = buildGeneratedInputs(infos.filter((i) => !given.has(i.name)), { kind: o.fill ?? 'random', seed: o.seed ?? 0 }, o.dims ?? {}, file);
  return infos.map((i) => given.get(i.name) ?? generated.find((t) => t.name === i.name)!).filter(Boolean);
}

/** A's inputs fed to B: by name, else by position; cast when B takes another dtype (float32 → float16). */
function feedB(inputsA: RuntimeTensor[], infos: RuntimeValueInfo[]): RuntimeTensor[] {
  const byName = new Map(inputsA.map((t) => [t.name, t]));
  return infos.map((info, i) => {
    const t = byName.get(info.name) ?? inputsA[i];
    if (!t) throw new Error(`B's input '${info.name}' has no counterpart among A's inputs`);
    const dtype = info.dtype ?? t.dtype;
    return { name: info.name, dtype, shape: t.shape, data: castTensorData(t.dtype, t.data, dtype as DataType) };
  });
}

async function runCapturing(host: RuntimeHost, inputs: RuntimeTensor[], names: string[], timeoutMs?: number) {
  const r = await host.run(inputs, { captureValues: names.length ? names : undefined, timeoutMs });
  return { outputs: r.outputs, captured: new Map(r.captured.map((t) => [t.name, t])) };
}

function metricsOf(ta: RuntimeTensor, tb: RuntimeTensor): ArrayMetrics | null {
  if (ta.dtype === 'string' || tb.dtype === 'string' || !sameShape(ta.shape, tb.shape)) return null;
  return compareArrays(toNumberArray(ta), toNumberArray(tb));
}

/** True when the difference is more than the rounding of the narrower float dtype explains. */
export function beyondRounding(m: ArrayMetrics, dtypeA: string, dtypeB: string): boolean {
  if (identical(m)) return false;
  if (m.mismatched) return true;
  const u = Math.max(unitRoundoff(dtypeA), unitRoundoff(dtypeB));
  if (u === 0) return true;
  return m.maxRel > Math.max(ROUNDING_ULPS * u, ROUNDING_FLOOR);
}

function fillReport(report: DiffReport, al: Alignment, pairs: CapturePair[], runA: SideRun, runB: SideRun): void {
  const activations: ActivationDifference[] = [];
  let first: DiffReport['firstDivergence'] = null;
  const nameOf = (n: Node) => al.a.names.get(n)!;
  let compared = 0;
  const consider = (value: string, node: Node, ta: RuntimeTensor, tb: RuntimeTensor) => {
    const m = metricsOf(ta, tb);
    if (!m) return;
    if (!identical(m)) activations.push({ value, node: nameOf(node), maxAbs: m.maxAbs, cosine: m.cosine, sqnrDb: m.sqnrDb });
    if (!first && beyondRounding(m, ta.dtype, tb.dtype)) first = { node: nameOf(node), value, sqnrDb: m.sqnrDb };
  };
  const outputsB = new Map(runB.outputs.map((t) => [t.name, t]));
  const outputs: OutputComparison[] = [];
  // Values in A's topological order, each graph output at its producer's place.
  const outputAt = new Map<Value, RuntimeTensor>();
  for (const t of runA.outputs) { const v = al.a.model.graph.outputs.find((o) => o.name === t.name); if (v) outputAt.set(v, t); }
  const byValue = new Map(pairs.map((p) => [p.a, p]));
  for (const n of al.a.order) {
    for (const v of n.outputs) {
      const p = byValue.get(v);
      if (p) {
        const ta = runA.captured.get(p.a.name), tb = runB.captured.get(p.b.name);
        if (ta && tb) { consider(v.name, n, ta, tb); compared++; }
        continue;
      }
      const ta = outputAt.get(v), w = al.values.get(v);
      const tb = w ? outputsB.get(w.name) : undefined;
      if (!ta || !tb) continue;
      if (al.takenA(n)) consider(v.name, n, ta, tb);
      outputs.push(compareOutput(ta, tb));
    }
  }
  report.activations = activations;
  report.activationsCompared = compared;
  report.firstDivergence = first;
  report.outputs = outputs;
}

/** max abs, cosine, and for [rows, classes] scores the share of rows with the same top-1 (and top-5) classes. */
export function compareOutput(ta: RuntimeTensor, tb: RuntimeTensor): OutputComparison {
  const m = metricsOf(ta, tb);
  const out: OutputComparison = { name: ta.name, maxAbs: m ? m.maxAbs : NaN, cosine: m ? m.cosine : NaN };
  const classes = ta.shape[ta.shape.length - 1] ?? 0;
  // Class scores are [N, classes] or [N, positions, vocabulary]; a KV cache's last axis is not a class.
  if (!m || ta.shape.length < 2 || ta.shape.length > 3 || classes < 2 || !/^float|^bfloat/.test(ta.dtype)) return out;
  const x = toNumberArray(ta), y = toNumberArray(tb);
  const rows = x.length / classes;
  let top1 = 0, top5 = 0;
  for (let r = 0; r < rows; r++) {
    const ka = topK(x, r * classes, classes, 5), kb = topK(y, r * classes, classes, 5);
    if (ka[0] === kb[0]) top1++;
    if (classes >= 5 && ka.every((k) => kb.includes(k))) top5++;
  }
  out.top1Agreement = rows ? top1 / rows : 1;
  if (classes >= 5) out.top5Agreement = rows ? top5 / rows : 1;
  return out;
}

function topK(v: Float64Array, start: number, n: number, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < n; i++) {
    if (best.length < k) best.push(i);
    else if (v[start + i] > v[start + best[k - 1]]) best[k - 1] = i;
    else continue;
    for (let j = best.length - 1; j > 0 && v[start + best[j - 1]] < v[start + best[j]]; j--) [best[j - 1], best[j]] = [best[j], best[j - 1]];
  }
  return best;
}
