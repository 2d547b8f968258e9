// Edits of one file's bytes in memory: weight ranges overwritten, graph outputs spliced. Both
// keep every other byte as it was; the file writer and activation capture build on these.
import { ModelError } from '../ir/errors.js';
import { appendToGraph, encodeGraphOutputs, readGraphValueNames } from './onnx-wire.js';

/** New bytes for one byte range of a file. */
export interface BytePatch {
  offset: number;
  bytes: Uint8Array;
}

/**
 * Returns new model bytes whose main graph also outputs `names` (ValueInfoProto with only a name:
 * onnxruntime infers the type). Names already declared as outputs are not repeated.
 */
export function spliceGraphOutputs(model: Uint8Array, names: readonly string[], file = '<model>'): Uint8Array {
  const existing = new Set(readGraphValueNames(model, file).graphOutputs);
  return appendToGraph(model, encodeGraphOutputs([...new Set(names)].filter((n) => !existing.has(n))), file);
}

/** Returns a copy of `bytes` with each patch's range overwritten (offsets in the original bytes). */
export function replaceWeights(bytes: Uint8Array, patches: readonly BytePatch[], file = '<model>'): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (const p of patches) {
    if (p.offset < 0 || p.offset + p.bytes.byteLength > out.length) throw new ModelError('truncated', `a weight range [${p.offset}, ${p.offset + p.bytes.byteLength}) runs past the end of the file (${out.length} bytes)`, { file, offset: p.offset });
    out.set(p.bytes, p.offset);
  }
  return out;
}

/**
 * Weight patches first (their offsets are the original file's), then the outputs splice: one pass
 * for capturing an edited model, or comparing two versions of one.
 */
export function editModelBytes(bytes: Uint8Array, changes: { patches?: readonly BytePatch[]; outputs?: readonly string[] }, file = '<model>'): Uint8Array {
  const patched = changes.patches?.length ? replaceWeights(bytes, changes.patches, file) : bytes;
  return changes.outputs?.length ? spliceGraphOutputs(patched, changes.outputs, file) : patched;
}
