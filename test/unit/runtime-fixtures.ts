// Small ONNX models for the runtime tests, written with the ONNX fixture writer.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { encodeModel, f32, type GraphSpec, type NodeSpec } from '../fixtures/onnx/writer.js';

/** y = 2x + 1 over float32 [batch, 4]; the intermediate is `scaled`. */
export function linearModel(): Uint8Array {
  return encodeModel({
    graph: {
      name: 'linear',
      nodes: [
        { op: 'Mul', inputs: ['x', 'two'], outputs: ['scaled'], name: 'mul' },
        { op: 'Add', inputs: ['scaled', 'one'], outputs: ['y'], name: 'add' },
      ],
      inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 4] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: ['batch', 4] }],
      initializers: [
        { name: 'two', dtype: 'float32', dims: [1], raw: f32([2]) },
        { name: 'one', dtype: 'float32', dims: [1], raw: f32([1]) },
      ],
    },
  });
}

function seq(n: number, scale: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + scale) * scale);
}

const MLP_NODES: NodeSpec[] = [
  { op: 'MatMul', inputs: ['x', 'w1'], outputs: ['h1'], name: 'fc1' },
  { op: 'Add', inputs: ['h1', 'b1'], outputs: ['h1b'], name: 'fc1_bias' },
  { op: 'Relu', inputs: ['h1b'], outputs: ['h1r'], name: 'relu' },
  { op: 'MatMul', inputs: ['h1r', 'w2'], outputs: ['h2'], name: 'fc2' },
  { op: 'Add', inputs: ['h2', 'b2'], outputs: ['y'], name: 'fc2_bias' },
];

/** x [batch, 8] → MatMul/Add/Relu/MatMul/Add → y [batch, 4]. `upTo` keeps the first nodes and outputs the last one's value. */
export function mlpModel(upTo?: number): Uint8Array {
  const nodes = upTo === undefined ? MLP_NODES : MLP_NODES.slice(0, upTo);
  const last = nodes[nodes.length - 1].outputs[0];
  const graph: GraphSpec = {
    name: 'mlp',
    nodes,
    inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 8] }],
    outputs: [{ name: last, dtype: 'float32', shape: null }],
    initializers: [
      { name: 'w1', dtype: 'float32', dims: [8, 16], raw: f32(seq(128, 0.5)) },
      { name: 'b1', dtype: 'float32', dims: [16], raw: f32(seq(16, 0.1)) },
      { name: 'w2', dtype: 'float32', dims: [16, 4], raw: f32(seq(64, 0.3)) },
      { name: 'b2', dtype: 'float32', dims: [4], raw: f32(seq(4, 0.2)) },
    ].filter((t) => nodes.some((n) => n.inputs.includes(t.name))) as GraphSpec['initializers'],
  };
  return encodeModel({ graph });
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
