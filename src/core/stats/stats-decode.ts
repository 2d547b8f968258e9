// Reads part of a weight as numbers: a page of values for the value grid, and per-row (output
// channel) min/max read block by block so a big tensor is never decoded whole. No vscode imports.
import { elementDecoder } from './decode.js';
import { ModelError } from '../ir/errors.js';
import type { Quantization, Tensor } from '../ir/tensor.js';

/** Elements decoded per block when scanning a whole tensor. */
const BLOCK_ELEMENTS = 1 << 20;

/** Elements [offset, offset + count) of a tensor, decoded to float64 (the stored values). */
export async function decodeRange(tensor: Tensor, offset: number, count: number, file: string): Promise<Float64Array> {
  const dec = elementDecoder(tensor.dtype);
  if (!dec) throw new ModelError('unsupported', `${tensor.dtype} values cannot be shown as numbers`, { file, tensor: tensor.name });
  if (offset < 0 || count < 0 || offset + count > tensor.elementCount) {
    throw new ModelError('malformed', `elements ${offset}..${offset + count} are outside the tensor (${tensor.elementCount} elements)`, { file, tensor: tensor.name });
  }
  const epg = dec.elementsPerGroup, bpg = dec.bytesPerGroup;
  const g0 = Math.floor(offset / epg);
  const g1 = Math.ceil((offset + count) / epg);
  const bytes = await tensor.data.read(g0 * bpg, Math.min((g1 - g0) * bpg, tensor.data.byteLength - g0 * bpg));
  const skip = offset - g0 * epg;
  const n = skip + count;
  const raw = dec.target === 'f32' ? new Float32Array(n) : new Float64Array(n);
  dec.decode(bytes, 0, n, raw);
  return Float64Array.from(raw.subarray(skip));
}

/**
 * Min and max of the finite values of each row along axis 0 (the output channels of conv / dense
 * weights), dequantized when the tensor is quantized. Rows without a finite value get NaN.
 */
export async function rowMinMax(tensor: Tensor, file: string, graphQuant: Quantization | undefined, signal?: AbortSignal): Promise<{ rows: number; rowSize: number; min: Float64Array; max: Float64Array }> {
  const rows = tensor.shape[0] ?? 0;
  const rowSize = rows ? tensor.elementCount / rows : 0;
  const min = new Float64Array(rows).fill(Infinity);
  const max = new Float64Array(rows).fill(-Infinity);
  const q = tensor.quantization ?? graphQuant;
  const inner = q && q.scale.length > 1 && q.axis !== undefined ? tensor.shape.slice(q.axis + 1).reduce((a, b) => a * b, 1) : 0;
  const dim = q && q.axis !== undefined ? tensor.shape[q.axis] : 1;
  const block = Math.max(rowSize, Math.floor(BLOCK_ELEMENTS / Math.max(1, rowSize)) * rowSize);
  for (let start = 0; start < tensor.elementCount; start += block) {
    if (signal?.aborted) throw new ModelError('cancelled', 'channel statistics cancelled', { file, tensor: tensor.name });
    const count = Math.min(block, tensor.elementCount - start);
    const v = await decodeRange(tensor, start, count, file);
    for (let i = 0; i < count; i++) {
      const flat = start + i;
      let x = v[i];
      if (q) {
        const s = inner ? Math.floor(flat / inner) % dim : 0;
        x = (q.scale[s] ?? q.scale[0]) * (x - (q.zeroPoint[s] ?? q.zeroPoint[0] ?? 0));
      }
      if (!Number.isFinite(x)) continue;
      const r = Math.floor(flat / rowSize);
      if (x < min[r]) min[r] = x;
      if (x > max[r]) max[r] = x;
    }
  }
  for (let r = 0; r < rows; r++) if (min[r] === Infinity) { min[r] = NaN; max[r] = NaN; }
  return { rows, rowSize, min, max };
}
