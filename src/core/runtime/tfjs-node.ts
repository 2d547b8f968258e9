// TF.js models run in plain Node on TF.js's CPU backend (the webview's runner uses WebGPU/WebGL), for the
// compare engine and `model-lens run`: runs that return the outputs, the load time and the latency
// and, for graph models, any intermediate node outputs by name. Loaded on first use so nothing else pays for TF.js.
import type { DataType } from '../ir/dtype.js';
import type { LatencyStats } from './backend.js';
import { latencyStats } from './timing.js';
import type { Model } from '../ir/graph.js';
import type { RuntimeValueInfo } from './backend.js';
import { ModelError } from '../ir/errors.js';
import { readTfjsArtifacts } from './tfjs-artifacts.js';
import type { RuntimeTensor } from './tensor-value.js';

/** What the model takes, read from the IR (TF.js has no session to ask). */
export function tfjsInputInfos(model: Model): RuntimeValueInfo[] {
  return model.graph.inputs.map((v) => ({
    name: v.name,
    dtype: tfjsDtype(v.type?.dtype),
    shape: v.type?.shape?.map((d) => (typeof d === 'number' && d < 0 ? null : d)) ?? null,
    isTensor: true,
  }));
}

/** TF.js computes in float32, int32, bool and string only. */
function tfjsDtype(d: DataType | undefined): DataType {
  if (d === 'int32' || d === 'bool' || d === 'string') return d;
  if (d && /int/.test(d)) return 'int32';
  return 'float32';
}

/** What runTfjsInNode measured and returned. */
export interface TfjsNodeRun {
  outputs: RuntimeTensor[];
  captured: RuntimeTensor[];
  /** Reading the files and building the model, ms. */
  loadMs: number;
  /** The timed runs (after `warmup` untimed ones). */
  latencyMs: LatencyStats;
}

/**
 * Runs `model` on `inputs` (by graph input name) `runs` times after `warmup` untimed runs (default
 * once, none); `capture` names graph-model nodes or top-level layers whose outputs come back too.
 */
export async function runTfjsInNode(model: Model, inputs: RuntimeTensor[], capture: string[] = [], opts: { runs?: number; warmup?: number } = {}): Promise<TfjsNodeRun> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  tf.env().set('PROD', true); // no "install tfjs-node" advice on stderr
  await tf.setBackend('cpu');
  await tf.ready();
  const t0 = performance.now();
  const a = await readTfjsArtifacts(model);
  type Artifacts = import('@tensorflow/tfjs-core').io.ModelArtifacts;
  const handler: import('@tensorflow/tfjs-core').io.IOHandler = {
    load: async () => ({
      modelTopology: a.modelTopology as Artifacts['modelTopology'], weightSpecs: a.weightSpecs as Artifacts['weightSpecs'], weightData: a.weightData,
      format: a.format, signature: a.signature as Artifacts['signature'], userDefinedMetadata: a.userDefinedMetadata as Artifacts['userDefinedMetadata'],
    }),
  };
  const toTf = (t: RuntimeTensor) => {
    const dtype = t.dtype === 'bool' || t.dtype === 'int32' || t.dtype === 'string' ? t.dtype : 'float32';
    const data = dtype === 'float32' && !(t.data instanceof Float32Array) ? Float32Array.from(t.data as ArrayLike<number>) : t.data;
    return tf.tensor(data as Float32Array, t.shape, dtype);
  };
  type Tensor = import('@tensorflow/tfjs-core').Tensor;
  const read = async (name: string, t: Tensor): Promise<RuntimeTensor> => ({ name, dtype: t.dtype as DataType, shape: t.shape.slice(), data: (await t.data()) as RuntimeTensor['data'] });
  const outputNames = model.graph.outputs.map((v) => v.name);
  let once: () => Promise<Tensor[]>;
  let names: string[];
  // Captures asked for twice, or naming an output, are fetched once.
  const unique = [...new Set(capture)].filter((c) => !outputNames.includes(c));
  const alias = new Map<string, string>(capture.filter((c) => outputNames.includes(c)).map((c) => [c, c]));
  const feeds = inputs.map(toTf);
  if (a.kind === 'layers') {
    const layers = await import('@tensorflow/tfjs-layers');
    const loaded = await layers.loadLayersModel(handler);
    // A layer's output is captured through a model over the same inputs that also returns it.
    const tap = (n: string) => {
      try { return loaded.getLayer(n).output; } catch { throw new ModelError('malformed', `the model has no top-level layer '${n}' to capture`, { file: model.path }); }
    };
    // Each symbolic tensor once (a model rejects repeated outputs); a captured output reads the output.
    const outs = [...loaded.outputs];
    names = [...outputNames];
    for (const n of unique) {
      const t = tap(n);
      const sym = Array.isArray(t) ? t[0] : t;
      const at = outs.indexOf(sym);
      if (at >= 0) { alias.set(n, names[at]); continue; }
      outs.push(sym);
      names.push(n);
    }
    const m = outs.length > loaded.outputs.length ? layers.model({ inputs: loaded.inputs, outputs: outs }) : loaded;
    once = async () => { const r = m.predict(feeds.length === 1 ? feeds[0] : feeds); return Array.isArray(r) ? r : [r]; };
  } else {
    const { loadGraphModel } = await import('@tensorflow/tfjs-converter');
    const m = await loadGraphModel(handler);
    names = [...outputNames, ...unique];
    const feedMap = Object.fromEntries(inputs.map((t, i) => [t.name, feeds[i]]));
    // execute() where it can (executeAsync on a plain graph warns on stderr); control flow needs executeAsync.
    let sync = true;
    once = async () => {
      let r: Tensor | Tensor[];
      if (sync) { try { r = m.execute(feedMap, names); } catch { sync = false; r = await m.executeAsync(feedMap, names); } } else r = await m.executeAsync(feedMap, names);
      return Array.isArray(r) ? r : [r];
    };
  }
  const loadMs = performance.now() - t0;
  const runs = Math.max(1, opts.runs ?? 1), warmup = Math.max(0, opts.warmup ?? 0);
  const samples: number[] = [];
  let results: Tensor[] = [];
  try {
    for (let i = 0; i < warmup + runs; i++) {
      for (const t of results) t.dispose();
      results = [];
      const s = performance.now();
      results = await once();
      await Promise.all(results.map((t) => t.data()));
      if (i >= warmup) samples.push(performance.now() - s);
    }
    const all = await Promise.all(results.map((t, i) => read(names[i] ?? `output_${i}`, t)));
    const byName = new Map(all.map((t) => [t.name, t]));
    const captured = capture.map((c) => ({ ...byName.get(alias.get(c) ?? c)!, name: c }));
    return { outputs: all.slice(0, outputNames.length), captured, loadMs, latencyMs: latencyStats(samples) };
  } finally {
    for (const t of [...feeds, ...results]) t.dispose();
  }
}
