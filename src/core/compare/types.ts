/**
 * The result of comparing two models (A = the reference, B = the candidate). The CLI's
 * `model-lens diff --json` prints `DiffReport` as is; the compare view draws it.
 */

/** How a node of one side relates to the other side. */
export type NodeStatus = 'unchanged' | 'attributes' | 'weights' | 'added' | 'removed';

/** How a pair was matched, strongest first; said in the difference list. */
export type MatchReason =
  | 'name'          // same node name (or same output value names)
  | 'topology'      // same op type, inputs produced by matched nodes
  | 'rewrite'       // a known rewrite: BatchNorm folded into Conv, MatMul+Add → Gemm, fused attention…
  | 'passthrough';  // an inserted Q/DQ or Cast pair stands between matched nodes (the pair is 'added')

export interface NodeMatch {
  /** Node name in A and in B (indices into `DiffReport.nodesA/nodesB` for the view). */
  a: string;
  b: string;
  reason: MatchReason;
  status: Exclude<NodeStatus, 'added' | 'removed'>;
  /** B-side nodes this match absorbed (a rewrite's fused partners). */
  fusedA?: string[];
  fusedB?: string[];
}

export interface AttributeChange {
  node: string;            // the A-side node name
  attribute: string;
  a?: string;              // the value in words, undefined when absent on that side
  b?: string;
}

export interface WeightDifference {
  /** A-side tensor name; `nameB` when B calls it otherwise. */
  name: string;
  nameB?: string;
  /** `float32` or `float32 → float16`. */
  dtype: string;
  shapeA: number[];
  shapeB: number[];
  maxAbs: number;
  maxRel: number;
  cosine: number;
  /** Signal-to-quantization-noise ratio in dB; Infinity when equal. */
  sqnrDb: number;
  /** True when B holds quantized values and they were compared dequantized. */
  dequantized?: boolean;
  /** Why the values could not be compared (shape changed, not numeric…). */
  note?: string;
}

export interface WeightSummary {
  compared: number;
  /** Tensors whose values differ at all. */
  changed: number;
  /** Count per dtype transition, e.g. `{"float32 → float16": 132}`. */
  dtypeChanges: Record<string, number>;
  maxRel: number;
  /** Tensors that changed beyond what their dtype change explains (rounding). */
  beyondRounding: string[];
  /** One sentence, e.g. "132 tensors float32 → float16, max relative error 4.8e-4; 2 changed beyond rounding: …". */
  words: string;
}

export interface ActivationDifference {
  value: string;           // A-side value name
  node: string;            // its A-side producer
  maxAbs: number;
  cosine: number;
  sqnrDb: number;
}

export interface OutputComparison {
  name: string;
  maxAbs: number;
  cosine: number;
  /** For classifier-like outputs ([N, classes]): share of rows with the same top-1 class. */
  top1Agreement?: number;
  /** Share of rows whose top-5 sets overlap fully, when there are ≥ 5 classes. */
  top5Agreement?: number;
}

export interface DiffReport {
  a: { path: string; format: string; nodes: number; error?: string };
  b: { path: string; format: string; nodes: number; error?: string };
  matched: number;
  added: string[];          // B-side node names with no partner
  removed: string[];        // A-side node names with no partner
  matches: NodeMatch[];
  changedAttributes: AttributeChange[];
  changedWeights: WeightDifference[];
  weightSummary: WeightSummary;
  /** Set when the comparison is structure only (e.g. ONNX ↔ TF.js with unrelated names), and why. */
  structureOnly?: string;
  /** Plain words for a poor match: "3 of 120 nodes matched: these look like unrelated models". */
  message?: string;
  /** With a run (`--run`). */
  /** Matched intermediate values that differ at all (values equal on both sides are left out). */
  activations?: ActivationDifference[];
  /** How many matched intermediate values the run compared (TF.js layers models return outputs only: 0). */
  activationsCompared?: number;
  firstDivergence?: { node: string; value: string; sqnrDb: number } | null;
  outputs?: OutputComparison[];
  /** A failing run of one side: the rest of the report stands. */
  runError?: { side: 'a' | 'b'; message: string };
}
