// TensorProto files (`test_data_set_N/input_K.pb`, `output_K.pb` of the ONNX backend tests): the
// same TensorProto code as the model reader, decoded fully into memory (they are small).
import { readFileSync, statSync } from 'node:fs';
import type { DataType } from '../../ir/dtype.js';
import { ModelError } from '../../ir/errors.js';
import { Msg } from './schema.js';
import { isSyncReadable } from './tensor-data.js';
import { parseTensor } from './tensor-proto.js';
import { DEFAULT_WIRE_LIMITS, WireReader } from './wire-reader.js';

/** A tensor decoded from a TensorProto: packed little-endian bytes (or strings) plus its header. */
export interface DecodedTensor {
  name: string;
  dtype: DataType;
  shape: number[];
  elementCount: number;
  /** Packed LE encoding of `dtype` (ONNX raw_data layout); empty for string tensors. */
  bytes: Uint8Array;
  /** The elements of a string tensor. */
  strings?: string[];
}

/** Largest TensorProto file decoded into memory. */
const MAX_TENSOR_FILE = 2 ** 31 - 1;

/** Decodes a serialized TensorProto held in memory. `fileLabel` names it in error messages. */
export function decodeTensorProto(bytes: Uint8Array, fileLabel: string): DecodedTensor {
  const r = WireReader.fromBytes(bytes, fileLabel, 'tensor', DEFAULT_WIRE_LIMITS);
  r.setRoot(Msg.Tensor);
  const ctx = { r, filePath: null, label: fileLabel, externalFiles: new Set<string>(), externalSizes: new Map<string, number>() };
  const t = parseTensor(ctx, bytes.length, 'initializer', '');
  const out: DecodedTensor = { name: t.name, dtype: t.dtype, shape: t.shape, elementCount: t.elementCount, bytes: new Uint8Array(0) };
  const data = t.data;
  if (!isSyncReadable(data)) throw new ModelError('unsupported', 'tensor data cannot be decoded from memory', { file: fileLabel, tensor: t.name });
  if (t.dtype === 'string') out.strings = data.stringsSync ? data.stringsSync() : [];
  else out.bytes = data.readSync();
  return out;
}

/** Reads and decodes a TensorProto file (`input_0.pb`). */
export function readTensorProtoFile(path: string): DecodedTensor {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new ModelError('not-found', 'file not found', { file: path });
  }
  if (size > MAX_TENSOR_FILE) throw new ModelError('limit', `a TensorProto file of ${size} bytes is too large to decode in memory`, { file: path });
  return decodeTensorProto(readFileSync(path), path);
}

export type TypedValues =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | string[];

/**
 * The decoded values as the natural typed array (a copy, aligned): float16/bfloat16 as their raw
 * Uint16Array bits (what onnxruntime's float16 tensors take), bool as Uint8Array, strings as
 * string[]. Null for types with no such array (float8, 4-bit, 2-bit, complex).
 */
export function typedValues(t: DecodedTensor): TypedValues | null {
  if (t.dtype === 'string') return t.strings ?? [];
  const buf = t.bytes.slice().buffer;
  switch (t.dtype) {
    case 'float32': return new Float32Array(buf);
    case 'float64': return new Float64Array(buf);
    case 'int8': return new Int8Array(buf);
    case 'uint8': case 'bool': return new Uint8Array(buf);
    case 'int16': return new Int16Array(buf);
    case 'uint16': case 'float16': case 'bfloat16': return new Uint16Array(buf);
    case 'int32': return new Int32Array(buf);
    case 'uint32': return new Uint32Array(buf);
    case 'int64': return new BigInt64Array(buf);
    case 'uint64': return new BigUint64Array(buf);
    default: return null;
  }
}
