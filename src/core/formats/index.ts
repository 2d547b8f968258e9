import { open, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { ModelError } from '../ir/errors.js';
import type { Model } from '../ir/graph.js';
import { readOnnxModel } from './onnx/index.js';
import { looksLikeTfjsJson, readTfjsModel } from './tfjs/index.js';
import { applyModelChecks } from '../limits.js';

export type DetectedFormat = 'onnx' | 'tfjs';

export interface OpenOptions {
  signal?: AbortSignal;
}

/** Bytes of the file's start that detection looks at. */
const HEAD_BYTES = 4096;

/**
 * Guesses the format from the file's first bytes and its name: JSON that holds a TF.js topology or
 * weights manifest is TF.js (any file name); a protobuf whose first field is ModelProto's is ONNX.
 */
export function detectFormat(fileName: string, head: Uint8Array): DetectedFormat | null {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3; // UTF-8 BOM
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (head[i] === 0x7b /* { */ || head[i] === 0x5b /* [ */) {
    const text = new TextDecoder().decode(head.subarray(i));
    if (/"(modelTopology|weightsManifest|format)"/.test(text) || head[i] === 0x5b && /"paths"|"weights"/.test(text)) return 'tfjs';
    return fileName.toLowerCase().endsWith('.json') ? 'tfjs' : null;
  }
  // ModelProto almost always starts with ir_version (field 1, varint → 0x08). Other first fields are
  // legal protobuf but also what plain text looks like, so trust them only with the .onnx name.
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.onnx')) return 'onnx';
  if (head[0] === 0x08 && head.length > 1 && head[1] < 0x80) return 'onnx';
  return null;
}

/** True when a JSON text (a `model.json` or `<name>.json`) is a TF.js model Model Lens can open. */
export function isTfjsModelJson(text: string): boolean {
  return looksLikeTfjsJson(text);
}

/** Opens a model file of any supported format into the format-neutral IR. */
export async function openModel(file: string, options: OpenOptions = {}): Promise<Model> {
  const full = path.resolve(file);
  let size: number;
  try {
    const st = await stat(full);
    if (!st.isFile()) throw new ModelError('unreadable', 'not a regular file', { file: full });
    size = st.size;
  } catch (e) {
    if (e instanceof ModelError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelError(code === 'ENOENT' ? 'not-found' : 'unreadable', code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(e)})`, { file: full });
  }
  if (size === 0) throw new ModelError('truncated', 'the file is empty', { file: full, offset: 0 });
  const head = new Uint8Array(Math.min(HEAD_BYTES, size));
  const fh = await open(full, 'r');
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  const format = detectFormat(path.basename(full), head);
  if (format === null) throw new ModelError('unknown-format', 'not an ONNX model or a TensorFlow.js model.json (unrecognised content at the start of the file)', { file: full, offset: 0 });
  const model = format === 'onnx' ? await readOnnxModel(full, { signal: options.signal }) : await readTfjsModel(full, { signal: options.signal });
  // Limits the readers cannot enforce alone, and warnings for graphs that open but are not valid
  // (cycles, self-loops, duplicate producers): the views show them instead of hanging on them.
  try {
    return applyModelChecks(model);
  } catch (e) {
    await model.close();
    throw e;
  }
}
