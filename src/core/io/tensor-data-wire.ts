// A tensor's TensorData as plain, structured-cloneable data: what a thread that parsed a model hands
// to the thread that uses it. The bytes stay where they are (file ranges, or the few bytes a reader
// already held in memory); the receiving side rebuilds the same TensorData class from the recipe.
import type { DataType } from '../ir/dtype.js';
import type { ErrorPlace, ErrorWire, ModelErrorCode } from '../ir/errors.js';
import type { FileRange, TensorData } from '../ir/tensor.js';

/** Where bytes are: ranges of files, or bytes in memory (moved to the receiver, not copied). */
export type PayloadWire = { kind: 'file'; ranges: FileRange[] } | { kind: 'memory'; bytes: Uint8Array };

/** One TensorData, described. Each kind names the class that rebuilds it. */
export type TensorDataWire =
  /** FileRangesData. */
  | { kind: 'ranges'; ranges: FileRange[] }
  /** MemoryData (`sync` false) or ONNX BytesData (`sync` true: also readable synchronously). */
  | { kind: 'bytes'; bytes: Uint8Array; sync: boolean }
  /** ONNX InvalidData: reading fails with this error. */
  | { kind: 'invalid'; byteLength: number; code: ModelErrorCode; why: string; place: ErrorPlace & { field: string; tensor: string } }
  /** ONNX string_data: each element a byte range of the source. */
  | { kind: 'string-fields'; source: PayloadWire; offsets: number[]; lengths: number[] }
  /** Strings already decoded. */
  | { kind: 'strings'; values: string[] }
  /** ONNX int32/int64/uint64_data varints, decoded on read. */
  | { kind: 'varints'; byteLength: number; source: PayloadWire; dtype: DataType; count: number; place: ErrorPlace & { field: string; tensor: string } }
  /** ONNX sparse tensor, densified on read. */
  | { kind: 'sparse'; byteLength: number; values: TensorDataWire; indices: TensorDataWire; dtype: DataType; dims: number[]; nnz: number; idxRank: number; place: ErrorPlace & { field: string; tensor: string } }
  /** TF.js string weight: length-prefixed UTF-8 strings over shard ranges. */
  | { kind: 'tfjs-strings'; ranges: FileRange[]; count: number; tensor: string; file: string }
  /** A TensorData with no recipe, read once by the sender: its bytes (and strings), or its error. */
  | { kind: 'read'; bytes: Uint8Array; strings?: string[] }
  | { kind: 'read-error'; byteLength: number; error: ErrorWire };

/** A TensorData that can describe itself as data. */
export interface DescribableData extends TensorData {
  toWire(): TensorDataWire;
}

export function isDescribable(d: TensorData): d is DescribableData {
  // An own `strings` patched onto an instance is a closure the recipe would lose.
  return typeof (d as Partial<DescribableData>).toWire === 'function' && !Object.prototype.hasOwnProperty.call(d, 'strings');
}

/**
 * The bytes as an array that owns its whole buffer: a view into a larger buffer would clone (or
 * move) all of it.
 */
export function exactBytes(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer ? b : b.slice();
}

/** The ArrayBuffers a description holds, to move rather than copy them. */
export function wireBuffers(w: TensorDataWire, out: Set<ArrayBuffer>): void {
  const add = (b: Uint8Array) => {
    if (b.byteLength && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) out.add(b.buffer);
  };
  switch (w.kind) {
    case 'bytes': case 'read': add(w.bytes); break;
    case 'string-fields': case 'varints': if (w.source.kind === 'memory') add(w.source.bytes); break;
    case 'sparse': wireBuffers(w.values, out); wireBuffers(w.indices, out); break;
    default: break;
  }
}
