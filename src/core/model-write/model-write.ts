// Writes a changed copy of a model: every file of the model is copied under the new main file's
// folder with the same relative names (ONNX external data, TF.js shards), each edited weight's
// byte ranges are overwritten in the copies, and (ONNX) the requested graph outputs are spliced
// into the main file. The original files are never opened for writing, and a copy that would
// land on an original is refused.
import { copyFile, mkdir, open, readFile, realpath, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ModelError } from '../ir/errors.js';
import type { Model } from '../ir/graph.js';
import type { Tensor } from '../ir/tensor.js';
import { editModelBytes, type BytePatch } from './edit-bytes.js';

/** What to change in the copy: new bytes per weight, and extra graph outputs (ONNX). */
export interface ModelChanges {
  weights?: ReadonlyMap<Tensor, Uint8Array>;
  outputs?: readonly string[];
}

/** Where the copy went: the new main file and every file written. */
export interface ModifiedModelFiles {
  modelPath: string;
  files: string[];
  /** Bytes overwritten in the copies. */
  patchedBytes: number;
}

async function realOrSelf(p: string): Promise<string> {
  try { return await realpath(p); } catch { return path.resolve(p); }
}

/**
 * Copies the model to `outPath` (side files next to it, same relative names) and overwrites the
 * bytes of each edited tensor. Each edit must have the tensor's byte length, and the tensor must be
 * stored as plain file ranges (raw bytes), which is how ONNX raw_data, external data and TF.js shards store weights.
 */
export function writeModifiedModel(model: Model, edits: ReadonlyMap<Tensor, Uint8Array>, outPath: string): Promise<ModifiedModelFiles> {
  return writeModel(model, { weights: edits }, outPath);
}

/** Copies the model to `outPath` with the weight edits and extra graph outputs of `changes` applied in one pass. */
export async function writeModel(model: Model, changes: ModelChanges, outPath: string): Promise<ModifiedModelFiles> {
  const edits = changes.weights ?? new Map<Tensor, Uint8Array>();
  const outputs = changes.outputs ?? [];
  const srcMain = path.resolve(model.path);
  const srcDir = path.dirname(srcMain);
  const outMain = path.resolve(outPath);
  const outDir = path.dirname(outMain);
  const mapped = new Map<string, string>();
  mapped.set(await realOrSelf(srcMain), outMain);
  for (const f of model.files) {
    const abs = path.resolve(f);
    if (abs === srcMain) continue;
    const rel = path.relative(srcDir, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new ModelError('path-escape', `side file ${abs} is outside the model folder; cannot copy it next to ${outMain}`, { file: srcMain });
    mapped.set(await realOrSelf(abs), path.join(outDir, rel));
  }
  const originals = new Set(mapped.keys());
  for (const dest of mapped.values()) {
    if (originals.has(await realOrSelf(dest))) throw new ModelError('path-escape', `refusing to write ${dest}: it is one of the model's own files`, { file: srcMain });
  }

  if (outputs.length && model.format !== 'onnx') throw new ModelError('unsupported', `extra graph outputs can only be written into ONNX models, not ${model.format}`, { file: srcMain });

  const patches: { file: string; offset: number; bytes: Uint8Array }[] = [];
  for (const [tensor, bytes] of edits) {
    const ranges = tensor.data.fileRanges();
    if (!ranges) throw new ModelError('unsupported', `tensor '${tensor.name}' is not stored as raw bytes in the file, so it cannot be replaced in place`, { file: srcMain, tensor: tensor.name });
    const total = ranges.reduce((a, r) => a + r.length, 0);
    if (total !== bytes.byteLength) throw new ModelError('size-mismatch', `new bytes for '${tensor.name}' are ${bytes.byteLength} long, the stored tensor is ${total}`, { file: srcMain, tensor: tensor.name });
    let pos = 0;
    for (const r of ranges) {
      const dest = mapped.get(await realOrSelf(r.path));
      if (!dest) throw new ModelError('unsupported', `tensor '${tensor.name}' lives in ${r.path}, which is not one of the model's files`, { file: srcMain, tensor: tensor.name });
      patches.push({ file: dest, offset: r.offset, bytes: bytes.subarray(pos, pos + r.length) });
      pos += r.length;
    }
  }

  for (const [src, dest] of mapped) {
    await mkdir(path.dirname(dest), { recursive: true });
    await copyFile(src, dest);
  }
  let patchedBytes = 0;
  if (outputs.length) {
    // The main file is rewritten whole (its graph grows); its weight patches go in the same pass.
    const mainPatches: BytePatch[] = patches.filter((p) => p.file === outMain);
    const bytes = editModelBytes(await readFile(outMain), { patches: mainPatches, outputs }, srcMain);
    await writeFile(outMain, bytes);
    patchedBytes += mainPatches.reduce((a, p) => a + p.bytes.byteLength, 0);
  }
  for (const p of patches) {
    if (outputs.length && p.file === outMain) continue;
    const fh = await open(p.file, 'r+');
    try {
      let done = 0;
      while (done < p.bytes.byteLength) {
        const { bytesWritten } = await fh.write(p.bytes, done, p.bytes.byteLength - done, p.offset + done);
        done += bytesWritten;
      }
      patchedBytes += done;
    } finally {
      await fh.close();
    }
  }
  return { modelPath: outMain, files: [...mapped.values()], patchedBytes };
}
