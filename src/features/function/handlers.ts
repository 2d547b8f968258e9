// The Function tab's request handlers without VS Code: the extension (src/features/function/register.ts)
// and the ui test host register these same functions. Every params field is validated here.
// Formulas and cost read the model only; everything that runs it needs a trusted workspace.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RpcError, type RuntimeProvider } from '../../protocol.js';
import { int, num, oneOf, optionalInt, record, str } from '../../protocol-validate.js';
import {
  activationShift, canHandCompute, compareWhatIf, composeModelFormula, computeCost, COST_CONVENTION, editWeight, featureMaps,
  handCompute, latencyImplications, nodeFormula, sweepSeries, buildSweepInputs, writeModifiedModel, type WeightEdit, type EditSlice,
} from '../../core/explain/index.js';
import type { Model, Node } from '../../core/ir/graph.js';
import { isTfHandOp } from '../../core/explain/by-hand/hand-compute-tf.js';
import { runTfjsInNode, tfjsInputInfos } from '../../core/runtime/tfjs-node.js';
import type { Tensor } from '../../core/ir/tensor.js';
import type { LoadResult } from '../../core/runtime/backend.js';
import { fillTensor, resolveShape } from '../../core/runtime/inputs.js';
import type { RuntimeHost } from '../../core/runtime/runtime-host.js';
import { toNumberArray, type RuntimeTensor } from '../../core/runtime/tensor-value.js';
import type { RuntimeSessions } from '../../core/runtime/runtime-sessions.js';
import { weightById, weightCount } from '../../core/weight-index.js';
import {
  EDIT_OPS, type CostResult, type EditResult, type FeatureMapsResult, type FormulaResult, type HandResult, type ModelFormulaResult,
  type SweepResult, type SweepSeries,
} from './protocol.js';
import { downstreamOf, nodeList } from '../../core/ir/model-nodes.js';

/** What an explain handler gets besides its params. */
export interface ExplainRequestContext {
  model: Model;
  /** Identifies the document (its URI); shares the run panel's runtime process. */
  key: string;
  signal: AbortSignal;
  trusted: boolean;
  provider: RuntimeProvider;
  /** Asks for trust when needed (VS Code's dialog); resolves with whether the workspace is trusted. */
  requireTrust?(): Promise<boolean>;
}

export type ExplainHandler = (params: unknown, ctx: ExplainRequestContext) => Promise<unknown>;

export interface ExplainHandlerDeps {
  sessions: RuntimeSessions;
  /** Asks where to save the modified model; resolves with the path, or null when cancelled. */
  pickSavePath?(suggestedName: string, modelPath: string): Promise<string | null>;
}

const MAX_STEPS = 1024;
const MAX_SENT = 4096;
const WHAT_IF = '#what-if';
const HAND_OPS = new Set(['Conv', 'Gemm', 'MatMul', 'MaxPool', 'AveragePool', 'GlobalMaxPool', 'GlobalAveragePool']);

/** The edit in force: the tensor's new bytes and the temporary copy (as a Model the runtime sessions key on). */
interface ActiveEdit { tensor: Tensor; weightId: number; bytes: Uint8Array; label: string; dir: string; copy: Model }
interface State { edit?: ActiveEdit }

/** The handlers by method: function.formula, function.model-formula, function.cost, function.hand, function.featuremaps, function.sweep, function.edit, function.restore, function.save-as. */
export function createFunctionHandlers(deps: ExplainHandlerDeps): Record<string, ExplainHandler> {
  const states = new WeakMap<Model, State>();
  const state = (m: Model) => {
    let s = states.get(m);
    if (!s) states.set(m, (s = {}));
    return s;
  };

  const needTrust = async (ctx: ExplainRequestContext) => {
    if (ctx.trusted) return;
    if (ctx.requireTrust && await ctx.requireTrust()) return;
    throw new RpcError('Running a model executes native code on its graph; trust this workspace to run it.', 'untrusted');
  };
  const original = (ctx: ExplainRequestContext) => deps.sessions.runtimeFor(ctx.key, ctx.model, ctx.provider);
  const edited = (ctx: ExplainRequestContext, e: ActiveEdit) => deps.sessions.runtimeFor(ctx.key + WHAT_IF, e.copy, ctx.provider);

  const nodeOf = (model: Model, p: Record<string, unknown>): { node: Node; id: number } => {
    const nodes = nodeList(model);
    const id = int(p, 'nodeId', 0, Math.max(0, nodes.length - 1));
    if (!nodes[id]) throw new RpcError(`node ${id} does not exist`, 'bad-request');
    return { node: nodes[id], id };
  };
  const mainNode = (model: Model, p: Record<string, unknown>) => {
    const r = nodeOf(model, p);
    if (!model.graph.nodes.includes(r.node)) throw new RpcError(`node ${r.id} is inside a subgraph; only main-graph nodes can be run alone`, 'unsupported');
    return r;
  };

  /** The same input every run uses: one example (batch dims 1), filled as `p.fill` says (zeros by default). */
  const baseInputs = (load: Pick<LoadResult, 'inputs'>, p: Record<string, unknown>): RuntimeTensor[] => {
    const fill = p.fill === undefined ? 'zeros' : oneOf(p, 'fill', ['zeros', 'ones', 'random'] as const);
    const seed = optionalInt(p, 'seed', 0, 2 ** 31) ?? 0;
    return load.inputs.map((info, i) => {
      if (!info.isTensor || !info.dtype) throw new RpcError(`input '${info.name}' is not a tensor`, 'unsupported');
      const shape = resolveShape(info).map((d, axis) => (axis === 0 && typeof info.shape?.[0] !== 'number' ? 1 : d));
      return fillTensor(info.name, info.dtype, shape, { kind: fill, seed: seed + i * 7919 });
    });
  };

  const run = (host: RuntimeHost, inputs: RuntimeTensor[], ctx: ExplainRequestContext, capture?: string[]) =>
    host.run(inputs, { signal: ctx.signal, captureValues: capture });

  return {
    'function.formula': async (params, ctx) => {
      const p = record(params);
      const { node, id } = nodeOf(ctx.model, p);
      const f = await nodeFormula(node);
      const out = node.outputs[0]?.type?.shape;
      const result: FormulaResult = {
        nodeId: id, opType: node.opType, name: node.name, text: f.text, parts: f.parts, notes: f.notes, family: f.family,
        handComputable: (HAND_OPS.has(node.opType) || isTfHandOp(node)) && canHandCompute(node) && ctx.model.graph.nodes.includes(node),
        featureMaps: f.family === 'convolution' && (!out || out.length === 4) && ctx.model.graph.nodes.includes(node),
      };
      return result;
    },

    'function.model-formula': async (_params, ctx) => {
      const c = await composeModelFormula(ctx.model);
      const result: ModelFormulaResult = { qualifies: c.qualifies, reason: c.reason, lines: c.lines, legend: c.legend };
      return result;
    },

    'function.cost': async (params, ctx) => {
      const p = record(params);
      const dims = parseDims(p.dims);
      const datasetSize = int(p, 'datasetSize', 1, 1e12);
      const epochs = int(p, 'epochs', 1, 1e6);
      const phoneGflops = num(p, 'phoneGflops');
      if (phoneGflops <= 0) throw new RpcError("invalid request: 'phoneGflops' must be positive", 'bad-request');
      const c = await computeCost(ctx.model, { dims, datasetSize, epochs, phoneGflops });
      const result: CostResult = {
        dims: c.dims, assumedDims: c.assumedDims, batch: c.batch, parameters: c.parameters, parameterBytes: c.parameterBytes,
        parameterBytesAs: c.parameterBytesAs, trainableParameters: c.trainableParameters, macs: c.macs, flops: c.flops,
        macsPerExample: c.macsPerExample, flopsPerExample: c.flopsPerExample, activationBytesPeak: c.activationBytesPeak,
        activationPeakAt: c.activationPeakAt, unsupportedOps: c.unsupportedOps, convention: COST_CONVENTION,
        nodes: c.nodes.map((n) => ({ nodeId: n.nodeIndex, name: n.name, opType: n.opType, macs: n.macs, flops: n.flops, outputShapes: n.outputShapes })),
        training: { ...c.training, memoryBytes: { ...c.training.memoryBytes } },
        phone: c.phone,
      };
      if (p.measure === true) {
        await needTrust(ctx);
        const { host, load } = await original(ctx);
        const inputs = baseInputs(load, { fill: 'random' });
        const r = await host.run(inputs, { runs: 10, warmup: 2, signal: ctx.signal });
        const imp = latencyImplications(c.flopsPerExample, 1, r.latencyMs.p50, c.training);
        result.measured = { provider: r.provider, p50Ms: r.latencyMs.p50, achievedGflops: imp.achievedGflops, trainingRunSeconds: Number.isFinite(imp.trainingRunSeconds) ? imp.trainingRunSeconds : null };
      }
      return result;
    },

    'function.hand': async (params, ctx) => {
      const p = record(params);
      const { node, id } = mainNode(ctx.model, p);
      if (!HAND_OPS.has(node.opType) && !isTfHandOp(node)) throw new RpcError(`computing ${node.opType} by hand is not supported (Conv, Gemm, MatMul and pooling are)`, 'unsupported');
      await needTrust(ctx);
      const outName = node.outputs[0]?.name;
      const capture = [...new Set([outName, ...node.inputs.map((v) => v && !v.tensor && v.producer ? v.name : undefined)].filter((n): n is string => !!n))];
      let inputs: RuntimeTensor[];
      let r: { outputs: RuntimeTensor[]; captured: RuntimeTensor[] };
      if (ctx.model.format === 'onnx') {
        const { host, load } = await original(ctx);
        inputs = baseInputs(load, p);
        r = await run(host, inputs, ctx, capture);
      } else {
        // TF.js models run here on TF.js's CPU backend; a graph node or layer is captured by its name.
        inputs = baseInputs({ inputs: tfjsInputInfos(ctx.model) }, p);
        const producers = capture.map((v) => ctx.model.graph.nodes.find((n) => n.outputs.some((o) => o.name === v))?.name ?? v);
        const t = await runTfjsInNode(ctx.model, inputs, producers);
        r = { outputs: t.outputs, captured: t.captured.map((c, i) => ({ ...c, name: capture[i] })) };
      }
      const byName = new Map([...r.captured, ...r.outputs, ...inputs].map((t) => [t.name, t]));
      const out = byName.get(outName);
      if (!out) throw new RpcError(`the runtime did not return '${outName}'`, 'failed');
      const outValues = toNumberArray(out);
      const flatIndex = optionalInt(p, 'outputIndex', 0, Math.max(0, outValues.length - 1)) ?? 0;
      const values = node.inputs.map((v) => {
        if (!v || v.tensor) return undefined;
        const t = byName.get(v.name);
        return t ? { data: toNumberArray(t), shape: t.shape } : undefined;
      });
      const h = await handCompute(node, values, flatIndex);
      const result: HandResult = {
        nodeId: id, opType: node.opType, outputName: outName, outputShape: out.shape, output: Array.from(outValues.subarray(0, MAX_SENT)),
        outputIndex: h.outputIndex, flatIndex, windowShape: h.windowShape, terms: h.terms.slice(0, MAX_SENT), reduce: h.reduce, sum: h.sum,
        alpha: h.alpha, bias: h.bias, beta: h.beta, divisor: h.divisor, result: h.result, runtime: outValues[flatIndex],
      };
      return result;
    },

    'function.featuremaps': async (params, ctx) => {
      const p = record(params);
      const { node, id } = mainNode(ctx.model, p);
      await needTrust(ctx);
      const { host, load } = await original(ctx);
      const outName = node.outputs[0]?.name;
      const r = await run(host, baseInputs(load, { fill: 'random', ...p }), ctx, [outName]);
      const t = [...r.captured, ...r.outputs].find((x) => x.name === outName);
      if (!t) throw new RpcError(`the runtime did not return '${outName}'`, 'failed');
      const maps = featureMaps(toNumberArray(t), t.shape, { maxChannels: 64 });
      const result: FeatureMapsResult = {
        nodeId: id, outputName: outName, shape: t.shape, channels: t.shape.length === 4 ? t.shape[1] : t.shape[0],
        maps: maps.map((m) => ({ channel: m.channel, height: m.height, width: m.width, values: Array.from(m.values), min: m.min, max: m.max, mean: m.mean })),
      };
      return result;
    },

    'function.sweep': async (params, ctx) => {
      const p = record(params);
      const inputName = str(p, 'input', 1024);
      const steps = int(p, 'steps', 2, MAX_STEPS);
      const from = num(p, 'from'), to = num(p, 'to');
      const outputs = parseOutputs(p.outputs);
      await needTrust(ctx);
      const { host, load } = await original(ctx);
      const base = baseInputs(load, p);
      const swept = base.find((t) => t.name === inputName);
      if (!swept) throw new RpcError(`the model has no input '${inputName}'`, 'bad-request');
      const elementIndex = int(p, 'elementIndex', 0, Math.max(0, toNumberArray(swept).length - 1));
      // Batched when the model has one input: all steps in one run; else one run per step.
      const sw = buildSweepInputs(swept, elementIndex, from, to, steps, { batched: base.length === 1 && typeof load.inputs[0].shape?.[0] !== 'number' });
      const curves = async (h: RuntimeHost) => {
        const runs = sw.batched ? [await run(h, sw.tensors, ctx)] : await sequential(sw.tensors.map((t) => () => run(h, base.map((b) => (b.name === inputName ? t : b)), ctx)));
        return outputs.map((o) => {
          const per = sw.batched ? runs[0].outputs.find((t) => t.name === o.output) : undefined;
          if (sw.batched && !per) throw new RpcError(`the model has no output '${o.output}'`, 'bad-request');
          const list = sw.batched ? per! : runs.map((r) => { const t = r.outputs.find((x) => x.name === o.output); if (!t) throw new RpcError(`the model has no output '${o.output}'`, 'bad-request'); return t; });
          return sweepSeries(list, steps, o.element);
        });
      };
      const before = await curves(host);
      const e = state(ctx.model).edit;
      const after = e ? await curves((await edited(ctx, e)).host) : undefined;
      const series: SweepSeries[] = outputs.map((o, i) => ({ ...o, original: before[i], ...(after ? { edited: after[i] } : {}) }));
      const result: SweepResult = { input: inputName, elementIndex, xs: sw.xs, series, editLabel: e?.label ?? null };
      return result;
    },

    'function.edit': async (params, ctx) => {
      const p = record(params);
      const weightId = int(p, 'weightId', 0, Math.max(0, weightCount(ctx.model) - 1));
      const tensor = weightById(ctx.model, weightId);
      if (!tensor) throw new RpcError(`weight ${weightId} does not exist`, 'bad-request');
      const op = oneOf(p, 'op', EDIT_OPS);
      const q = record(p.params, 'params');
      const edit = parseEdit(op, q);
      const sliceIndex = optionalInt(q, 'slice', 0, Math.max(0, (tensor.shape[optionalInt(q, 'axis', 0, 8) ?? 0] ?? 1) - 1));
      const slice: EditSlice | undefined = sliceIndex === undefined ? undefined : { axis: optionalInt(q, 'axis', 0, Math.max(0, tensor.shape.length - 1)) ?? 0, index: sliceIndex };
      await needTrust(ctx);
      const s = state(ctx.model);
      const changed = await editWeight(tensor, edit, slice);
      await dropEdit(ctx, s);
      const dir = await mkdtemp(path.join(tmpdir(), 'model-lens-what-if-'));
      const written = await writeModifiedModel(ctx.model, new Map([[tensor, changed.bytes]]), path.join(dir, path.basename(ctx.model.path)));
      const label = `${editLabel(op, q)} ${tensor.name}${slice ? `[${slice.axis === 0 ? '' : ':, '.repeat(slice.axis ?? 0)}${slice.index}]` : ''}`;
      // The copy differs from the model only in where its file is: the runtime loads it from there.
      const copy: Model = { ...ctx.model, path: written.modelPath, files: written.files, close: async () => {} };
      const active: ActiveEdit = { tensor, weightId, bytes: changed.bytes, label, dir, copy };
      s.edit = active;
      const { host, load } = await original(ctx);
      const inputs = baseInputs(load, { fill: 'random', ...(p.fill !== undefined ? { fill: p.fill } : {}) });
      const a = await run(host, inputs, ctx, ['*']);
      const b = await run((await edited(ctx, active)).host, inputs, ctx, ['*']);
      const shift = activationShift([...a.captured, ...a.outputs], [...b.captured, ...b.outputs]);
      const downstream = downstreamOf(ctx.model, tensor);
      const nodeShift: (number | null)[] = nodeList(ctx.model).map(() => null);
      for (const id of downstream) {
        const n = ctx.model.graph.nodes[id];
        const v = n.outputs.map((o) => shift.get(o.name)).filter((x): x is number => x !== undefined);
        nodeShift[id] = v.length ? Math.max(...v) : null;
      }
      const result: EditResult = {
        weightId, weightName: tensor.name, label, covered: changed.covered, changed: changed.changed, maxAbsChange: changed.maxAbsChange,
        pruneThreshold: changed.pruneThreshold, outputs: compareWhatIf(a.outputs, b.outputs).map((d) => ({ name: d.name, maxAbsDiff: d.maxAbsDiff, maxRelDiff: d.maxRelDiff, cosine: d.cosine, top1: d.top1 })),
        nodeShift, downstream,
      };
      return result;
    },

    'function.restore': async (_params, ctx) => {
      const s = state(ctx.model);
      const had = !!s.edit;
      await dropEdit(ctx, s);
      return { restored: had };
    },

    'function.save-as': async (_params, ctx) => {
      const e = state(ctx.model).edit;
      if (!e) throw new RpcError('no weight is modified: apply a what-if edit first', 'bad-request');
      if (!deps.pickSavePath) throw new RpcError('saving is not available here', 'unsupported');
      const ext = path.extname(ctx.model.path);
      const target = await deps.pickSavePath(`${path.basename(ctx.model.path, ext)}.modified${ext}`, ctx.model.path);
      if (!target) return { path: null };
      const written = await writeModifiedModel(ctx.model, new Map([[e.tensor, e.bytes]]), target);
      return { path: written.modelPath, files: written.files.length };
    },
  };

  async function dropEdit(ctx: ExplainRequestContext, s: State): Promise<void> {
    const e = s.edit;
    if (!e) return;
    s.edit = undefined;
    await deps.sessions.dispose(ctx.key + WHAT_IF);
    await rm(e.dir, { recursive: true, force: true });
  }
}

async function sequential<T>(fns: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (const f of fns) out.push(await f());
  return out;
}

function parseDims(x: unknown): Record<string, number> {
  const d = record(x, 'dims');
  const out: Record<string, number> = {};
  const keys = Object.keys(d);
  if (keys.length > 256) throw new RpcError("invalid request: 'dims' has too many entries", 'bad-request');
  for (const k of keys) {
    if (k.length > 256) throw new RpcError("invalid request: a 'dims' name is too long", 'bad-request');
    out[k] = int(d, k, 0, 1 << 24);
  }
  return out;
}

function parseOutputs(x: unknown): { output: string; element: number }[] {
  if (!Array.isArray(x) || x.length < 1 || x.length > 16) throw new RpcError("invalid request: 'outputs' must list 1 to 16 output elements", 'bad-request');
  return x.map((o, i) => {
    const r = record(o, `outputs[${i}]`);
    return { output: str(r, 'output', 1024), element: int(r, 'element', 0, 1 << 30) };
  });
}

function parseEdit(op: (typeof EDIT_OPS)[number], q: Record<string, unknown>): WeightEdit {
  switch (op) {
    case 'zero': return { kind: 'zero' };
    case 'scale': return { kind: 'scale', factor: num(q, 'factor') };
    case 'noise': {
      const std = num(q, 'std');
      if (std < 0) throw new RpcError("invalid request: 'std' must be ≥ 0", 'bad-request');
      return { kind: 'noise', std, seed: optionalInt(q, 'seed', 0, 2 ** 31) ?? 1, relative: q.relative === true };
    }
    case 'prune': {
      const percent = num(q, 'percent');
      if (percent < 0 || percent > 100) throw new RpcError("invalid request: 'percent' must be in [0, 100]", 'bad-request');
      return { kind: 'prune', percent };
    }
    case 'quantize-int8': return { kind: 'quantize-int8', scheme: 'symmetric', granularity: 'per-tensor' };
    case 'quantize-int8-channel': return { kind: 'quantize-int8', scheme: 'symmetric', granularity: 'per-channel', axis: optionalInt(q, 'axis', 0, 8) ?? 0 };
  }
}

function editLabel(op: string, q: Record<string, unknown>): string {
  switch (op) {
    case 'zero': return 'zero';
    case 'scale': return `scale ×${q.factor}`;
    case 'noise': return `noise σ=${q.std}${q.relative === true ? '·std' : ''}`;
    case 'prune': return `prune ${q.percent}%`;
    case 'quantize-int8': return 'int8 (per tensor)';
    default: return 'int8 (per channel)';
  }
}
