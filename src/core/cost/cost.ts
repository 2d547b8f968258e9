// The cost card: parameters, FLOPs/MACs of one forward pass per node and in total, activation
// memory, and what one training step and one training run cost next to one inference.
import type { DataType } from '../ir/dtype.js';
import { isFloatType } from '../ir/dtype.js';
import type { Graph, Model, Node, Value } from '../ir/graph.js';
import { bodyRuns } from './control-flow.js';
import { collectWeights } from '../ir/walk.js';
import { weightOf } from '../explain/formula/formula-tensors.js';
import { activationMemory, valueBytes } from './memory.js';
import { operatorCost, type CostBasis, type OpCost } from './op-cost.js';
import { inferShapes, resolveShapes, type DimsOptions, type ShapeResolution } from '../shapes/index.js';
import { prod } from '../shapes/small-tensor.js';
import { trainingCost, type TrainingCost, type TrainingOptions } from './training.js';

/** The counting convention, in words, for the card and `model-lens cost`. */
export const COST_CONVENTION =
  'MAC = one multiply-add of a dot product (Conv, ConvTranspose, MatMul, Gemm, Einsum, attention, LSTM/GRU gates, Dense). ' +
  'FLOPs = 2 per MAC + 1 per output element for a bias add + 1 per element for each elementwise op ' +
  '(Add, Mul, Relu, Exp, Erf, Tanh, Sigmoid, Gelu… each count as one); Softmax 3 per element; BatchNorm 2; ' +
  'LayerNorm/GroupNorm/InstanceNorm 5 + 1 per affine parameter; RMSNorm 3 + 1; pooling 1 per window element; ' +
  'reductions 1 per input element. Reshape, Transpose, Gather, Concat, Slice, Pad, Cast… are 0 FLOPs (memory only).';

export interface CostOptions extends DimsOptions, TrainingOptions {
  /** Sustained GFLOPS of a phone-class chip (default 100). */
  phoneGflops?: number;
}

/** One node's share of a forward pass. */
export interface NodeCostEntry {
  /** Index of the node in `model.graph.nodes` (file order); `nodes` itself is in run order. */
  nodeIndex: number;
  name: string;
  opType: string;
  domain: string;
  macs: number;
  flops: number;
  basis: CostBasis;
  detail: string;
  /** Bytes of every input (weights included) and of every output. */
  bytesRead: number;
  bytesWritten: number;
  outputShapes: (number[] | null)[];
  /** True when the node depends on no graph input (a constant subgraph, folded before running). */
  constant: boolean;
}

/** The whole-model totals, the same in the report and in what the Function tab is sent. */
export interface CostTotals {
  /** Every symbolic dim's size as used: the dims map plus assumed defaults. */
  dims: Record<string, number>;
  /** Dims that were not in the dims map and got a default (batch for leading dims, else 1). */
  assumedDims: Record<string, number>;
  /** Examples per forward pass: the first input's leading dim when the file leaves it symbolic (set by `batch` or `dims`), else 1. */
  batch: number;
  /** Elements of all weights, exactly as `model-lens summary` counts them. */
  parameters: number;
  /** Bytes of the weights as stored in the file. */
  parameterBytes: number;
  /** Bytes the parameters would take in other precisions. */
  parameterBytesAs: { fp32: number; fp16: number; int8: number };
  /** Float parameters (what training updates). */
  trainableParameters: number;
  /** Forward pass at `batch`, whole model (constant subgraphs excluded: they are folded once). */
  macs: number;
  flops: number;
  macsPerExample: number;
  flopsPerExample: number;
  activationBytesPeak: number;
  activationPeakAt: string | null;
  /** Op types with no cost rule (counted as 0). */
  unsupportedOps: string[];
}

export interface CostReport extends CostTotals {
  file: string;
  inputs: { name: string; shape: number[] | null; dtype: string | null }[];
  /** Float weight elements computed by constant subgraphs (e.g. ConstantOfShape), not stored as weights. */
  computedWeightElements: number;
  activationBytesTotal: number;
  nodes: NodeCostEntry[];
  byOpType: Record<string, { count: number; macs: number; flops: number }>;
  /** Nodes whose output shape stayed unknown. */
  unresolvedNodes: string[];
  training: TrainingCost;
  phone: { gflops: number; inferenceSeconds: number; trainingStepSeconds: number; trainingRunSeconds: number };
  convention: string;
}

/** One If/Loop/Scan application: its bodies' node costs (the costlier If branch; Loop/Scan bodies × runs). */
function controlFlowCost(node: Node, res: ShapeResolution): OpCost {
  const bodyCost = (g: Graph): { macs: number; flops: number } => {
    let macs = 0, flops = 0;
    for (const n of res.subgraphOrders.get(g) ?? []) {
      const c = n.subgraphs.length ? controlFlowCost(n, res) : operatorCost(n, n.inputs.map((v) => (v ? res.known.get(v) : undefined)), n.outputs.map((v) => res.known.get(v)));
      if (Number.isFinite(c.macs) && Number.isFinite(c.flops)) { macs += c.macs; flops += c.flops; }
    }
    return { macs, flops };
  };
  const bodies = node.subgraphs.map(bodyCost);
  const cond = node.opType === 'If' && node.inputs[0] ? res.known.get(node.inputs[0])?.values?.[0] : undefined;
  if (cond !== undefined && bodies.length === 2) {
    const taken = bodies[cond ? 0 : 1];
    return { ...taken, basis: 'control-flow', detail: `the ${cond ? 'then' : 'else'} branch (the condition is known)` };
  }
  if (node.opType === 'If' || bodies.length !== 1) {
    const worst = bodies.reduce((a, b) => (b.flops > a.flops ? b : a), { macs: 0, flops: 0 });
    return { ...worst, basis: 'control-flow', detail: `the costlier branch (${bodies.map((b) => `${b.flops} FLOPs`).join(' vs ')})` };
  }
  const { runs, why } = bodyRuns(node, node.inputs.map((v) => (v ? res.known.get(v) : undefined)));
  return { macs: bodies[0].macs * runs, flops: bodies[0].flops * runs, basis: 'control-flow', detail: `body × ${why}` };
}

const nodeLabel = (name: string, opType: string, i: number) => name || `${opType}_${i}`;

/** FLOPs, MACs, memory and training cost of one forward pass under the given dims. */
export async function computeCost(model: Model, options: CostOptions = {}): Promise<CostReport> {
  // Shape inference fills the types the file leaves out (symbolic dims kept); the concrete
  // propagation below substitutes the dims map and falls back to those types where it has no rule.
  await inferShapes(model);
  const res = await resolveShapes(model, options);
  const batch = res.batch;
  const nodes: NodeCostEntry[] = [];
  const byOpType: CostReport['byOpType'] = {};
  const unsupported = new Set<string>();
  let macs = 0, flops = 0;
  const fileIndex = new Map(model.graph.nodes.map((n, i) => [n, i]));
  res.order.forEach((node, i) => {
    const ins = node.inputs.map((v) => (v ? res.known.get(v) : undefined));
    const outs = node.outputs.map((v) => res.known.get(v));
    let c = node.subgraphs.length ? controlFlowCost(node, res) : operatorCost(node, ins, outs);
    // A malformed node (inconsistent shapes) must not poison the totals.
    if (!Number.isFinite(c.macs) || !Number.isFinite(c.flops) || c.macs < 0 || c.flops < 0) c = { macs: 0, flops: 0, basis: 'unknown-shape', detail: 'the shapes do not fit this operator' };
    const isConstant = node.outputs.length > 0 && node.outputs.every((v) => res.constant.has(v));
    if (c.basis === 'unsupported') unsupported.add(node.domain ? `${node.domain}.${node.opType}` : node.opType);
    const bytesRead = node.inputs.reduce((a, v) => a + (v ? valueBytes(res, v) : 0), 0);
    const bytesWritten = node.outputs.reduce((a, v) => a + valueBytes(res, v), 0);
    nodes.push({
      nodeIndex: fileIndex.get(node) ?? i,
      name: nodeLabel(node.name, node.opType, fileIndex.get(node) ?? i), opType: node.opType, domain: node.domain, macs: c.macs, flops: c.flops,
      basis: c.basis, detail: c.detail, bytesRead, bytesWritten, outputShapes: outs.map((o) => o?.shape ?? null), constant: isConstant,
    });
    if (isConstant) return;
    macs += c.macs;
    flops += c.flops;
    const e = (byOpType[node.opType] ??= { count: 0, macs: 0, flops: 0 });
    e.count++; e.macs += c.macs; e.flops += c.flops;
  });

  const weights = collectWeights(model);
  const parameters = weights.reduce((a, t) => a + t.elementCount, 0);
  const parameterBytes = weights.reduce((a, t) => a + t.byteLength, 0);
  const trainableParameters = weights.filter((t) => isFloatType(t.logicalType ?? t.dtype)).reduce((a, t) => a + t.elementCount, 0);
  const computedWeightElements = countComputedWeights(res.order.flatMap((n) => n.inputs), res.constant, res.known);
  const mem = activationMemory(res);
  const flopsPerExample = flops / batch;
  const training = trainingCost({
    forwardFlopsPerExample: flopsPerExample,
    trainableParameters: trainableParameters + computedWeightElements,
    frozenParameterBytes: weights.filter((t) => !isFloatType(t.logicalType ?? t.dtype)).reduce((a, t) => a + t.byteLength, 0),
    activationBytesPerStep: mem.totalBytes,
    batch,
  }, options);
  const gflops = options.phoneGflops ?? 100;
  const seconds = (f: number) => f / (gflops * 1e9);
  const dims: Record<string, number> = { ...res.assumedDims, ...(options.dims ?? {}) };
  return {
    file: model.path,
    dims,
    assumedDims: res.assumedDims,
    batch,
    inputs: model.graph.inputs.filter((v) => !v.tensor).map((v) => ({ name: v.name, shape: res.known.get(v)?.shape ?? null, dtype: (res.known.get(v)?.dtype ?? v.type?.dtype ?? null) as DataType | null })),
    parameters,
    parameterBytes,
    parameterBytesAs: { fp32: parameters * 4, fp16: parameters * 2, int8: parameters },
    trainableParameters,
    computedWeightElements,
    macs,
    flops,
    macsPerExample: macs / batch,
    flopsPerExample,
    activationBytesPeak: mem.peakBytes,
    activationPeakAt: mem.peakAt,
    activationBytesTotal: mem.totalBytes,
    nodes,
    byOpType,
    unsupportedOps: [...unsupported].sort(),
    unresolvedNodes: res.unresolved.map((n) => n.name || n.opType),
    training,
    phone: { gflops, inferenceSeconds: seconds(flopsPerExample), trainingStepSeconds: seconds(training.flopsPerStep), trainingRunSeconds: seconds(training.flopsPerRun) },
    convention: COST_CONVENTION,
  };
}

/**
 * Float values computed only from constants, fed into the live graph, and not derived from stored
 * float weights: weights generated by ConstantOfShape & co. (a Reshape of a stored weight is not new).
 */
function countComputedWeights(inputs: (Value | null)[], constant: Set<Value>, known: Map<Value, { shape: number[] | null; dtype?: DataType }>): number {
  const memo = new Map<Value, boolean>();
  const fromStoredFloat = (v: Value): boolean => {
    const hit = memo.get(v);
    if (hit !== undefined) return hit;
    memo.set(v, false);
    const t = weightOf(v);
    const r = t ? isFloatType(t.logicalType ?? t.dtype) && t.elementCount > 1 : !!v.producer && v.producer.inputs.some((i) => !!i && fromStoredFloat(i));
    memo.set(v, r);
    return r;
  };
  let total = 0;
  const seen = new Set<Value>();
  for (const v of inputs) {
    if (!v || seen.has(v) || v.tensor || !constant.has(v) || !v.producer) continue;
    seen.add(v);
    if (v.consumers.every((c) => c.outputs.every((o) => constant.has(o)))) continue;
    const k = known.get(v);
    if (k?.shape && isFloatType(k.dtype ?? 'float32') && !fromStoredFloat(v)) total += prod(k.shape);
  }
  return total;
}
