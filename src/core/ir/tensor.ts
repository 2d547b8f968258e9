import type { DataType } from './dtype.js';

/** A contiguous byte range of a file on disk. */
export interface FileRange {
  path: string;
  offset: number;
  length: number;
}

/**
 * A tensor's bytes, read only when asked for. The bytes are the packed little-endian encoding of
 * the tensor's stored `dtype` (what ONNX calls raw_data; sub-byte types two or more to a byte,
 * low bits first). String tensors have no byte encoding: use `strings()`.
 */
export interface TensorData {
  /** Total bytes of the encoding. */
  readonly byteLength: number;
  /** Reads `length` bytes from `start` of the encoding (default: all of it). Fresh, exact-size array. */
  read(start?: number, length?: number): Promise<Uint8Array>;
  /**
   * The file ranges whose concatenation is exactly the encoding, or null when the bytes must be
   * decoded (e.g. ONNX varint fields). Lets a worker read a tensor without the host copying it.
   */
  fileRanges(): FileRange[] | null;
  /** For string tensors only. */
  strings?(): Promise<string[]>;
}

/**
 * Affine quantization: real = scale · (q − zeroPoint). One entry per tensor, or one per slice along
 * `axis` (per-channel). TF.js's uint8/uint16 storage (`min`, `scale`) maps to zeroPoint = −min/scale.
 */
export interface Quantization {
  scale: number[];
  zeroPoint: number[];
  axis?: number;
  /** Where the parameters came from: `tfjs-affine`, `onnx-dequantize-linear`… */
  origin: string;
}

/** Where a weight sits in the model, for display and for counting parameters. */
export type TensorRole = 'initializer' | 'constant' | 'sparse-initializer' | 'weight' | 'attribute';

/** A weight (or a constant) with its metadata; the bytes stay on disk until `data.read()`. */
export interface Tensor {
  name: string;
  /** Element type of the stored bytes (e.g. uint8 for a TF.js quantized weight). */
  dtype: DataType;
  /** Type the model computes with when it differs from storage (TF.js float16 / affine → float32). */
  logicalType?: DataType;
  shape: number[];
  elementCount: number;
  byteLength: number;
  role: TensorRole;
  quantization?: Quantization;
  /** Human-readable location of the bytes: `model.onnx @ 1234`, `group1-shard1of2.bin @ 0`. */
  location: string;
  docString?: string;
  data: TensorData;
}
