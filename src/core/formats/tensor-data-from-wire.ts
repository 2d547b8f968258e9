// A tensor's TensorData across a thread boundary: described as data (io/tensor-data-wire.ts) by the
// thread that parsed the model, rebuilt as the same class by the thread that uses it.
import { FileRangesData, MemoryData } from '../io/tensor-data.js';
import { isDescribable, exactBytes, type TensorDataWire } from '../io/tensor-data-wire.js';
import { errorFromWire, errorToWire, type ErrorWire } from '../ir/errors.js';
import type { FileRange, TensorData } from '../ir/tensor.js';
import { BytesData, InvalidData, MemoryStrings, OnnxDecodedData, StringData } from './onnx/tensor-data.js';
import { LengthPrefixedStringsData } from './tfjs/shard-reader.js';

/**
 * Describes a TensorData. One without a recipe (a decoder closure) is read here, once: that keeps
 * the receiving side exact, at the cost of those bytes (only small in-memory constants take it).
 */
export async function describeData(d: TensorData): Promise<TensorDataWire> {
  if (isDescribable(d)) {
    try {
      return d.toWire();
    } catch { /* a part without a recipe: read it below */ }
  }
  try {
    const bytes = exactBytes(await d.read());
    const strings = d.strings ? await d.strings() : undefined;
    return strings ? { kind: 'read', bytes, strings } : { kind: 'read', bytes };
  } catch (e) {
    return { kind: 'read-error', byteLength: d.byteLength, error: errorToWire(e) };
  }
}

/** Rebuilds one TensorData from its description. */
export function dataFromWire(w: TensorDataWire): TensorData {
  switch (w.kind) {
    case 'ranges': return new FileRangesData(w.ranges);
    case 'bytes': return w.sync ? new BytesData(w.bytes) : new MemoryData(w.bytes);
    case 'invalid': return new InvalidData(w.byteLength, w.code, w.why, w.place);
    case 'string-fields': return new StringData(w.source, w.offsets, w.lengths);
    case 'strings': return new MemoryStrings(w.values);
    case 'varints': return new OnnxDecodedData(w.byteLength, { kind: 'varints', source: w.source, dtype: w.dtype, count: w.count }, w.place);
    case 'sparse': {
      // `sync` is only ever true for in-memory readers, which no worker uses.
      const recipe = { kind: 'sparse' as const, values: dataFromWire(w.values), indices: dataFromWire(w.indices), dtype: w.dtype, dims: w.dims, nnz: w.nnz, idxRank: w.idxRank, sync: false };
      return new OnnxDecodedData(w.byteLength, recipe, w.place);
    }
    case 'tfjs-strings': return new LengthPrefixedStringsData(w.ranges, w.count, w.tensor, w.file);
    case 'read': return new ReadData(w.bytes, w.strings);
    case 'read-error': return new FailedData(w.byteLength, w.error);
  }
}

/** Bytes (and strings) the worker read for a TensorData that had no recipe. */
class ReadData extends MemoryData {
  constructor(bytes: Uint8Array, values?: string[]) {
    super(bytes);
    if (values) this.strings = async () => values.slice();
  }
  declare strings?: () => Promise<string[]>;
}

/** A TensorData whose read failed in the worker: reading here fails the same way. */
class FailedData implements TensorData {
  constructor(readonly byteLength: number, private readonly error: ErrorWire) {}
  private fail(): never {
    throw errorFromWire(this.error);
  }
  async read(): Promise<Uint8Array> { this.fail(); }
  async strings(): Promise<string[]> { this.fail(); }
  fileRanges(): FileRange[] | null { return null; }
}
