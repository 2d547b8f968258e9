// The inputs of a Run panel request: its params checked (dims, per-input fills, image options)
// and the tensors they make, with the model's default inputs (core/runtime/input-defaults.ts)
// under whatever the request leaves open. The compare panel builds its inputs here too.
import type { Model } from '../../core/ir/graph.js';
import type { LoadResult } from '../../core/runtime/backend.js';
import { inputDefaults } from '../../core/runtime/input-defaults.js';
import { fillTensor, resolveShape, type DimOverrides, type FillSpec } from '../../core/runtime/inputs.js';
import type { ImageOptions } from '../../core/runtime/inputs-image.js';
import type { RuntimeTensor } from '../../core/runtime/tensor-value.js';
import { RpcError } from '../../protocol.js';
import { int, num, oneOf, optionalInt, record, str } from '../../protocol-validate.js';
import { FILL_KINDS, type InputSpec } from './protocol.js';

const MAX_DIMS = 256;
const MAX_DIM = 1 << 24;

/**
 * The tensors a run feeds, one per input of the loaded model, in its order: a generated fill per
 * spec (random with seed 0 where an input has none), or a file the host read (`file`). The compare
 * panel feeds both of its models from here, so the two get the same values.
 */
export function buildRunInputs(
  load: Pick<LoadResult, 'inputs'>, specs: InputSpec[], dims: DimOverrides, model: Pick<Model, 'path' | 'metadata' | 'graph'>,
  file?: (spec: Extract<InputSpec, { source: 'file' }>, name: string) => RuntimeTensor,
): RuntimeTensor[] {
  // The user's dims over the defaults: every open dim has a size, and the 'default' fill its rule.
  const defaults = inputDefaults(model, load.inputs, dims);
  return load.inputs.map((info, i) => {
    const spec = specs.find((s) => s.name === info.name) ?? { name: info.name, source: 'fill', kind: 'default', seed: 0 } as InputSpec;
    if (!info.isTensor || !info.dtype) throw new RpcError(`input '${info.name}' is not a tensor; the panel can only feed tensors`, 'unsupported');
    if (spec.source === 'file') {
      if (!file) throw new RpcError(`input '${info.name}' cannot come from a file here`, 'unsupported');
      return file(spec, info.name);
    }
    const fill: FillSpec = spec.kind === 'default' ? defaults.inputs[i].fill : { ...spec, kind: spec.kind };
    // Different inputs get different streams from one seed (like buildGeneratedInputs).
    return fillTensor(info.name, info.dtype, resolveShape(info, defaults.dims, model.path), { ...fill, seed: (spec.seed ?? 0) + i * 7919 });
  });
}

/** Validates a request's `dims` (sizes of symbolic dims by name). */
export function parseDims(x: unknown): DimOverrides {
  const p = record(x, 'dims');
  const keys = Object.keys(p);
  if (keys.length > MAX_DIMS) throw new RpcError(`invalid request: 'dims' has more than ${MAX_DIMS} entries`, 'bad-request');
  const out: DimOverrides = {};
  for (const k of keys) {
    if (k.length > 1000) throw new RpcError("invalid request: a 'dims' name is too long", 'bad-request');
    out[k] = int(p, k, 0, MAX_DIM);
  }
  return out;
}

/** Validates a request's `inputs` (one InputSpec per input). */
export function parseInputs(x: unknown): InputSpec[] {
  if (x === undefined) return [];
  if (!Array.isArray(x) || x.length > 10_000) throw new RpcError("invalid request: 'inputs' must be a list", 'bad-request');
  return x.map((item, i) => {
    const p = record(item, `inputs[${i}]`);
    const name = str(p, 'name', 1000);
    const source = oneOf(p, 'source', ['fill', 'file'] as const);
    if (source === 'file') return { name, source, token: int(p, 'token', 1, Number.MAX_SAFE_INTEGER) };
    const kind = oneOf(p, 'kind', FILL_KINDS);
    const opt = (f: string) => (p[f] === undefined ? undefined : num(p, f));
    return { name, source, kind, seed: optionalInt(p, 'seed', 0, 2 ** 31 - 1), value: opt('value'), low: opt('low'), high: opt('high') };
  });
}

export function parseImage(x: unknown): ImageOptions {
  const p = record(x, 'image');
  const out: ImageOptions = {};
  if (p.layout !== undefined) out.layout = oneOf(p, 'layout', ['auto', 'nchw', 'nhwc'] as const);
  if (p.channelOrder !== undefined) out.channelOrder = oneOf(p, 'channelOrder', ['rgb', 'bgr'] as const);
  if (p.scale !== undefined) out.scale = num(p, 'scale');
  for (const f of ['mean', 'std'] as const) {
    const v = p[f];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.length < 1 || v.length > 4 || !v.every((n) => typeof n === 'number' && Number.isFinite(n))) throw new RpcError(`invalid request: 'image.${f}' must be 1 to 4 numbers`, 'bad-request');
    if (f === 'std' && v.some((n) => n === 0)) throw new RpcError("invalid request: 'image.std' cannot be 0", 'bad-request');
    out[f] = v as number[];
  }
  return out;
}

