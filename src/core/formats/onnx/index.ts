// The ONNX reader: `.onnx` file → IR Model, and TensorProto files → decoded tensors.
import { basename, resolve } from 'node:path';
import { ModelError } from '../../ir/errors.js';
import type { Model } from '../../ir/graph.js';
import type { ParseContext } from './graph-proto.js';
import { parseModel } from './model-proto.js';
import { DEFAULT_WIRE_LIMITS, WireReader, type WireLimits } from './wire-reader.js';

export { decodeTensorProto, readTensorProtoFile, typedValues, type DecodedTensor, type TypedValues } from './tensor-file.js';
export { dtypeFromOnnx, onnxFromDtype, onnxTypeName } from './schema.js';
export { looksLikeOnnx } from './sniff.js';
export { DEFAULT_WIRE_LIMITS, type WireLimits } from './wire-reader.js';

export interface OnnxReadOptions {
  /** Checked while reading; an aborted read throws ModelError 'cancelled'. */
  signal?: AbortSignal;
  /** Override the nesting depth, largest-string and node-count limits. */
  limits?: Partial<WireLimits>;
}

/** Filled in by readOnnxModel when given (the benchmark uses it): bytes read from the model file. */
export interface OnnxReadStats {
  bytesRead: number;
}

/**
 * Reads an ONNX model's structure. Tensor bytes stay in the file (or its external data files):
 * each weight's TensorData reads them on demand. Errors a file can cause are ModelErrors naming
 * the file, the byte offset and the field path.
 */
export async function readOnnxModel(path: string, options: OnnxReadOptions = {}, stats?: OnnxReadStats): Promise<Model> {
  const abs = resolve(path);
  const cancelled = () => new ModelError('cancelled', 'reading was cancelled', { file: abs });
  if (options.signal?.aborted) throw cancelled();
  const limits: WireLimits = { ...DEFAULT_WIRE_LIMITS, ...options.limits };
  const r = WireReader.openFile(abs, 'model', limits);
  try {
    const ctx: ParseContext = {
      r, filePath: abs, label: basename(abs), externalFiles: new Set(), externalSizes: new Map(),
      builds: [], signal: options.signal, nodeCount: 0,
    };
    const model = await parseModel(ctx, abs);
    if (options.signal?.aborted) throw cancelled();
    if (stats) stats.bytesRead = r.bytesRead;
    return model;
  } finally {
    r.close();
  }
}
