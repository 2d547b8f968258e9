// ONNX models the runtime tests need beyond the shared fixtures (test/fixtures/onnx): slow, many
// dtypes, huge output, and truncation of a fixture's graph for the activation-capture reference.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { encodeModel, f32, type ModelSpec, type NodeSpec } from '../fixtures/onnx/writer.js';

function seq(n: number, scale: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + scale) * scale);
}

/** The model of `spec` cut after its first `upTo` nodes, outputting the last kept node's first output. */
export function truncatedModel(spec: ModelSpec, upTo: number): Uint8Array {
  const nodes = spec.graph.nodes.slice(0, upTo);
  const used = new Set(nodes.flatMap((n) => n.inputs));
  const last = nodes[nodes.length - 1].outputs[0];
  return encodeModel({
    ...spec,
    graph: {
      ...spec.graph,
      nodes,
      outputs: [{ name: last }],
      initializers: spec.graph.initializers?.filter((t) => used.has(t.name!)),
      valueInfo: [],
    },
  });
}

/** A chain of `n` MatMuls of x [size, size] with a fixed weight: slow enough to cancel. */
export function slowModel(n = 8, size = 384): Uint8Array {
  const nodes: NodeSpec[] = [];
  let prev = 'x';
  for (let i = 0; i < n; i++) {
    const out = i === n - 1 ? 'y' : `m${i}`;
    nodes.push({ op: 'MatMul', inputs: [prev, 'w'], outputs: [out] });
    prev = out;
  }
  return encodeModel({
    graph: {
      name: 'slow', nodes,
      inputs: [{ name: 'x', dtype: 'float32', shape: [size, size] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [size, size] }],
      initializers: [{ name: 'w', dtype: 'float32', dims: [size, size], raw: f32(seq(size * size, 1 / size)) }],
    },
  });
}

/** Identity on inputs of many dtypes (ids int64, mask bool, half float16, text string, bytes uint8, count int32). */
export function dtypesModel(): Uint8Array {
  const specs = [
    ['ids', 'int64', ['batch', 'sequence_length']],
    ['mask', 'bool', ['batch', 'sequence_length']],
    ['half', 'float16', [2, 3]],
    ['text', 'string', [2]],
    ['bytes', 'uint8', [1, 3, 'height', 'width']],
    ['count', 'int32', ['p2o.DynamicDimension.0', 'unk__132', null]],
    ['wide', 'float64', []],
  ] as const;
  return encodeModel({
    graph: {
      name: 'dtypes',
      nodes: specs.map(([n]) => ({ op: 'Identity', inputs: [n], outputs: [`${n}_out`] })),
      inputs: specs.map(([name, dtype, shape]) => ({ name, dtype, shape: [...shape] })),
      outputs: specs.map(([name, dtype]) => ({ name: `${name}_out`, dtype, shape: null })),
    },
  });
}

/** x float32 [1, 16] → Tile 2048×2048 → 256 MB output: for the memory guard. */
export function bigOutputModel(): Uint8Array {
  return encodeModel({
    graph: {
      name: 'big',
      nodes: [{ op: 'Tile', inputs: ['x', 'reps'], outputs: ['y'] }],
      inputs: [{ name: 'x', dtype: 'float32', shape: [1, 16] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: null }],
      initializers: [{ name: 'reps', dtype: 'int64', dims: [2], int64Data: [4096, 1024] }],
    },
  });
}

/** Writes model bytes to `dir/name` and returns the path. */
export function writeModel(dir: string, name: string, bytes: Uint8Array): string {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/**
 * 24 nodes over x float32 [N, 6] with values of several dtypes and ranks: enough captured values
 * that capture gathers them in-graph (PACK_MIN_VALUES). Outputs y (float32) and n (int64 scalar).
 */
export function mixedChainModel(): Uint8Array {
  const nodes: NodeSpec[] = [];
  let prev = 'x';
  for (let i = 0; i < 16; i++) {
    const op = ['Relu', 'Neg', 'Sigmoid', 'Abs'][i % 4];
    nodes.push({ op, inputs: [prev], outputs: [`f${i}`] });
    prev = `f${i}`;
  }
  nodes.push(
    { op: 'Shape', inputs: [prev], outputs: ['shape'] },
    { op: 'ReduceSum', inputs: ['shape'], outputs: ['n'], attributes: [{ name: 'keepdims', i: 0 }] },
    { op: 'Greater', inputs: [prev, 'half'], outputs: ['big'] },
    { op: 'Cast', inputs: ['big'], outputs: ['big_f'], attributes: [{ name: 'to', i: 1 }] },
    { op: 'Cast', inputs: [prev], outputs: ['h16'], attributes: [{ name: 'to', i: 10 }] },
    { op: 'Cast', inputs: ['h16'], outputs: ['back'], attributes: [{ name: 'to', i: 1 }] },
    { op: 'Add', inputs: ['back', 'big_f'], outputs: ['sum'] },
    { op: 'Reshape', inputs: ['sum', 'flat'], outputs: ['y'] },
  );
  return encodeModel({
    graph: {
      name: 'mixed', nodes,
      inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 6] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: null }, { name: 'n', dtype: 'int64', shape: [] }],
      initializers: [
        { name: 'half', dtype: 'float32', dims: [], raw: f32([0.5]) },
        { name: 'flat', dtype: 'int64', dims: [1], int64Data: [-1] },
      ],
    },
  });
}
