// TF.js models run in plain Node on TF.js's CPU backend (the webview's runner uses WebGL), for the
// compare engine: one run that returns the outputs and, for graph models, any intermediate node
// outputs by name. Loaded on first use so nothing else pays for TF.js.
import type { DataType } from '../ir/dtype.js';
import type { Model } from '../ir/graph.js';
import type { RuntimeValueInfo } from './backend.js';
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

/** Runs `model` once on `inputs` (by graph input name); `capture` names graph-model node outputs to return too. */
export async function runTfjsInNode(model: Model, inputs: RuntimeTensor[], capture: string[] = []): Promise<{ outputs: RuntimeTensor[]; captured: RuntimeTensor[] }> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  tf.env().set('PROD', true); // no "install tfjs-node" advice on stderr
  await tf.setBackend('cpu');
  await tf.ready();
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
  const read = async (name: string, t: import('@tensorflow/tfjs-core').Tensor): Promise<RuntimeTensor> => ({ name, dtype: t.dtype as DataType, shape: t.shape.slice(), data: (await t.data()) as RuntimeTensor['data'] });
  const feeds = inputs.map(toTf);
  const outputNames = model.graph.outputs.map((v) => v.name);
  let results: import('@tensorflow/tfjs-core').Tensor[] = [];
  try {
    if (a.kind === 'layers') {
      const { loadLayersModel } = await import('@tensorflow/tfjs-layers');
      const m = await loadLayersModel(handler);
      const r = m.predict(feeds.length === 1 ? feeds[0] : feeds);
      results = Array.isArray(r) ? r : [r];
      return { outputs: await Promise.all(results.map((t, i) => read(outputNames[i] ?? `output_${i}`, t))), captured: [] };
    }
    const { loadGraphModel } = await import('@tensorflow/tfjs-converter');
    const m = await loadGraphModel(handler);
    const names = [...outputNames, ...capture];
    const feedMap = Object.fromEntries(inputs.map((t, i) => [t.name, feeds[i]]));
    let r: import('@tensorflow/tfjs-core').Tensor | import('@tensorflow/tfjs-core').Tensor[];
    // execute() where it can (executeAsync on a plain graph warns on stderr); control flow needs executeAsync.
    try { r = m.execute(feedMap, names); } catch { r = await m.executeAsync(feedMap, names); }
    results = Array.isArray(r) ? r : [r];
    const all = await Promise.all(results.map((t, i) => read(names[i], t)));
    return { outputs: all.slice(0, outputNames.length), captured: all.slice(outputNames.length) };
  } finally {
    for (const t of [...feeds, ...results]) t.dispose();
  }
}
