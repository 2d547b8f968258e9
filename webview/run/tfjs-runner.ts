// The TF.js runner, a worker started on demand by the Run tab (so the page does not carry TF.js):
// loads a graph or layers model from the bytes the host read (a custom IOHandler, no URLs), runs
// it on WebGPU where the worker has an adapter, else WebGL (OffscreenCanvas), else the CPU backend, and answers with the same
// result shape as onnxruntime runs: outputs with stats, the backend that ran, why, and latency.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import type { IoInfo } from '../../src/core/model-view-types.js';
import { fillTensor } from '../../src/core/runtime/inputs.js';
import { latencyStats } from '../../src/core/runtime/timing.js';
import { evalDim } from '../../src/core/shapes/dims.js';
import type { DataType } from '../../src/core/ir/dtype.js';
import type { RuntimeTensor } from '../../src/core/runtime/tensor-value.js';
import type { TfjsArtifacts } from '../../src/core/runtime/tfjs-artifacts.js';
import type { InferResult, InputSpec } from '../../src/features/run/protocol.js';
import { outputPayload } from '../../src/core/runtime/tensor-summary.js';

export interface TfjsRunRequest {
  id: number;
  /** Sent with the first request only; the worker keeps the model. */
  artifacts?: TfjsArtifacts;
  /** 'auto': WebGPU, then WebGL, then the CPU; 'gpu': the first GPU backend that works (for a comparison). */
  backend: 'auto' | 'gpu' | 'webgpu' | 'webgl' | 'cpu';
  ios: IoInfo[];
  inputs: InputSpec[];
  dims: Record<string, number>;
  runs: number;
  warmup: number;
}

export type TfjsRunReply = { id: number; ok: true; result: InferResult; outputs: RuntimeTensor[] } | { id: number; ok: false; message: string };

type Loaded = { kind: 'graph'; model: GraphModel } | { kind: 'layers'; model: LayersModel };

let artifacts: TfjsArtifacts | null = null;
const models = new Map<string, Promise<Loaded>>();

type GpuBackend = 'webgpu' | 'webgl';

// Why a GPU backend cannot run here, or null when it is worth setting.
async function gpuUnavailable(b: GpuBackend): Promise<string | null> {
  if (b === 'webgl') return typeof OffscreenCanvas === 'undefined' ? 'no OffscreenCanvas in this worker' : null;
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return 'no WebGPU (navigator.gpu) in this webview';
  try {
    return (await gpu.requestAdapter()) ? null : 'no WebGPU adapter (no GPU, or WebGPU is off in this browser)';
  } catch (e) {
    return `no WebGPU adapter: ${(e as Error).message}`;
  }
}

async function useBackend(pref: TfjsRunRequest['backend']): Promise<{ backend: string; fallbackReason: string | null }> {
  const order: GpuBackend[] = pref === 'auto' || pref === 'gpu' ? ['webgpu', 'webgl'] : pref === 'cpu' ? [] : [pref];
  const passed: string[] = [];
  for (const b of order) {
    const why = await gpuUnavailable(b);
    if (!why) {
      try {
        if (await tf.setBackend(b)) { await tf.ready(); return { backend: b, fallbackReason: passed.length ? passed.join('; ') : null }; }
      } catch { /* reported below */ }
    }
    passed.push(`${b}: ${why ?? (b === 'webgl' ? 'no WebGL context could be created (no GPU or GPU blocked)' : 'the WebGPU backend did not start')}`);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { backend: 'cpu', fallbackReason: passed.length ? passed.join('; ') : null };
}

function load(backend: string): Promise<Loaded> {
  let p = models.get(backend);
  if (!p) {
    const a = artifacts!;
    const handler: tf.io.IOHandler = {
      load: async () => ({
        modelTopology: a.modelTopology as tf.io.ModelArtifacts['modelTopology'], weightSpecs: a.weightSpecs as tf.io.WeightsManifestEntry[],
        weightData: a.weightData, format: a.format, signature: a.signature as tf.io.ModelArtifacts['signature'], userDefinedMetadata: a.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'],
      }),
    };
    p = a.kind === 'layers'
      ? loadLayersModel(handler).then((model) => ({ kind: 'layers' as const, model }))
      : loadGraphModel(handler).then((model) => ({ kind: 'graph' as const, model }));
    p.catch(() => models.delete(backend));
    models.set(backend, p);
  }
  return p;
}

function inputInfos(m: Loaded): { name: string; shape: (number | null)[]; dtype: string }[] {
  if (m.kind === 'graph') return m.model.inputs.map((i) => ({ name: i.name, shape: i.shape ?? [], dtype: i.dtype }));
  return m.model.inputs.map((i) => ({ name: i.name, shape: i.shape, dtype: i.dtype }));
}

function outputNames(m: Loaded): string[] {
  return m.kind === 'graph' ? m.model.outputs.map((o) => o.name) : m.model.outputNames;
}

function buildFeeds(m: Loaded, req: TfjsRunRequest): tf.Tensor[] {
  return inputInfos(m).map((info, i) => {
    const io = req.ios[i];
    const spec = req.inputs.find((s) => s.name === io?.name) ?? { name: info.name, source: 'fill', kind: 'random', seed: 0 };
    if (spec.source !== 'fill') throw new Error('TF.js inputs are generated in the panel; files are not supported for TF.js models');
    const shape = info.shape.map((d, axis) => {
      if (typeof d === 'number' && d >= 0) return d;
      const sym = io?.shape?.[axis];
      if (typeof sym === 'number' && sym >= 0) return sym;
      // Named dims (or expressions over names) read as the shape engine reads them; unnamed ones by position.
      if (typeof sym === 'string' && sym) return evalDim(sym, req.dims, () => 1) ?? 1;
      return req.dims[`${io?.name ?? info.name}:${axis}`] ?? 1;
    });
    const dtype = (info.dtype === 'int32' || info.dtype === 'bool' ? info.dtype : 'float32') as DataType;
    // The form sends 'default' resolved where run.defaults said; left as is, it is seeded noise.
    const t = fillTensor(info.name, dtype, shape, { ...spec, kind: spec.kind === 'default' ? 'random' : spec.kind, seed: (spec.seed ?? 0) + i * 7919 });
    return tf.tensor(t.data as Float32Array | Int32Array | Uint8Array, shape, dtype as 'float32' | 'int32' | 'bool');
  });
}

async function execute(m: Loaded, feeds: tf.Tensor[]): Promise<tf.Tensor[]> {
  if (m.kind === 'graph') {
    const names = m.model.inputs.map((i) => i.name);
    const r = await m.model.executeAsync(Object.fromEntries(names.map((n, i) => [n, feeds[i]])));
    return Array.isArray(r) ? r : [r];
  }
  const r = m.model.predict(feeds.length === 1 ? feeds[0] : feeds);
  return Array.isArray(r) ? r : [r];
}

async function run(req: TfjsRunRequest): Promise<{ result: InferResult; outputs: RuntimeTensor[] }> {
  if (req.artifacts) { artifacts = req.artifacts; models.clear(); }
  if (!artifacts) throw new Error('the model was not sent to the TF.js runner');
  const { backend, fallbackReason } = await useBackend(req.backend);
  const t0 = performance.now();
  const m = await load(backend);
  const loadMs = performance.now() - t0;
  const feeds = buildFeeds(m, req);
  const samples: number[] = [];
  let last: tf.Tensor[] = [];
  try {
    for (let i = 0; i < req.warmup + req.runs; i++) {
      for (const t of last) t.dispose();
      const s = performance.now();
      last = await execute(m, feeds);
      await Promise.all(last.map((t) => t.data())); // waits for the GPU
      if (i >= req.warmup) samples.push(performance.now() - s);
    }
    const names = outputNames(m);
    const outputs: RuntimeTensor[] = await Promise.all(last.map(async (t, i) => ({
      name: names[i] ?? `output_${i}`, dtype: t.dtype as DataType, shape: t.shape, data: (await t.data()) as RuntimeTensor['data'],
    })));
    const l = latencyStats(samples);
    return {
      outputs,
      result: { provider: backend, requested: 'auto', fallbackReason, loadMs, latency: { min: l.min, p50: l.p50, p90: l.p90, mean: l.mean, max: l.max, runs: l.runs }, outputs: outputs.map(outputPayload) },
    };
  } finally {
    for (const t of [...feeds, ...last]) t.dispose();
  }
}

self.onmessage = (e: MessageEvent<TfjsRunRequest>) => {
  const req = e.data;
  run(req).then(
    ({ result, outputs }) => (self as unknown as Worker).postMessage({ id: req.id, ok: true, result, outputs } satisfies TfjsRunReply),
    (err: unknown) => (self as unknown as Worker).postMessage({ id: req.id, ok: false, message: (err as Error)?.message ?? String(err) } satisfies TfjsRunReply),
  );
};
