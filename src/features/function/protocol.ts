// The Function tab's request params and results (webview ⇄ host). Types and constants only, shared
// by the webview (webview/function/) and the host handlers (handlers.ts).

import type { CostTotals } from '../../core/cost/cost.js';
import type { HandComputation, HandTerm } from '../../core/explain/by-hand/hand-compute.js';

export const EDIT_OPS = ['zero', 'scale', 'noise', 'prune', 'quantize-int8', 'quantize-int8-channel'] as const;
export type EditOp = (typeof EDIT_OPS)[number];

export interface FormulaPartPayload { text: string; kind: 'text' | 'input' | 'output' | 'weight' | 'number'; ref?: string }

export interface FormulaResult {
  nodeId: number;
  opType: string;
  name: string;
  text: string;
  parts: FormulaPartPayload[];
  notes: string[];
  family: string;
  /** Whether one output element can be computed by hand (Conv, Gemm, MatMul, pooling). */
  handComputable: boolean;
  /** Whether the output can be shown as per-channel heatmaps (a rank-4 Conv-family output). */
  featureMaps: boolean;
}

export interface ModelFormulaResult { qualifies: boolean; reason?: string; lines: string[]; legend: { symbol: string; name: string; shape: number[]; values?: number[] }[] }

/** One term of a hand computation as the webview shows it: the core's term as it is (plain numbers). */
export type HandTermPayload = HandTerm;

/** The core's hand computation plus what the webview needs around it. */
export interface HandResult extends HandComputation {
  nodeId: number;
  outputName: string;
  /** The node's whole output (first `sent` elements) for the clickable grid. */
  output: number[];
  flatIndex: number;
  /** What the runtime produced at that element. */
  runtime: number;
}

export interface FeatureMapPayload { channel: number; height: number; width: number; values: number[]; min: number; max: number; mean: number }
export interface FeatureMapsResult { nodeId: number; outputName: string; shape: number[]; channels: number; maps: FeatureMapPayload[] }

/** One plotted output element: output name and flat element index within one example. */
export interface SweepOutputSpec { output: string; element: number }

export interface SweepSeries { output: string; element: number; original: number[]; edited?: number[] }
export interface SweepResult { input: string; elementIndex: number; xs: number[]; series: SweepSeries[]; editLabel: string | null }

export interface OutputChangePayload {
  name: string; maxAbsDiff: number; maxRelDiff: number; cosine: number;
  top1?: { before: number[]; after: number[]; changed: number };
}

export interface EditResult {
  weightId: number;
  weightName: string;
  label: string;
  covered: number;
  changed: number;
  maxAbsChange: number;
  pruneThreshold?: number;
  outputs: OutputChangePayload[];
  /** Relative activation change per node id (GraphPayload order); null where the node is not downstream of the edit. */
  nodeShift: (number | null)[];
  downstream: number[];
}

export interface CostParams { dims: Record<string, number>; datasetSize: number; epochs: number; phoneGflops: number; measure?: boolean }

export interface CostNodePayload { nodeId: number; name: string; opType: string; macs: number; flops: number; outputShapes: (number[] | null)[] }

export interface CostResult extends CostTotals {
  nodes: CostNodePayload[];
  training: {
    optimizer: string; batch: number; datasetSize: number; epochs: number; flopsPerExample: number; flopsPerStep: number;
    steps: number; flopsPerRun: number; inferencesPerRun: number;
    memoryBytes: { total: number; weights: number; gradients: number; optimizerState: number; activations: number };
  };
  phone: { gflops: number; inferenceSeconds: number; trainingStepSeconds: number; trainingRunSeconds: number };
  /** Present when a measurement was asked for (needs trust): this machine's latency and what it implies. */
  measured?: { provider: string; p50Ms: number; achievedGflops: number; trainingRunSeconds: number | null };
  convention: string;
}
