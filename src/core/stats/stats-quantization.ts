/**
 * Quantization parameters that live in the graph rather than on the tensor: an integer weight fed
 * to DequantizeLinear (or the weight input of QLinearConv / QLinearMatMul) whose scale and zero
 * point are constants. ONNX readers leave such weights as plain int8/uint8 tensors.
 */
import type { Graph, Model, Node, Value } from '../ir/graph.js';
import type { Quantization, Tensor } from '../ir/tensor.js';
import { allGraphs } from '../ir/walk.js';
import { elementDecoder } from './decode.js';

/** Reads a small constant tensor's values as numbers (null when it is not numeric). */
export async function readTensorNumbers(t: Tensor): Promise<number[] | null> {
  const dec = elementDecoder(t.dtype);
  if (!dec || t.elementCount > 1 << 20) return null;
  const bytes = await t.data.read();
  const out = dec.target === 'f32' ? new Float32Array(t.elementCount) : new Float64Array(t.elementCount);
  dec.decode(bytes, 0, t.elementCount, out);
  return Array.from(out);
}

/** The tensor a value holds: a weight, or the `value` attribute of the Constant node producing it. */
export function constantTensorOf(v: Value | null | undefined): Tensor | undefined {
  if (!v) return undefined;
  if (v.tensor) return v.tensor;
  const p = v.producer;
  if (p && p.opType === 'Constant') {
    for (const a of p.attributes) if (a.type === 'tensor') return a.value;
  }
  return undefined;
}

/** Numbers of a constant value: a tensor, or a Constant's value_float(s) / value_int(s). */
async function constantNumbers(v: Value | null | undefined): Promise<number[] | null> {
  const t = constantTensorOf(v);
  if (t) return readTensorNumbers(t);
  const p = v?.producer;
  if (p && p.opType === 'Constant') {
    for (const a of p.attributes) {
      if (a.type === 'float' || a.type === 'int') return [a.value];
      if (a.type === 'floats' || a.type === 'ints') return a.value;
    }
  }
  return null;
}

function intAttr(node: Node, name: string): number | undefined {
  const a = node.attributes.find((x) => x.name === name);
  return a && a.type === 'int' ? a.value : undefined;
}

interface Pattern {
  origin: string;
  weight: number;
  scale: number;
  zeroPoint: number;
  /** Axis of per-slice scales, given the weight's rank. */
  axis(node: Node, rank: number): number;
}

const PATTERNS: Record<string, Pattern> = {
  DequantizeLinear: { origin: 'onnx-dequantize-linear', weight: 0, scale: 1, zeroPoint: 2, axis: (n) => intAttr(n, 'axis') ?? 1 },
  QLinearConv: { origin: 'onnx-qlinear-conv', weight: 3, scale: 4, zeroPoint: 5, axis: () => 0 },
  QLinearMatMul: { origin: 'onnx-qlinear-matmul', weight: 3, scale: 4, zeroPoint: 5, axis: (_n, rank) => rank - 1 },
};

async function patternQuantization(node: Node, pat: Pattern, w: Tensor): Promise<Quantization | null> {
  const scale = await constantNumbers(node.inputs[pat.scale]);
  if (!scale || !scale.length || scale.some((s) => !Number.isFinite(s))) return null;
  const zpInput = node.inputs[pat.zeroPoint];
  const zeroPoint = zpInput ? await constantNumbers(zpInput) : [0];
  if (!zeroPoint || (zeroPoint.length !== 1 && zeroPoint.length !== scale.length)) return null;
  const rank = w.shape.length;
  const q: Quantization = { scale, zeroPoint, origin: pat.origin };
  if (scale.length > 1) {
    let axis = pat.axis(node, rank);
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank || w.shape[axis] !== scale.length) return null;
    q.axis = axis;
  }
  return q;
}

/**
 * For every weight stored as integers and dequantized by the graph with constant scale and zero
 * point: its Quantization (real = scale · (q − zeroPoint)). Weights with their own quantization,
 * blocked quantization (block_size > 0) and non-constant parameters are left out.
 */
export async function quantizationFromGraph(model: Model): Promise<Map<Tensor, Quantization>> {
  const out = new Map<Tensor, Quantization>();
  const graphs: Graph[] = allGraphs(model);
  for (const g of graphs) {
    for (const node of g.nodes) {
      const pat = PATTERNS[node.opType];
      if (!pat || (node.domain !== '' && node.domain !== 'ai.onnx' && node.domain !== 'com.microsoft')) continue;
      const w = constantTensorOf(node.inputs[pat.weight]);
      if (!w || w.quantization || out.has(w) || !elementDecoder(w.dtype)) continue;
      if ((intAttr(node, 'block_size') ?? 0) > 0) continue;
      let q: Quantization | null;
      try {
        q = await patternQuantization(node, pat, w);
      } catch {
        q = null; // unreadable parameters: the weight is shown as the integers it stores
      }
      if (!q) continue;
      out.set(w, q);
    }
  }
  return out;
}
