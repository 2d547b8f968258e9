// The graph ONNX Runtime actually runs: a session at the plain run's optimization level writes its
// optimized model (`optimizedModelFilePath`), which capture then taps (capture-fused.ts says which
// source values it still computes). Level 'all' may write CPU-specific fused and layout ops
// (com.microsoft, NCHWc); the tapped copy is loaded on the same provider with optimization
// 'disabled', so adding outputs cannot undo or change the fusion.
// ORT may also write graph inputs that the plain session never asked for: an initializer that was
// declared as a graph input too (IR < 4, e.g. SqueezeNet's `<weight>__SHAPE`) and that constant
// folding left unused stays behind as an input with no initializer, which the caller cannot feed.
// Such inputs no optimized node reads are dropped, so the optimized graph takes the plain feeds.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { dropGraphInputs, readGraphNodes, readGraphValueNames } from '../model-write/index.js';
import { mapFusion, type FusionMap } from './capture-fused.js';

export interface OptimizedModel {
  bytes: Uint8Array;
  fusion: FusionMap;
}

/**
 * Writes and reads back the optimized model, or null when ORT cannot write it (e.g. a model over
 * 2 GB whose initializers would have to go inline): capture then uses the source graph as before.
 */
export async function buildOptimizedModel(
  create: (options: Ort.InferenceSession.SessionOptions) => Promise<Ort.InferenceSession>,
  sourceBytes: Uint8Array,
  file: string,
  /** The plain session's inputs: never dropped, they are what every run feeds. */
  fedInputs: readonly string[] = [],
): Promise<OptimizedModel | null> {
  const dir = await mkdtemp(path.join(tmpdir(), 'model-lens-optimized-'));
  try {
    const out = path.join(dir, 'optimized.onnx');
    const s = await create({ graphOptimizationLevel: 'all', optimizedModelFilePath: out });
    await s.release();
    const written = await readFile(out);
    const optimized = readGraphNodes(written, file);
    const needed = new Set([...optimized.flatMap((n) => n.inputs), ...readGraphValueNames(written, file).graphOutputs, ...fedInputs]);
    const bytes = dropGraphInputs(written, (n) => !needed.has(n), file);
    const outputs = optimized.flatMap((n) => n.outputs.filter(Boolean));
    return { bytes, fusion: mapFusion(readGraphNodes(sourceBytes, file), outputs, optimized.map((n) => n.name)) };
  } catch {
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
