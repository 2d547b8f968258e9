// Many tensors as one byte buffer plus a table, for the IPC channel: structured clone handles one
// big buffer quickly but pays a large fixed cost per typed array (600 small arrays ≈ 90 ms).
import type { DataType } from '../ir/dtype.js';
import { viewArray, type RuntimeTensor, type TensorArray } from './tensor-value.js';

export interface PackedTensorEntry {
  name: string;
  dtype: DataType;
  shape: number[];
  /** Byte offset in `bytes` (8-aligned) and element count; strings travel in `strings`. */
  offset: number;
  length: number;
  strings?: string[];
}

export interface PackedTensors {
  /** An ArrayBuffer, not a view: a cloned view may land at an unaligned offset. */
  buffer: ArrayBuffer;
  entries: PackedTensorEntry[];
}

/** Copies the tensors' data into one buffer (each start 8-byte aligned). */
export function packTensors(tensors: readonly RuntimeTensor[]): PackedTensors {
  let total = 0;
  for (const t of tensors) if (!Array.isArray(t.data)) total = align8(total) + (t.data as Exclude<TensorArray, string[]>).byteLength;
  const buffer = new ArrayBuffer(align8(total));
  const bytes = new Uint8Array(buffer);
  const entries: PackedTensorEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    if (Array.isArray(t.data)) {
      entries.push({ name: t.name, dtype: t.dtype, shape: t.shape, offset: 0, length: t.data.length, strings: t.data });
      continue;
    }
    const d = t.data as Exclude<TensorArray, string[]>;
    offset = align8(offset);
    bytes.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), offset);
    entries.push({ name: t.name, dtype: t.dtype, shape: t.shape, offset, length: d.length });
    offset += d.byteLength;
  }
  return { buffer, entries };
}

/** Views the packed tensors (no copy: every tensor's data is a view into the one buffer). */
export function unpackTensors(p: PackedTensors): RuntimeTensor[] {
  return p.entries.map((e) => ({
    name: e.name,
    dtype: e.dtype,
    shape: e.shape,
    data: e.strings ?? viewArray(e.dtype, p.buffer, e.offset, e.length),
  }));
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
