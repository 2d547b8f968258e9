// The default inputs of a model, stated before it runs: per input the size of every open dim and
// how its values are filled, each with its reason. Sizes the user gave (by name or input:axis)
// always win; what is left comes from default-dims.ts and default-fills.ts.
import type { DataType } from '../ir/dtype.js';
import type { Graph, Model } from '../ir/graph.js';
import type { Dim } from '../ir/shape.js';
import type { RuntimeValueInfo } from './backend.js';
import { defaultDims } from './default-dims.js';
import { defaultFill, type FillDefault } from './default-fills.js';
import { resolveShape, type DimOverrides } from './inputs.js';
import { readModelConfig, type ModelConfig } from './model-config.js';

/** One open dim of one input: the key a user sets it by, its size and why. */
export interface DimChoice {
  axis: number; key: string; dim: Dim; value: number; reason: string;
  /** For a size the user set: what the default would have been, and why. */
  byDefault?: { value: number; reason: string };
}

export interface InputDefault {
  name: string;
  dtype?: DataType;
  /** The sizes it runs with; null when the model does not say its rank. */
  shape: number[] | null;
  dims: DimChoice[];
  fill: FillDefault;
}

export interface InputDefaults {
  inputs: InputDefault[];
  /** Every open dim's size by the key resolveShape reads (the name, or `input:axis` for unnamed dims), the user's included. */
  dims: DimOverrides;
  /** Config files next to the model that could not be read. */
  warnings: string[];
}

/** The model's graph inputs as the runtime would list them (weights left out). */
export function graphInputInfos(graph: Graph): RuntimeValueInfo[] {
  return graph.inputs.filter((v) => !v.tensor).map((v) => ({
    name: v.name,
    dtype: v.type?.dtype,
    shape: v.type?.shape ?? null,
    isTensor: (v.type?.kind ?? 'tensor') === 'tensor',
  }));
}

/** Why the graph reads as one that takes audio (a spectrogram step), or null. */
export function audioEvidence(graph: Graph): string | null {
  const nodes: Graph['nodes'] = [];
  const visit = (g: Graph) => { for (const n of g.nodes) { nodes.push(n); n.subgraphs.forEach(visit); } };
  visit(graph);
  const op = nodes.find((n) => n.opType === 'STFT' || n.opType === 'DFT' || n.opType === 'MelWeightMatrix');
  if (op) return `the graph computes a spectrogram (${op.opType} '${op.name}')`;
  const spectral = (n: Graph['nodes'][number]) => /(^|[/_.])(stft|spectrogram|fbank|melspec)/i.test(n.name);
  const named = nodes.find((n) => spectral(n) && n.opType !== 'Constant') ?? nodes.find(spectral);
  return named ? `the graph computes a spectrogram (node '${named.name}')` : null;
}

const keyOf = (input: string, axis: number, dim: Dim) => (typeof dim === 'string' ? dim : `${input}:${axis}`);

/**
 * Defaults for every input of `model` (or of `infos`, the runtime's view of them), with `user`
 * sizes applied on top. `seed` feeds the random fills as the Run panel and CLI use it.
 */
export function inputDefaults(
  model: Pick<Model, 'path' | 'metadata' | 'graph'>, infos?: readonly RuntimeValueInfo[], user: DimOverrides = {}, seed = 0, config?: ModelConfig,
): InputDefaults {
  const list = infos ?? graphInputInfos(model.graph);
  const cfg = config ?? readModelConfig(model);
  const perInput = defaultDims(list, cfg, audioEvidence(model.graph));
  const dims: DimOverrides = {};
  for (const [name, ds] of perInput) for (const d of ds) if (typeof d.dim !== 'string' || !/[+*/()]|\s-\s/.test(d.dim)) dims[keyOf(name, d.axis, d.dim)] ??= d.value;
  Object.assign(dims, user);
  const inputs = list.map((info, i): InputDefault => {
    const shape = info.shape ? resolveShape(info, dims, model.path) : null;
    const choices = (perInput.get(info.name) ?? []).map((d): DimChoice => {
      const key = keyOf(info.name, d.axis, d.dim);
      const value = shape?.[d.axis] ?? d.value;
      const byUser = user[`${info.name}:${d.axis}`] !== undefined || user[key] !== undefined;
      return byUser ? { axis: d.axis, key, dim: d.dim, value, reason: 'set by you', byDefault: { value: d.value, reason: d.reason } } : { axis: d.axis, key, dim: d.dim, value, reason: d.reason };
    });
    // Different inputs get different streams from one seed (like buildGeneratedInputs).
    return { name: info.name, dtype: info.dtype, shape, dims: choices, fill: defaultFill(info, model.graph, cfg, seed + i * 7919) };
  });
  return { inputs, dims, warnings: cfg.warnings };
}
