// Output tensors as files: .npy bytes or JSON text (host side; the webview never writes files).
import { encodeNpy } from '../runtime/npy.js';
import { toNumberArray, type RuntimeTensor } from '../runtime/tensor-value.js';

/** A tensor as .npy bytes (strings cannot be .npy). */
export function tensorNpy(t: RuntimeTensor): Uint8Array {
  return encodeNpy({ dtype: t.dtype, shape: t.shape, data: t.data });
}

/** A tensor as JSON `{ name, dtype, shape, data }` (NaN/Infinity as null; int64 as numbers). */
export function tensorJson(t: RuntimeTensor): string {
  const data = Array.isArray(t.data) ? t.data : Array.from(toNumberArray(t), (x) => (Number.isFinite(x) ? x : null));
  return JSON.stringify({ name: t.name, dtype: t.dtype, shape: t.shape, data });
}
