// The Run panel's request handlers without VS Code: the extension (src/features/run/register.ts) and
// the ui test host register these same functions. Every params field is validated here; the
// webview never names a file (files come from the host's open dialog, referred to by token).
import { buildGraphPayload } from '../../core/graph-payload.js';
import type { Model } from '../../core/ir/graph.js';
import { RpcError, type RuntimeProvider } from '../../protocol.js';
import type { LoadResult, ProviderChoice, RunOptions } from '../../core/runtime/backend.js';
import { attributeProfile, profileGraph } from '../../core/runtime/profile.js';
import { compareOutputs } from '../../core/runtime/compare.js';
import { inputDefaults } from '../../core/runtime/input-defaults.js';
import { readInputFile } from '../../core/runtime/inputs-file.js';
import type { HostRunResult } from '../../core/runtime/runtime-host.js';
import { arrayFromBytes, type RuntimeTensor } from '../../core/runtime/tensor-value.js';
import { bytes, int, oneOf, optionalInt, record, str } from '../../protocol-validate.js';
import { buildRunInputs, parseDims, parseImage, parseInputs } from './inputs.js';
import {
  type ActivationsResult, type ActivationStat, type CompareResult, type InferResult, type RunDefaultsResult,
  type PickedFile, type ProfileResult, type ProvidersResult, RUN_PHASE_TOPIC, type RunPhaseEvent,
} from './protocol.js';
import type { RuntimeSessions } from '../../core/runtime/runtime-sessions.js';
import { histogramOf, outputPayload, summarize } from '../../core/runtime/tensor-summary.js';
import { tensorJson, tensorNpy } from '../../core/runtime/tensor-export.js';
import { readTfjsArtifacts } from '../../core/runtime/tfjs-artifacts.js';
import { measureRunShapes } from '../../core/runtime/measured-shapes.js';
import type { GraphPayload } from '../../core/model-view-types.js';

/** What a run handler gets besides its params (a subset of the editor's RequestContext). */
export interface RunRequestContext {
  model: Model;
  /** Identifies the document (its URI); one runtime process per key. */
  key: string;
  signal: AbortSignal;
  trusted: boolean;
  /** The modelLens.runtime.provider setting. */
  provider: RuntimeProvider;
  /** Fire-and-forget messages to the requesting view (the run's phase). */
  notify?(topic: string, data: unknown): void;
}

export type RunHandler = (params: unknown, ctx: RunRequestContext) => Promise<unknown>;

export interface RunHandlerDeps {
  sessions: RuntimeSessions;
  /** Shows an open dialog; resolves with the chosen path or null. */
  pickFile?(modelPath: string): Promise<string | null>;
  /** Asks where to save and writes; resolves with the path, or null when cancelled. */
  save?(fileName: string, data: string | Uint8Array, modelPath: string): Promise<string | null>;
}

const MAX_RUNS = 1000;
const MAX_EXPORT_BYTES = 1024 * 2 ** 20;

interface ModelState {
  files: Map<number, RuntimeTensor>;
  outputs: RuntimeTensor[];
  captured: Map<number, RuntimeTensor>;
  /**
   * Values of the last activations run that came back as summaries only, or were fused away
   * (node → value): fetched whole on request (run.activationHistogram), with the same params.
   */
  fetch?: { nodes: Map<number, string>; params: Record<string, unknown> };
  nodeValues?: Map<number, string>;
  payload?: GraphPayload;
}

/** The handlers by method: run.providers, run.defaults, run.pickInput, run.infer, run.activations, run.profile, run.activationHistogram, run.compare, run.export, run.cancel. */
export function createRunHandlers(deps: RunHandlerDeps): Record<string, RunHandler> {
  const states = new WeakMap<Model, ModelState>();
  const state = (m: Model) => {
    let s = states.get(m);
    if (!s) states.set(m, (s = { files: new Map(), outputs: [], captured: new Map() }));
    return s;
  };
  const running = new Map<string, Set<AbortController>>();
  let nextToken = 1;

  const needTrust = (ctx: RunRequestContext) => {
    if (!ctx.trusted) throw new RpcError('Running a model executes native code on its graph; trust this workspace to run it.', 'untrusted');
  };
  const runtime = (ctx: RunRequestContext, provider: ProviderChoice = ctx.provider, suffix = '') => deps.sessions.runtimeFor(ctx.key + suffix, ctx.model, provider);

  /** Runs `fn` with a signal that run.cancel (or the request's own cancel) aborts. */
  const cancellable = async <T>(ctx: RunRequestContext, fn: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const ctl = new AbortController();
    let set = running.get(ctx.key);
    if (!set) running.set(ctx.key, (set = new Set()));
    set.add(ctl);
    try {
      return await fn(AbortSignal.any([ctl.signal, ctx.signal]));
    } finally {
      set.delete(ctl);
    }
  };

  const buildInputs = (ctx: RunRequestContext, load: LoadResult, p: Record<string, unknown>): RuntimeTensor[] => {
    const files = state(ctx.model).files;
    return buildRunInputs(load, parseInputs(p.inputs), parseDims(p.dims), ctx.model, (spec, name) => {
      const t = files.get(spec.token);
      if (!t || t.name !== name) throw new RpcError(`the file chosen for '${name}' is no longer loaded; choose it again`, 'bad-request');
      return t;
    });
  };

  const runOnce = async (ctx: RunRequestContext, p: Record<string, unknown>, extra: Pick<RunOptions, 'captureValues' | 'profile' | 'fusedValues' | 'captureAs'> = {}, provider?: ProviderChoice, suffix = '') => {
    const { host, load } = await runtime(ctx, provider, suffix);
    const inputs = buildInputs(ctx, load, p);
    const runs = optionalInt(p, 'runs', 1, MAX_RUNS) ?? 1;
    const warmup = optionalInt(p, 'warmup', 0, MAX_RUNS) ?? 0;
    const onPhase = (phase: RunPhaseEvent['phase']) => ctx.notify?.(RUN_PHASE_TOPIC, { phase } satisfies RunPhaseEvent);
    const result = await cancellable(ctx, (signal) => host.run(inputs, { runs, warmup, signal, onPhase, ...extra }));
    return { load, result, host, inputs };
  };

  const inferResult = (ctx: RunRequestContext, load: LoadResult, r: HostRunResult): InferResult => {
    const { min, p50, p90, mean, max, runs } = r.latencyMs;
    return {
      provider: r.provider, requested: ctx.provider, fallbackReason: load.fallbackReason, loadMs: load.loadMs,
      latency: { min, p50, p90, mean, max, runs }, outputs: r.outputs.map(outputPayload),
      ...(r.firstRunMs !== undefined ? { firstRunMs: r.firstRunMs } : {}),
      ...(r.auto ? { autoReason: r.auto.reason } : {}),
      ...(r.trace && r.provider !== 'cpu' ? { placement: attributeProfile(r.trace, profileGraph(ctx.model.graph), p50).verdict } : {}),
    };
  };

  const payload = (m: Model): GraphPayload => (state(m).payload ??= buildGraphPayload(m));
  /** Every value's shape the run made known, for the graph view (outputs and captured tensors measured). */
  const runShapes = (m: Model, inputs: RuntimeTensor[], r: HostRunResult) => measureRunShapes(m, payload(m), inputs, [...r.outputs, ...r.captured, ...(r.summaries ?? [])]);

  const nodeValues = (m: Model): Map<number, string> => {
    const s = state(m);
    if (!s.nodeValues) {
      const g = payload(m);
      s.nodeValues = new Map();
      for (const n of g.nodes) {
        if (n.graph !== 0) continue;
        const v = n.outputs.find((id) => id >= 0);
        if (v !== undefined) s.nodeValues.set(n.id, g.values[v].name);
      }
    }
    return s.nodeValues;
  };

  return {
    'run.providers': async (_params, ctx) => {
      const result: ProvidersResult = { configured: ctx.provider, available: [], runsInPanel: ctx.model.format !== 'onnx' };
      if (ctx.model.format !== 'onnx' || !ctx.trusted) return result;
      const { host } = await runtime(ctx);
      result.available = await host.providers();
      return result;
    },

    // What a run feeds when the user sets nothing, with reasons, from the model itself (no session):
    // the panel shows it before the first run. The user's dims so far come back as 'set by you'.
    'run.defaults': async (params, ctx) => {
      const p = record(params);
      const d = inputDefaults(ctx.model, undefined, parseDims(p.dims ?? {}));
      const result: RunDefaultsResult = {
        inputs: d.inputs.map((i) => ({ name: i.name, shape: i.shape, dims: i.dims.map(({ axis, key, value, reason, byDefault }) => ({ axis, key, value, reason, ...(byDefault ? { byDefault } : {}) })), fill: { kind: i.fill.kind, reason: i.fill.reason, ...(i.fill.value !== undefined ? { value: i.fill.value } : {}), ...(i.fill.high !== undefined ? { low: i.fill.low ?? 0, high: i.fill.high } : {}), ...(i.fill.check ? { check: true } : {}) } })),
        warnings: d.warnings,
      };
      return result;
    },

    'run.pickInput': async (params, ctx) => {
      needTrust(ctx);
      const p = record(params);
      const name = str(p, 'name', 1000);
      if (!deps.pickFile) throw new RpcError('choosing files is not available here', 'unsupported');
      const { load } = await runtime(ctx);
      const info = load.inputs.find((i) => i.name === name);
      if (!info) throw new RpcError(`the model has no input '${name}'`, 'bad-request');
      const file = await deps.pickFile(ctx.model.path);
      if (!file) return null;
      const tensor = await readInputFile(info, file, parseDims(p.dims), parseImage(p.image));
      const token = nextToken++;
      state(ctx.model).files.set(token, tensor);
      const picked: PickedFile = { token, fileName: file.split(/[\\/]/).pop() ?? file, dtype: tensor.dtype, shape: tensor.shape };
      return picked;
    },

    'run.infer': async (params, ctx) => {
      needTrust(ctx);
      // A GPU run is profiled too, so the panel can say which nodes ran on the GPU (placement).
      const { load } = await runtime(ctx);
      const { result, inputs } = await runOnce(ctx, record(params), { profile: load.provider !== 'cpu' });
      state(ctx.model).outputs = result.outputs;
      return { ...inferResult(ctx, load, result), shapes: await runShapes(ctx.model, inputs, result) } satisfies InferResult;
    },

    'run.activations': async (params, ctx) => {
      needTrust(ctx);
      const p = record(params);
      const map = nodeValues(ctx.model);
      let ids: number[];
      if (p.nodes === 'all') ids = [...map.keys()];
      else if (Array.isArray(p.nodes) && p.nodes.length <= 1_000_000 && p.nodes.every((x) => Number.isSafeInteger(x) && (x as number) >= 0)) ids = p.nodes as number[];
      else throw new RpcError("invalid request: 'nodes' must be 'all' or a list of node ids", 'bad-request');
      const wanted = ids.filter((id) => map.has(id));
      const byName = new Map<string, number[]>();
      for (const id of wanted) {
        const n = map.get(id)!;
        byName.set(n, [...(byName.get(n) ?? []), id]);
      }
      // The overview is the run ORT optimized (see capture-fused.ts), reduced in the graph to one
      // summary per value (capture-reduce.ts); fused values are listed, not computed. A value's
      // whole tensor is fetched when the user opens it.
      const { load, result, inputs } = await runOnce(ctx, p, { captureValues: [...byName.keys()], fusedValues: 'report', captureAs: 'summaries' });
      const st = state(ctx.model);
      st.outputs = result.outputs;
      st.captured = new Map();
      st.fetch = { nodes: new Map(), params: p };
      const activations: ActivationStat[] = [];
      for (const f of result.fused ?? []) {
        for (const nodeId of byName.get(f.value) ?? []) {
          st.fetch.nodes.set(nodeId, f.value);
          activations.push({ nodeId, value: f.value, dtype: '', shape: [], mean: null, absMax: null, nan: 0, fusedInto: f.into });
        }
      }
      const whole = new Map(result.captured.map((t) => [t.name, t]));
      for (const s of result.summaries ?? []) {
        const absMax = s.min === null || s.max === null ? null : Math.max(Math.abs(s.min), Math.abs(s.max));
        for (const nodeId of byName.get(s.name) ?? []) {
          const t = whole.get(s.name);
          if (t) st.captured.set(nodeId, t); else st.fetch.nodes.set(nodeId, s.name);
          activations.push({ nodeId, value: s.name, dtype: s.dtype, shape: s.shape, mean: s.mean, absMax, nan: s.nan });
        }
      }
      const fused = result.fused?.length ? { fused: result.fused } : {};
      const out: ActivationsResult = { ...inferResult(ctx, load, result), shapes: await runShapes(ctx.model, inputs, result), activations, skipped: ids.length - activations.length, ...fused };
      return out;
    },

    'run.profile': async (params, ctx) => {
      needTrust(ctx);
      if (ctx.model.format !== 'onnx') throw new RpcError('profiling uses ONNX Runtime\'s profiler; this model runs with TensorFlow.js', 'unsupported');
      const { load, result, inputs } = await runOnce(ctx, record(params), { profile: true });
      state(ctx.model).outputs = result.outputs;
      if (!result.trace) throw new RpcError('the runtime returned no profile', 'failed');
      const { latencyMs: _p50, ...report } = attributeProfile(result.trace, profileGraph(ctx.model.graph), result.latencyMs.p50);
      const out: ProfileResult = { ...inferResult(ctx, load, result), shapes: await runShapes(ctx.model, inputs, result), ...report };
      return out;
    },

    'run.activationHistogram': async (params, ctx) => {
      const p = record(params);
      const st = state(ctx.model);
      const nodeId = int(p, 'nodeId', 0, Number.MAX_SAFE_INTEGER);
      let t = st.captured.get(nodeId);
      const value = st.fetch?.nodes.get(nodeId);
      if (!t && value !== undefined && st.fetch) {
        // Summarized in the overview (or fused away in the optimized run): fetched now, alone, from
        // a run with the same inputs — tapped on the optimized graph, or computed on the source one.
        needTrust(ctx);
        const { result } = await runOnce(ctx, st.fetch.params, { captureValues: [value] });
        t = result.captured[0];
        if (t) st.captured.set(nodeId, t);
      }
      if (!t) return null;
      const stats = summarize(t);
      return { nodeId: p.nodeId, value: t.name, dtype: t.dtype, shape: t.shape, stats, histogram: histogramOf(t, undefined, stats) };
    },

    'run.compare': async (params, ctx) => {
      needTrust(ctx);
      const p = record(params);
      const ref = await runOnce(ctx, p, {}, 'cpu', '#cpu');
      const tries: ProviderChoice[] = ctx.provider !== 'cpu' && ctx.provider !== 'auto' ? [ctx.provider] : ['auto'];
      let other: { load: LoadResult; result: HostRunResult } | null = null;
      let unavailable: string | null = null;
      try {
        const o = await runOnce(ctx, p, {}, tries[0]);
        if (o.result.provider === 'cpu') unavailable = o.load.fallbackReason ?? 'only the CPU provider is available';
        else other = o;
      } catch (e) {
        unavailable = (e as Error).message;
      }
      const lat = (r: HostRunResult) => ({ min: r.latencyMs.min, p50: r.latencyMs.p50, p90: r.latencyMs.p90, mean: r.latencyMs.mean, max: r.latencyMs.max, runs: r.latencyMs.runs });
      const rows = other ? compareOutputs(other.result.outputs, ref.result.outputs).map((d) => ({
        ...d, maxAbsDiff: Number.isFinite(d.maxAbsDiff) ? d.maxAbsDiff : null, maxRelDiff: Number.isFinite(d.maxRelDiff) ? d.maxRelDiff : null,
      })) : [];
      const out: CompareResult = {
        reference: { provider: ref.result.provider, latency: lat(ref.result) },
        other: other ? { provider: other.result.provider, latency: lat(other.result), fallbackReason: other.load.fallbackReason } : null,
        unavailable, rows,
      };
      return out;
    },

    'run.export': async (params, ctx) => {
      const p = record(params);
      const name = str(p, 'output', 1000);
      const format = oneOf(p, 'format', ['npy', 'json'] as const);
      const t = state(ctx.model).outputs.find((o) => o.name === name);
      if (!t) throw new RpcError(`no output '${name}' from the last run; run the model first`, 'bad-request');
      if (format === 'npy' && t.dtype === 'string') throw new RpcError('string outputs cannot be saved as .npy; choose JSON', 'unsupported');
      if (!deps.save) throw new RpcError('saving files is not available here', 'unsupported');
      const safe = name.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'output';
      const saved = await deps.save(`${safe}.${format}`, format === 'npy' ? tensorNpy(t) : tensorJson(t), ctx.model.path);
      return { saved };
    },

    'run.exportTensor': async (params, ctx) => {
      // TF.js outputs live in the webview (its worker ran the model); it sends them back to be saved.
      const p = record(params);
      const name = str(p, 'name', 1000);
      const dtype = oneOf(p, 'dtype', ['float32', 'int32', 'bool', 'string'] as const);
      const format = oneOf(p, 'format', ['npy', 'json'] as const);
      if (!Array.isArray(p.shape) || p.shape.length > 32 || !p.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) throw new RpcError("invalid request: 'shape' must be a list of sizes", 'bad-request');
      const shape = p.shape as number[];
      const n = shape.reduce((a, b) => a * b, 1);
      let data: RuntimeTensor['data'];
      if (dtype === 'string') {
        if (!Array.isArray(p.data) || p.data.length !== n || !p.data.every((x) => typeof x === 'string')) throw new RpcError("invalid request: 'data' must hold the tensor's strings", 'bad-request');
        data = p.data as string[];
      } else {
        const b = bytes(p, 'data', MAX_EXPORT_BYTES);
        const per = dtype === 'bool' ? 1 : 4;
        if (b.byteLength !== n * per) throw new RpcError(`invalid request: 'data' has ${b.byteLength} bytes, the shape needs ${n * per}`, 'bad-request');
        data = arrayFromBytes(dtype, b);
      }
      if (format === 'npy' && dtype === 'string') throw new RpcError('string outputs cannot be saved as .npy; choose JSON', 'unsupported');
      if (!deps.save) throw new RpcError('saving files is not available here', 'unsupported');
      const t: RuntimeTensor = { name, dtype, shape, data };
      const safe = name.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'output';
      return { saved: await deps.save(`${safe}.${format}`, format === 'npy' ? tensorNpy(t) : tensorJson(t), ctx.model.path) };
    },

    'run.tfjsArtifacts': async (_params, ctx) => {
      needTrust(ctx);
      if (ctx.model.format === 'onnx') throw new RpcError('this is an ONNX model; it runs with run.infer', 'bad-request');
      return readTfjsArtifacts(ctx.model);
    },

    'run.cancel': async (_params, ctx) => {
      const set = running.get(ctx.key);
      const n = set?.size ?? 0;
      for (const c of set ?? []) c.abort();
      return { cancelled: n };
    },
  };
}
