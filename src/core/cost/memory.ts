// Activation memory of one forward pass: the peak of live tensors when nodes run in topological
// order and each value is freed after its last consumer, and the total that training keeps for
// the backward pass. Weights (and values computed only from weights) are not activations.
import type { DataType } from '../ir/dtype.js';
import type { Value } from '../ir/graph.js';
import type { ShapeResolution } from '../shapes/index.js';
import { prod } from '../shapes/small-tensor.js';

export interface ActivationMemory {
  /** Largest sum of live activation bytes at any point of the forward pass. */
  peakBytes: number;
  /** Name of the node running when the peak was reached. */
  peakAt: string | null;
  /** Every activation (graph inputs and node outputs) at once: what a training step stores for backward. */
  totalBytes: number;
}

/** Bytes of a value under the resolved shapes (0 when unknown). */
export function valueBytes(res: ShapeResolution, v: Value): number {
  const k = res.known.get(v);
  if (!k?.shape) return 0;
  return prod(k.shape) * bytesPerElement(k.dtype ?? v.type?.dtype);
}

/** Peak and total activation bytes of the main graph. */
export function activationMemory(res: ShapeResolution): ActivationMemory {
  const position = new Map(res.order.map((n, i) => [n, i]));
  const lastUse = new Map<Value, number>();
  const outputs = new Set(res.graph.outputs);
  for (const node of res.order) {
    for (const v of node.inputs) if (v) lastUse.set(v, Math.max(lastUse.get(v) ?? -1, position.get(node)!));
  }
  // Subgraph bodies read outer values too: keep those alive until their owner node has run.
  for (const node of res.order) {
    for (const g of node.subgraphs) {
      for (const sub of g.nodes) for (const v of sub.inputs) {
        if (v && res.known.has(v)) lastUse.set(v, Math.max(lastUse.get(v) ?? -1, position.get(node)!));
      }
    }
  }
  const isActivation = (v: Value) => !res.constant.has(v) && !v.tensor;
  let live = 0, peak = 0, total = 0;
  let peakAt: string | null = null;
  for (const v of res.graph.inputs) if (isActivation(v)) { const b = valueBytes(res, v); live += b; total += b; }
  peak = live;
  res.order.forEach((node, i) => {
    for (const v of node.outputs) if (isActivation(v)) { const b = valueBytes(res, v); live += b; total += b; }
    if (live > peak) { peak = live; peakAt = node.name || node.opType; }
    const freed = new Set<Value>();
    for (const v of [...node.inputs, ...node.outputs]) {
      if (!v || freed.has(v) || !isActivation(v) || outputs.has(v)) continue;
      if ((lastUse.get(v) ?? -1) <= i) { freed.add(v); live -= valueBytes(res, v); }
    }
  });
  return { peakBytes: peak, peakAt, totalBytes: total };
}

/** Bytes per element for memory estimates (sub-byte types round to a fraction; unknown → 4). */
export function bytesPerElement(dtype: DataType | undefined): number {
  switch (dtype) {
    case 'float64': case 'int64': case 'uint64': case 'complex64': return 8;
    case 'complex128': return 16;
    case 'float16': case 'bfloat16': case 'int16': case 'uint16': return 2;
    case 'int8': case 'uint8': case 'bool': case 'float8e4m3fn': case 'float8e4m3fnuz': case 'float8e5m2': case 'float8e5m2fnuz': case 'float8e8m0': return 1;
    case 'int4': case 'uint4': case 'float4e2m1': return 0.5;
    case 'int2': case 'uint2': return 0.25;
    default: return 4;
  }
}
