// Inputs read from files: .npy, .json, ONNX TensorProto .pb, and images (.png/.jpg).
import { readFile } from 'node:fs/promises';
import type { DataType } from '../ir/dtype.js';
import { ModelError } from '../ir/errors.js';
import type { RuntimeValueInfo } from './backend.js';
import { resolveShape, type DimOverrides } from './inputs.js';
import { isImageFile, readImageInput, type ImageOptions } from './inputs-image.js';
import { readNpyFile } from './npy.js';
import { readTensorProtoInput } from './tensor-proto-input.js';
import { castTensorData, fromNumbers, isRuntimeDtype, shapeSize, type RuntimeTensor, type TensorArray } from './tensor-value.js';

/** A tensor read from a file, before it is matched to a model input. */
export interface LoadedArray {
  dtype: DataType;
  shape: number[];
  data: TensorArray;
}

/** Reads a JSON tensor: nested arrays, or `{ "dtype": "float32", "shape": [2, 3], "data": [...] }`. */
export function parseJsonTensor(text: string, file = '<json>'): LoadedArray {
  let value: unknown;
  try { value = JSON.parse(text); } catch (e) {
    throw new ModelError('malformed', `not valid JSON: ${(e as Error).message}`, { file });
  }
  let dtype: DataType | undefined;
  let shape: number[] | undefined;
  let data: unknown = value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (!('data' in o)) throw new ModelError('malformed', 'a JSON tensor object needs a "data" field (and optionally "dtype", "shape")', { file });
    if (o.dtype !== undefined) {
      if (typeof o.dtype !== 'string' || !isRuntimeDtype(o.dtype)) throw new ModelError('unsupported', `unknown dtype ${JSON.stringify(o.dtype)}`, { file, field: 'dtype' });
      dtype = o.dtype;
    }
    if (o.shape !== undefined) {
      if (!Array.isArray(o.shape) || o.shape.some((d) => !Number.isInteger(d) || d < 0)) throw new ModelError('malformed', '"shape" must be an array of whole numbers', { file, field: 'shape' });
      shape = o.shape as number[];
    }
    data = o.data;
  }
  const flat: unknown[] = [];
  const nestedShape = flatten(data, flat, file);
  shape ??= nestedShape;
  if (shapeSize(shape) !== flat.length) throw new ModelError('size-mismatch', `shape [${shape.join(', ')}] needs ${shapeSize(shape)} values, the data has ${flat.length}`, { file, field: 'data' });
  const kinds = new Set(flat.map((v) => typeof v));
  if (kinds.has('string')) {
    if (kinds.size > 1) throw new ModelError('malformed', 'data mixes strings and numbers', { file, field: 'data' });
    return { dtype: 'string', shape, data: flat as string[] };
  }
  for (const v of flat) if (typeof v !== 'number' && typeof v !== 'boolean' && v !== null) throw new ModelError('malformed', `data holds ${JSON.stringify(v)}; only numbers, booleans and strings are allowed`, { file, field: 'data' });
  // null stands for NaN (JSON has no NaN).
  const numbers = flat.map((v) => (v === null ? NaN : Number(v)));
  dtype ??= kinds.has('boolean') ? 'bool' : 'float64';
  return { dtype, shape, data: fromNumbers(dtype, numbers) };
}

function flatten(v: unknown, out: unknown[], file: string, depth = 0): number[] {
  if (!Array.isArray(v)) { out.push(v); return []; }
  if (depth > 32) throw new ModelError('limit', 'arrays are nested more than 32 deep', { file });
  let inner: number[] | null = null;
  for (const item of v) {
    const s = flatten(item, out, file, depth + 1);
    if (inner && s.join(',') !== inner.join(',')) throw new ModelError('malformed', `ragged nested arrays at depth ${depth + 1}: [${inner.join(', ')}] vs [${s.join(', ')}]`, { file });
    inner = s;
  }
  return [v.length, ...(inner ?? [])];
}

/** Reads a tensor file by extension: .npy, .json, .pb (ONNX TensorProto). */
export async function readTensorFile(file: string): Promise<LoadedArray> {
  const lower = file.toLowerCase();
  if (lower.endsWith('.npy')) return readNpyFile(file);
  if (lower.endsWith('.pb')) return readTensorProtoInput(file);
  if (lower.endsWith('.json')) {
    let text: string;
    try { text = await readFile(file, 'utf8'); } catch (e) {
      throw new ModelError('not-found', `cannot read: ${(e as Error).message}`, { file });
    }
    return parseJsonTensor(text, file);
  }
  throw new ModelError('unknown-format', 'input files must be .npy, .json, .pb (ONNX TensorProto), .png or .jpg', { file });
}

/**
 * Makes a model input from a loaded array: checks the shape against the input's known dims and
 * converts the values to the input's dtype (a float64 .json feeds a float32 input).
 */
export function matchInput(info: RuntimeValueInfo, arr: LoadedArray, file: string): RuntimeTensor {
  const dtype = info.dtype;
  if (!info.isTensor || !dtype) throw new ModelError('unsupported', 'only tensor inputs can be fed from a file', { file, tensor: info.name });
  if (info.shape) {
    const ok = info.shape.length === arr.shape.length && info.shape.every((d, i) => typeof d !== 'number' || d === arr.shape[i]);
    if (!ok) throw new ModelError('size-mismatch', `shape [${arr.shape.join(', ')}] does not fit input '${info.name}' [${info.shape.map((d) => d ?? '?').join(', ')}]`, { file, tensor: info.name });
  }
  if ((dtype === 'string') !== (arr.dtype === 'string')) throw new ModelError('size-mismatch', `input '${info.name}' is ${dtype}, the file holds ${arr.dtype}`, { file, tensor: info.name });
  return { name: info.name, dtype, shape: arr.shape, data: castTensorData(arr.dtype, arr.data, dtype) };
}

/** Reads one input from a file of any supported kind (images are sized to the input's shape). */
export async function readInputFile(info: RuntimeValueInfo, file: string, dims: DimOverrides = {}, image: ImageOptions = {}): Promise<RuntimeTensor> {
  if (isImageFile(file)) {
    if (!info.dtype || !info.isTensor) throw new ModelError('unsupported', 'only tensor inputs can be fed from an image', { file, tensor: info.name });
    return readImageInput(file, info.name, info.dtype, resolveShape(info, dims, file), image);
  }
  return matchInput(info, await readTensorFile(file), file);
}
