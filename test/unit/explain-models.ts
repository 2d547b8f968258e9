// Small ONNX models for the explain tests (cost, formulas, by-hand values), opened through the real reader.
import { rmSync } from 'node:fs';
import { openModel } from '../../src/core/formats/index.js';
import type { Model } from '../../src/core/ir/graph.js';
import { encodeModel, f32, tempDir, writeFixture, type ModelSpec, type NodeSpec, type TensorSpec, type ValueInfoSpec } from '../fixtures/onnx/index.js';

const dirs: string[] = [];
let counter = 0;

/** Writes the spec to a temp file and opens it; `cleanupModels()` removes the files. */
export async function openSpec(spec: ModelSpec): Promise<Model> {
  const dir = tempDir('explain');
  dirs.push(dir);
  return openModel(writeFixture(dir, `m${counter++}.onnx`, encodeModel(spec)));
}

/** Writes model bytes to a temp file and returns its path. */
export function writeTemp(name: string, bytes: Uint8Array): string {
  const dir = tempDir('explain');
  dirs.push(dir);
  return writeFixture(dir, name, bytes);
}

export function cleanupModels(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Deterministic pseudo-random values in [-1, 1). */
export function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** A float32 initializer with pseudo-random values. */
export function weight(name: string, dims: number[], seed: number): TensorSpec {
  return { name, dtype: 'float32', dims, raw: f32(values(dims.reduce((a, b) => a * b, 1), seed)) };
}

/** A one-node model: inputs named by `inputs` (weights among them come from `inits`). */
export function oneNode(node: NodeSpec, inputs: ValueInfoSpec[], inits: TensorSpec[], outputs: ValueInfoSpec[], opsets?: ModelSpec['opsets']): ModelSpec {
  return { opsets, graph: { name: 'one', nodes: [node], inputs, outputs, initializers: inits } };
}
