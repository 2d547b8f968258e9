// Conversions between onnxruntime-node values and RuntimeTensors (inside the runtime process).
import type * as Ort from 'onnxruntime-node';
import type { DataType } from '../ir/dtype.js';
import type { RuntimeTensor, TensorArray } from './tensor-value.js';

/** An ORT output as a RuntimeTensor (float16 as Uint16 bits even where ORT hands out Float16Array). */
export function fromOrtTensor(name: string, v: Ort.Tensor): RuntimeTensor {
  const shape = v.dims.map(Number);
  const d = v.data as unknown;
  let data: TensorArray;
  if (Array.isArray(d)) data = d as string[];
  else {
    const ta = d as { buffer: ArrayBufferLike; byteOffset: number; length: number; constructor: { name: string } };
    data = ta.constructor.name === 'Float16Array' ? new Uint16Array(ta.buffer, ta.byteOffset, ta.length) : (d as TensorArray);
  }
  return { name, dtype: v.type as DataType, shape, data };
}

/** Releases what ORT may hold for a run's results (GPU-side tensors; a no-op for CPU data). */
export function disposeValues(values: Ort.InferenceSession.OnnxValueMapType): void {
  for (const v of Object.values(values)) (v as Ort.Tensor).dispose?.();
}
