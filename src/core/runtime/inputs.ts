// Test inputs for a model: concrete shapes for symbolic dims, and generated values.
import type { DataType } from '../ir/dtype.js';
import { isFloatType } from '../ir/dtype.js';
import type { Dim } from '../ir/shape.js';
import { evalDim } from '../shapes/dims.js';
import { ModelError } from '../ir/errors.js';
import type { RuntimeValueInfo } from './backend.js';
import { Prng } from './prng.js';
import { sizeFromName } from './default-dims.js';
import { allocateArray, fromNumbers, shapeSize, type RuntimeTensor } from './tensor-value.js';

/** How to generate values. `random` is normal(0,1) for floats, integers in [0, 10) otherwise. */
export type FillKind = 'random' | 'uniform' | 'zeros' | 'ones' | 'range' | 'constant';

export interface FillSpec {
  kind: FillKind;
  /** Seed of the PRNG for random/uniform (default 0). */
  seed?: number;
  /** Value for `constant`. */
  value?: number;
  /** Bounds for `uniform` (default [0, 1)). */
  low?: number;
  high?: number;
}

/**
 * User-given sizes for dims: by symbolic name (`batch=2`, `p2o.DynamicDimension.0=8`) or by
 * position (`input_ids:1=32`, axis 1 of input `input_ids`), which also fixes null dims.
 */
export type DimOverrides = Record<string, number>;

export { DEFAULT_SEQUENCE_LENGTH, DEFAULT_IMAGE_SIZE } from './default-dims.js';

/**
 * The default size of an unresolved dim from its name alone (default-dims.ts has the rule and
 * input-defaults.ts the full one, with the model's config and image inputs): `batch` → 1, a
 * past/cache length → 0, sequence-like names → 16, image sides (`height`, `width`) → 224,
 * anything else (`unk__132`, null) → 1.
 */
export function defaultDimSize(dim: string | null): number {
  return dim ? sizeFromName(dim)?.value ?? 1 : 1;
}

/** Resolves an input's shape to numbers: overrides first, then the default rule (per name of an expression dim). */
export function resolveShape(input: RuntimeValueInfo, overrides: DimOverrides = {}, file = '<model>'): number[] {
  if (input.shape === null) {
    throw new ModelError('unsupported', 'the model does not say the rank of this input; give it as a file (--input name=file.npy)', { file, tensor: input.name });
  }
  return input.shape.map((d: Dim, axis) => {
    const positional = overrides[`${input.name}:${axis}`];
    if (positional !== undefined) return positional;
    if (typeof d === 'number') return d;
    // The shape engine's reading of a dim: a name, or an expression (`past + 1`) over names.
    return evalDim(d, overrides, defaultDimSize) ?? defaultDimSize(d);
  });
}

/** Parses `name=value` dim overrides (`--dim batch=2 --dim input_ids:1=32`). */
export function parseDimOverrides(specs: readonly string[]): DimOverrides {
  const out: DimOverrides = {};
  for (const s of specs) {
    const eq = s.lastIndexOf('=');
    const name = s.slice(0, eq).trim();
    const value = Number(s.slice(eq + 1));
    if (eq <= 0 || !name || !Number.isInteger(value) || value < 0) throw new ModelError('malformed', `bad dim '${s}': expected name=size with a whole size ≥ 0`, { file: '--dim' });
    out[name] = value;
  }
  return out;
}

/** Generates a tensor of `dtype` and `shape` filled as `fill` says. */
export function fillTensor(name: string, dtype: DataType, shape: number[], fill: FillSpec): RuntimeTensor {
  const n = shapeSize(shape);
  if (dtype === 'string') {
    const data = allocateArray('string', n) as string[];
    const rng = new Prng(fill.seed ?? 0);
    for (let i = 0; i < n; i++) data[i] = fill.kind === 'zeros' ? '' : fill.kind === 'random' ? `s${rng.int(0, 10)}` : String(i);
    return { name, dtype, shape, data };
  }
  if (fill.kind === 'zeros') return { name, dtype, shape, data: allocateArray(dtype, n) };
  const values = new Float64Array(n);
  const rng = new Prng(fill.seed ?? 0);
  const float = isFloatType(dtype);
  switch (fill.kind) {
    case 'ones': values.fill(1); break;
    case 'constant': values.fill(fill.value ?? 0); break;
    case 'range': for (let i = 0; i < n; i++) values[i] = i; break;
    case 'uniform': {
      const lo = fill.low ?? 0, hi = fill.high ?? 1;
      for (let i = 0; i < n; i++) values[i] = float ? lo + (hi - lo) * rng.next() : rng.int(Math.ceil(lo), Math.max(Math.ceil(lo) + 1, Math.floor(hi)));
      break;
    }
    case 'random':
      if (float) for (let i = 0; i < n; i++) values[i] = rng.normal();
      else if (dtype === 'bool') for (let i = 0; i < n; i++) values[i] = rng.int(0, 2);
      else for (let i = 0; i < n; i++) values[i] = rng.int(0, 10); // small: valid as ids, indices and counts
      break;
  }
  return { name, dtype, shape, data: fromNumbers(dtype, values) };
}

/** Builds generated inputs for every tensor input of a model. */
export function buildGeneratedInputs(inputs: readonly RuntimeValueInfo[], fill: FillSpec, dims: DimOverrides = {}, file = '<model>'): RuntimeTensor[] {
  return inputs.map((info, i) => {
    if (!info.isTensor || !info.dtype) throw new ModelError('unsupported', 'only tensor inputs can be generated; this input is a sequence or map', { file, tensor: info.name });
    // Different inputs get different streams from one seed.
    return fillTensor(info.name, info.dtype, resolveShape(info, dims, file), { ...fill, seed: (fill.seed ?? 0) + i * 7919 });
  });
}
