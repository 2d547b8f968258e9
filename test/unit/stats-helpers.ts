// Builders of hand-made tensors for the statistics tests.
import type { DataType } from '../../src/core/ir/dtype.js';
import type { Quantization, Tensor, TensorData } from '../../src/core/ir/tensor.js';
import type { Attribute, Graph, Model, Node, Value } from '../../src/core/ir/graph.js';
import { MemoryData } from '../../src/core/io/tensor-data.js';

export function tensorOf(name: string, dtype: DataType, shape: number[], bytes: Uint8Array, extra: { quantization?: Quantization; data?: TensorData } = {}): Tensor {
  const elementCount = shape.reduce((a, b) => a * b, 1);
  return {
    name, dtype, shape, elementCount, byteLength: bytes.byteLength, role: 'initializer',
    location: 'memory', data: extra.data ?? new MemoryData(bytes), ...(extra.quantization ? { quantization: extra.quantization } : {}),
  };
}

export function f32Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

export function f32Tensor(name: string, values: ArrayLike<number>, shape = [values.length]): Tensor {
  return tensorOf(name, 'float32', shape, f32Bytes(values));
}

/** Deterministic pseudo-random normal values (LCG + Box-Muller). */
export function normals(n: number, seed = 1, mean = 0, std = 1): Float32Array {
  let s = seed >>> 0;
  const next = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return (s + 0.5) / 4294967296; };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(next()));
    const t = 2 * Math.PI * next();
    out[i] = mean + std * r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = mean + std * r * Math.sin(t);
  }
  return out;
}

/** numpy-style linear percentile of already sorted values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const r = (p / 100) * (sorted.length - 1);
  const i = Math.floor(r);
  return i + 1 < sorted.length ? sorted[i] + (sorted[i + 1] - sorted[i]) * (r - i) : sorted[i];
}

/** A one-graph model over the given weights and nodes (inputs/outputs by value name). */
export function modelOf(weights: Tensor[], nodes: { opType: string; inputs: string[]; outputs: string[]; attributes?: Attribute[] }[], file = '/tmp/model-lens-test.onnx'): Model {
  const values = new Map<string, Value>();
  const valueOf = (name: string): Value => {
    let v = values.get(name);
    if (!v) { v = { name, consumers: [] }; values.set(name, v); }
    return v;
  };
  for (const t of weights) valueOf(t.name).tensor = t;
  const graph: Graph = { name: 'g', nodes: [], inputs: [], outputs: [], values, weights };
  for (const [i, n] of nodes.entries()) {
    const node: Node = {
      name: `n${i}`, opType: n.opType, domain: '', inputs: n.inputs.map((x) => (x ? valueOf(x) : null)), outputs: n.outputs.map(valueOf),
      attributes: n.attributes ?? [], subgraphs: [],
    };
    for (const v of node.inputs) v?.consumers.push(node);
    for (const v of node.outputs) v.producer = node;
    graph.nodes.push(node);
  }
  return {
    format: 'onnx', path: file, files: [], opsets: [], metadata: {}, graph, functions: [], properties: {},
    close: async () => undefined,
  };
}
